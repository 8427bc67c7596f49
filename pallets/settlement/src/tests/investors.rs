//! Instructions for investor accounts: brokers create, affirm, reject and execute for their
//! investors; frozen investors and investors of revoked brokers cannot take part; security legs
//! pass the compliance rules at creation, affirmation and settlement.

use super::*;
use crate::{Error, Event, InstructionId, Instructions, Leg, LegsOf};
use frame_support::{assert_noop, assert_ok, traits::tokens::fungibles::Mutate};
use qingsuan_primitives::{market::Direction, Role};
use sp_runtime::DispatchError;

fn legs(v: Vec<Leg<u64>>) -> LegsOf<Test> {
	v.try_into().expect("at most MaxLegs; qed")
}

/// Ann (Alice's investor) delivers 100 Moutai to Ben (Bob's investor) for 150,000 CNY.
fn dvp() -> LegsOf<Test> {
	legs(vec![
		Leg { from: ANN, to: BEN, asset: MOUTAI, amount: 100 },
		Leg { from: BEN, to: ANN, asset: CNY, amount: 150_000 },
	])
}

/// Move `amount` of `asset` from `from` to `to` (a broker allocating client money).
fn give(asset: AssetId, from: u64, to: u64, amount: Amount) {
	Ledger::transfer(asset, &from, &to, amount, frame_support::traits::tokens::Preservation::Expendable)
		.expect("the broker has it");
}

/// Ann holds 1,000 Moutai (issued to her), Ben 1,000,000 CNY (from Bob's cash).
fn fund_investors() {
	Ledger::mint_into(MOUTAI, &ANN, 1_000).expect("mint");
	give(CNY, BOB, BEN, 1_000_000);
}

fn create(by: u64, l: LegsOf<Test>, settle_at: Option<u64>) -> InstructionId {
	assert_ok!(Settlement::create_instruction(signed(by), l, settle_at, 10));
	crate::NextInstructionId::<Test>::get() - 1
}

fn refuse(who: u64, asset: AssetId, direction: Direction) {
	Refused::mutate(|r| r.push((who, asset, direction)));
}

#[test]
fn brokers_settle_a_trade_between_their_investors() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), None);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		System::assert_last_event(Event::InstructionAffirmed { id, party: ANN }.into());
		assert_eq!(held(MOUTAI, ANN, instruction_hold()), 100);
		assert_eq!(held(MOUTAI, ALICE, instruction_hold()), 0, "the broker's own account is untouched");
		assert_noop!(Settlement::affirm_instruction(signed(ALICE), id), Error::<Test>::AlreadyAffirmed);

		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		System::assert_last_event(Event::InstructionSettled { id, settlement: 0, legs: dvp() }.into());
		assert_eq!((free(MOUTAI, BEN), free(MOUTAI, ANN)), (100, 900));
		assert_eq!((free(CNY, ANN), free(CNY, BEN)), (150_000, 850_000));
		assert_eq!((free(MOUTAI, ALICE), free(CNY, BOB)), (1_000, START_CASH - 1_000_000), "brokers' own untouched");
	});
}

#[test]
fn one_affirmation_covers_every_party_the_broker_acts_for() {
	run_test(|| {
		fund_investors();
		// Ann sells to Ben; Alice sells Moutai to Bob on her own account.
		let l = legs(vec![
			Leg { from: ANN, to: BEN, asset: MOUTAI, amount: 100 },
			Leg { from: BEN, to: ANN, asset: CNY, amount: 140_000 },
			Leg { from: ALICE, to: BOB, asset: MOUTAI, amount: 10 },
			Leg { from: BOB, to: ALICE, asset: CNY, amount: 15_000 },
		]);
		let id = create(ALICE, l.clone(), None);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		let affirmed: Vec<_> = settlement_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::InstructionAffirmed { party, .. } => Some(party),
				_ => None,
			})
			.collect();
		assert_eq!(affirmed, vec![ANN, ALICE]);
		let i = Instructions::<Test>::get(id).expect("pending");
		assert_eq!(
			i.parties.iter().map(|p| (p.who, p.affirmed_by)).collect::<Vec<_>>(),
			vec![(ANN, Some(ALICE)), (BEN, None), (ALICE, Some(ALICE)), (BOB, None)]
		);
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		System::assert_last_event(Event::InstructionSettled { id, settlement: 0, legs: l }.into());
		assert_eq!((free(MOUTAI, BEN), free(CNY, ANN), free(MOUTAI, BOB)), (100, 140_000, 10));
		assert_eq!(free(CNY, ALICE), START_CASH + 15_000);
	});
}

