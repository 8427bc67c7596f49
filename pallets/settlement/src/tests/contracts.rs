//! Contract escrow: approvals, holds, releases and settlements on behalf of a contract, each
//! refusal, and the invariant tying `ContractHolds` to the ledger.

use super::*;
use crate::{ContractAllowances, ContractHolds, Error, Event, Leg, LegsOf, Settled};
use frame_support::{assert_noop, assert_ok, traits::tokens::fungibles::Mutate};
use qingsuan_primitives::market::Direction;
use sp_runtime::DispatchError;

/// The contract's account in these tests.
const ESCROW: u64 = 300;

fn contract_hold() -> RuntimeHoldReason {
	crate::HoldReason::Contract.into()
}

fn approve(broker: u64, owner: u64, asset: AssetId, limit: Amount) {
	assert_ok!(Settlement::approve_contract(signed(broker), owner, ESCROW, asset, limit));
}

/// The contract at `contract` terminates.
fn terminate(contract: u64) {
	crate::mock::LiveContracts::set(
		crate::mock::LiveContracts::get().into_iter().filter(|(c, _)| *c != contract).collect(),
	);
}

/// Another contract is created at `contract` (the same address, a new instance).
fn create_again(contract: u64) {
	terminate(contract);
	let mut live = crate::mock::LiveContracts::get();
	live.push((contract, 2));
	crate::mock::LiveContracts::set(live);
}

fn legs(v: Vec<Leg<u64>>) -> LegsOf<Test> {
	v.try_into().expect("at most MaxLegs; qed")
}

/// Ann (Alice's investor) has 100 Moutai, Ben (Bob's) 150,000 CNY.
fn fund_investors() {
	assert_ok!(Ledger::mint_into(MOUTAI, &ANN, 100));
	Settlement::credit_deposit(CNY, &BEN, 150_000).expect("a deposit");
}

#[test]
fn an_approval_is_the_owners_broker_to_give() {
	run_test(|| {
		assert_noop!(
			Settlement::approve_contract(signed(OUTSIDER), ALICE, ESCROW, MOUTAI, 5),
			DispatchError::BadOrigin
		);
		assert_noop!(Settlement::approve_contract(signed(BANK), ALICE, ESCROW, MOUTAI, 5), DispatchError::BadOrigin);
		// Bob acts neither for Alice nor for Alice's investor.
		assert_noop!(Settlement::approve_contract(signed(BOB), ALICE, ESCROW, MOUTAI, 5), Error::<Test>::NotAParty);
		assert_noop!(Settlement::approve_contract(signed(BOB), ANN, ESCROW, MOUTAI, 5), Error::<Test>::NotAParty);
		assert_noop!(Settlement::approve_contract(signed(ALICE), ANN, ESCROW, 77, 5), Error::<Test>::UnknownAsset);
		assert_noop!(Settlement::approve_contract(signed(ALICE), ALICE, ALICE, MOUTAI, 5), Error::<Test>::LegToSelf);
		set_frozen(ANN, true);
		assert_noop!(Settlement::approve_contract(signed(ALICE), ANN, ESCROW, MOUTAI, 5), Error::<Test>::AccountFrozen);
		set_frozen(ANN, false);

		approve(ALICE, ANN, MOUTAI, 5);
		System::assert_last_event(
			Event::ContractApproved { owner: ANN, contract: ESCROW, asset: MOUTAI, limit: 5, by: ALICE }.into(),
		);
		assert_eq!(Settlement::contract_allowance(&ANN, &ESCROW, MOUTAI), 5);
		// Zero withdraws it, leaving no entry.
		approve(ALICE, ANN, MOUTAI, 0);
		assert!(!ContractAllowances::<Test>::contains_key((ANN, ESCROW, MOUTAI)));
	});
}

#[test]
fn an_approval_goes_to_the_contract_instance_there_and_no_other() {
	run_test(|| {
		// Only a deployed contract is approved; an approval is withdrawn whatever is there.
		assert_noop!(Settlement::approve_contract(signed(ALICE), ANN, 400, MOUTAI, 5), Error::<Test>::NotAContract);
		assert_ok!(Settlement::approve_contract(signed(ALICE), ANN, 400, MOUTAI, 0));
		assert!(!crate::ContractInstances::<Test>::contains_key(400));

		approve(ALICE, ANN, MOUTAI, 5);
		assert_eq!(crate::ContractInstances::<Test>::get(ESCROW), Some([1; 32]));
		// Another broker's approval of the same contract goes to the same instance.
		approve(BOB, BEN, CNY, 7);
		assert_eq!(crate::ContractInstances::<Test>::get(ESCROW), Some([1; 32]));

		// The contract terminates and another is created at its address: no broker approves
		// it, but each may withdraw what it approved of the first.
		create_again(ESCROW);
		assert_noop!(
			Settlement::approve_contract(signed(ALICE), ANN, ESCROW, MOUTAI, 5),
			Error::<Test>::ContractReplaced
		);
		assert_noop!(
			Settlement::approve_contract(signed(CAROL), CAROL, ESCROW, MOUTAI, 5),
			Error::<Test>::ContractReplaced
		);
		approve(ALICE, ANN, MOUTAI, 0);
		assert_eq!(Settlement::contract_allowance(&ANN, &ESCROW, MOUTAI), 0);
		assert_eq!(Settlement::contract_allowance(&BEN, &ESCROW, CNY), 7);
	});
}

