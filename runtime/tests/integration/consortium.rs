//! Runtime-level tests of the consortium: its origin, the member registry and the validator set,
//! on the genesis state of the `local` preset.

use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use frame_support::{assert_noop, assert_ok, traits::EnsureOrigin};
use pallet_members::Role;
use qingsuan_runtime::{
	configs::ConsortiumOrigin, AccountId, Council, Members, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Session,
	SessionKeys, System, ValidatorSet,
};
use sp_core::{crypto::UncheckedFrom, H256};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	DispatchError,
};

use crate::run;

type CouncilOrigin = pallet_collective::RawOrigin<AccountId, pallet_collective::Instance1>;

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

/// Pass `call` through a council motion with `ayes` voting for it; returns whether it executed.
fn council_motion(call: RuntimeCall, ayes: &[Sr25519Keyring]) -> bool {
	let length_bound = call.encoded_size() as u32;
	let weight_bound = call.get_dispatch_info().call_weight;
	let hash: H256 = BlakeTwo256::hash(&call.encode());
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	assert_ok!(Council::propose(signed(ayes[0]), 4, Box::new(call), length_bound));
	// The proposer's aye is not implied.
	for voter in ayes {
		assert_ok!(Council::vote(signed(*voter), hash, index, true));
	}
	// Let the motion run out so that it can be closed with the votes it has.
	System::set_block_number(System::block_number() + qingsuan_runtime::configs::CouncilMotionDuration::get() + 1);
	assert_ok!(Council::close(signed(ayes[0]), hash, index, weight_bound, length_bound));
	System::events()
		.iter()
		.any(|r| matches!(r.event, RuntimeEvent::Council(pallet_collective::Event::Executed { result: Ok(()), .. })))
}

#[test]
fn consortium_origin_is_two_thirds_of_the_council_or_root() {
	run(|| {
		assert!(ConsortiumOrigin::ensure_origin(RuntimeOrigin::root()).is_ok());
		assert!(ConsortiumOrigin::ensure_origin(RuntimeOrigin::from(CouncilOrigin::Members(4, 5))).is_ok());
		assert!(ConsortiumOrigin::ensure_origin(RuntimeOrigin::from(CouncilOrigin::Members(5, 5))).is_ok());
		assert!(ConsortiumOrigin::ensure_origin(RuntimeOrigin::from(CouncilOrigin::Members(3, 5))).is_err());
		assert!(
			ConsortiumOrigin::ensure_origin(RuntimeOrigin::from(CouncilOrigin::Member(Alice.to_account_id()))).is_err()
		);
		assert!(ConsortiumOrigin::ensure_origin(signed(Alice)).is_err());
	});
}

#[test]
fn local_preset_has_the_consortium_roles() {
	run(|| {
		for broker in [Alice, Bob, Charlie, Dave] {
			assert!(Members::roles_of(&broker.to_account_id()).contains(Role::MemberBroker));
		}
		assert!(Members::roles_of(&Eve.to_account_id()).contains(Role::ClearingBank));
		assert!(Members::roles_of(&Ferdie.to_account_id()).contains(Role::Regulator));
		assert_eq!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(), 5);
		assert!(pallet_sudo::Key::<Runtime>::get().is_none(), "no sudo key outside the dev preset");
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().len(), 4);
	});
}

#[test]
fn a_member_alone_cannot_grant_roles() {
	run(|| {
		assert_noop!(
			Members::grant_role(signed(Alice), Ferdie.to_account_id(), Role::MemberBroker),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn council_motion_with_four_of_five_grants_a_role() {
	run(|| {
		let call = RuntimeCall::Members(pallet_members::Call::grant_role {
			who: Ferdie.to_account_id(),
			role: Role::Attestor,
		});
		assert!(council_motion(call, &[Alice, Bob, Charlie, Eve]));
		assert!(Members::roles_of(&Ferdie.to_account_id()).contains(Role::Attestor));
		System::assert_has_event(
			pallet_members::Event::RoleGranted { who: Ferdie.to_account_id(), role: Role::Attestor }.into(),
		);
	});
}

#[test]
fn council_motion_with_three_of_five_changes_nothing() {
	run(|| {
		let call = RuntimeCall::Members(pallet_members::Call::revoke_role {
			who: Alice.to_account_id(),
			role: Role::MemberBroker,
		});
		assert!(!council_motion(call, &[Bob, Charlie, Eve]));
		assert!(Members::roles_of(&Alice.to_account_id()).contains(Role::MemberBroker));
	});
}

#[test]
fn a_validator_added_by_the_consortium_validates_after_the_session_boundary() {
	run(|| {
		let ferdie = Ferdie.to_account_id();
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::unchecked_from([7; 32]).into(),
			grandpa: sp_core::ed25519::Public::unchecked_from([8; 32]).into(),
		};
		// Ferdie has not registered session keys: the consortium cannot add it yet.
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), ferdie.clone()),
			pallet_validator_set::Error::<Runtime>::NoSessionKeys
		);
		// Registering keys is Ferdie's own step (`session.set_keys` with an ownership proof);
		// here the keys are placed directly.
		pallet_session::NextKeys::<Runtime>::insert(&ferdie, keys.clone());
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), ferdie.clone()));
		assert!(!pallet_session::Validators::<Runtime>::get().contains(&ferdie));

		// The set is queued at the next session and active at the one after.
		Session::rotate_session();
		assert!(!pallet_session::Validators::<Runtime>::get().contains(&ferdie));
		Session::rotate_session();
		assert!(pallet_session::Validators::<Runtime>::get().contains(&ferdie));
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura));
	});
}