#[test]
fn an_investors_legs_are_delivery_versus_payment_within_the_band() {
	run_test(|| {
		fund_investors();
		give(CNY, ALICE, AMY, 150_000);
		let c = |l: Vec<Leg<u64>>| Settlement::create_instruction(signed(ALICE), legs(l), None, 10);
		let sec = |from, to, amount| Leg { from, to, asset: MOUTAI, amount };
		let cash = |from, to, amount| Leg { from, to, asset: CNY, amount };
		// Free of payment: a broker may not hand its investor's shares or cash to someone else.
		assert_noop!(c(vec![sec(ANN, BEN, 100)]), Error::<Test>::FreeOfPayment);
		assert_noop!(c(vec![cash(ANN, BEN, 10_000)]), Error::<Test>::FreeOfPayment);
		// Paid by someone else, or a payment on top.
		assert_noop!(c(vec![sec(ANN, BEN, 100), cash(BOB, ANN, 150_000)]), Error::<Test>::FreeOfPayment);
		assert_noop!(
			c(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 150_000), cash(BEN, ANN, 100)]),
			Error::<Test>::FreeOfPayment
		);
		// One broker on both sides: its own investors, or itself and its investor.
		assert_noop!(c(vec![sec(ANN, AMY, 100), cash(AMY, ANN, 150_000)]), Error::<Test>::SameBrokerPair);
		assert_noop!(c(vec![sec(ANN, ALICE, 100), cash(ALICE, ANN, 150_000)]), Error::<Test>::SameBrokerPair);
		// Priced outside the band [1,350, 1,650] per share.
		assert_noop!(c(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 134_999)]), Error::<Test>::PriceOutsideBand);
		assert_noop!(c(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 165_001)]), Error::<Test>::PriceOutsideBand);
		// Out and back at the band's two edges, through the same counterparty or another.
		Ledger::mint_into(MOUTAI, &BEN, 100).expect("mint");
		assert_noop!(
			c(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 135_000), sec(BEN, ANN, 100), cash(ANN, BEN, 165_000)]),
			Error::<Test>::RoundTrip
		);
		assert_noop!(
			c(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 135_000), sec(BOB, ANN, 100), cash(ANN, BOB, 165_000)]),
			Error::<Test>::RoundTrip
		);
		// No market for Ping An.
		Ledger::mint_into(PINGAN, &ANN, 100).expect("mint");
		assert_noop!(
			c(vec![Leg { from: ANN, to: BEN, asset: PINGAN, amount: 100 }, cash(BEN, ANN, 100_000)]),
			Error::<Test>::NoMarket
		);
		// A free leg between brokers' own accounts has no place beside an investor's.
		assert_noop!(
			c(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 135_000), sec(ALICE, BOB, 5)]),
			Error::<Test>::FreeOfPayment
		);
		// At the band's edge.
		create(ALICE, legs(vec![sec(ANN, BEN, 100), cash(BEN, ANN, 135_000)]), None);
	});
}

#[test]
fn an_affirmation_lapses_when_the_investor_moves_broker() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), Some(5));
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		// Ann moves to Carol before it settles: Alice's word for her no longer counts.
		set_broker(ANN, CAROL);
		run_to_block(5);
		assert!(settlement_events()
			.contains(&Event::InstructionSettlementFailed { id, error: Error::<Test>::AffirmationLapsed.into() }));
		assert_noop!(Settlement::execute_instruction(signed(BOB), id), Error::<Test>::AffirmationLapsed);
		assert_noop!(Settlement::reject_instruction(signed(ALICE), id), Error::<Test>::NotAParty);
		check_invariants();
		// Carol affirms for her (the delivery stays held, once), and it settles.
		assert_ok!(Settlement::affirm_instruction(signed(CAROL), id));
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!((free(MOUTAI, ANN), free(MOUTAI, BEN), held(MOUTAI, ANN, instruction_hold())), (900, 100, 0));
	});
}

