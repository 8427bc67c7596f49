//! The order book's tests: every call's bad origin, errors and success, against the real ledger
//! and settlement pallets; each scenario ends with every pallet's invariants.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::tokens::fungibles::{Inspect, InspectHold},
	BoundedVec,
};
use sp_runtime::{DispatchError, Percent};

fn gtc(price: Price) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

fn place(who: u64, side: Side, quantity: Quantity, kind: OrderType) -> Result<OrderId, DispatchError> {
	let id = NextOrderId::<Test>::get();
	Orderbook::place_order(RuntimeOrigin::signed(who), MKT, side, quantity, kind, None).map_err(|e| e.error)?;
	Ok(id)
}

fn held(who: u64, asset: u32) -> u128 {
	Ledger::balance_on_hold(asset, &HoldReason::OpenOrder.into(), &who)
}

fn free(who: u64, asset: u32) -> u128 {
	Ledger::balance(asset, &who)
}

fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::signed(CONSORTIUM)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Orderbook(e) = r.event { Some(e) } else { None })
		.collect()
}

fn buyer_hold(quantity: Quantity, price: Price) -> u128 {
	let market = Markets::<Test>::get(MKT).unwrap();
	Orderbook::required_hold(&market, Side::Buy, quantity, price).unwrap()
}

#[test]
fn create_market_checks_origin_rules_and_instruments() {
	run_test(|| {
		let create = |origin, security, cash, tick, lot, reference| {
			Orderbook::create_market(
				origin,
				security,
				cash,
				tick,
				lot,
				reference,
				Percent::from_percent(10),
				SelfTradePrevention::CancelOldest,
			)
		};
		assert_noop!(create(RuntimeOrigin::signed(ALICE), PINGAN, CNY, 1, 100, 5_000), DispatchError::BadOrigin);
		assert_noop!(create(consortium(), PINGAN, CNY, 0, 100, 5_000), Error::<Test>::InvalidMarketRules);
		assert_noop!(create(consortium(), PINGAN, CNY, 1, 0, 5_000), Error::<Test>::InvalidMarketRules);
		assert_noop!(create(consortium(), PINGAN, CNY, 10, 100, 5_005), Error::<Test>::InvalidMarketRules);
		assert_noop!(create(consortium(), CNY, PINGAN, 1, 100, 5_000), Error::<Test>::InvalidInstruments);
		assert_noop!(create(consortium(), HALTED, CNY, 1, 100, 5_000), Error::<Test>::InvalidInstruments);
		assert_noop!(create(consortium(), 77, CNY, 1, 100, 5_000), Error::<Test>::InvalidInstruments);
		assert_noop!(create(consortium(), MOUTAI, CNY, 1, 100, 5_000), Error::<Test>::MarketExists);
		assert_ok!(create(consortium(), PINGAN, CNY, 1, 100, 5_000));
		System::assert_has_event(
			Event::MarketCreated { market: 1, security: PINGAN, cash: CNY, tick: 1, lot: 100 }.into(),
		);
		System::assert_last_event(
			Event::PriceBandSet { market: 1, reference_price: 5_000, band: Percent::from_percent(10) }.into(),
		);
		assert_eq!(MarketOf::<Test>::get((PINGAN, CNY)), Some(1));
	});
}

#[test]
fn a_regulator_halts_and_reopens_a_market_but_cannot_close_it() {
	run_test(|| {
		let regulator = || RuntimeOrigin::signed(REGULATOR);
		let id = place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		assert_ok!(Orderbook::set_market_status(regulator(), MKT, MarketStatus::Halted));
		System::assert_last_event(Event::MarketStatusChanged { market: MKT, status: MarketStatus::Halted }.into());
		assert_noop!(place(BOB, Side::Buy, 100, gtc(REF)), Error::<Test>::MarketNotOpen);
		assert!(Orders::<Test>::contains_key(id), "halting cancels nothing");
		assert_noop!(
			Orderbook::set_market_status(regulator(), MKT, MarketStatus::Closed),
			Error::<Test>::RegulatorCannotClose
		);
		assert_noop!(Orderbook::set_market_status(regulator(), 9, MarketStatus::Open), Error::<Test>::UnknownMarket);
		assert_ok!(Orderbook::set_market_status(regulator(), MKT, MarketStatus::Open));
		assert_ok!(place(BOB, Side::Buy, 100, gtc(REF)));
		// A closed market stays closed, whoever asks.
		assert_ok!(Orderbook::set_market_status(consortium(), MKT, MarketStatus::Closed));
		assert_noop!(Orderbook::set_market_status(regulator(), MKT, MarketStatus::Open), Error::<Test>::MarketClosed);
	});
}

#[test]
fn market_status_and_band_are_the_consortiums() {
	run_test(|| {
		assert_noop!(
			Orderbook::set_market_status(RuntimeOrigin::signed(ALICE), MKT, MarketStatus::Halted),
			DispatchError::BadOrigin
		);
		assert_noop!(Orderbook::set_market_status(consortium(), 9, MarketStatus::Halted), Error::<Test>::UnknownMarket);
		let id = place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		assert_ok!(Orderbook::set_market_status(consortium(), MKT, MarketStatus::Halted));
		System::assert_last_event(Event::MarketStatusChanged { market: MKT, status: MarketStatus::Halted }.into());
		// Halting refuses new orders and replaces, and cancels nothing; owners may cancel.
		assert_noop!(place(BOB, Side::Buy, 100, gtc(REF)), Error::<Test>::MarketNotOpen);
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(ALICE), id, REF, 200).map_err(|e| e.error),
			Error::<Test>::MarketNotOpen
		);
		assert!(Orders::<Test>::contains_key(id));
		assert_ok!(Orderbook::set_market_status(consortium(), MKT, MarketStatus::Open));
		assert_ok!(Orderbook::set_market_status(consortium(), MKT, MarketStatus::Closed));
		assert_noop!(Orderbook::set_market_status(consortium(), MKT, MarketStatus::Open), Error::<Test>::MarketClosed);
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), id));

		assert_noop!(
			Orderbook::set_price_band(RuntimeOrigin::signed(ALICE), MKT, REF, Percent::from_percent(5)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::set_price_band(consortium(), 9, REF, Percent::from_percent(5)),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Orderbook::set_price_band(consortium(), MKT, 0, Percent::from_percent(5)),
			Error::<Test>::InvalidMarketRules
		);
		assert_ok!(Orderbook::set_price_band(consortium(), MKT, 100_000, Percent::from_percent(5)));
		System::assert_last_event(
			Event::PriceBandSet { market: MKT, reference_price: 100_000, band: Percent::from_percent(5) }.into(),
		);
	});
}

#[test]
fn the_bands_edges_are_inside_it() {
	run_test(|| {
		let m = Markets::<Test>::get(MKT).expect("the market");
		let (low, high) = m.band_limits();
		assert_ok!(place(ALICE, Side::Buy, 100, gtc(high)));
		assert_noop!(place(ALICE, Side::Buy, 100, gtc(high + m.tick)), Error::<Test>::PriceOutsideBand);
		assert_ok!(place(ALICE, Side::Buy, 100, gtc(low)));
		assert_noop!(place(ALICE, Side::Buy, 100, gtc(low - m.tick)), Error::<Test>::PriceOutsideBand);
	});
}

#[test]
fn place_order_refuses_bad_orders_and_changes_nothing() {
	run_test(|| {
		assert_noop!(
			Orderbook::place_order(RuntimeOrigin::signed(OUTSIDER), MKT, Side::Buy, 100, gtc(REF), None)
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::place_order(RuntimeOrigin::signed(ALICE), 9, Side::Buy, 100, gtc(REF), None)
				.map_err(|e| e.error),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(place(ALICE, Side::Buy, 0, gtc(REF)), Error::<Test>::ZeroQuantity);
		assert_noop!(place(ALICE, Side::Buy, 150, gtc(REF)), Error::<Test>::NotLotMultiple);
		assert_noop!(place(ALICE, Side::Buy, 100, gtc(0)), Error::<Test>::ZeroPrice);
		assert_noop!(place(ALICE, Side::Buy, 100, gtc(REF * 111 / 100)), Error::<Test>::PriceOutsideBand);
		assert_noop!(place(ALICE, Side::Sell, 100, gtc(REF * 89 / 100)), Error::<Test>::PriceOutsideBand);
		assert_noop!(
			place(ALICE, Side::Sell, 100, OrderType::Market { protection: REF / 2 }),
			Error::<Test>::PriceOutsideBand
		);
		assert_noop!(
			place(ALICE, Side::Buy, 100, OrderType::Limit { price: REF, tif: TimeInForce::Ioc, post_only: true }),
			Error::<Test>::PostOnlyNotResting
		);
		assert_noop!(
			place(ALICE, Side::Buy, 100, OrderType::Limit { price: REF, tif: TimeInForce::Gtd(1), post_only: false }),
			Error::<Test>::AlreadyExpired
		);
		assert_noop!(place(DAVE, Side::Buy, 100, gtc(REF)), Error::<Test>::InsufficientFunds);
		assert_noop!(place(DAVE, Side::Sell, 100, gtc(REF)), Error::<Test>::InsufficientSecurities);
		assert_noop!(
			place(ALICE, Side::Sell, START_SHARES as u64 + 100, gtc(REF)),
			Error::<Test>::InsufficientSecurities
		);
		Blocked::set(vec![ALICE]);
		assert_noop!(place(ALICE, Side::Buy, 100, gtc(REF)), DispatchError::Other("not suitable"));
	});
}

#[test]
fn a_resting_order_holds_what_it_could_need_and_cancel_releases_it() {
	run_test(|| {
		let buy = place(ALICE, Side::Buy, 300, gtc(REF)).unwrap();
		System::assert_last_event(Event::OrderRested { order_id: buy, remaining: 300 }.into());
		assert!(events().contains(&Event::OrderPlaced {
			order_id: buy,
			market: MKT,
			who: ALICE,
			side: Side::Buy,
			quantity: 300,
			kind: gtc(REF),
			stop: None,
		}));
		assert_eq!(held(ALICE, CNY), buyer_hold(300, REF));
		let sell = place(ALICE, Side::Sell, 200, gtc(REF + 100)).unwrap();
		assert_eq!(held(ALICE, MOUTAI), 200);
		assert_eq!(AccountOrders::<Test>::iter_prefix(ALICE).count(), 2);

		assert_noop!(
			Orderbook::cancel_order(RuntimeOrigin::none(), buy).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		// Any signed account may call (a revoked member cancels its own), none but the owner can.
		assert_noop!(
			Orderbook::cancel_order(RuntimeOrigin::signed(OUTSIDER), buy).map_err(|e| e.error),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(
			Orderbook::cancel_order(RuntimeOrigin::signed(BOB), buy).map_err(|e| e.error),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(
			Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), 99).map_err(|e| e.error),
			Error::<Test>::UnknownOrder
		);
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), buy));
		System::assert_last_event(
			Event::OrderCancelled { order_id: buy, who: ALICE, remaining: 300, reason: CancelReason::ByOwner }.into(),
		);
		assert_eq!(held(ALICE, CNY), 0);
		assert_eq!(free(ALICE, CNY), START_CASH);
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), sell));
		assert_eq!(held(ALICE, MOUTAI), 0);
		assert_eq!(Orders::<Test>::iter().count(), 0);
	});
}