#[test]
fn a_contract_created_again_at_a_terminated_ones_address_inherits_nothing() {
	run_test(|| {
		let l = held_dvp();
		approve(ALICE, ANN, MOUTAI, 1);
		create_again(ESCROW);

		// The new instance can neither hold within the first one's approvals, nor release or
		// settle what the first one held.
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 1), Error::<Test>::ContractReplaced);
		assert_noop!(Settlement::contract_release(&ESCROW, &ANN, MOUTAI, 1), Error::<Test>::ContractReplaced);
		assert_noop!(Settlement::contract_settle(&ESCROW, l), Error::<Test>::ContractReplaced);

		// The owners' brokers take back what the first one held, though a contract is there.
		assert_ok!(Settlement::reclaim_contract_hold(signed(ALICE), ANN, ESCROW, MOUTAI));
		assert_ok!(Settlement::reclaim_contract_hold(signed(BOB), BEN, ESCROW, CNY));
		assert_eq!((free(MOUTAI, ANN), free(CNY, BEN)), (100, 150_000));
		assert!(ContractHolds::<Test>::iter().next().is_none());
		assert!(ContractAllowances::<Test>::iter().next().is_none());
		// And the new instance stays refused.
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 1), Error::<Test>::ContractReplaced);
	});
}

/// Storage v4 → v5: each contract with an allowance or a hold is bound to the instance there,
/// or, if it terminated before the upgrade, to none that can exist.
#[test]
fn migration_to_v5_binds_each_contract_to_its_instance() {
	use crate::migrations::v5::{MigrateV4ToV5, GONE};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		fund_investors();
		approve(ALICE, ANN, MOUTAI, 60);
		assert_ok!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 40));
		assert_ok!(Settlement::approve_contract(signed(BOB), BEN, ESCROW + 1, CNY, 5));
		// As v4 left them: no bindings; the second contract has terminated since.
		let _ = crate::ContractInstances::<Test>::clear(u32::MAX, None);
		terminate(ESCROW + 1);
		StorageVersion::new(4).put::<Settlement>();
		MigrateV4ToV5::<Test>::on_runtime_upgrade();
		assert_eq!(Settlement::on_chain_storage_version(), 5);
		assert_eq!(crate::ContractInstances::<Test>::get(ESCROW), Some([1; 32]));
		assert_eq!(crate::ContractInstances::<Test>::get(ESCROW + 1), Some(GONE));
		assert_eq!(crate::ContractInstances::<Test>::iter().count(), 2);
		// The first goes on; what was approved to the second is withdrawn.
		assert_ok!(Settlement::contract_release(&ESCROW, &ANN, MOUTAI, 40));
		assert_ok!(Settlement::approve_contract(signed(BOB), BEN, ESCROW + 1, CNY, 0));
	});
}

