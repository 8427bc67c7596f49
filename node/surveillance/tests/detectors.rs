//! Scripted trading patterns, one per detector, and clean controls: each pattern raises its
//! alert with its evidence, once; the controls raise nothing. Blocks are 1 s apart.

use qingsuan_surveillance::{
	Account, Alert, AlertKind, BlockInput, Config, Event, Input, MarketView, MemoryKv, Side, Surveillance,
};
use std::sync::Arc;

const DAY: u32 = 20_000;
const MARKET: u32 = 1;

fn acct(n: u8) -> Account {
	[n; 32]
}

/// Thresholds small enough for short scripts.
fn config() -> Config {
	Config {
		high_frequency_per_second: 5,
		high_frequency_per_day: 12,
		quick_cancel_min_count: 3,
		spoof_min_quantity: 1_000,
		push_window_ms: 10_000,
		band_hold_min_quantity: 1_000,
		..Config::default()
	}
}

fn view() -> MarketView {
	MarketView { best_bid: Some(100), best_ask: Some(102), last_price: Some(101), band_low: 91, band_high: 111 }
}

/// A chain of blocks fed to a store.
struct Chain {
	store: Surveillance<Arc<MemoryKv>>,
	kv: Arc<MemoryKv>,
	number: u32,
	next_order: u64,
	next_settlement: u64,
	alerts: Vec<Alert>,
}

impl Chain {
	fn new() -> Self {
		let kv = Arc::new(MemoryKv::default());
		Chain {
			store: Surveillance::new(kv.clone(), config()),
			kv,
			number: 0,
			next_order: 1,
			next_settlement: 1,
			alerts: vec![],
		}
	}

	/// A store reopened on the same database (a node restart).
	fn restart(&mut self) {
		self.store = Surveillance::new(self.kv.clone(), config());
	}

	fn block(&mut self, events: Vec<Input>) -> Vec<Alert> {
		self.block_at(None, events, Default::default())
	}

	fn block_at(
		&mut self,
		time_ms: Option<u64>,
		events: Vec<Input>,
		owners: std::collections::BTreeMap<Account, Account>,
	) -> Vec<Alert> {
		self.number += 1;
		let block = BlockInput {
			number: self.number,
			hash: [self.number as u8; 32],
			time_ms: time_ms.unwrap_or(1_000_000 + self.number as u64 * 1_000),
			day: DAY,
			events,
			markets: [(MARKET, view())].into(),
			owners,
		};
		let found = self.store.index_block(&block).expect("the block is taken");
		self.alerts.extend(found.clone());
		found
	}

	fn place(&mut self, account: Account, side: Side, quantity: u64, limit: u64) -> (u64, Input) {
		let order = self.next_order;
		self.next_order += 1;
		(order, Input::Placed { order, market: MARKET, account, side, quantity, limit: Some(limit), stop: false })
	}

	fn fill(
		&mut self,
		maker: (Account, u64),
		taker: (Account, u64),
		taker_side: Side,
		price: u64,
		quantity: u64,
	) -> Input {
		let settlement = self.next_settlement;
		self.next_settlement += 1;
		Input::Filled {
			market: MARKET,
			maker_order: maker.1,
			taker_order: taker.1,
			maker: maker.0,
			taker: taker.0,
			taker_side,
			price,
			quantity,
			settlement,
		}
	}

	fn kinds_for(&self, account: Account) -> Vec<AlertKind> {
		self.alerts.iter().filter(|a| a.account == account || a.counterparty == Some(account)).map(|a| a.kind).collect()
	}
}

fn cancel(order: u64, account: Account) -> Input {
	Input::Cancelled { order, account, remaining: 100, by_owner: true, reason: "ByOwner".into() }
}