#[test]
fn crossing_orders_trade_and_settle_in_the_same_call() {
	run_test(|| {
		let ask = place(ALICE, Side::Sell, 300, gtc(REF)).unwrap();
		let bid = place(BOB, Side::Buy, 200, gtc(REF + 500)).unwrap();
		// Bob bought 200 at Alice's price; the trade settled: shares and cash moved, fees paid.
		let cash = 200 * REF as u128;
		let fee = Perbill_mul_ceil(34_100, cash);
		let stamp = Perbill_mul_ceil(500_000, cash);
		assert_eq!(free(BOB, MOUTAI), START_SHARES + 200);
		assert_eq!(free(BOB, CNY), START_CASH - cash - fee);
		assert_eq!(held(BOB, CNY), 0, "a filled buy releases what it held beyond its cost");
		assert_eq!(held(ALICE, MOUTAI), 100);
		assert_eq!(free(ALICE, CNY), START_CASH + cash - fee - stamp);
		let evs = events();
		let filled = evs.iter().find_map(|e| match e {
			Event::OrderFilled { maker_order, taker_order, maker, taker, price, quantity, settlement, .. } => {
				Some((*maker_order, *taker_order, *maker, *taker, *price, *quantity, *settlement))
			},
			_ => None,
		});
		assert_eq!(filled, Some((ask, bid, ALICE, BOB, REF, 200, 0)));
		assert_eq!(pallet_settlement::SettlementCursor::<Test>::get().next, 1);
		assert_eq!(Markets::<Test>::get(MKT).unwrap().last_price, Some(REF));
		assert_eq!(Orders::<Test>::get(ask).unwrap().remaining, 100);
		assert!(!Orders::<Test>::contains_key(bid));
	});
}

#[allow(non_snake_case)]
fn Perbill_mul_ceil(parts: u32, x: u128) -> u128 {
	sp_runtime::Perbill::from_parts(parts).mul_ceil(x)
}

#[test]
fn immediate_orders_release_what_they_did_not_trade() {
	run_test(|| {
		place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		let ioc = place(BOB, Side::Buy, 300, OrderType::Limit { price: REF, tif: TimeInForce::Ioc, post_only: false })
			.unwrap();
		System::assert_last_event(
			Event::OrderCancelled { order_id: ioc, who: BOB, remaining: 200, reason: CancelReason::NoLiquidity }.into(),
		);
		assert_eq!(held(BOB, CNY), 0);
		let fok = place(BOB, Side::Buy, 100, OrderType::Limit { price: REF, tif: TimeInForce::Fok, post_only: false })
			.unwrap();
		System::assert_last_event(
			Event::OrderCancelled { order_id: fok, who: BOB, remaining: 100, reason: CancelReason::FillOrKill }.into(),
		);
		place(CAROL, Side::Buy, 100, gtc(REF - 100)).unwrap();
		let market = place(ALICE, Side::Sell, 200, OrderType::Market { protection: REF - 1_000 }).unwrap();
		System::assert_last_event(
			Event::OrderCancelled { order_id: market, who: ALICE, remaining: 100, reason: CancelReason::NoLiquidity }
				.into(),
		);
		assert_eq!(held(ALICE, MOUTAI), 0);
		assert_eq!(free(CAROL, MOUTAI), START_SHARES + 100);
	});
}

#[test]
fn post_only_and_self_trade_prevention() {
	run_test(|| {
		place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		assert_noop!(
			place(BOB, Side::Buy, 100, OrderType::Limit { price: REF, tif: TimeInForce::Gtc, post_only: true }),
			Error::<Test>::PostOnlyWouldTrade
		);
		// Cancel-newest: Alice's own buy is cancelled, her resting ask stays.
		let own = place(ALICE, Side::Buy, 100, gtc(REF)).unwrap();
		System::assert_last_event(
			Event::OrderCancelled { order_id: own, who: ALICE, remaining: 100, reason: CancelReason::SelfTrade }.into(),
		);
		assert_eq!(held(ALICE, CNY), 0);
		assert_eq!(held(ALICE, MOUTAI), 100);
	});
}

#[test]
fn good_till_date_orders_expire() {
	run_test(|| {
		let gtd = |at| OrderType::Limit { price: REF, tif: TimeInForce::Gtd(at), post_only: false };
		let a = place(ALICE, Side::Sell, 100, gtd(5)).unwrap();
		let b = place(ALICE, Side::Sell, 100, gtd(9)).unwrap();
		let ids = |v: Vec<u64>| BoundedVec::try_from(v).unwrap();
		assert_noop!(
			Orderbook::expire_orders(RuntimeOrigin::signed(OUTSIDER), MKT, ids(vec![a])).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::expire_orders(RuntimeOrigin::signed(BOB), MKT, ids(vec![])).map_err(|e| e.error),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			Orderbook::expire_orders(RuntimeOrigin::signed(BOB), MKT, ids(vec![a])).map_err(|e| e.error),
			Error::<Test>::NotExpired
		);
		System::set_block_number(5);
		assert_noop!(
			Orderbook::expire_orders(RuntimeOrigin::signed(BOB), 9, ids(vec![a])).map_err(|e| e.error),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Orderbook::expire_orders(RuntimeOrigin::signed(BOB), MKT, ids(vec![a, b])).map_err(|e| e.error),
			Error::<Test>::NotExpired
		);
		assert_noop!(
			Orderbook::expire_orders(RuntimeOrigin::signed(BOB), MKT, ids(vec![42])).map_err(|e| e.error),
			Error::<Test>::UnknownOrder
		);
		assert_ok!(Orderbook::expire_orders(RuntimeOrigin::signed(BOB), MKT, ids(vec![a])));
		System::assert_last_event(Event::OrderExpired { order_id: a, who: ALICE, remaining: 100 }.into());
		assert_eq!(held(ALICE, MOUTAI), 100);
		// An expired order met while matching is removed, not traded.
		System::set_block_number(9);
		let buy = place(BOB, Side::Buy, 100, gtc(REF)).unwrap();
		assert!(events().contains(&Event::OrderExpired { order_id: b, who: ALICE, remaining: 100 }));
		System::assert_last_event(Event::OrderRested { order_id: buy, remaining: 100 }.into());
		assert_eq!(held(ALICE, MOUTAI), 0);
	});
}

#[test]
fn replace_keeps_or_loses_priority_and_adjusts_the_hold() {
	run_test(|| {
		let first = place(ALICE, Side::Buy, 300, gtc(REF)).unwrap();
		let second = place(BOB, Side::Buy, 300, gtc(REF)).unwrap();
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(OUTSIDER), first, REF, 200).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(BOB), first, REF, 200).map_err(|e| e.error),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(ALICE), 77, REF, 200).map_err(|e| e.error),
			Error::<Test>::UnknownOrder
		);
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(ALICE), first, REF * 2, 200).map_err(|e| e.error),
			Error::<Test>::PriceOutsideBand
		);
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(ALICE), first, REF, 150).map_err(|e| e.error),
			Error::<Test>::NotLotMultiple
		);
		// Smaller at the same price: keeps priority, releases the difference.
		assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), first, REF, 200));
		System::assert_last_event(
			Event::OrderReplaced { order_id: first, price: REF, quantity: 200, kept_priority: true }.into(),
		);
		assert_eq!(held(ALICE, CNY), buyer_hold(200, REF));
		let queue =
			|b: &qingsuan_matching_engine::Book<u64>| b.orders(Side::Buy).map(|(_, o)| o.id).collect::<Vec<_>>();
		assert_eq!(queue(&Books::<Test>::get(MKT).unwrap().0), vec![first, second]);
		// Larger: to the back.
		assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), first, REF, 400));
		System::assert_last_event(
			Event::OrderReplaced { order_id: first, price: REF, quantity: 400, kept_priority: false }.into(),
		);
		assert_eq!(queue(&Books::<Test>::get(MKT).unwrap().0), vec![second, first]);
		assert_eq!(held(ALICE, CNY), buyer_hold(400, REF));
		// Across the spread: trades.
		place(CAROL, Side::Sell, 100, gtc(REF + 100)).unwrap();
		assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), first, REF + 100, 400));
		assert_eq!(free(ALICE, MOUTAI), START_SHARES + 100);
		assert_eq!(Orders::<Test>::get(first).unwrap().remaining, 300);
	});
}

/// Regression (hardening review, defect 1): `replace_order` first continues its market's sweep,
/// which may fill the very order being replaced; the replace must then work from the order as
/// it is after those fills. With the stale copy, the order kept a recorded hold the ledger no
/// longer had, and every later fill against it failed.
#[test]
fn replace_after_the_sweep_fills_the_order_uses_what_is_left() {
	run_test(|| {
		MaxFills::set(2);
		place(CAROL, Side::Sell, 100, gtc(REF)).unwrap();
		place(CAROL, Side::Sell, 100, gtc(REF + 10)).unwrap();
		let order = place(ALICE, Side::Sell, 300, gtc(REF + 20)).unwrap();
		// Bob's market buy fills Carol's two asks and runs out of budget with 200 to go.
		let sweep = place(BOB, Side::Buy, 400, OrderType::Market { protection: REF + 1_000 }).unwrap();
		assert_eq!(Sweeps::<Test>::get(MKT), Some(sweep));
		// Alice replaces her ask; the sweep, continued first, takes 200 of it.
		assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), order, REF + 20, 200));
		assert_eq!(Sweeps::<Test>::get(MKT), None);
		assert_eq!(free(BOB, MOUTAI), START_SHARES + 400);
		let record = Orders::<Test>::get(order).unwrap();
		assert_eq!((record.remaining, record.held), (200, 200));
		assert_eq!(held(ALICE, MOUTAI), 200);
		check_invariants();
		// And the order still trades.
		place(CAROL, Side::Buy, 200, gtc(REF + 20)).unwrap();
		assert_eq!(Orders::<Test>::get(order), None);
		assert_eq!(held(ALICE, MOUTAI), 0);
		assert_eq!(free(ALICE, MOUTAI), START_SHARES - 400);
	});
}