#[test]
fn a_contract_holds_within_the_approval_and_releases_only_what_it_holds() {
	run_test(|| {
		fund_investors();
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 10), Error::<Test>::InsufficientAllowance);
		approve(ALICE, ANN, MOUTAI, 60);
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 61), Error::<Test>::InsufficientAllowance);
		assert_ok!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 40));
		System::assert_last_event(
			Event::ContractHeld { contract: ESCROW, owner: ANN, asset: MOUTAI, amount: 40 }.into(),
		);
		assert_eq!((free(MOUTAI, ANN), held(MOUTAI, ANN, contract_hold())), (60, 40));
		assert_eq!(Settlement::contract_allowance(&ANN, &ESCROW, MOUTAI), 20);
		assert_eq!(Settlement::contract_held(&ESCROW, MOUTAI, &ANN), 40);

		// Another contract holds nothing of Ann's; this one cannot release more than it holds.
		assert_noop!(Settlement::contract_release(&(ESCROW + 1), &ANN, MOUTAI, 1), Error::<Test>::NotHeldByContract);
		assert_noop!(Settlement::contract_release(&ESCROW, &ANN, MOUTAI, 41), Error::<Test>::NotHeldByContract);
		assert_noop!(Settlement::contract_release(&ESCROW, &ANN, MOUTAI, 0), Error::<Test>::ZeroAmount);
		assert_ok!(Settlement::contract_release(&ESCROW, &ANN, MOUTAI, 40));
		System::assert_last_event(
			Event::ContractReleased { contract: ESCROW, owner: ANN, asset: MOUTAI, amount: 40 }.into(),
		);
		assert_eq!((free(MOUTAI, ANN), held(MOUTAI, ANN, contract_hold())), (100, 0));
		assert!(ContractHolds::<Test>::iter().next().is_none());

		// Within the approval but beyond the balance: the ledger refuses, nothing changes.
		approve(ALICE, ANN, MOUTAI, 1_000);
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 101), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn what_a_terminated_contract_held_is_reclaimed_by_the_owners_broker() {
	run_test(|| {
		fund_investors();
		approve(ALICE, ANN, MOUTAI, 60);
		assert_ok!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 40));

		// While the contract exists it releases what it holds itself.
		assert_noop!(
			Settlement::reclaim_contract_hold(signed(ALICE), ANN, ESCROW, MOUTAI),
			Error::<Test>::ContractStillExists
		);
		// The contract terminates.
		terminate(ESCROW);
		// Only a member broker, and only the owner's.
		assert_noop!(
			Settlement::reclaim_contract_hold(signed(OUTSIDER), ANN, ESCROW, MOUTAI),
			DispatchError::BadOrigin
		);
		assert_noop!(Settlement::reclaim_contract_hold(signed(BOB), ANN, ESCROW, MOUTAI), Error::<Test>::NotAParty);
		// Nothing of another asset, or by another contract.
		assert_noop!(
			Settlement::reclaim_contract_hold(signed(ALICE), ANN, ESCROW, CNY),
			Error::<Test>::NotHeldByContract
		);
		assert_noop!(
			Settlement::reclaim_contract_hold(signed(ALICE), ANN, ESCROW + 1, MOUTAI),
			Error::<Test>::NotHeldByContract
		);

		// Even a frozen investor's broker takes it back: the shares return to Ann's free
		// balance, and the rest of the approval goes with them.
		set_frozen(ANN, true);
		assert_ok!(Settlement::reclaim_contract_hold(signed(ALICE), ANN, ESCROW, MOUTAI));
		System::assert_last_event(
			Event::ContractHoldReclaimed { contract: ESCROW, owner: ANN, asset: MOUTAI, amount: 40, by: ALICE }.into(),
		);
		assert_eq!((free(MOUTAI, ANN), held(MOUTAI, ANN, contract_hold())), (100, 0));
		assert!(ContractHolds::<Test>::iter().next().is_none());
		assert!(ContractAllowances::<Test>::iter().next().is_none());
		// Once.
		assert_noop!(
			Settlement::reclaim_contract_hold(signed(ALICE), ANN, ESCROW, MOUTAI),
			Error::<Test>::NotHeldByContract
		);
	});
}

#[test]
fn parties_without_standing_are_not_held() {
	run_test(|| {
		fund_investors();
		approve(ALICE, ANN, MOUTAI, 100);
		set_frozen(ANN, true);
		assert_noop!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 10), Error::<Test>::AccountFrozen);
		assert_eq!(Settlement::acting_member(&ANN), None);
		set_frozen(ANN, false);
		assert_eq!(Settlement::acting_member(&ANN), Some(ALICE));
		assert_eq!(Settlement::acting_member(&ALICE), Some(ALICE));
		assert_eq!(Settlement::acting_member(&OUTSIDER), None);
		// An allowance written for an outsider (it cannot be approved) still holds nothing.
		ContractAllowances::<Test>::insert((OUTSIDER, ESCROW, CNY), 10);
		assert_noop!(Settlement::contract_hold(&ESCROW, &OUTSIDER, CNY, 10), Error::<Test>::PartyNotMember);
		ContractAllowances::<Test>::remove((OUTSIDER, ESCROW, CNY));
	});
}

/// Ann delivers 100 Moutai to Ben for 150,000 CNY (a price of 1,500, within the band), both held
/// by the escrow.
fn held_dvp() -> LegsOf<Test> {
	fund_investors();
	approve(ALICE, ANN, MOUTAI, 100);
	approve(BOB, BEN, CNY, 150_000);
	assert_ok!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 100));
	assert_ok!(Settlement::contract_hold(&ESCROW, &BEN, CNY, 150_000));
	legs(vec![
		Leg { from: ANN, to: BEN, asset: MOUTAI, amount: 100 },
		Leg { from: BEN, to: ANN, asset: CNY, amount: 150_000 },
	])
}

