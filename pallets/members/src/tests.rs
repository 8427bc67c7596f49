//! Tests of the members pallet: every call's bad origin, each error, success and events; the
//! origin checks; invariants after every scenario.

use crate::{mock::*, EnsureClearingBank, EnsureMember, EnsureRegulator, Error, Event, Role, RoleCount, RoleInspect};
use frame_support::{assert_noop, assert_ok, traits::EnsureOrigin};
use sp_runtime::DispatchError;

fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::signed(CONSORTIUM)
}

#[test]
fn genesis_roles_are_in_place() {
	run_test(|| {
		assert!(Members::has_role(&BROKER, Role::MemberBroker));
		assert!(Members::has_role(&BANK, Role::ClearingBank));
		assert!(!Members::has_role(&OUTSIDER, Role::MemberBroker));
		assert_eq!(RoleCount::<Test>::get(Role::MemberBroker), 1);
	});
}

#[test]
fn grant_role_needs_the_consortium() {
	run_test(|| {
		assert_noop!(
			Members::grant_role(RuntimeOrigin::signed(BROKER), OUTSIDER, Role::Regulator),
			DispatchError::BadOrigin
		);
		assert_noop!(Members::grant_role(RuntimeOrigin::none(), OUTSIDER, Role::Regulator), DispatchError::BadOrigin);
	});
}

#[test]
fn grant_role_refuses_a_role_already_held() {
	run_test(|| {
		assert_noop!(Members::grant_role(consortium(), BROKER, Role::MemberBroker), Error::<Test>::RoleAlreadyGranted);
	});
}

#[test]
fn grant_role_refuses_more_than_the_maximum() {
	run_test(|| {
		// MaxMembersPerRole is 3 and one broker exists.
		assert_ok!(Members::grant_role(consortium(), 3, Role::MemberBroker));
		assert_ok!(Members::grant_role(consortium(), 4, Role::MemberBroker));
		assert_noop!(Members::grant_role(consortium(), 5, Role::MemberBroker), Error::<Test>::TooManyMembers);
	});
}

#[test]
fn grant_role_adds_the_role_and_emits_an_event() {
	run_test(|| {
		assert_ok!(Members::grant_role(consortium(), BANK, Role::Attestor));
		System::assert_last_event(Event::RoleGranted { who: BANK, role: Role::Attestor }.into());
		assert!(Members::has_role(&BANK, Role::Attestor));
		assert!(Members::has_role(&BANK, Role::ClearingBank), "other roles are kept");
		assert_eq!(RoleCount::<Test>::get(Role::Attestor), 1);
	});
}

#[test]
fn revoke_role_needs_the_consortium() {
	run_test(|| {
		assert_noop!(
			Members::revoke_role(RuntimeOrigin::signed(BANK), BROKER, Role::MemberBroker),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn revoke_role_refuses_a_role_not_held() {
	run_test(|| {
		assert_noop!(Members::revoke_role(consortium(), OUTSIDER, Role::MemberBroker), Error::<Test>::RoleNotGranted);
		assert_noop!(Members::revoke_role(consortium(), BROKER, Role::ClearingBank), Error::<Test>::RoleNotGranted);
	});
}

#[test]
fn revoke_role_removes_the_role_and_emits_an_event() {
	run_test(|| {
		assert_ok!(Members::grant_role(consortium(), BROKER, Role::Attestor));
		assert_ok!(Members::revoke_role(consortium(), BROKER, Role::MemberBroker));
		System::assert_last_event(Event::RoleRevoked { who: BROKER, role: Role::MemberBroker }.into());
		assert!(!Members::has_role(&BROKER, Role::MemberBroker));
		assert!(Members::has_role(&BROKER, Role::Attestor));
		assert_eq!(RoleCount::<Test>::get(Role::MemberBroker), 0);
	});
}

#[test]
fn revoking_the_last_role_removes_the_account_entry() {
	run_test(|| {
		assert_ok!(Members::revoke_role(consortium(), BANK, Role::ClearingBank));
		assert!(crate::MemberRoles::<Test>::get(BANK).is_none());
	});
}

#[test]
fn role_origins_accept_only_holders_of_the_role() {
	run_test(|| {
		assert_eq!(EnsureMember::<Test>::ensure_origin(RuntimeOrigin::signed(BROKER)).ok(), Some(BROKER));
		assert!(EnsureMember::<Test>::ensure_origin(RuntimeOrigin::signed(BANK)).is_err());
		assert_eq!(EnsureClearingBank::<Test>::ensure_origin(RuntimeOrigin::signed(BANK)).ok(), Some(BANK));
		assert!(EnsureRegulator::<Test>::ensure_origin(RuntimeOrigin::signed(OUTSIDER)).is_err());
		assert!(EnsureMember::<Test>::ensure_origin(RuntimeOrigin::root()).is_err());
		assert!(EnsureMember::<Test>::ensure_origin(RuntimeOrigin::none()).is_err());

		// A revoked role stops passing the check at once.
		assert_ok!(Members::revoke_role(consortium(), BROKER, Role::MemberBroker));
		assert!(EnsureMember::<Test>::ensure_origin(RuntimeOrigin::signed(BROKER)).is_err());
	});
}

#[test]
fn try_state_detects_a_wrong_count() {
	new_test_ext().execute_with(|| {
		RoleCount::<Test>::insert(Role::Regulator, 7);
		assert!(Members::do_try_state().is_err());
	});
}