#[test]
fn the_band_is_checked_again_when_it_settles() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), Some(5));
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		// The next day's reference price moves the band below the agreed 1,500.
		Bands::set(vec![(MOUTAI, CNY, 1_000, 1_200)]);
		run_to_block(5);
		assert!(settlement_events()
			.contains(&Event::InstructionSettlementFailed { id, error: Error::<Test>::PriceOutsideBand.into() }));
		check_invariants();
		assert_ok!(Settlement::reject_instruction(signed(ALICE), id));
		assert_eq!((free(MOUTAI, ANN), free(CNY, BEN)), (1_000, 1_000_000));
	});
}

#[test]
fn only_the_parties_and_their_brokers_act_on_an_instruction() {
	run_test(|| {
		fund_investors();
		// Carol neither is nor acts for a party; investor accounts never sign.
		assert_noop!(Settlement::create_instruction(signed(CAROL), dvp(), None, 10), Error::<Test>::NotAParty);
		assert_noop!(Settlement::create_instruction(signed(ANN), dvp(), None, 10), DispatchError::BadOrigin);
		let id = create(BOB, dvp(), Some(5));
		for call in [Settlement::affirm_instruction, Settlement::reject_instruction, Settlement::execute_instruction] {
			assert_noop!(call(signed(CAROL), id), Error::<Test>::NotAParty);
		}
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert_noop!(Settlement::execute_instruction(signed(ALICE), id), Error::<Test>::TooEarly);
		assert_ok!(Settlement::reject_instruction(signed(BOB), id));
		System::assert_last_event(Event::InstructionRejected { id, by: BOB }.into());
		assert_eq!((held(MOUTAI, ANN, instruction_hold()), held(CNY, BEN, instruction_hold())), (0, 0));
	});
}

#[test]
fn a_transferred_investor_is_acted_for_by_its_new_broker() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), None);
		set_broker(ANN, CAROL);
		assert_noop!(Settlement::affirm_instruction(signed(ALICE), id), Error::<Test>::NotAParty);
		assert_ok!(Settlement::affirm_instruction(signed(CAROL), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert_eq!(free(MOUTAI, BEN), 100);
	});
}

#[test]
fn frozen_investors_and_investors_of_revoked_brokers_cannot_take_part() {
	run_test(|| {
		fund_investors();
		set_frozen(BEN, true);
		assert_noop!(Settlement::create_instruction(signed(ALICE), dvp(), None, 10), Error::<Test>::AccountFrozen);
		set_frozen(BEN, false);
		// Not an investor and not a member.
		let stranger = legs(vec![Leg { from: ANN, to: OUTSIDER, asset: MOUTAI, amount: 1 }]);
		assert_noop!(Settlement::create_instruction(signed(ALICE), stranger, None, 10), Error::<Test>::PartyNotMember);

		// Frozen after affirming: the instruction cannot settle until the freeze is lifted.
		let id = create(ALICE, dvp(), Some(5));
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		set_frozen(ANN, true);
		run_to_block(5);
		assert!(settlement_events()
			.contains(&Event::InstructionSettlementFailed { id, error: Error::<Test>::AccountFrozen.into() }));
		check_invariants();
		set_frozen(ANN, false);
		assert_ok!(Settlement::execute_instruction(signed(BOB), id));
		assert_eq!(free(MOUTAI, BEN), 100);

		// Bob's membership revoked: his investor may not be a party any more.
		RevokedRoles::mutate(|r| r.push((BOB, Role::MemberBroker)));
		assert_noop!(Settlement::create_instruction(signed(ALICE), dvp(), None, 10), Error::<Test>::PartyNotMember);
		RevokedRoles::mutate(|r| r.clear());
	});
}