#[test]
fn high_frequency_fires_per_second_and_once_a_day() {
	let mut chain = Chain::new();
	let a = acct(1);
	let orders: Vec<Input> = (0..5).map(|_| chain.place(a, Side::Buy, 100, 100).1).collect();
	let found = chain.block(orders);
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!(found[0].kind, AlertKind::HighFrequency);
	assert_eq!(found[0].orders, vec![1, 2, 3, 4, 5]);
	assert!(found[0].detail.contains("5 orders and cancels within one second"), "{}", found[0].detail);
	// Another burst the same day: the account is already flagged.
	let orders: Vec<Input> = (0..6).map(|_| chain.place(a, Side::Buy, 100, 100).1).collect();
	assert!(chain.block(orders).is_empty());

	// The daily count: 4 a second never reaches 5 a second, but 12 a day.
	let b = acct(2);
	for _ in 0..2 {
		let orders: Vec<Input> = (0..4).map(|_| chain.place(b, Side::Sell, 100, 102).1).collect();
		assert!(chain.block(orders).is_empty());
	}
	let orders: Vec<Input> = (0..4).map(|_| chain.place(b, Side::Sell, 100, 102).1).collect();
	let found = chain.block(orders);
	assert_eq!(found.len(), 1);
	assert!(found[0].detail.contains("12 orders and cancels today"), "{}", found[0].detail);
}

#[test]
fn quick_cancels_with_a_high_ratio_fire_and_slow_cancels_do_not() {
	let mut chain = Chain::new();
	let (quick, slow) = (acct(1), acct(2));
	let mut placed = vec![];
	let mut events = vec![];
	for who in [quick, slow] {
		for _ in 0..4 {
			let (id, e) = chain.place(who, Side::Buy, 100, 99);
			placed.push((who, id));
			events.push(e);
		}
	}
	chain.block(events);
	// The quick account cancels three a second later.
	let found =
		chain.block(placed.iter().filter(|(w, _)| *w == quick).take(3).map(|(w, id)| cancel(*id, *w)).collect());
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!(found[0].kind, AlertKind::QuickCancel);
	assert_eq!(found[0].orders, vec![1, 2, 3]);
	// The slow one cancels three after five seconds.
	for _ in 0..4 {
		chain.block(vec![]);
	}
	assert!(chain
		.block(placed.iter().filter(|(w, _)| *w == slow).take(3).map(|(w, id)| cancel(*id, *w)).collect())
		.is_empty());
	assert_eq!(chain.store.counts(&slow, DAY).expect("counts").cancels, 3);
	assert_eq!(chain.store.counts(&slow, DAY).expect("counts").quick_cancels, 0);
}

#[test]
fn a_large_bid_cancelled_quickly_while_selling_is_spoofing() {
	let mut chain = Chain::new();
	let (spoofer, buyer, seller) = (acct(1), acct(2), acct(3));
	// A large bid at the best bid, then the spoofer sells into another bid, then cancels.
	let (big, place_big) = chain.place(spoofer, Side::Buy, 5_000, 100);
	let (bid, place_bid) = chain.place(buyer, Side::Buy, 100, 100);
	chain.block(vec![place_big, place_bid]);
	let (sell, place_sell) = chain.place(spoofer, Side::Sell, 100, 100);
	let fill = chain.fill((buyer, bid), (spoofer, sell), Side::Sell, 100, 100);
	assert!(chain.block(vec![place_sell, fill]).is_empty());
	let found = chain.block(vec![cancel(big, spoofer)]);
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!(found[0].kind, AlertKind::Spoofing);
	assert_eq!((found[0].orders.clone(), found[0].trades.clone()), (vec![big], vec![1]));

	// The other order: cancel first, trade the other side after.
	let (big2, place_big2) = chain.place(seller, Side::Sell, 5_000, 102);
	chain.block(vec![place_big2]);
	assert!(chain.block(vec![cancel(big2, seller)]).is_empty());
	let (ask, place_ask) = chain.place(buyer, Side::Sell, 100, 102);
	let (lift, place_lift) = chain.place(seller, Side::Buy, 100, 102);
	let fill = chain.fill((buyer, ask), (seller, lift), Side::Buy, 102, 100);
	let found = chain.block(vec![place_ask, place_lift, fill]);
	assert_eq!(found.iter().map(|a| (a.kind, a.account)).collect::<Vec<_>>(), vec![(AlertKind::Spoofing, seller)]);

	// A large order far from the best price is no candidate.
	let (far, place_far) = chain.place(buyer, Side::Buy, 5_000, 92);
	chain.block(vec![place_far]);
	let (s, place_s) = chain.place(buyer, Side::Sell, 100, 100);
	let (b, place_b) = chain.place(seller, Side::Buy, 100, 100);
	let fill = chain.fill((seller, b), (buyer, s), Side::Sell, 100, 100);
	chain.block(vec![place_b, place_s, fill]);
	assert!(chain.block(vec![cancel(far, buyer)]).is_empty());
}

