//! Tests of the validator set pallet: each call's bad origin, errors, success and events, and the
//! session manager's hand-over of changed sets.

use crate::{mock::*, Error, Event, PendingChange, Validators};
use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::signed(CONSORTIUM)
}

fn set() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_set_is_the_first_session() {
	run_test(|| {
		assert_eq!(set(), vec![1, 2, 3]);
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![1, 2, 3]));
		assert_eq!(ValidatorSet::new_session(1), None, "unchanged set is not re-planned");
	});
}

#[test]
fn add_validator_needs_the_consortium() {
	run_test(|| {
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::signed(1), CANDIDATE), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::none(), CANDIDATE), DispatchError::BadOrigin);
	});
}

#[test]
fn add_validator_errors() {
	run_test(|| {
		assert_noop!(ValidatorSet::add_validator(consortium(), 2), Error::<Test>::AlreadyValidator);
		assert_noop!(ValidatorSet::add_validator(consortium(), KEYLESS), Error::<Test>::NoSessionKeys);
		assert_ok!(ValidatorSet::add_validator(consortium(), CANDIDATE));
		// MaxValidators is 4.
		assert_noop!(ValidatorSet::add_validator(consortium(), 12), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn add_validator_queues_the_new_set_for_the_next_session() {
	run_test(|| {
		assert_ok!(ValidatorSet::add_validator(consortium(), CANDIDATE));
		System::assert_last_event(Event::ValidatorAdded { who: CANDIDATE }.into());
		assert_eq!(set(), vec![1, 2, 3, CANDIDATE]);
		assert!(PendingChange::<Test>::get());

		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 2, 3, CANDIDATE]));
		System::assert_last_event(Event::ValidatorSetQueued { session: 2, count: 4 }.into());
		assert!(!PendingChange::<Test>::get());
		assert_eq!(ValidatorSet::new_session(3), None);
	});
}

#[test]
fn remove_validator_needs_the_consortium() {
	run_test(|| {
		assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 3), DispatchError::BadOrigin);
	});
}

#[test]
fn remove_validator_errors() {
	run_test(|| {
		assert_noop!(ValidatorSet::remove_validator(consortium(), CANDIDATE), Error::<Test>::NotValidator);
		assert_ok!(ValidatorSet::remove_validator(consortium(), 3));
		// MinValidators is 2.
		assert_noop!(ValidatorSet::remove_validator(consortium(), 1), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn remove_validator_queues_the_smaller_set() {
	run_test(|| {
		assert_ok!(ValidatorSet::remove_validator(consortium(), 2));
		System::assert_last_event(Event::ValidatorRemoved { who: 2 }.into());
		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 3]));
	});
}

#[test]
fn try_state_detects_a_duplicate() {
	new_test_ext().execute_with(|| {
		Validators::<Test>::put(frame_support::BoundedVec::truncate_from(vec![1, 1, 2]));
		assert!(ValidatorSet::do_try_state().is_err());
	});
}