#[test]
fn a_contract_settles_out_of_its_holds_and_the_settlement_is_recorded() {
	run_test(|| {
		let l = held_dvp();
		let id = Settlement::contract_settle(&ESCROW, l.clone()).expect("settles");
		assert_eq!((free(MOUTAI, BEN), free(CNY, ANN)), (100, 150_000));
		assert_eq!((held(MOUTAI, ANN, contract_hold()), held(CNY, BEN, contract_hold())), (0, 0));
		assert!(ContractHolds::<Test>::iter().next().is_none());
		System::assert_last_event(Event::ContractSettled { contract: ESCROW, settlement: id, legs: l.clone() }.into());
		let recorded = System::events().into_iter().rev().find_map(|r| match r.event {
			RuntimeEvent::Settlement(e) => e.settlement(),
			_ => None,
		});
		assert!(
			matches!(&recorded, Some((i, Settled::Contract { contract: ESCROW, legs })) if *i == id && *legs == l),
			"{recorded:?}"
		);
		// Its movements count in the day's net report like an instruction's.
		let records = [Settled::Contract { contract: ESCROW, legs: held_dvp_legs() }];
		let positions = Settlement::net_positions_of(&records);
		assert!(positions.iter().any(|p| p.account == BEN && p.asset == MOUTAI && p.received == 100));
	});
}

fn held_dvp_legs() -> LegsOf<Test> {
	legs(vec![
		Leg { from: ANN, to: BEN, asset: MOUTAI, amount: 100 },
		Leg { from: BEN, to: ANN, asset: CNY, amount: 150_000 },
	])
}

#[test]
fn a_contracts_settlement_is_checked_like_an_instruction_and_moves_nothing_when_refused() {
	run_test(|| {
		let l = held_dvp();
		let unchanged = || {
			assert_eq!((held(MOUTAI, ANN, contract_hold()), held(CNY, BEN, contract_hold())), (100, 150_000));
			assert_eq!(free(MOUTAI, BEN), 0);
		};
		assert_noop!(Settlement::contract_settle(&ESCROW, legs(vec![])), Error::<Test>::NoLegs);
		// More than the escrow holds; a leg from an account it holds nothing of.
		let mut greedy = l.clone();
		greedy[0].amount = 101;
		assert_noop!(Settlement::contract_settle(&ESCROW, greedy), Error::<Test>::NotHeldByContract);
		assert_noop!(Settlement::contract_settle(&(ESCROW + 1), l.clone()), Error::<Test>::NotHeldByContract);
		// An investor's delivery with no payment; a payment outside the band.
		assert_noop!(Settlement::contract_settle(&ESCROW, legs(vec![l[0].clone()])), Error::<Test>::FreeOfPayment);
		let mut cheap = l.clone();
		cheap[1].amount = 100_000;
		assert_noop!(Settlement::contract_settle(&ESCROW, cheap), Error::<Test>::PriceOutsideBand);
		// The receiver may not acquire the security: compliance refuses, as for an order.
		Refused::mutate(|r| r.push((BEN, MOUTAI, Direction::Increase)));
		assert_noop!(Settlement::contract_settle(&ESCROW, l.clone()), NOT_COMPLIANT);
		Refused::mutate(|r| r.clear());
		// A frozen party.
		set_frozen(BEN, true);
		assert_noop!(Settlement::contract_settle(&ESCROW, l.clone()), Error::<Test>::AccountFrozen);
		set_frozen(BEN, false);
		unchanged();
		// And then it settles.
		assert_ok!(Settlement::contract_settle(&ESCROW, l));
	});
}

#[test]
fn the_invariant_ties_contract_holds_to_the_ledger() {
	new_test_ext().execute_with(|| {
		fund_investors();
		approve(ALICE, ANN, MOUTAI, 100);
		assert_ok!(Settlement::contract_hold(&ESCROW, &ANN, MOUTAI, 30));
		assert_ok!(Settlement::check_contract_holds());
		// A record without its hold, a hold without its record, a zero entry.
		ContractHolds::<Test>::insert((ESCROW, MOUTAI, ANN), 31);
		assert!(Settlement::check_contract_holds().is_err());
		ContractHolds::<Test>::insert((ESCROW, MOUTAI, ANN), 30);
		Ledger::hold(MOUTAI, &contract_hold(), &ANN, 1).expect("holds");
		assert!(Settlement::check_contract_holds().is_err());
		Ledger::release(MOUTAI, &contract_hold(), &ANN, 1, frame_support::traits::tokens::Precision::Exact)
			.expect("releases");
		ContractAllowances::<Test>::insert((ANN, ESCROW, PINGAN), 0);
		assert!(Settlement::check_contract_holds().is_err());
	});
}