#[test]
fn a_spent_budget_leaves_a_sweep_that_holds_the_market_until_done() {
	run_test(|| {
		MaxFills::set(2);
		for i in 0..5 {
			place(ALICE, Side::Sell, 100, gtc(REF + i * 10)).unwrap();
		}
		let sweep = place(BOB, Side::Buy, 500, OrderType::Market { protection: REF + 1_000 }).unwrap();
		System::assert_last_event(Event::SweepPending { market: MKT, order_id: sweep, remaining: 300 }.into());
		assert_eq!(Sweeps::<Test>::get(MKT), Some(sweep));
		check_invariants();
		// A new order first advances the sweep; the budget runs out again, so it is refused.
		assert_noop!(place(CAROL, Side::Buy, 100, gtc(REF)), Error::<Test>::SweepInProgress);
		assert_noop!(
			Orderbook::continue_sweep(RuntimeOrigin::signed(OUTSIDER), MKT).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), 9).map_err(|e| e.error),
			Error::<Test>::UnknownMarket
		);
		assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
		System::assert_last_event(Event::SweepPending { market: MKT, order_id: sweep, remaining: 100 }.into());
		assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
		assert_eq!(Sweeps::<Test>::get(MKT), None);
		assert_noop!(
			Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT).map_err(|e| e.error),
			Error::<Test>::NoSweep
		);
		assert_eq!(free(BOB, MOUTAI), START_SHARES + 500);
		assert_eq!(held(BOB, CNY), 0);
		// The owner may cancel a sweep.
		for i in 0..3 {
			place(ALICE, Side::Sell, 100, gtc(REF + i * 10)).unwrap();
		}
		let sweep = place(BOB, Side::Buy, 300, OrderType::Market { protection: REF + 1_000 }).unwrap();
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(BOB), sweep, REF, 100).map_err(|e| e.error),
			Error::<Test>::OrderNotResting
		);
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(BOB), sweep));
		assert_eq!(Sweeps::<Test>::get(MKT), None);
		assert_eq!(held(BOB, CNY), 0);
	});
}