#[test]
fn a_small_order_replaced_into_a_large_one_near_the_best_price_is_judged_from_then() {
	let mut chain = Chain::new();
	let (spoofer, buyer) = (acct(1), acct(2));
	// A small bid far from the best, replaced 31 s later by 5,000 at the best bid.
	let (small, place_small) = chain.place(spoofer, Side::Buy, 100, 92);
	chain.block(vec![place_small]);
	for _ in 0..30 {
		chain.block(vec![]);
	}
	let replace = Input::Replaced { order: small, price: 100, quantity: 5_000 };
	let (bid, place_bid) = chain.place(buyer, Side::Buy, 100, 100);
	chain.block(vec![replace, place_bid]);
	// The spoofer sells into the other bid and cancels the big one, 33 s after placing it (past
	// the 30 s limit) but 2 s after the replacement made it a candidate.
	let (sell, place_sell) = chain.place(spoofer, Side::Sell, 100, 100);
	let fill = chain.fill((buyer, bid), (spoofer, sell), Side::Sell, 100, 100);
	chain.block(vec![place_sell, fill]);
	let found = chain.block(vec![cancel(small, spoofer)]);
	assert_eq!(
		found.iter().map(|a| (a.kind, a.orders.clone())).collect::<Vec<_>>(),
		vec![(AlertKind::Spoofing, vec![small])]
	);
	let (record, entries) = chain.store.order(small).expect("read").expect("known");
	assert_eq!((record.quantity, record.limit), (5_000, Some(100)));
	assert!(matches!(entries[1].event, Event::Replaced { price: 100, quantity: 5_000 }));

	// An order replaced up to the upper band limit joins the band tally.
	let (held, place_held) = chain.place(buyer, Side::Buy, 1_000, 105);
	chain.block(vec![place_held]);
	let found = chain.block(vec![Input::Replaced { order: held, price: 111, quantity: 1_000 }]);
	assert_eq!(found.iter().map(|a| (a.kind, a.account)).collect::<Vec<_>>(), vec![(AlertKind::BandHold, buyer)]);
}

#[test]
fn an_investor_trading_with_its_own_credit_account_is_a_wash_trade() {
	let mut chain = Chain::new();
	let (investor, credit) = (acct(1), acct(9));
	let (ask, place_ask) = chain.place(investor, Side::Sell, 100, 101);
	let (bid, place_bid) = chain.place(credit, Side::Buy, 100, 101);
	let fill = chain.fill((investor, ask), (credit, bid), Side::Buy, 101, 100);
	let found = chain.block_at(None, vec![place_ask, place_bid, fill], [(credit, investor)].into());
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!(found[0].kind, AlertKind::WashTrade);
	assert_eq!((found[0].account, found[0].counterparty), (investor, Some(credit)));
	assert_eq!(found[0].trades, vec![1]);
}

#[test]
fn two_accounts_trading_back_and_forth_are_matched_even_across_a_restart() {
	let mut chain = Chain::new();
	let (a, b) = (acct(1), acct(2));
	let (ask, place_ask) = chain.place(a, Side::Sell, 100, 101);
	let (bid, place_bid) = chain.place(b, Side::Buy, 100, 101);
	let fill = chain.fill((a, ask), (b, bid), Side::Buy, 101, 100);
	assert!(chain.block(vec![place_ask, place_bid, fill]).is_empty());
	chain.restart();
	let (ask, place_ask) = chain.place(b, Side::Sell, 100, 101);
	let (bid, place_bid) = chain.place(a, Side::Buy, 100, 101);
	let fill = chain.fill((b, ask), (a, bid), Side::Buy, 101, 100);
	let found = chain.block(vec![place_ask, place_bid, fill]);
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!(found[0].kind, AlertKind::MatchedTrades);
	assert_eq!(found[0].trades, vec![1, 2]);
	// Once a day per pair.
	let (ask, place_ask) = chain.place(a, Side::Sell, 100, 101);
	let (bid, place_bid) = chain.place(b, Side::Buy, 100, 101);
	let fill = chain.fill((a, ask), (b, bid), Side::Buy, 101, 100);
	assert!(chain.block(vec![place_ask, place_bid, fill]).is_empty());
}

