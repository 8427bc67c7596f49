//! Settlement instructions: creation checks, affirmation holds, settlement, rejection, expiry.

use super::*;
use crate::{Due, Error, Event, InstructionId, Instructions, Leg, LegsOf, Settled};
use frame_support::{assert_noop, assert_ok, traits::tokens::fungibles::Mutate};
use pallet_ledger::InstrumentStatus;
use sp_runtime::DispatchError;

fn leg(from: u64, to: u64, asset: AssetId, amount: Amount) -> Leg<u64> {
	Leg { from, to, asset, amount }
}

fn legs(v: Vec<Leg<u64>>) -> LegsOf<Test> {
	v.try_into().expect("at most MaxLegs; qed")
}

/// A DvP between Alice (delivers 100 Moutai) and Bob (pays 150,000 CNY).
fn dvp() -> LegsOf<Test> {
	legs(vec![leg(ALICE, BOB, MOUTAI, 100), leg(BOB, ALICE, CNY, 150_000)])
}

fn create(by: u64, l: LegsOf<Test>, settle_at: Option<u64>, expires_at: u64) -> InstructionId {
	assert_ok!(Settlement::create_instruction(signed(by), l, settle_at, expires_at));
	crate::NextInstructionId::<Test>::get() - 1
}

#[test]
fn create_instruction_needs_a_member_that_is_a_party() {
	run_test(|| {
		assert_noop!(Settlement::create_instruction(signed(OUTSIDER), dvp(), None, 10), DispatchError::BadOrigin);
		assert_noop!(Settlement::create_instruction(signed(BANK), dvp(), None, 10), DispatchError::BadOrigin);
		assert_noop!(Settlement::create_instruction(signed(CAROL), dvp(), None, 10), Error::<Test>::NotAParty);
	});
}

#[test]
fn create_instruction_checks_legs_and_times() {
	run_test(|| {
		let c = |l, s, e| Settlement::create_instruction(signed(ALICE), l, s, e);
		assert_noop!(c(legs(vec![]), None, 10), Error::<Test>::NoLegs);
		assert_noop!(c(legs(vec![leg(ALICE, BOB, MOUTAI, 0)]), None, 10), Error::<Test>::ZeroAmount);
		assert_noop!(c(legs(vec![leg(ALICE, ALICE, MOUTAI, 1)]), None, 10), Error::<Test>::LegToSelf);
		assert_noop!(c(legs(vec![leg(ALICE, BOB, 77, 1)]), None, 10), Error::<Test>::UnknownAsset);
		assert_noop!(c(legs(vec![leg(ALICE, OUTSIDER, MOUTAI, 1)]), None, 10), Error::<Test>::PartyNotMember);
		assert_noop!(c(legs(vec![leg(ALICE, BANK, MOUTAI, 1)]), None, 10), Error::<Test>::PartyNotMember);
		assert_noop!(c(dvp(), None, 1), Error::<Test>::ExpiryInPast);
		assert_noop!(c(dvp(), None, 102), Error::<Test>::ExpiryTooFar);
		assert_noop!(c(dvp(), Some(10), 10), Error::<Test>::SettleAfterExpiry);
		assert_ok!(Ledger::set_status(signed(CONSORTIUM), MOUTAI, InstrumentStatus::Halted));
		assert_noop!(c(dvp(), None, 10), Error::<Test>::InstrumentNotTrading);
	});
}

#[test]
fn create_instruction_refuses_a_full_schedule() {
	run_test(|| {
		// MaxDuePerBlock is 4.
		for _ in 0..4 {
			create(ALICE, dvp(), None, 10);
		}
		assert_noop!(Settlement::create_instruction(signed(ALICE), dvp(), None, 10), Error::<Test>::ScheduleFull);
		create(ALICE, dvp(), None, 11);
	});
}

#[test]
fn create_instruction_stores_parties_and_schedules_it() {
	run_test(|| {
		let id = create(BOB, dvp(), Some(5), 10);
		System::assert_last_event(Event::InstructionCreated { id, creator: BOB, settle_at: 5, expires_at: 10 }.into());
		let i = Instructions::<Test>::get(id).expect("stored");
		assert_eq!(
			i.parties.iter().map(|p| (p.who, p.affirmed_by)).collect::<Vec<_>>(),
			vec![(ALICE, None), (BOB, None)]
		);
		assert_eq!(Due::<Test>::get(5).into_inner(), vec![id]);
		assert_eq!(Due::<Test>::get(10).into_inner(), vec![id]);
	});
}