#[test]
fn batches_place_and_cancel_each_order_on_its_own() {
	run_test(|| {
		let order = |side, quantity, price| NewOrder { market: MKT, side, quantity, kind: gtc(price), account: None };
		let batch = |v: Vec<NewOrder<u64>>| BoundedVec::try_from(v).unwrap();
		assert_noop!(
			Orderbook::place_orders(RuntimeOrigin::signed(OUTSIDER), batch(vec![order(Side::Buy, 100, REF)]))
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::place_orders(RuntimeOrigin::signed(ALICE), batch(vec![])).map_err(|e| e.error),
			Error::<Test>::EmptyBatch
		);
		place(BOB, Side::Buy, 100, gtc(REF)).unwrap();
		assert_ok!(Orderbook::place_orders(
			RuntimeOrigin::signed(ALICE),
			batch(vec![
				order(Side::Sell, 100, REF),      // trades with Bob
				order(Side::Sell, 150, REF),      // bad lot
				order(Side::Sell, 100, REF * 2),  // outside the band
				order(Side::Buy, 200, REF - 100), // rests
			])
		));
		let evs = events();
		assert!(evs.contains(&Event::BatchItemFailed { index: 1, error: Error::<Test>::NotLotMultiple.into() }));
		assert!(evs.contains(&Event::BatchItemFailed { index: 2, error: Error::<Test>::PriceOutsideBand.into() }));
		System::assert_last_event(Event::BatchCompleted { who: ALICE, succeeded: 2, failed: 2 }.into());
		assert_eq!(free(BOB, MOUTAI), START_SHARES + 100);
		let resting: Vec<_> = AccountOrders::<Test>::iter_prefix(ALICE).map(|(id, _)| id).collect();
		assert_eq!(resting.len(), 1);

		let ids = |v: Vec<u64>| BoundedVec::try_from(v).unwrap();
		assert_noop!(
			Orderbook::cancel_orders(RuntimeOrigin::none(), ids(vec![1])).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_ok!(Orderbook::cancel_orders(RuntimeOrigin::signed(OUTSIDER), ids(vec![resting[0]])));
		System::assert_last_event(Event::BatchCompleted { who: OUTSIDER, succeeded: 0, failed: 1 }.into());
		assert!(Orders::<Test>::contains_key(resting[0]));
		assert_noop!(
			Orderbook::cancel_orders(RuntimeOrigin::signed(ALICE), ids(vec![])).map_err(|e| e.error),
			Error::<Test>::EmptyBatch
		);
		assert_ok!(Orderbook::cancel_orders(RuntimeOrigin::signed(ALICE), ids(vec![resting[0], 99])));
		assert!(events().contains(&Event::BatchItemFailed { index: 1, error: Error::<Test>::UnknownOrder.into() }));
		System::assert_last_event(Event::BatchCompleted { who: ALICE, succeeded: 1, failed: 1 }.into());
		assert_eq!(held(ALICE, CNY), 0);
	});
}

#[test]
fn a_batch_is_charged_for_the_accounts_it_traded_against_not_for_every_fill() {
	run_test(|| {
		let buys = |n: usize| {
			BoundedVec::try_from(vec![
				NewOrder {
					market: MKT,
					side: Side::Buy,
					quantity: 100,
					kind: gtc(REF),
					account: None
				};
				n
			])
			.unwrap()
		};
		let charged = |who: u64, n: usize| {
			let batch = buys(n);
			let before = Orderbook::place_orders_weight(
				batch.len() as u32,
				1,
				<Test as Config>::MaxFillsPerCall::get(),
				<Test as Config>::MaxFillsPerCall::get(),
				0,
			);
			let info = Orderbook::place_orders(RuntimeOrigin::signed(who), batch).unwrap();
			let actual = info.actual_weight.unwrap();
			assert!(actual.all_lte(before), "{actual:?} is over the {before:?} charged before dispatch");
			actual
		};
		// Four fills against one account's asks, then four against asks of two accounts (Alice's
		// and Carol's, both in the book before the batch): the second pays for one more.
		for _ in 0..4 {
			place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		}
		let one = charged(BOB, 4);
		for who in [ALICE, CAROL, ALICE, CAROL] {
			place(who, Side::Sell, 100, gtc(REF)).unwrap();
		}
		let two = charged(BOB, 4);
		// Steps, books and batch size are the same; the books held the same number of orders.
		assert_eq!(one, Orderbook::place_orders_weight(4, 1, 4, 1, 4));
		assert_eq!(two, Orderbook::place_orders_weight(4, 1, 4, 2, 4));
		assert!(two.ref_time() > one.ref_time());
		check_invariants();
	});
}

#[test]
fn a_failing_settlement_in_a_batch_leaves_the_book_as_it_was() {
	run_test(|| {
		let ask = place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		// The security is halted after the order rested: settlement refuses, so the crossing
		// order fails and the book keeps Alice's ask; the batch's next order still goes in.
		pallet_ledger::Instruments::<Test>::mutate(MOUTAI, |i| {
			i.as_mut().unwrap().status = pallet_ledger::InstrumentStatus::Halted
		});
		let batch = BoundedVec::try_from(vec![
			NewOrder { market: MKT, side: Side::Buy, quantity: 100, kind: gtc(REF), account: None },
			NewOrder { market: MKT, side: Side::Buy, quantity: 100, kind: gtc(REF - 100), account: None },
		])
		.unwrap();
		assert_ok!(Orderbook::place_orders(RuntimeOrigin::signed(BOB), batch));
		System::assert_last_event(Event::BatchCompleted { who: BOB, succeeded: 1, failed: 1 }.into());
		let book = Books::<Test>::get(MKT).unwrap().0;
		assert_eq!(book.best_ask(), Some(REF));
		assert!(book.contains(ask));
		assert_eq!(held(BOB, CNY), buyer_hold(100, REF - 100));
		pallet_ledger::Instruments::<Test>::mutate(MOUTAI, |i| {
			i.as_mut().unwrap().status = pallet_ledger::InstrumentStatus::Trading
		});
	});
}

/// A batch across two markets whose items fail at different points (one after a fill settled,
/// one at validation) leaves exactly what its succeeding items, placed one by one, leave: the
/// same balances, books and orders. Balances live in the batch's memory until it ends, so this
/// is the check that taking back a failed item's balance changes is right.
#[test]
fn a_batch_across_markets_with_failing_items_equals_its_items_one_by_one() {
	const PINGAN_MKT: MarketId = 1;
	let pingan =
		|side, quantity, price| NewOrder { market: PINGAN_MKT, side, quantity, kind: gtc(price), account: None };
	let moutai = |side, quantity, price| NewOrder { market: MKT, side, quantity, kind: gtc(price), account: None };
	let items = vec![
		moutai(Side::Buy, 100, REF),         // 0: trades with Alice's ask
		pingan(Side::Buy, 200, REF + 1),     // 1: fills Carol, then fails on Alice's ask
		pingan(Side::Sell, 150, REF),        // 2: bad lot
		moutai(Side::Buy, 100, REF - 1_000), // 3: rests
	];
	// Both runs start here: a second market, asks from Alice on both and from Carol on Ping An,
	// and Alice's Ping An hold taken away behind the order book's back (so settling against
	// her ask fails after Carol's fill settled).
	let setup = || {
		assert_ok!(Orderbook::create_market(
			consortium(),
			PINGAN,
			CNY,
			1,
			LOT,
			REF,
			Percent::from_percent(10),
			SelfTradePrevention::CancelNewest
		));
		place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		let ask = |who, price| {
			Orderbook::place_order(RuntimeOrigin::signed(who), PINGAN_MKT, Side::Sell, 100, gtc(price), None).unwrap()
		};
		ask(CAROL, REF);
		ask(ALICE, REF + 1);
		set_held(ALICE, PINGAN, 0);
	};
	// What the items leave: every balance, both books, every order.
	let state = || {
		use codec::Encode;
		(
			pallet_ledger::Accounts::<Test>::iter().collect::<Vec<_>>().encode(),
			Books::<Test>::iter().collect::<Vec<_>>().encode(),
			Orders::<Test>::iter().collect::<Vec<_>>().encode(),
			NextOrderId::<Test>::get(),
			pallet_settlement::SettlementCursor::<Test>::get().next,
		)
	};
	let one_by_one = new_test_ext().execute_with(|| {
		setup();
		let results: Vec<bool> = items
			.iter()
			.map(|o| {
				Orderbook::place_order(RuntimeOrigin::signed(BOB), o.market, o.side, o.quantity, o.kind, None).is_ok()
			})
			.collect();
		assert_eq!(results, vec![true, false, false, true]);
		state()
	});
	run_test(|| {
		setup();
		let carol_before = (free(CAROL, PINGAN), held(CAROL, PINGAN), free(CAROL, CNY));
		assert_ok!(Orderbook::place_orders(RuntimeOrigin::signed(BOB), BoundedVec::try_from(items).unwrap()));
		let evs = events();
		let failed = |index, error: pallet_settlement::Error<Test>| {
			evs.contains(&Event::BatchItemFailed { index, error: error.into() })
		};
		assert!(failed(1, pallet_settlement::Error::<Test>::SecuritiesUnavailable));
		assert!(evs.contains(&Event::BatchItemFailed { index: 2, error: Error::<Test>::NotLotMultiple.into() }));
		System::assert_last_event(Event::BatchCompleted { who: BOB, succeeded: 2, failed: 2 }.into());
		// Carol's fill went with its item: her shares, hold and cash are as they were, and her
		// ask still rests whole.
		assert_eq!((free(CAROL, PINGAN), held(CAROL, PINGAN), free(CAROL, CNY)), carol_before);
		assert_eq!(Books::<Test>::get(PINGAN_MKT).unwrap().0.depth(Side::Sell, 1)[0].quantity, 100);
		assert_eq!(free(BOB, MOUTAI), START_SHARES + 100);
		assert_eq!(state(), one_by_one);
		// One settlement: item 0's.
		assert_eq!(pallet_settlement::DayDigests::<Test>::get(pallet_settlement::Pallet::<Test>::today()).count, 1);
		set_held(ALICE, PINGAN, 100);
	});
}

/// Set `who`'s order hold of `asset` to `amount`, moving the difference from or to its free
/// balance, behind the order book's back.
fn set_held(who: u64, asset: u32, amount: u128) {
	pallet_ledger::Accounts::<Test>::mutate(asset, who, |a| {
		let a = a.as_mut().unwrap();
		let was = a.held_for(&HoldReason::OpenOrder.into());
		a.free = a.free + was - amount;
		a.set_hold(HoldReason::OpenOrder.into(), amount).unwrap();
	});
}

#[test]
fn a_full_book_refuses_resting_orders() {
	run_test(|| {
		// Two members, each with its whole share (8) of the 16 places.
		for i in 0..16 {
			place(if i < 8 { ALICE } else { CAROL }, Side::Buy, 100, gtc(REF - i)).unwrap();
		}
		assert_noop!(place(BOB, Side::Buy, 100, gtc(REF - 100)), Error::<Test>::BookFull);
		// An order that trades can still come in.
		assert!(place(BOB, Side::Sell, 100, gtc(REF)).is_ok());
	});
}

#[test]
fn many_random_orders_keep_every_invariant() {
	run_test(|| {
		MaxFills::set(3);
		let mut seed = 0x2545_F491_4F6C_DD1Du64;
		let mut next = |n: u64| {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed % n
		};
		for _ in 0..600 {
			let who = [ALICE, BOB, CAROL][next(3) as usize];
			let side = if next(2) == 0 { Side::Buy } else { Side::Sell };
			let price = REF - 500 + next(11) * 100;
			let quantity = 100 * (1 + next(4));
			let kind = match next(6) {
				0 => OrderType::Market { protection: price },
				1 => OrderType::Limit { price, tif: TimeInForce::Ioc, post_only: false },
				2 => OrderType::Limit {
					price,
					tif: TimeInForce::Gtd(System::block_number() + 1 + next(3)),
					post_only: false,
				},
				_ => gtc(price),
			};
			let live: Vec<_> = AccountOrders::<Test>::iter_prefix(who).map(|(id, _)| id).collect();
			let some_live = live.get(next(live.len().max(1) as u64) as usize).copied();
			let ids = |v: Vec<u64>| BoundedVec::try_from(v).unwrap();
			match next(10) {
				0 => {
					if let Some(id) = some_live {
						let _ = Orderbook::cancel_order(RuntimeOrigin::signed(who), id);
					}
				},
				1 => {
					let _ = Orderbook::continue_sweep(RuntimeOrigin::signed(who), MKT);
				},
				2 => {
					if let Some(id) = some_live {
						let _ = Orderbook::replace_order(RuntimeOrigin::signed(who), id, price, quantity);
					}
				},
				3 => {
					let _ =
						Orderbook::place_stop_order(RuntimeOrigin::signed(who), MKT, side, quantity, price, kind, None);
				},
				4 => {
					let due: Vec<u64> = Stops::<Test>::iter_key_prefix(MKT)
						.filter(|id| {
							let m = Markets::<Test>::get(MKT).unwrap();
							Orders::<Test>::get(id).is_some_and(|o| Orderbook::stop_reached(&m, &o))
						})
						.take(8)
						.collect();
					if !due.is_empty() {
						let _ = Orderbook::trigger_stops(RuntimeOrigin::signed(who), MKT, ids(due));
					}
				},
				5 => {
					let expired = Books::<Test>::get(MKT).unwrap().0.expired(System::block_number(), 8);
					if !expired.is_empty() {
						let _ = Orderbook::expire_orders(RuntimeOrigin::signed(who), MKT, ids(expired));
					}
				},
				6 => {
					let batch = (0..3)
						.map(|k| NewOrder { market: MKT, side, quantity, kind: gtc(price + k * 100), account: None })
						.collect::<Vec<_>>();
					let _ = Orderbook::place_orders(RuntimeOrigin::signed(who), BoundedVec::try_from(batch).unwrap());
				},
				_ => {
					let _ = place(who, side, quantity, kind);
				},
			}
			if next(10) == 0 {
				System::set_block_number(System::block_number() + 1);
			}
			check_invariants();
		}
		assert!(pallet_settlement::SettlementCursor::<Test>::get().next > 10);
	});
}

/// Regression (hardening review, defect 3): a triggered stop that cannot be placed (here: its
/// limit would rest on a full book) used to fail the whole `trigger_stops`/upkeep call, so the
/// same bundle failed every block and no other stop of the market fired. It is now cancelled,
/// with its hold released, and the next stop still trades.
#[test]
fn a_stop_that_cannot_be_placed_is_cancelled_and_the_others_still_fire() {
	run_test(|| {
		let resting = NextOrderId::<Test>::get();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(BOB),
			MKT,
			Side::Buy,
			100,
			REF + 500,
			gtc(REF + 100),
			None
		));
		let market = NextOrderId::<Test>::get();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(CAROL),
			MKT,
			Side::Buy,
			100,
			REF + 500,
			OrderType::Market { protection: REF + 2_000 },
			None
		));
		// A trade at the trigger price, then a book filled to its 16 orders with asks above it.
		place(ALICE, Side::Sell, 100, gtc(REF + 500)).unwrap();
		place(CAROL, Side::Buy, 100, gtc(REF + 500)).unwrap();
		for i in 0..16 {
			place(if i < 8 { ALICE } else { BOB }, Side::Sell, 100, gtc(REF + 600 + i * 10)).unwrap();
		}
		assert_noop!(place(CAROL, Side::Buy, 100, gtc(REF)), Error::<Test>::BookFull);

		let ids = BoundedVec::try_from(vec![resting, market]).unwrap();
		assert_ok!(Orderbook::trigger_stops(RuntimeOrigin::signed(CAROL), MKT, ids));
		assert!(events().contains(&Event::OrderCancelled {
			order_id: resting,
			who: BOB,
			remaining: 100,
			reason: CancelReason::PlacementFailed(Error::<Test>::BookFull.into()),
		}));
		assert_eq!(Orders::<Test>::get(resting), None);
		assert_eq!(held(BOB, CNY), 0);
		// Carol's market stop took the best ask (her first 100 shares came from the trade).
		assert_eq!(free(CAROL, MOUTAI), START_SHARES + 200);
		assert_eq!(held(CAROL, CNY), 0);
		assert_eq!(Stops::<Test>::iter().count(), 0);
	});
}