#[test]
fn buying_most_of_a_window_that_moved_the_price_is_price_pushing() {
	let mut chain = Chain::new();
	let (pusher, s1, s2, small) = (acct(1), acct(2), acct(3), acct(4));
	// Window [1_010_000, 1_020_000): the price goes 101 -> 104 (297 bps); the pusher buys 600
	// of 700 shares.
	let mut events = vec![];
	for (seller, price) in [(s1, 102), (s2, 103), (s1, 104)] {
		let (ask, pa) = chain.place(seller, Side::Sell, 200, price);
		let (bid, pb) = chain.place(pusher, Side::Buy, 200, price);
		let fill = chain.fill((seller, ask), (pusher, bid), Side::Buy, price, 200);
		events.extend([pa, pb, fill]);
	}
	let (ask, pa) = chain.place(s2, Side::Sell, 100, 104);
	let (bid, pb) = chain.place(small, Side::Buy, 100, 104);
	let fill = chain.fill((s2, ask), (small, bid), Side::Buy, 104, 100);
	events.extend([pa, pb, fill]);
	assert!(chain.block_at(Some(1_011_000), events, Default::default()).is_empty());
	// Nothing until the window ends; then the pusher alone (86 %), not the small buyer (14 %).
	assert!(chain.block_at(Some(1_019_000), vec![], Default::default()).is_empty());
	let found = chain.block_at(Some(1_020_000), vec![], Default::default());
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!((found[0].kind, found[0].account), (AlertKind::PricePushing, pusher));
	assert_eq!(found[0].trades, vec![1, 2, 3]);
	assert!(found[0].detail.contains("moved up 297 bps"), "{}", found[0].detail);
}

#[test]
fn most_of_the_orders_at_the_upper_limit_is_a_band_hold() {
	let mut chain = Chain::new();
	let (holder, other) = (acct(1), acct(2));
	let (_, p1) = chain.place(other, Side::Buy, 500, 111);
	let (_, p2) = chain.place(holder, Side::Buy, 600, 111);
	assert!(chain.block(vec![p1, p2]).is_empty(), "600 shares is below the 1,000 threshold");
	let (_, p3) = chain.place(holder, Side::Buy, 600, 111);
	let found = chain.block(vec![p3]);
	assert_eq!(found.len(), 1, "{found:?}");
	assert_eq!((found[0].kind, found[0].account, found[0].orders.clone()), (AlertKind::BandHold, holder, vec![2, 3]));
	// A sell at the upper limit is not holding it up.
	let (_, p4) = chain.place(other, Side::Sell, 5_000, 111);
	assert!(chain.block(vec![p4]).is_empty());
}

#[test]
fn a_clean_account_raises_nothing_and_its_lifecycle_is_kept() {
	let mut chain = Chain::new();
	let (clean, other) = (acct(1), acct(2));
	let (bid, p1) = chain.place(clean, Side::Buy, 100, 100);
	let (bid2, p2) = chain.place(clean, Side::Buy, 100, 99);
	chain.block(vec![p1, p2]);
	let (ask, p3) = chain.place(other, Side::Sell, 100, 100);
	let fill = chain.fill((clean, bid), (other, ask), Side::Sell, 100, 100);
	chain.block(vec![p3, fill]);
	for _ in 0..10 {
		chain.block(vec![]);
	}
	chain.block(vec![
		cancel(bid2, clean),
		Input::Rejected {
			account: clean,
			call: "Orderbook.place_order".into(),
			error: "Orderbook::PriceOutsideBand".into(),
		},
	]);
	chain.block_at(Some(10_000_000), vec![], Default::default());
	assert!(chain.kinds_for(clean).is_empty(), "{:?}", chain.alerts);

	let (record, entries) = chain.store.order(bid).expect("read").expect("the order is known");
	assert_eq!((record.account, record.quantity, record.limit), (clean, 100, Some(100)));
	assert!(matches!(entries[0].event, Event::Placed { .. }));
	assert!(
		matches!(entries[1].event, Event::Filled { maker: true, counterparty, settlement: 1, .. } if counterparty == other)
	);
	let (total, day) = chain.store.account_day(&clean, DAY, 0, 100).expect("read");
	assert_eq!(total, 5);
	let kinds: Vec<&str> = day
		.iter()
		.map(|e| match e.event {
			Event::Placed { .. } => "placed",
			Event::Filled { .. } => "filled",
			Event::Cancelled { .. } => "cancelled",
			Event::Rejected { .. } => "rejected",
			_ => "other",
		})
		.collect();
	assert_eq!(kinds, ["placed", "placed", "filled", "cancelled", "rejected"]);
	assert_eq!(day[4].order, None);
}