#[test]
fn a_frozen_investor_is_not_affirmed_for() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), None);
		set_frozen(ANN, true);
		assert_noop!(Settlement::affirm_instruction(signed(ALICE), id), Error::<Test>::AccountFrozen);
		// The rest can still reject it.
		assert_ok!(Settlement::reject_instruction(signed(BOB), id));
	});
}

#[test]
fn security_legs_pass_the_compliance_rules_when_created() {
	run_test(|| {
		fund_investors();
		refuse(BEN, MOUTAI, Direction::Increase);
		assert_noop!(Settlement::create_instruction(signed(ALICE), dvp(), None, 10), NOT_COMPLIANT);
		Refused::mutate(|r| r.clear());
		refuse(ANN, MOUTAI, Direction::Decrease);
		assert_noop!(Settlement::create_instruction(signed(ALICE), dvp(), None, 10), NOT_COMPLIANT);
		Refused::mutate(|r| r.clear());
		// Cash legs have no rules: the stand-in would refuse these if they were asked.
		refuse(ANN, CNY, Direction::Increase);
		refuse(BEN, CNY, Direction::Decrease);
		create(ALICE, dvp(), None);
	});
}

#[test]
fn an_affirmation_checks_the_affirming_parties_sides() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), None);
		// Ben may no longer acquire Moutai: Ann's side is still fine, Ben's is not.
		refuse(BEN, MOUTAI, Direction::Increase);
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_noop!(Settlement::affirm_instruction(signed(BOB), id), NOT_COMPLIANT);
		Refused::mutate(|r| r.clear());
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		assert!(!Instructions::<Test>::contains_key(id));
	});
}

#[test]
fn settlement_checks_the_rules_again() {
	run_test(|| {
		fund_investors();
		let id = create(ALICE, dvp(), Some(5));
		assert_ok!(Settlement::affirm_instruction(signed(ALICE), id));
		assert_ok!(Settlement::affirm_instruction(signed(BOB), id));
		// A claim of Ann's lapsed before the settle-at block.
		refuse(ANN, MOUTAI, Direction::Decrease);
		run_to_block(5);
		// (An event keeps a `DispatchError::Other` without its text.)
		assert!(settlement_events().iter().any(|e| matches!(e,
			Event::InstructionSettlementFailed { id: i, error: DispatchError::Other(_) } if *i == id)));
		assert_eq!(held(MOUTAI, ANN, instruction_hold()), 100, "still held, still pending");
		check_invariants();
		assert_noop!(Settlement::execute_instruction(signed(ALICE), id), NOT_COMPLIANT);
		Refused::mutate(|r| r.clear());
		assert_ok!(Settlement::execute_instruction(signed(ALICE), id));
		assert_eq!(free(MOUTAI, BEN), 100);
	});
}

#[test]
fn a_credit_account_takes_part_in_no_instruction() {
	run_test(|| {
		fund_investors();
		let credit = qingsuan_primitives::investors::mock::open_credit(ANN).expect("Ann is an investor");
		give(MOUTAI, ANN, credit, 100);
		// Its delivery against Ben's payment would be a sale the margin pallet never sees.
		let sale = legs(vec![
			Leg { from: credit, to: BEN, asset: MOUTAI, amount: 100 },
			Leg { from: BEN, to: credit, asset: CNY, amount: 15_000_000 },
		]);
		assert_noop!(Settlement::create_instruction(signed(ALICE), sale, None, 10), Error::<Test>::CreditAccount);
		// Nor does it receive: a purchase it would hold outside the margin pallet's books.
		let purchase = legs(vec![
			Leg { from: BEN, to: credit, asset: CNY, amount: 1 },
			Leg { from: ANN, to: BEN, asset: MOUTAI, amount: 100 },
		]);
		assert_noop!(Settlement::create_instruction(signed(ALICE), purchase, None, 10), Error::<Test>::CreditAccount);
	});
}