#[test]
fn stop_orders_wait_for_the_last_price_then_trade() {
	run_test(|| {
		let market_buy = OrderType::Market { protection: REF + 2_000 };
		assert_noop!(
			Orderbook::place_stop_order(
				RuntimeOrigin::signed(OUTSIDER),
				MKT,
				Side::Buy,
				100,
				REF + 500,
				market_buy,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Orderbook::place_stop_order(RuntimeOrigin::signed(BOB), MKT, Side::Buy, 100, 0, market_buy, None),
			Error::<Test>::InvalidStop
		);
		assert_noop!(
			Orderbook::place_stop_order(RuntimeOrigin::signed(BOB), MKT, Side::Buy, 150, REF + 500, market_buy, None),
			Error::<Test>::NotLotMultiple
		);
		assert_noop!(
			Orderbook::place_stop_order(
				RuntimeOrigin::signed(BOB),
				MKT,
				Side::Buy,
				100,
				REF + 500,
				OrderType::Market { protection: REF * 2 },
				None
			),
			Error::<Test>::PriceOutsideBand
		);
		let stop = NextOrderId::<Test>::get();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(BOB),
			MKT,
			Side::Buy,
			100,
			REF + 500,
			market_buy,
			None
		));
		assert_eq!(held(BOB, CNY), buyer_hold(100, REF + 2_000));
		let ids = |v: Vec<u64>| BoundedVec::try_from(v).unwrap();
		assert_noop!(
			Orderbook::trigger_stops(RuntimeOrigin::signed(CAROL), MKT, ids(vec![stop])).map_err(|e| e.error),
			Error::<Test>::StopNotReached
		);
		assert_noop!(
			Orderbook::trigger_stops(RuntimeOrigin::signed(CAROL), MKT, ids(vec![99])).map_err(|e| e.error),
			Error::<Test>::NotAStop
		);
		// A trade at the trigger price.
		place(ALICE, Side::Sell, 100, gtc(REF + 500)).unwrap();
		place(CAROL, Side::Buy, 100, gtc(REF + 500)).unwrap();
		assert_eq!(Markets::<Test>::get(MKT).unwrap().last_price, Some(REF + 500));
		assert_noop!(
			Orderbook::place_stop_order(RuntimeOrigin::signed(BOB), MKT, Side::Buy, 100, REF + 400, market_buy, None),
			Error::<Test>::StopAlreadyReached
		);
		place(ALICE, Side::Sell, 100, gtc(REF + 600)).unwrap();
		assert_noop!(
			Orderbook::trigger_stops(RuntimeOrigin::signed(OUTSIDER), MKT, ids(vec![stop])).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_ok!(Orderbook::trigger_stops(RuntimeOrigin::signed(CAROL), MKT, ids(vec![stop])));
		assert!(events().contains(&Event::StopTriggered {
			order_id: stop,
			market: MKT,
			stop: REF + 500,
			last_price: REF + 500
		}));
		assert_eq!(free(BOB, MOUTAI), START_SHARES + 100);
		assert_eq!(held(BOB, CNY), 0);
		assert_noop!(
			Orderbook::trigger_stops(RuntimeOrigin::signed(CAROL), MKT, ids(vec![stop])).map_err(|e| e.error),
			Error::<Test>::NotAStop
		);
		// A stop can be cancelled before it triggers, releasing its hold.
		let sell_stop = NextOrderId::<Test>::get();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(ALICE),
			MKT,
			Side::Sell,
			200,
			REF,
			gtc(REF - 100),
			None
		));
		assert_eq!(held(ALICE, MOUTAI), 200);
		assert_noop!(
			Orderbook::replace_order(RuntimeOrigin::signed(ALICE), sell_stop, REF, 100).map_err(|e| e.error),
			Error::<Test>::OrderNotResting
		);
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), sell_stop));
		assert_eq!(held(ALICE, MOUTAI), 0);
	});
}

mod upkeep {
	use super::*;
	use codec::Decode;
	use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
	use sp_core::offchain::{testing, OffchainWorkerExt, TransactionPoolExt};
	use sp_runtime::{
		testing::UintAuthorityId,
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		RuntimeAppPublic,
	};

	fn call(market: u32, work: UpkeepOf<Test>, block: u64, worker: u64) -> Call<Test> {
		let worker = UintAuthorityId(worker);
		let signature = worker.sign(&upkeep_payload(market, &work, &block)).unwrap();
		Call::upkeep { market, work, block, worker, signature }
	}

	fn authorize(call: &Call<Test>) -> Result<(), TransactionValidityError> {
		call.authorize(TransactionSource::External).expect("upkeep is authorized by the pallet").map(|_| ())
	}

	/// A market sweep left by a market buy with a budget of 2 against 5 asks.
	fn leave_a_sweep() -> OrderId {
		MaxFills::set(2);
		for i in 0..5 {
			place(ALICE, Side::Sell, 100, gtc(REF + i * 10)).unwrap();
		}
		place(BOB, Side::Buy, 500, OrderType::Market { protection: REF + 1_000 }).unwrap()
	}

	#[test]
	fn only_current_authorities_signing_due_recent_work_are_authorized() {
		run_test(|| {
			System::set_block_number(3);
			let sweep = Upkeep::ContinueSweep;
			// Nothing due yet.
			assert_eq!(authorize(&call(MKT, sweep.clone(), 3, 7)), Err(InvalidTransaction::Stale.into()));
			leave_a_sweep();
			assert_eq!(authorize(&call(MKT, sweep.clone(), 3, 7)), Ok(()));
			assert_eq!(authorize(&call(MKT, sweep.clone(), 2, 8)), Ok(()));
			// Not an authority.
			assert_eq!(authorize(&call(MKT, sweep.clone(), 3, 9)), Err(InvalidTransaction::BadSigner.into()));
			// A forged signature: someone else's, or over other work.
			let Call::upkeep { signature, .. } = call(MKT, sweep.clone(), 3, 8) else { unreachable!() };
			let forged = Call::<Test>::upkeep {
				market: MKT,
				work: sweep.clone(),
				block: 3,
				worker: UintAuthorityId(7),
				signature,
			};
			assert_eq!(authorize(&forged), Err(InvalidTransaction::BadProof.into()));
			let Call::upkeep { signature, .. } = call(1, sweep.clone(), 3, 7) else { unreachable!() };
			let moved = Call::<Test>::upkeep {
				market: MKT,
				work: sweep.clone(),
				block: 3,
				worker: UintAuthorityId(7),
				signature,
			};
			assert_eq!(authorize(&moved), Err(InvalidTransaction::BadProof.into()));
			// From the future, or too old.
			assert_eq!(authorize(&call(MKT, sweep.clone(), 4, 7)), Err(InvalidTransaction::Future.into()));
			System::set_block_number(8);
			assert_eq!(authorize(&call(MKT, sweep.clone(), 3, 7)), Err(InvalidTransaction::Stale.into()));
			assert_eq!(authorize(&call(MKT, sweep, 4, 7)), Ok(()));
			// Orders that have not expired, or stops not reached, are not due.
			let ids = BoundedVec::try_from(vec![0]).unwrap();
			assert_eq!(authorize(&call(MKT, Upkeep::Expire(ids.clone()), 8, 7)), Err(InvalidTransaction::Stale.into()));
			assert_eq!(authorize(&call(MKT, Upkeep::TriggerStops(ids), 8, 7)), Err(InvalidTransaction::Stale.into()));
		});
	}

	#[test]
	fn upkeep_runs_only_as_an_authorized_transaction_and_rechecks_the_book() {
		run_test(|| {
			leave_a_sweep();
			let origin = || RuntimeOrigin::from(frame_system::RawOrigin::Authorized);
			assert_noop!(
				Orderbook::upkeep(
					RuntimeOrigin::signed(ALICE),
					MKT,
					Upkeep::ContinueSweep,
					1,
					UintAuthorityId(7),
					sp_runtime::testing::TestSignature(7, vec![])
				)
				.map_err(|e| e.error),
				DispatchError::BadOrigin
			);
			let Call::upkeep { signature, .. } = call(MKT, Upkeep::ContinueSweep, 1, 7) else { unreachable!() };
			assert_ok!(Orderbook::upkeep(
				origin(),
				MKT,
				Upkeep::ContinueSweep,
				1,
				UintAuthorityId(7),
				signature.clone()
			));
			System::assert_last_event(Event::SweepPending { market: MKT, order_id: 5, remaining: 100 }.into());
			assert_ok!(Orderbook::upkeep(
				origin(),
				MKT,
				Upkeep::ContinueSweep,
				1,
				UintAuthorityId(7),
				signature.clone()
			));
			// Done: the same work again is refused by the book.
			assert_noop!(
				Orderbook::upkeep(origin(), MKT, Upkeep::ContinueSweep, 1, UintAuthorityId(7), signature)
					.map_err(|e| e.error),
				Error::<Test>::NoSweep
			);
		});
	}

	#[test]
	fn the_worker_submits_due_upkeep_in_its_turn() {
		let (offchain, _state) = testing::TestOffchainExt::new();
		let (pool, pool_state) = testing::TestTransactionPoolExt::new();
		let mut ext = new_test_ext();
		ext.register_extension(OffchainWorkerExt::new(offchain));
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.execute_with(|| {
			UintAuthorityId::set_all_keys(vec![7u64]);
			leave_a_sweep();
			let gtd = OrderType::Limit { price: REF - 100, tif: TimeInForce::Gtd(3), post_only: false };
			MaxFills::set(8);
			// Block 1: worker 8's turn (1 % 2), not ours.
			Orderbook::run_worker(1);
			assert!(pool_state.read().transactions.is_empty());
			// Block 2: ours; the sweep is due.
			System::set_block_number(2);
			Orderbook::run_worker(2);
			let submitted: Vec<Extrinsic> =
				pool_state.read().transactions.iter().map(|t| Extrinsic::decode(&mut &t[..]).unwrap()).collect();
			assert_eq!(submitted.len(), 1);
			let RuntimeCall::Orderbook(call) = submitted[0].function.clone() else { panic!("not ours") };
			assert!(matches!(call, Call::upkeep { work: Upkeep::ContinueSweep, block: 2, .. }));
			assert_eq!(authorize(&call), Ok(()));
			// The runtime decides: the call runs the sweep to its end.
			assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
			assert_eq!(authorize(&call), Err(InvalidTransaction::Stale.into()));
			// Expired orders and triggered stops are found too.
			let expiring = place(CAROL, Side::Buy, 100, gtd).unwrap();
			let stop = NextOrderId::<Test>::get();
			assert_ok!(Orderbook::place_stop_order(
				RuntimeOrigin::signed(CAROL),
				MKT,
				Side::Sell,
				100,
				REF + 20,
				OrderType::Market { protection: REF - 1_000 },
				None
			));
			place(ALICE, Side::Sell, 100, gtc(REF + 10)).unwrap();
			place(BOB, Side::Buy, 100, gtc(REF + 10)).unwrap();
			System::set_block_number(4);
			pool_state.write().transactions.clear();
			Orderbook::run_worker(4);
			let works: Vec<_> = pool_state
				.read()
				.transactions
				.iter()
				.map(|t| match Extrinsic::decode(&mut &t[..]).unwrap().function {
					RuntimeCall::Orderbook(Call::upkeep { work, .. }) => work,
					_ => panic!("not ours"),
				})
				.collect();
			assert_eq!(
				works,
				vec![
					Upkeep::Expire(BoundedVec::try_from(vec![expiring]).unwrap()),
					Upkeep::TriggerStops(BoundedVec::try_from(vec![stop]).unwrap())
				]
			);
			check_invariants();
		});
	}
}

