//! `settle_trade`: delivery versus payment from held balances, fees, atomicity.

use super::*;
use crate::{trade::trade_costs, Error, Event, FeeSchedule, Fees, SettleTrade, Settled, TradeSpec};
use frame_support::{assert_noop, assert_ok};
use pallet_ledger::InstrumentStatus;
use sp_runtime::{ArithmeticError, Perbill};

fn spec(quantity: Amount, price: Amount) -> TradeSpec<u64, RuntimeHoldReason> {
	TradeSpec {
		buyer: BOB,
		seller: ALICE,
		security: MOUTAI,
		cash: CNY,
		quantity,
		price,
		buyer_hold: order_hold(),
		seller_hold: order_hold(),
		buyer_fee_cap: None,
	}
}

/// Alice holds 100 Moutai to sell; Bob holds the cash to buy them at 1,500.
fn set_up_orders() -> Amount {
	hold_for_order(MOUTAI, ALICE, 100);
	let cost = Settlement::buyer_cost(100, 1_500).expect("no overflow");
	hold_for_order(CNY, BOB, cost);
	cost
}

#[test]
fn costs_round_fees_up_and_check_overflow() {
	let fees = test_fees();
	let c = trade_costs(100, 1_500, &fees).expect("fits");
	assert_eq!(c.cash_amount, 150_000);
	assert_eq!(c.buyer_fee, 6, "0.00341% of 150,000 is 5.115, rounded up");
	assert_eq!(c.stamp_duty, 75);
	assert_eq!(c.seller_fee(), 81);
	assert_eq!(trade_costs(u128::MAX, 2, &fees), Err(ArithmeticError::Overflow.into()));
	let greedy = FeeSchedule { handling: Perbill::from_percent(60), stamp_duty: Perbill::from_percent(50) };
	assert!(trade_costs(100, 1, &greedy).is_err());
	let free = FeeSchedule::default();
	assert_eq!(trade_costs(7, 3, &free).map(|c| c.seller_fee()), Ok(0));
}

#[test]
fn a_trade_delivers_versus_payment_and_pays_fees() {
	run_test(|| {
		let cost = set_up_orders();
		assert_eq!(cost, 150_006);
		let outcome = Settlement::settle_trade(spec(100, 1_500)).expect("settles");
		assert_eq!((outcome.id, outcome.cash_amount, outcome.buyer_fee, outcome.seller_fee), (0, 150_000, 6, 81));

		assert_eq!(free(MOUTAI, BOB), 100);
		assert_eq!(free(MOUTAI, ALICE), 900);
		assert_eq!(held(MOUTAI, ALICE, order_hold()), 0);
		assert_eq!(held(CNY, BOB, order_hold()), 0);
		assert_eq!(free(CNY, BOB), START_CASH - 150_006);
		assert_eq!(free(CNY, ALICE), START_CASH + 150_000 - 81);
		assert_eq!(free(CNY, FEES), 12);
		assert_eq!(free(CNY, TAX), 75);
		System::assert_last_event(
			Event::TradeSettled {
				id: 0,
				buyer: BOB,
				seller: ALICE,
				security: MOUTAI,
				cash: CNY,
				quantity: 100,
				price: 1_500,
				cash_amount: 150_000,
				buyer_fee: 6,
				seller_fee: 81,
				stamp_duty: 75,
			}
			.into(),
		);
		let (id, record) = settled().pop().expect("announced");
		assert!(matches!(record, Settled::Trade(ref t) if t.buyer == BOB && t.stamp_duty == 75));
		assert_eq!(id, 0);
		// Nothing of the record stays in state but the day's count and hash chain.
		assert_eq!(crate::DayDigests::<Test>::get(Settlement::today()).count, 1);
	});
}

#[test]
fn a_failing_leg_leaves_every_balance_as_it_was() {
	run_test(|| {
		// The seller holds 99, not 100: the securities leg fails after nothing else moved.
		hold_for_order(MOUTAI, ALICE, 99);
		hold_for_order(CNY, BOB, 200_000);
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert_eq!(Settlement::settle_trade(spec(100, 1_500)), Err(Error::<Test>::SecuritiesUnavailable.into()));
		assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1));

		// The buyer's hold covers the price but not its fee: the cash leg fails after the
		// securities moved, and the securities move is undone too.
		Ledger::hold(MOUTAI, &order_hold(), &ALICE, 1).expect("Alice has more");
		assert_ok!(Ledger::release(
			CNY,
			&order_hold(),
			&BOB,
			200_000 - 150_005,
			frame_support::traits::tokens::Precision::Exact
		));
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert_eq!(Settlement::settle_trade(spec(100, 1_500)), Err(Error::<Test>::CashUnavailable.into()));
		assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1));
		assert_eq!(free(MOUTAI, BOB), 0);
		assert!(settlement_events().is_empty());
	});
}