#[test]
fn affirming_holds_and_the_last_affirmation_settles() {
	run_test(|| {
		let id = create(ALICE, dvp(), None, 10);
		assert_noop!(Settlement::affirm_instruction(signed(CAROL), id), Error::<Test>::NotAParty);
		assert_noop!(Settlement::affirm_instruction(signed(ALICE), 42), Error::<Test>::UnknownInstruction);
		assert_noop!(Settlement::affirm_instruction(signed(OUTSIDER), id), DispatchError::BadOrigin);

		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		System::assert_last_event(Event::InstructionAffirmed { id, party: ALICE }.into());
		assert_eq!(held(MOUTAI, ALICE, instruction_hold()), 100);
		assert_noop!(Settlement::affirm_instruction(signed(ALICE), id), Error::<Test>::AlreadyAffirmed);
		assert_noop!(Settlement::execute_instruction(signed(ALICE), id), Error::<Test>::NotFullyAffirmed);

		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		System::assert_last_event(Event::InstructionSettled { id, settlement: 0, legs: dvp() }.into());
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!(free(MOUTAI, BOB), 100);
		assert_eq!(free(CNY, ALICE), START_CASH + 150_000);
		assert_eq!(free(CNY, BOB), START_CASH - 150_000);
		assert_eq!(held(MOUTAI, ALICE, instruction_hold()), 0);
		assert!(matches!(settled().pop(), Some((0, Settled::Instruction { id: 0, .. }))));
	});
}