fn raise_handling_fees_tenfold() {
	let fees = pallet_settlement::Fees::<Test>::get();
	let handling = sp_runtime::Perbill::from_parts(fees.handling.deconstruct() * 10);
	assert_ok!(pallet_settlement::Pallet::<Test>::set_fee_schedule(
		consortium(),
		pallet_settlement::FeeSchedule { handling, ..fees }
	));
}

/// Regression (hardening review, defect 3): one member could fill a market's whole book and
/// lock every other member out, and keep unbounded stops. Each account now has a bounded
/// share of each book (8 of the mock's 16) and of each market's stops (4).
#[test]
fn one_member_cannot_fill_a_book_or_pile_up_stops() {
	run_test(|| {
		for i in 0..8 {
			place(ALICE, Side::Buy, 100, gtc(REF - i)).unwrap();
		}
		assert_noop!(place(ALICE, Side::Buy, 100, gtc(REF - 8)), Error::<Test>::TooManyOrders);
		// A replace that moves an order keeps the count; an order that only trades is not counted.
		assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), 0, REF - 20, 100));
		place(BOB, Side::Sell, 100, gtc(REF - 1)).unwrap();
		place(ALICE, Side::Buy, 100, gtc(REF - 30)).unwrap();
		// The others still have their places.
		place(BOB, Side::Buy, 100, gtc(REF - 50)).unwrap();

		for _ in 0..4 {
			assert_ok!(Orderbook::place_stop_order(
				RuntimeOrigin::signed(CAROL),
				MKT,
				Side::Sell,
				100,
				REF - 500,
				gtc(REF - 500),
				None
			));
		}
		assert_noop!(
			Orderbook::place_stop_order(
				RuntimeOrigin::signed(CAROL),
				MKT,
				Side::Sell,
				100,
				REF - 500,
				gtc(REF - 500),
				None
			),
			Error::<Test>::TooManyStops
		);
		assert_eq!(StopCount::<Test>::get(MKT, CAROL), 4);
		// Cancelling one frees a place.
		let stop = Stops::<Test>::iter_key_prefix(MKT).next().unwrap();
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(CAROL), stop));
		assert_eq!(StopCount::<Test>::get(MKT, CAROL), 3);
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(CAROL),
			MKT,
			Side::Sell,
			100,
			REF - 500,
			gtc(REF - 500),
			None
		));
	});
}

/// Regression (hardening review, defect 4): a fee increase left every buy placed before it
/// holding too little (`HoldShortfall` on each fill that reached it; a sweep that reached one
/// blocked its market). A buy now pays at most the rate it was held at.
#[test]
fn a_fee_increase_does_not_poison_resting_buys_sweeps_or_stops() {
	run_test(|| {
		let resting = place(BOB, Side::Buy, 100, gtc(REF)).unwrap();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(CAROL),
			MKT,
			Side::Buy,
			100,
			REF + 200,
			OrderType::Market { protection: REF + 1_000 },
			None
		));
		MaxFills::set(1);
		for i in 0..3 {
			place(ALICE, Side::Sell, 100, gtc(REF + 200 + i)).unwrap();
		}
		let sweep = place(BOB, Side::Buy, 300, OrderType::Market { protection: REF + 1_000 }).unwrap();
		assert_eq!(Sweeps::<Test>::get(MKT), Some(sweep));
		raise_handling_fees_tenfold();

		// The sweep goes on.
		assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
		assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
		assert_eq!(Sweeps::<Test>::get(MKT), None, "the sweep finished under the new fees");
		// The buy stop, triggered by the sweep's trades, still trades.
		place(ALICE, Side::Sell, 100, gtc(REF + 300)).unwrap();
		let stop = Stops::<Test>::iter_key_prefix(MKT).next().unwrap();
		assert_ok!(Orderbook::trigger_stops(
			RuntimeOrigin::signed(ALICE),
			MKT,
			BoundedVec::try_from(vec![stop]).unwrap()
		));
		assert_eq!(Orders::<Test>::get(stop), None);
		assert_eq!(held(CAROL, CNY), 0);
		assert_eq!(free(CAROL, MOUTAI), START_SHARES + 100);
		// The resting buy fills, at the fee it was held for.
		place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		assert_eq!(Orders::<Test>::get(resting), None);
		let fee = |e: &RuntimeEvent| match e {
			RuntimeEvent::Settlement(pallet_settlement::Event::TradeSettled { buyer_fee, cash_amount, .. }) => {
				Some((*cash_amount, *buyer_fee))
			},
			_ => None,
		};
		let last = System::events().iter().rev().find_map(|r| fee(&r.event)).unwrap();
		assert_eq!(last, (100 * REF as u128, Perbill_mul_ceil(34_100, 100 * REF as u128)));
		assert_eq!(held(BOB, CNY), 0);
	});
}

/// Regression (hardening review, defect 4): a sweep that cannot go on used to block its market
/// for good. It is now cancelled, its hold released, and the market takes orders again.
#[test]
fn a_sweep_that_cannot_continue_is_cancelled_not_left_blocking_its_market() {
	run_test(|| {
		MaxFills::set(1);
		place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		place(ALICE, Side::Sell, 100, gtc(REF + 10)).unwrap();
		// Bob's limit buy trades once, then would rest: but Bob fills his share of the book first.
		let sweep = place(BOB, Side::Buy, 300, gtc(REF + 10)).unwrap();
		assert_eq!(Sweeps::<Test>::get(MKT), Some(sweep));
		Sweeps::<Test>::remove(MKT);
		for i in 0..8 {
			place(BOB, Side::Buy, 100, gtc(REF - 100 - i)).unwrap();
		}
		Sweeps::<Test>::insert(MKT, sweep);
		assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
		assert!(events().contains(&Event::OrderCancelled {
			order_id: sweep,
			who: BOB,
			remaining: 200,
			reason: CancelReason::PlacementFailed(Error::<Test>::TooManyOrders.into()),
		}));
		assert_eq!(Sweeps::<Test>::get(MKT), None);
		assert_eq!(Orders::<Test>::get(sweep), None);
		assert!(place(CAROL, Side::Buy, 100, gtc(REF + 10)).is_ok(), "the market takes orders again");
	});
}

/// Regression (hardening review, defect 5): a revoked member's orders kept filling and it
/// could not cancel them. Matching now removes them (holds released, an event); the owner can
/// cancel its own; the consortium can cancel all of an account's orders.
#[test]
fn a_revoked_members_orders_are_removed_not_filled() {
	run_test(|| {
		let ask = place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		let other = place(ALICE, Side::Sell, 100, gtc(REF + 50)).unwrap();
		let stop = NextOrderId::<Test>::get();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(ALICE),
			MKT,
			Side::Sell,
			100,
			REF - 500,
			gtc(REF - 500),
			None
		));
		let backup = place(CAROL, Side::Sell, 100, gtc(REF + 10)).unwrap();
		Revoked::mutate(|r| r.push(ALICE));

		// Bob's buy meets Alice's ask first: it is removed, and Bob trades with Carol.
		place(BOB, Side::Buy, 100, gtc(REF + 10)).unwrap();
		assert!(events().contains(&Event::OrderCancelled {
			order_id: ask,
			who: ALICE,
			remaining: 100,
			reason: CancelReason::OwnerIneligible,
		}));
		assert_eq!(Orders::<Test>::get(backup), None, "Carol's ask traded");
		assert_eq!(free(ALICE, MOUTAI), START_SHARES - 200, "the removed ask's shares are free again");
		assert_eq!(held(ALICE, MOUTAI), 200);

		// Alice, no longer a member, cancels her own order.
		assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), other));
		// The consortium cancels the rest.
		assert_noop!(
			Orderbook::cancel_account_orders(RuntimeOrigin::signed(BOB), ALICE).map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_ok!(Orderbook::cancel_account_orders(consortium(), ALICE));
		assert!(events().contains(&Event::OrderCancelled {
			order_id: stop,
			who: ALICE,
			remaining: 100,
			reason: CancelReason::ByConsortium,
		}));
		System::assert_last_event(Event::AccountOrdersCancelled { who: ALICE, cancelled: 1, more: false }.into());
		assert_eq!(held(ALICE, MOUTAI), 0);
		assert_eq!(StopCount::<Test>::get(MKT, ALICE), 0);
		assert_noop!(
			Orderbook::cancel_account_orders(consortium(), ALICE).map_err(|e| e.error),
			Error::<Test>::NoOrders
		);
	});
}

/// A revoked member's sweep is cancelled when it would go on.
#[test]
fn a_revoked_members_sweep_is_cancelled() {
	run_test(|| {
		MaxFills::set(1);
		place(ALICE, Side::Sell, 100, gtc(REF)).unwrap();
		place(ALICE, Side::Sell, 100, gtc(REF + 10)).unwrap();
		let sweep = place(BOB, Side::Buy, 200, OrderType::Market { protection: REF + 100 }).unwrap();
		Revoked::mutate(|r| r.push(BOB));
		assert_ok!(Orderbook::continue_sweep(RuntimeOrigin::signed(CAROL), MKT));
		System::assert_last_event(
			Event::OrderCancelled { order_id: sweep, who: BOB, remaining: 100, reason: CancelReason::OwnerIneligible }
				.into(),
		);
		assert_eq!(held(BOB, CNY), 0);
	});
}

/// The v0 → v1 migration: orders stored without their fee rate get the rate their hold covers
/// (today's, for orders held at today's fees), stops are counted, the version becomes 1, and
/// every invariant holds after it.
#[test]
fn migration_to_v1_records_fee_rates_and_counts_stops() {
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		let buy = place(BOB, Side::Buy, 300, gtc(REF)).unwrap();
		let sell = place(ALICE, Side::Sell, 200, gtc(REF + 100)).unwrap();
		assert_ok!(Orderbook::place_stop_order(
			RuntimeOrigin::signed(CAROL),
			MKT,
			Side::Sell,
			100,
			REF - 500,
			gtc(REF - 500),
			None
		));
		let before: Vec<_> = Orders::<Test>::iter().collect();
		// Rewrite the state as version 0 left it.
		for (id, o) in &before {
			let v0 = (o.market, o.owner, o.side, o.kind, o.quantity, o.remaining, o.held, o.placed_at, o.stop);
			frame_support::storage::unhashed::put_raw(&Orders::<Test>::hashed_key_for(id), &v0.encode());
		}
		let _ = StopCount::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Orderbook>();

		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Orderbook::on_chain_storage_version(), StorageVersion::new(1));
		let mut after: Vec<_> = Orders::<Test>::iter().collect();
		let mut before = before;
		after.sort_by_key(|(id, _)| *id);
		before.sort_by_key(|(id, _)| *id);
		assert_eq!(after, before);
		assert!(after.iter().any(|(id, _)| *id == buy) && after.iter().any(|(id, _)| *id == sell));
		assert_eq!(StopCount::<Test>::get(MKT, CAROL), 1);
		// A second run does nothing: the version is already 1.
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(StopCount::<Test>::get(MKT, CAROL), 1);
	});
}