#[test]
fn alerts_are_queried_by_day_account_and_kind_and_paged() {
	let mut chain = Chain::new();
	let (a, b) = (acct(1), acct(2));
	let burst: Vec<Input> = (0..5).map(|_| chain.place(a, Side::Buy, 100, 100).1).collect();
	chain.block(burst);
	let (ask, p1) = chain.place(a, Side::Sell, 100, 101);
	let (bid, p2) = chain.place(b, Side::Buy, 100, 101);
	let f1 = chain.fill((a, ask), (b, bid), Side::Buy, 101, 100);
	let (ask, p3) = chain.place(b, Side::Sell, 100, 101);
	let (bid, p4) = chain.place(a, Side::Buy, 100, 101);
	let f2 = chain.fill((b, ask), (a, bid), Side::Buy, 101, 100);
	chain.block(vec![p1, p2, f1, p3, p4, f2]);
	let s = &chain.store;
	let ids = |v: Vec<Alert>| v.iter().map(|a| a.id).collect::<Vec<_>>();
	assert_eq!(ids(s.alerts(DAY, None, None, 0, 10).expect("read")), vec![0, 1]);
	assert_eq!(ids(s.alerts(DAY, None, None, 1, 10).expect("read")), vec![1]);
	assert_eq!(ids(s.alerts(DAY, None, None, 0, 1).expect("read")), vec![0]);
	assert_eq!(ids(s.alerts(DAY, Some(&b), None, 0, 10).expect("read")), vec![1], "a counterparty finds it too");
	assert_eq!(ids(s.alerts(DAY, Some(&a), Some(AlertKind::MatchedTrades), 0, 10).expect("read")), vec![1]);
	assert_eq!(ids(s.alerts(DAY, None, Some(AlertKind::HighFrequency), 0, 10).expect("read")), vec![0]);
	assert!(s.alerts(DAY + 1, None, None, 0, 10).expect("read").is_empty());
	assert_eq!(s.alert(1).expect("read").map(|a| a.kind), Some(AlertKind::MatchedTrades));
	assert_eq!(s.status().expect("read").alerts, 2);
}

#[test]
fn a_block_out_of_order_is_refused_and_changes_nothing() {
	let mut chain = Chain::new();
	chain.block(vec![]);
	let before = (chain.kv.len(), chain.store.status().expect("read"));
	let block = BlockInput { number: 5, day: DAY, ..Default::default() };
	let err = chain.store.index_block(&block).expect_err("block 2 is next");
	assert_eq!(err, qingsuan_surveillance::Error::OutOfOrder { expected: 2, got: 5 });
	assert_eq!((chain.kv.len(), chain.store.status().expect("read")), before);
	// A failed commit leaves the store as it was, and the block can be taken again.
	chain.kv.fail_next_commit();
	let block = BlockInput { number: 2, day: DAY, ..Default::default() };
	assert!(chain.store.index_block(&block).is_err());
	assert_eq!(chain.store.next_block().expect("read"), Some(2));
	chain.store.index_block(&block).expect("taken on retry");
	chain.store.skip_block(3, [3; 32]).expect("skipped");
	assert_eq!(chain.store.status().expect("read").missed, 1);
}

#[test]
fn the_config_overrides_defaults_and_refuses_nonsense() {
	let c = Config::from_json(r#"{"highFrequencyPerSecond": 10, "pushWindowMs": 5000}"#).expect("valid");
	assert_eq!((c.high_frequency_per_second, c.push_window_ms, c.high_frequency_per_day), (10, 5_000, 20_000));
	let err = Config::from_json(r#"{"highFrequencyPerSec": 10}"#).expect_err("misspelt");
	assert!(err.contains("unknown field `highFrequencyPerSec`"), "{err}");
	let err = Config::from_json(r#"{"pushWindowMs": 0}"#).expect_err("zero window");
	assert!(err.contains("pushWindowMs must be at least 1"), "{err}");
	let err = Config::from_json(r#"{"pushSharePercent": 101}"#).expect_err("over 100");
	assert!(err.contains("pushSharePercent is 101"), "{err}");
	assert_eq!(Config::from_json("{}").expect("empty is the defaults"), Config::default());
}