#[test]
fn settle_trade_refuses_bad_trades() {
	run_test(|| {
		set_up_orders();
		let check = |s: TradeSpec<u64, RuntimeHoldReason>, e: sp_runtime::DispatchError| {
			assert_noop!(Settlement::settle_trade(s).map(|_| ()), e);
		};
		check(spec(0, 1_500), Error::<Test>::ZeroAmount.into());
		check(spec(100, 0), Error::<Test>::ZeroAmount.into());
		check(TradeSpec { security: 77, ..spec(100, 1_500) }, Error::<Test>::UnknownAsset.into());
		check(TradeSpec { security: CNY, ..spec(100, 1_500) }, Error::<Test>::NotASecurity.into());
		check(TradeSpec { cash: PINGAN, ..spec(100, 1_500) }, Error::<Test>::NotCash.into());
		check(spec(u128::MAX, 2), ArithmeticError::Overflow.into());
		check(TradeSpec { seller: CAROL, ..spec(100, 1_500) }, Error::<Test>::SecuritiesUnavailable.into());
		assert_ok!(Ledger::set_status(RuntimeOrigin::signed(CONSORTIUM), MOUTAI, InstrumentStatus::Halted));
		check(spec(100, 1_500), Error::<Test>::InstrumentNotTrading.into());
		assert_ok!(Ledger::set_status(RuntimeOrigin::signed(CONSORTIUM), MOUTAI, InstrumentStatus::Trading));
		Fees::<Test>::put(FeeSchedule { handling: Perbill::from_percent(60), stamp_duty: Perbill::from_percent(50) });
		check(spec(100, 1_500), Error::<Test>::FeeExceedsProceeds.into());
		assert_eq!(Settlement::buyer_cost(100, 1_500), Err(Error::<Test>::FeeExceedsProceeds.into()));
		// Clean up the order holds so the invariants hold.
		Fees::<Test>::put(test_fees());
		assert_ok!(Settlement::settle_trade(spec(100, 1_500)));
	});
}

#[test]
fn an_internal_cross_of_one_broker_settles() {
	run_test(|| {
		hold_for_order(MOUTAI, ALICE, 100);
		hold_for_order(CNY, ALICE, Settlement::buyer_cost(100, 1_500).expect("fits"));
		assert_ok!(Settlement::settle_trade(TradeSpec { buyer: ALICE, ..spec(100, 1_500) }));
		assert_eq!(free(MOUTAI, ALICE), 1_000);
		// Alice paid both sides' fees.
		assert_eq!(free(CNY, ALICE), START_CASH - 6 - 81);
	});
}

#[test]
fn set_fee_schedule_needs_the_consortium() {
	run_test(|| {
		let fees = FeeSchedule { handling: Perbill::from_parts(1), stamp_duty: Perbill::zero() };
		assert_noop!(Settlement::set_fee_schedule(signed(ALICE), fees), sp_runtime::DispatchError::BadOrigin);
		let too_much = FeeSchedule { handling: Perbill::from_percent(60), stamp_duty: Perbill::from_percent(41) };
		assert_noop!(Settlement::set_fee_schedule(signed(CONSORTIUM), too_much), Error::<Test>::InvalidFeeSchedule);
		assert_ok!(Settlement::set_fee_schedule(signed(CONSORTIUM), fees));
		System::assert_last_event(Event::FeeScheduleSet { fees }.into());
		assert_eq!(Fees::<Test>::get(), fees);
	});
}

#[test]
fn the_buyer_pays_at_most_the_fee_rate_its_order_was_placed_under() {
	run_test(|| {
		let placed_under = test_fees().handling;
		let cost = set_up_orders();
		// The consortium raises handling fees tenfold after the order was held.
		let raised = FeeSchedule { handling: Perbill::from_parts(placed_under.deconstruct() * 10), ..test_fees() };
		Fees::<Test>::put(raised);
		let capped = TradeSpec { buyer_fee_cap: Some(placed_under), ..spec(100, 1_500) };
		let outcome = Settlement::settle_trade(capped).expect("the hold covers the old fees");
		assert_eq!(outcome.buyer_fee, 6, "the rate the order was placed under, not 52");
		assert_eq!(outcome.seller_fee, 52 + 75, "the seller pays today's rate (51.15 rounded up) from its proceeds");
		assert_eq!(held(CNY, BOB, order_hold()), cost - 150_006);
		// A lower current rate is what the buyer pays.
		Fees::<Test>::put(FeeSchedule { handling: Perbill::zero(), ..test_fees() });
		hold_for_order(MOUTAI, ALICE, 100);
		hold_for_order(CNY, BOB, 150_000);
		let outcome = Settlement::settle_trade(TradeSpec { buyer_fee_cap: Some(placed_under), ..spec(100, 1_500) });
		assert_eq!(outcome.map(|o| o.buyer_fee), Ok(0));
	});
}