#[test]
fn migration_to_v2_counts_each_brokers_resting_orders() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		for i in 0..3 {
			place(ALICE, Side::Buy, 100, gtc(REF - 10 - i)).unwrap();
		}
		place(BOB, Side::Sell, 100, gtc(REF + 10)).unwrap();
		let counts: Vec<_> = RestingCount::<Test>::iter().collect();
		let _ = RestingCount::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Orderbook>();

		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Orderbook::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(RestingCount::<Test>::get(MKT, ALICE), 3);
		assert_eq!(RestingCount::<Test>::get(MKT, BOB), 1);
		let mut after: Vec<_> = RestingCount::<Test>::iter().collect();
		let mut counts = counts;
		after.sort();
		counts.sort();
		assert_eq!(after, counts);
	});
}

/// Orders for investor accounts: the broker signs, the investor's balances hold, trade and
/// settle.
mod investor_accounts {
	use super::*;
	use qingsuan_primitives::investors::{OpenOrders, OrdersEnd};

	fn place_for(
		broker: u64,
		account: u64,
		side: Side,
		quantity: Quantity,
		kind: OrderType,
	) -> Result<OrderId, DispatchError> {
		let id = NextOrderId::<Test>::get();
		Orderbook::place_order(RuntimeOrigin::signed(broker), MKT, side, quantity, kind, Some(account))
			.map_err(|e| e.error)?;
		Ok(id)
	}

	/// What each investor is given.
	const INVESTOR_CASH: u128 = START_CASH / 10;

	/// Ann and Amy (Alice's investors) and Ben (Bob's) each get cash and shares of their own
	/// (from Carol: cash enters the chain only through the bank).
	fn fund_investors() {
		use frame_support::traits::tokens::{fungibles::Mutate, Preservation};
		for who in [ANN, AMY, BEN] {
			<Ledger as Mutate<u64>>::transfer(CNY, &CAROL, &who, INVESTOR_CASH, Preservation::Expendable)
				.expect("fund");
			<Ledger as Mutate<u64>>::transfer(MOUTAI, &CAROL, &who, 1_000, Preservation::Expendable).expect("fund");
		}
	}