#[test]
fn affirming_without_the_balance_fails_and_changes_nothing() {
	run_test(|| {
		let id = create(ALICE, legs(vec![leg(ALICE, BOB, MOUTAI, 1_001)]), None, 10);
		assert_noop!(Settlement::affirm_instruction(signed(ALICE), id), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn a_settle_at_instruction_waits_for_its_block() {
	run_test(|| {
		let id = create(ALICE, dvp(), Some(5), 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert!(Instructions::<Test>::contains_key(id), "not before block 5");
		assert_noop!(Settlement::execute_instruction(signed(BOB), id), Error::<Test>::TooEarly);
		check_invariants();
		run_to_block(5);
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!(free(MOUTAI, BOB), 100);
		assert!(settlement_events().contains(&Event::InstructionSettled { id, settlement: 0, legs: dvp() }));
	});
}

#[test]
fn a_failed_settlement_stays_pending_and_can_be_retried() {
	run_test(|| {
		let id = create(ALICE, dvp(), Some(5), 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert_ok!(Ledger::set_status(signed(CONSORTIUM), MOUTAI, InstrumentStatus::Halted));
		run_to_block(5);
		assert!(settlement_events()
			.contains(&Event::InstructionSettlementFailed { id, error: Error::<Test>::InstrumentNotTrading.into() }));
		assert!(Instructions::<Test>::contains_key(id));
		check_invariants();
		assert_noop!(Settlement::execute_instruction(signed(ALICE), id), Error::<Test>::InstrumentNotTrading);
		assert_ok!(Ledger::set_status(signed(CONSORTIUM), MOUTAI, InstrumentStatus::Trading));
		assert_noop!(Settlement::execute_instruction(signed(CAROL), id), Error::<Test>::NotAParty);
		assert_noop!(Settlement::execute_instruction(signed(CAROL), 42), Error::<Test>::UnknownInstruction);
		assert_ok!(Settlement::execute_instruction(signed(ALICE), id));
		System::assert_last_event(Event::InstructionSettled { id, settlement: 0, legs: dvp() }.into());
	});
}

#[test]
fn a_party_that_lost_membership_blocks_settlement() {
	run_test(|| {
		let id = create(ALICE, dvp(), None, 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		RevokedRoles::mutate(|r| r.push((BOB, qingsuan_primitives::Role::MemberBroker)));
		// Bob can no longer affirm (not a member), and the instruction cannot settle.
		assert_noop!(Settlement::affirm_instruction(signed(BOB), id), DispatchError::BadOrigin);
		RevokedRoles::mutate(|r| r.clear());
	});
}

#[test]
fn rejecting_releases_every_hold() {
	run_test(|| {
		let id = create(ALICE, dvp(), Some(5), 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert_noop!(Settlement::reject_instruction(signed(CAROL), id), Error::<Test>::NotAParty);
		assert_noop!(Settlement::reject_instruction(signed(ALICE), 42), Error::<Test>::UnknownInstruction);
		assert_noop!(Settlement::reject_instruction(signed(OUTSIDER), id), DispatchError::BadOrigin);
		assert_ok!(Settlement::reject_instruction(signed(BOB), id));
		System::assert_last_event(Event::InstructionRejected { id, by: BOB }.into());
		assert!(!Due::<Test>::contains_key(5) && !Due::<Test>::contains_key(10), "its schedule slots are freed");
		assert_eq!((free(MOUTAI, ALICE), free(CNY, BOB)), (1_000, START_CASH));
		assert_eq!(held(CNY, BOB, instruction_hold()), 0);
		run_to_block(10);
		assert!(settlement_events().iter().all(|e| !matches!(e, Event::InstructionExpired { .. })));
	});
}

#[test]
fn an_expired_instruction_releases_its_holds() {
	run_test(|| {
		let id = create(ALICE, dvp(), None, 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		run_to_block(9);
		assert!(Instructions::<Test>::contains_key(id));
		run_to_block(10);
		assert!(!Instructions::<Test>::contains_key(id));
		System::assert_last_event(Event::InstructionExpired { id }.into());
		assert_eq!(free(MOUTAI, ALICE), 1_000);
		assert_eq!(held(MOUTAI, ALICE, instruction_hold()), 0);
	});
}

#[test]
fn a_multilateral_instruction_settles_all_legs_at_once() {
	run_test(|| {
		// Repo-like three-party deal: Alice -> Bob Moutai, Bob -> Carol Ping An, Carol pays both.
		Ledger::transfer(CNY, &BOB, &CAROL, 500_000, frame_support::traits::tokens::Preservation::Expendable)
			.expect("Bob has cash");
		let l = legs(vec![
			leg(ALICE, BOB, MOUTAI, 10),
			leg(BOB, CAROL, PINGAN, 20),
			leg(CAROL, ALICE, CNY, 100_000),
			leg(CAROL, BOB, CNY, 200_000),
		]);
		let id = create(CAROL, l, None, 10);
		for who in [CAROL, ALICE, BOB] {
			assert_ok!(Settlement::affirm_instruction(signed(who), id));
		}
		assert_eq!(free(MOUTAI, BOB), 10);
		assert_eq!(free(PINGAN, CAROL), 20);
		assert_eq!(free(CNY, CAROL), 200_000);
		assert_eq!(free(CNY, ALICE), START_CASH + 100_000);
	});
}

#[test]
fn nothing_is_affirmed_or_executed_from_the_expiry_block_on() {
	run_test(|| {
		let id = create(ALICE, dvp(), Some(5), 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		// Block 10 has begun; its end expires the instruction.
		System::set_block_number(10);
		assert_noop!(Settlement::affirm_instruction(signed(BOB), id), Error::<Test>::InstructionExpired);
		assert_noop!(Settlement::execute_instruction(signed(BOB), id), Error::<Test>::InstructionExpired);
		assert_ok!(Settlement::reject_instruction(signed(BOB), id));
	});
}

#[test]
fn a_settled_instruction_frees_its_schedule_slots() {
	run_test(|| {
		let id = create(ALICE, dvp(), None, 10);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert!(!Due::<Test>::contains_key(10));
		// The freed slot can be taken again: four more fit in block 10.
		for _ in 0..4 {
			create(ALICE, dvp(), None, 10);
		}
	});
}

/// The v3 → v4 migration records who affirmed: a broker's own account itself, an investor the
/// broker that acts for it.
#[test]
fn migration_to_v4_names_who_affirmed() {
	use crate::migrations::v4::{v3_layout, MigrateV3ToV4, OldInstruction, OldParty};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		StorageVersion::new(3).put::<Settlement>();
		let old = OldInstruction {
			creator: ALICE,
			legs: dvp(),
			parties: vec![OldParty { who: ALICE, affirmed: true }, OldParty { who: BOB, affirmed: false }]
				.try_into()
				.expect("two parties"),
			settle_at: 5,
			expires_at: 10,
		};
		v3_layout::Instructions::<Test>::insert(7, old);
		// Alice's affirmation held her delivery, as v3 did.
		Ledger::hold(MOUTAI, &instruction_hold(), &ALICE, 100).expect("Alice has Moutai");
		MigrateV3ToV4::<Test>::on_runtime_upgrade();
		assert_eq!(Settlement::on_chain_storage_version(), 4);
		let i = Instructions::<Test>::get(7).expect("migrated");
		assert_eq!(
			i.parties.iter().map(|p| (p.who, p.affirmed_by)).collect::<Vec<_>>(),
			vec![(ALICE, Some(ALICE)), (BOB, None)]
		);
		assert_eq!((i.creator, i.legs, i.settle_at, i.expires_at), (ALICE, dvp(), 5, 10));
		// An investor's affirmation becomes its broker's.
		let investor = OldInstruction {
			creator: ALICE,
			legs: legs(vec![leg(ANN, BEN, MOUTAI, 1), leg(BEN, ANN, CNY, 1_500)]),
			parties: vec![OldParty { who: ANN, affirmed: true }, OldParty { who: BEN, affirmed: false }]
				.try_into()
				.expect("two parties"),
			settle_at: 5,
			expires_at: 10,
		};
		StorageVersion::new(3).put::<Settlement>();
		v3_layout::Instructions::<Test>::insert(8, investor);
		MigrateV3ToV4::<Test>::on_runtime_upgrade();
		let i = Instructions::<Test>::get(8).expect("migrated");
		assert_eq!(
			i.parties.iter().map(|p| (p.who, p.affirmed_by)).collect::<Vec<_>>(),
			vec![(ANN, Some(ALICE)), (BEN, None)]
		);
		// (Not scheduled or held here: it only shows the layout.)
		Instructions::<Test>::remove(8);
		// The first settles as before once Bob affirms.
		assert_ok!(Settlement::affirm_instruction(signed(BOB), 7));
		System::set_block_number(5);
		assert_ok!(Settlement::execute_instruction(signed(BOB), 7));
		assert!(!Instructions::<Test>::contains_key(7));
		assert_eq!(free(MOUTAI, BOB), 100);
	});
}