	#[test]
	fn a_broker_trades_for_its_investor_and_the_investor_holds_pays_and_receives() {
		run_test(|| {
			fund_investors();
			let broker_cash = free(ALICE, CNY);
			let bid = place_for(ALICE, ANN, Side::Buy, 200, gtc(REF)).unwrap();
			assert_eq!(Orders::<Test>::get(bid).unwrap().owner, ANN);
			assert_eq!(held(ANN, CNY), buyer_hold(200, REF));
			assert_eq!(held(ALICE, CNY), 0, "the broker's own cash is not touched");
			assert!(events().contains(&Event::OrderPlaced {
				order_id: bid,
				market: MKT,
				who: ANN,
				side: Side::Buy,
				quantity: 200,
				kind: gtc(REF),
				stop: None,
			}));

			// Ben (Bob's investor) sells into it.
			place_for(BOB, BEN, Side::Sell, 100, gtc(REF)).unwrap();
			assert_eq!(free(ANN, MOUTAI), 1_000 + 100);
			assert_eq!(free(BEN, MOUTAI), 1_000 - 100);
			assert_eq!(free(ALICE, CNY), broker_cash);
			assert!(free(BEN, CNY) > INVESTOR_CASH, "the seller's proceeds are the investor's");
			assert!(events().iter().any(|e| matches!(e, Event::OrderFilled { maker: ANN, taker: BEN, .. })));

			// Alice replaces and cancels Ann's order; Bob may not.
			assert_noop!(
				Orderbook::replace_order(RuntimeOrigin::signed(BOB), bid, REF, 100).map_err(|e| e.error),
				Error::<Test>::NotOrderOwner
			);
			assert_noop!(
				Orderbook::cancel_order(RuntimeOrigin::signed(BOB), bid).map_err(|e| e.error),
				Error::<Test>::NotOrderOwner
			);
			assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), bid, REF - 100, 100));
			assert_eq!(held(ANN, CNY), buyer_hold(100, REF - 100));
			assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), bid));
			assert_eq!(held(ANN, CNY), 0);
		});
	}

	#[test]
	fn an_order_for_an_account_that_is_not_the_brokers_or_is_frozen_is_refused() {
		run_test(|| {
			fund_investors();
			for (broker, account) in [(ALICE, BEN), (BOB, ANN), (ALICE, OUTSIDER), (ALICE, BOB)] {
				assert_noop!(place_for(broker, account, Side::Buy, 100, gtc(REF)), Error::<Test>::NotYourAccount);
			}
			set_frozen(ANN, true);
			assert_noop!(place_for(ALICE, ANN, Side::Sell, 100, gtc(REF)), Error::<Test>::AccountFrozen);
			assert_noop!(
				Orderbook::place_stop_order(
					RuntimeOrigin::signed(ALICE),
					MKT,
					Side::Sell,
					100,
					REF - 500,
					gtc(REF - 500),
					Some(ANN)
				),
				Error::<Test>::AccountFrozen
			);
			// Naming itself is its own account.
			assert_ok!(place_for(ALICE, ALICE, Side::Buy, 100, gtc(REF - 100)));
		});
	}

	#[test]
	fn a_brokers_investors_share_its_part_of_the_book() {
		run_test(|| {
			fund_investors();
			// The mock's share is 8 orders a broker.
			for i in 0..4 {
				place(ALICE, Side::Buy, 100, gtc(REF - 10 - i)).unwrap();
				place_for(ALICE, ANN, Side::Buy, 100, gtc(REF - 20 - i)).unwrap();
			}
			assert_eq!(RestingCount::<Test>::get(MKT, ALICE), 8);
			assert_noop!(place_for(ALICE, AMY, Side::Buy, 100, gtc(REF - 30)), Error::<Test>::TooManyOrders);
			assert_noop!(place(ALICE, Side::Buy, 100, gtc(REF - 30)), Error::<Test>::TooManyOrders);
			// Another broker's investors have their own share.
			place_for(BOB, BEN, Side::Buy, 100, gtc(REF - 30)).unwrap();
			assert_eq!(RestingCount::<Test>::get(MKT, BOB), 1);
			// An order that trades at once and a replace take no more of it; a fill frees a place.
			place_for(ALICE, AMY, Side::Sell, 100, gtc(REF - 10)).unwrap();
			assert_eq!(RestingCount::<Test>::get(MKT, ALICE), 7);
			let ann_order = AccountOrders::<Test>::iter_key_prefix(ANN).next().unwrap();
			assert_ok!(Orderbook::replace_order(RuntimeOrigin::signed(ALICE), ann_order, REF - 40, 100));
			assert_eq!(RestingCount::<Test>::get(MKT, ALICE), 7);
			place_for(ALICE, AMY, Side::Buy, 100, gtc(REF - 50)).unwrap();
			assert_eq!(RestingCount::<Test>::get(MKT, ALICE), 8);
		});
	}

	#[test]
	fn a_frozen_investors_order_cannot_be_replaced_but_can_be_cancelled() {
		run_test(|| {
			fund_investors();
			let bid = place_for(ALICE, ANN, Side::Buy, 100, gtc(REF - 10)).unwrap();
			set_frozen(ANN, true);
			assert_noop!(
				Orderbook::replace_order(RuntimeOrigin::signed(ALICE), bid, REF - 20, 100).map_err(|e| e.error),
				Error::<Test>::AccountFrozen
			);
			assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), bid));
			assert_eq!(held(ANN, CNY), 0);
		});
	}

	#[test]
	fn two_investors_of_one_broker_trade_with_each_other_but_an_investor_not_with_itself() {
		run_test(|| {
			fund_investors();
			place_for(ALICE, ANN, Side::Sell, 100, gtc(REF)).unwrap();
			place_for(ALICE, AMY, Side::Buy, 100, gtc(REF)).unwrap();
			assert_eq!(free(AMY, MOUTAI), 1_100);
			let ask = place_for(ALICE, ANN, Side::Sell, 100, gtc(REF)).unwrap();
			let bid = place_for(ALICE, ANN, Side::Buy, 100, gtc(REF)).unwrap();
			assert!(Orders::<Test>::get(ask).is_some(), "the resting ask stays");
			assert!(events().contains(&Event::OrderCancelled {
				order_id: bid,
				who: ANN,
				remaining: 100,
				reason: CancelReason::SelfTrade,
			}));
		});
	}

	#[test]
	fn a_resting_order_of_an_investor_frozen_since_is_removed_not_filled() {
		run_test(|| {
			fund_investors();
			let ask = place_for(ALICE, ANN, Side::Sell, 100, gtc(REF)).unwrap();
			place_for(BOB, BEN, Side::Sell, 100, gtc(REF + 10)).unwrap();
			set_frozen(ANN, true);
			place(CAROL, Side::Buy, 100, gtc(REF + 10)).unwrap();
			assert!(events().contains(&Event::OrderCancelled {
				order_id: ask,
				who: ANN,
				remaining: 100,
				reason: CancelReason::OwnerIneligible,
			}));
			assert_eq!(free(ANN, MOUTAI), 1_000, "the frozen investor's shares are free again, not sold");
			assert_eq!(free(BEN, MOUTAI), 900, "the buy traded with the next ask");
		});
	}

	#[test]
	fn a_resting_buy_the_rules_no_longer_allow_is_removed_while_its_sells_still_trade() {
		run_test(|| {
			fund_investors();
			let bid = place_for(ALICE, ANN, Side::Buy, 100, gtc(REF)).unwrap();
			let ask = place_for(ALICE, ANN, Side::Sell, 100, gtc(REF + 100)).unwrap();
			NoBuying::mutate(|n| n.push(ANN));
			place(BOB, Side::Sell, 100, gtc(REF)).unwrap();
			assert!(events().contains(&Event::OrderCancelled {
				order_id: bid,
				who: ANN,
				remaining: 100,
				reason: CancelReason::OwnerIneligible,
			}));
			assert_eq!(held(ANN, CNY), 0);
			// Carol buys Bob's resting ask, then Ann's.
			place(CAROL, Side::Buy, 200, gtc(REF + 100)).unwrap();
			assert_eq!(Orders::<Test>::get(ask), None, "a sell may still trade");
			assert_eq!(free(ANN, MOUTAI), 900);
			assert_noop!(place_for(ALICE, ANN, Side::Buy, 100, gtc(REF)), DispatchError::Other("not suitable"));
		});
	}

	#[test]
	fn a_batch_may_mix_the_brokers_own_orders_and_its_investors() {
		run_test(|| {
			fund_investors();
			let order = |account, side, price| NewOrder { market: MKT, side, quantity: 100, kind: gtc(price), account };
			let orders = vec![
				order(Some(ANN), Side::Buy, REF - 10),
				order(None, Side::Buy, REF - 20),
				order(Some(BEN), Side::Buy, REF - 30),
				order(Some(AMY), Side::Sell, REF + 10),
			];
			assert_ok!(Orderbook::place_orders(RuntimeOrigin::signed(ALICE), BoundedVec::try_from(orders).unwrap()));
			assert!(
				events().contains(&Event::BatchItemFailed { index: 2, error: Error::<Test>::NotYourAccount.into() })
			);
			System::assert_last_event(Event::BatchCompleted { who: ALICE, succeeded: 3, failed: 1 }.into());
			assert_eq!(held(ANN, CNY), buyer_hold(100, REF - 10));
			assert_eq!(held(ALICE, CNY), buyer_hold(100, REF - 20));
			assert_eq!(held(AMY, MOUTAI), 100);
		});
	}

	#[test]
	fn a_batch_is_charged_for_the_accounts_its_orders_are_for() {
		run_test(|| {
			fund_investors();
			let batch = |accounts: [Option<u64>; 4]| {
				let orders = accounts.map(|account| NewOrder {
					market: MKT,
					side: Side::Buy,
					quantity: 100,
					kind: gtc(REF - 100),
					account,
				});
				BoundedVec::try_from(orders.to_vec()).unwrap()
			};
			let one = batch([Some(ANN); 4]);
			assert_eq!(Orderbook::accounts_in(&one), 1);
			let one = Orderbook::place_orders(RuntimeOrigin::signed(ALICE), one).unwrap().actual_weight.unwrap();
			assert_eq!(one, Orderbook::place_orders_weight(4, 1, 0, 0, 0));
			let three = batch([Some(ANN), None, Some(AMY), None]);
			assert_eq!(Orderbook::accounts_in(&three), 3);
			let three = Orderbook::place_orders(RuntimeOrigin::signed(ALICE), three).unwrap().actual_weight.unwrap();
			assert_eq!(three, Orderbook::place_orders_weight(4, 3, 0, 0, 4));
			assert!(
				Orderbook::place_orders_weight(4, 3, 0, 0, 4).ref_time()
					> Orderbook::place_orders_weight(4, 1, 0, 0, 4).ref_time()
			);
		});
	}

	#[test]
	fn the_investors_pallet_sees_and_cancels_an_investors_open_orders() {
		run_test(|| {
			fund_investors();
			assert!(!<Orderbook as OpenOrders<u64>>::has_open_orders(&ANN));
			assert_eq!(<Orderbook as OpenOrders<u64>>::cancel_open_orders(&ANN, OrdersEnd::Frozen), Ok(0));
			place_for(ALICE, ANN, Side::Buy, 100, gtc(REF - 10)).unwrap();
			place_for(ALICE, ANN, Side::Sell, 100, gtc(REF + 10)).unwrap();
			assert_ok!(Orderbook::place_stop_order(
				RuntimeOrigin::signed(ALICE),
				MKT,
				Side::Sell,
				100,
				REF - 500,
				gtc(REF - 500),
				Some(ANN)
			));
			place_for(ALICE, AMY, Side::Buy, 100, gtc(REF - 10)).unwrap();
			assert!(<Orderbook as OpenOrders<u64>>::has_open_orders(&ANN));
			assert_eq!(AccountOrders::<Test>::iter_prefix(ANN).count(), 3);
			assert_eq!(<Orderbook as OpenOrders<u64>>::cancel_open_orders(&ANN, OrdersEnd::Frozen), Ok(3));
			assert!(!<Orderbook as OpenOrders<u64>>::has_open_orders(&ANN));
			assert!(<Orderbook as OpenOrders<u64>>::has_open_orders(&AMY));
			assert!(events()
				.iter()
				.any(|e| matches!(e, Event::OrderCancelled { who: ANN, reason: CancelReason::AccountFrozen, .. })));
			assert_eq!((held(ANN, CNY), held(ANN, MOUTAI)), (0, 0));
			assert_eq!(StopCount::<Test>::get(MKT, ANN), 0);
		});
	}

	/// A credit account (Ann's) trades only through the order-entry API, whose orders report
	/// their fills and their end, and are cancelled, never replaced.
	#[test]
	fn a_credit_accounts_orders_come_through_the_entry_api_and_are_reported() {
		use qingsuan_primitives::orders::{EntryOrder, OrderEntry};
		run_test(|| {
			fund_investors();
			let credit = qingsuan_primitives::investors::mock::open_credit(ANN).expect("Ann is an investor");
			{
				use frame_support::traits::tokens::{fungibles::Mutate, Preservation};
				<Ledger as Mutate<u64>>::transfer(CNY, &ANN, &credit, INVESTOR_CASH, Preservation::Expendable)
					.expect("fund");
			}
			assert_eq!(place_for(ALICE, credit, Side::Buy, 100, gtc(REF)), Err(Error::<Test>::CreditAccount.into()));
			let terms = Orderbook::terms(MKT).expect("the market");
			assert_eq!((terms.security, terms.cash, terms.lot, terms.open), (MOUTAI, CNY, 100, true));
			assert_eq!(terms.mark(), u128::from(REF));
			assert_eq!(Orderbook::market_of(MOUTAI, CNY), Some(MKT));
			assert_eq!(Orderbook::buy_hold(MKT, 200, REF.into()), Ok(buyer_hold(200, REF)));
			let entry =
				|side, quantity, kind| EntryOrder { broker: ALICE, account: credit, market: MKT, side, quantity, kind };
			// Another broker's account, and a frozen one, are refused as for place_order.
			let bob = Orderbook::place(EntryOrder { broker: BOB, ..entry(Side::Buy, 100, gtc(REF)) });
			assert_eq!(bob, Err(Error::<Test>::NotYourAccount.into()));
			let (bid, cost) = Orderbook::place(entry(Side::Buy, 200, gtc(REF))).expect("placed");
			assert!(Orders::<Test>::get(bid).expect("resting").reported);
			// It rested on an empty book: what it cost is placing with no fill, no report.
			assert_eq!(cost, <() as WeightInfo>::place_order(0, 0));
			assert!(cost.all_lte(Orderbook::place_weight()));
			let replaced = Orderbook::replace_order(RuntimeOrigin::signed(ALICE), bid, REF, 100);
			assert_eq!(replaced.map_err(|e| e.error), Err(Error::<Test>::CreditAccount.into()));
			assert_eq!(Orders::<Test>::get(bid).map(|o| o.remaining), Some(200));
			// Ben sells 100 into it: a fill reported with its cash and the buyer's fee, and
			// charged (the mock's report weighs 1,000).
			let ask = NextOrderId::<Test>::get();
			let info = Orderbook::place_order(RuntimeOrigin::signed(BOB), MKT, Side::Sell, 100, gtc(REF), Some(BEN))
				.expect("placed");
			let book = Books::<Test>::get(MKT).map_or(0, |b| b.0.len() as u32);
			let unreported = <() as WeightInfo>::place_order(1, book);
			assert_eq!(
				info.actual_weight,
				Some(unreported.saturating_add(frame_support::weights::Weight::from_parts(1_000, 0)))
			);
			let cash = u128::from(REF) * 100;
			let fee = buyer_hold(100, REF) - cash - 2;
			assert_eq!(Reported::get(), vec![(bid, credit, Some((100, cash, fee)), 0)]);
			assert!(!Orders::<Test>::get(ask).is_some_and(|o| o.reported));
			// Cancelled: its end is reported with what it released.
			let left = Orders::<Test>::get(bid).unwrap().held;
			assert_ok!(Orderbook::cancel_order(RuntimeOrigin::signed(ALICE), bid));
			assert_eq!(Reported::get().last(), Some(&(bid, credit, None, left)));
			assert_eq!(held(credit, CNY), 0);
			// A sell that trades at once reports its fill, then its end.
			let _ = place_for(BOB, BEN, Side::Buy, 100, gtc(REF)).unwrap();
			let (sell, _) = Orderbook::place(entry(Side::Sell, 100, gtc(REF))).expect("placed");
			let reports: Vec<_> = Reported::get().into_iter().filter(|r| r.0 == sell).collect();
			assert!(matches!(reports.as_slice(), [(_, _, Some((100, c, _)), 0), (_, _, None, 0)] if *c == cash));
			set_frozen(credit, true);
			let frozen = Orderbook::place(entry(Side::Sell, 100, gtc(REF)));
			assert_eq!(frozen, Err(Error::<Test>::AccountFrozen.into()));
		});
	}

	#[test]
	fn the_v3_migration_reads_v2_orders_as_not_reported() {
		use codec::Encode;
		use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
		run_test(|| {
			let id = place(ALICE, Side::Buy, 100, gtc(REF)).unwrap();
			let order = Orders::<Test>::get(id).unwrap();
			let v2 = (
				order.market,
				order.owner,
				order.side,
				order.kind,
				order.quantity,
				order.remaining,
				order.held,
				order.placed_at,
				order.stop,
				order.fee_rate,
			);
			frame_support::storage::unhashed::put_raw(&Orders::<Test>::hashed_key_for(id), &v2.encode());
			StorageVersion::new(2).put::<Orderbook>();
			crate::migrations::v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(Orderbook::on_chain_storage_version(), 3);
			assert_eq!(Orders::<Test>::get(id), Some(order));
		});
	}
}
