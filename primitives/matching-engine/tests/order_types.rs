//! Unit tests: one scenario per order type and rule, each ending with the book's invariants.

use qingsuan_matching_engine::*;

const RULES: MarketRules = MarketRules { tick: 10, lot: 100, stp: SelfTradePrevention::CancelNewest };

struct T {
	book: Book<&'static str>,
	out: Execution<&'static str>,
	now: Moment,
}

fn limit(price: Price, tif: TimeInForce) -> OrderType {
	OrderType::Limit { price, tif, post_only: false }
}

fn gtc(price: Price) -> OrderType {
	limit(price, TimeInForce::Gtc)
}

impl T {
	fn new(rules: MarketRules) -> Self {
		T { book: Book::new(rules), out: Execution::default(), now: 0 }
	}

	fn place(
		&mut self,
		id: OrderId,
		owner: &'static str,
		side: Side,
		qty: Quantity,
		kind: OrderType,
	) -> Result<Outcome, Reject> {
		self.place_budget(id, owner, side, qty, kind, 100)
	}

	fn place_budget(
		&mut self,
		id: OrderId,
		owner: &'static str,
		side: Side,
		qty: Quantity,
		kind: OrderType,
		budget: u32,
	) -> Result<Outcome, Reject> {
		let r = self.book.place(OrderRequest { id, owner, side, quantity: qty, kind }, self.now, budget, &mut self.out);
		self.book.check_invariants().expect("the book keeps its invariants");
		r.map(|_| self.out.outcome)
	}

	/// (maker, price, quantity) of the last request's fills.
	fn fills(&self) -> Vec<(OrderId, Price, Quantity)> {
		self.out.fills.iter().map(|f| (f.maker, f.price, f.quantity)).collect()
	}

	fn ids(&self, side: Side) -> Vec<OrderId> {
		self.book.orders(side).map(|(_, o)| o.id).collect()
	}
}

#[test]
fn limit_orders_rest_and_trade_at_the_makers_price_in_price_time_priority() {
	let mut t = T::new(RULES);
	assert_eq!(t.place(1, "a", Side::Sell, 100, gtc(1010)), Ok(Outcome::Resting(100)));
	assert_eq!(t.place(2, "b", Side::Sell, 200, gtc(1000)), Ok(Outcome::Resting(200)));
	assert_eq!(t.place(3, "c", Side::Sell, 100, gtc(1000)), Ok(Outcome::Resting(100)));
	assert_eq!(t.ids(Side::Sell), vec![2, 3, 1]);
	// A buy at 1010 for 350 takes 2 then 3 at 1000, then 50... no: lots of 100, so 300 then 100 of 1.
	assert_eq!(t.place(4, "d", Side::Buy, 400, gtc(1010)), Ok(Outcome::Filled));
	assert_eq!(t.fills(), vec![(2, 1000, 200), (3, 1000, 100), (1, 1010, 100)]);
	assert!(t.book.is_empty());
	// A buy below the best ask rests; the depth shows it.
	t.place(5, "a", Side::Sell, 300, gtc(1020)).unwrap();
	assert_eq!(t.place(6, "b", Side::Buy, 200, gtc(1010)), Ok(Outcome::Resting(200)));
	assert_eq!(t.book.depth(Side::Buy, 5), vec![LevelView { price: 1010, quantity: 200, orders: 1 }]);
	assert_eq!(t.book.best_ask(), Some(1020));
	// A partial fill rests the remainder at the limit.
	assert_eq!(t.place(7, "c", Side::Buy, 500, gtc(1020)), Ok(Outcome::Resting(200)));
	assert_eq!(t.fills(), vec![(5, 1020, 300)]);
	assert_eq!(t.book.best_bid(), Some(1020));
	let f = &t.out.fills[0];
	assert_eq!((f.taker, f.taker_side, f.maker_owner, f.maker_remaining), (7, Side::Buy, "a", 0));
}

#[test]
fn prices_and_quantities_must_be_on_the_market_grid() {
	let mut t = T::new(RULES);
	assert_eq!(t.place(1, "a", Side::Buy, 150, gtc(1000)), Err(Reject::NotLotMultiple));
	assert_eq!(t.place(1, "a", Side::Buy, 0, gtc(1000)), Err(Reject::ZeroQuantity));
	assert_eq!(t.place(1, "a", Side::Buy, 100, gtc(1005)), Err(Reject::NotTickMultiple));
	assert_eq!(t.place(1, "a", Side::Buy, 100, gtc(0)), Err(Reject::ZeroPrice));
	assert_eq!(t.place(1, "a", Side::Buy, 100, OrderType::Market { protection: 0 }), Err(Reject::ZeroPrice));
	t.place(1, "a", Side::Buy, 100, gtc(1000)).unwrap();
	assert_eq!(t.place(1, "b", Side::Sell, 100, gtc(2000)), Err(Reject::DuplicateOrderId));
	assert_eq!(t.book.len(), 1);
}

#[test]
fn good_till_date_orders_stop_trading_at_their_date() {
	let mut t = T::new(RULES);
	assert_eq!(t.place(1, "a", Side::Sell, 100, limit(1000, TimeInForce::Gtd(0))), Err(Reject::AlreadyExpired));
	t.place(1, "a", Side::Sell, 100, limit(1000, TimeInForce::Gtd(5))).unwrap();
	t.place(2, "b", Side::Sell, 100, gtc(1000)).unwrap();
	assert_eq!(t.book.expire(1, 4), Err(Reject::NotExpired));
	assert_eq!(t.book.expire(2, 99), Err(Reject::NotExpired));
	t.now = 5;
	assert_eq!(t.book.expired(t.now, 10), vec![1]);
	// Matching skips and removes the expired order, reporting it.
	assert_eq!(t.place(3, "c", Side::Buy, 100, gtc(1000)), Ok(Outcome::Filled));
	assert_eq!(t.fills(), vec![(2, 1000, 100)]);
	assert_eq!(t.out.removals.len(), 1);
	assert_eq!((t.out.removals[0].order.id, t.out.removals[0].reason), (1, RemovalReason::Expired));
	// Or the caller expires it.
	t.place(4, "a", Side::Sell, 100, limit(1000, TimeInForce::Gtd(6))).unwrap();
	t.now = 6;
	assert_eq!(t.book.expire(4, t.now).map(|v| v.order.id), Ok(4));
	assert!(t.book.is_empty());
}

#[test]
fn immediate_or_cancel_trades_what_it_can_and_cancels_the_rest() {
	let mut t = T::new(RULES);
	t.place(1, "a", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(2, "a", Side::Sell, 100, gtc(1020)).unwrap();
	assert_eq!(
		t.place(3, "b", Side::Buy, 300, limit(1010, TimeInForce::Ioc)),
		Ok(Outcome::Cancelled(200, CancelReason::NoLiquidity))
	);
	assert_eq!(t.fills(), vec![(1, 1000, 100)]);
	assert_eq!(t.ids(Side::Buy), Vec::<OrderId>::new());
	assert_eq!(t.ids(Side::Sell), vec![2]);
}

#[test]
fn fill_or_kill_trades_all_or_nothing() {
	let mut t = T::new(RULES);
	t.place(1, "a", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(2, "a", Side::Sell, 100, gtc(1010)).unwrap();
	assert_eq!(
		t.place(3, "b", Side::Buy, 300, limit(1010, TimeInForce::Fok)),
		Ok(Outcome::Cancelled(300, CancelReason::FillOrKill))
	);
	assert!(t.fills().is_empty());
	assert_eq!(t.book.len(), 2);
	// Needing more steps than the budget kills it too.
	assert_eq!(
		t.place_budget(3, "b", Side::Buy, 200, limit(1010, TimeInForce::Fok), 1),
		Ok(Outcome::Cancelled(200, CancelReason::FillOrKill))
	);
	assert_eq!(t.place(3, "b", Side::Buy, 200, limit(1010, TimeInForce::Fok)), Ok(Outcome::Filled));
	assert_eq!(t.fills(), vec![(1, 1000, 100), (2, 1010, 100)]);
}

#[test]
fn post_only_orders_never_take() {
	let mut t = T::new(RULES);
	let post = |price| OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: true };
	t.place(1, "a", Side::Sell, 100, gtc(1000)).unwrap();
	assert_eq!(t.place(2, "b", Side::Buy, 100, post(1000)), Err(Reject::PostOnlyWouldTrade));
	assert_eq!(
		t.place(2, "b", Side::Buy, 100, OrderType::Limit { price: 990, tif: TimeInForce::Ioc, post_only: true }),
		Err(Reject::PostOnlyNotResting)
	);
	assert_eq!(t.place(2, "b", Side::Buy, 100, post(990)), Ok(Outcome::Resting(100)));
	// Its replace to a crossing price is refused and leaves it as it was.
	assert_eq!(t.book.replace(2, 1000, 100, 0, 10, &mut t.out), Err(Reject::PostOnlyWouldTrade));
	assert_eq!(t.book.get(2).map(|v| v.price), Some(990));
}

#[test]
fn market_orders_sweep_up_to_their_protection_price() {
	let mut t = T::new(RULES);
	t.place(1, "a", Side::Buy, 100, gtc(1000)).unwrap();
	t.place(2, "a", Side::Buy, 100, gtc(990)).unwrap();
	t.place(3, "a", Side::Buy, 100, gtc(900)).unwrap();
	assert_eq!(
		t.place(4, "b", Side::Sell, 400, OrderType::Market { protection: 950 }),
		Ok(Outcome::Cancelled(200, CancelReason::NoLiquidity))
	);
	assert_eq!(t.fills(), vec![(1, 1000, 100), (2, 990, 100)]);
	assert_eq!(t.ids(Side::Buy), vec![3]);
	assert!(t.ids(Side::Sell).is_empty(), "a market order never rests");
}

#[test]
fn replace_keeps_priority_only_for_a_smaller_size_at_the_same_price() {
	let mut t = T::new(RULES);
	for id in 1..=3 {
		t.place(id, "a", Side::Buy, 300, gtc(1000)).unwrap();
	}
	// Same price, smaller: keeps its place.
	t.book.replace(1, 1000, 200, 0, 10, &mut t.out).unwrap();
	assert_eq!(t.ids(Side::Buy), vec![1, 2, 3]);
	// Same price, larger: to the back.
	t.book.replace(1, 1000, 400, 0, 10, &mut t.out).unwrap();
	assert_eq!(t.ids(Side::Buy), vec![2, 3, 1]);
	// New price: to the back of the new level (here a better one, so first).
	t.book.replace(3, 1010, 300, 0, 10, &mut t.out).unwrap();
	assert_eq!(t.ids(Side::Buy), vec![3, 2, 1]);
	// Reduce keeps priority.
	assert_eq!(t.book.reduce(3, 100), Ok(200));
	assert_eq!(t.book.reduce(3, 100), Err(Reject::NotAReduction));
	assert_eq!(t.book.reduce(3, 0), Err(Reject::ZeroQuantity));
	assert_eq!(t.ids(Side::Buy), vec![3, 2, 1]);
	t.book.check_invariants().unwrap();
	// A replace across the spread trades.
	t.place(9, "b", Side::Sell, 100, gtc(1050)).unwrap();
	t.book.replace(2, 1050, 300, 0, 10, &mut t.out).unwrap();
	assert_eq!(t.fills(), vec![(9, 1050, 100)]);
	assert_eq!(t.out.outcome, Outcome::Resting(200));
	assert_eq!(t.book.replace(77, 1000, 100, 0, 10, &mut t.out), Err(Reject::UnknownOrder));
	assert_eq!(t.book.cancel(77), Err(Reject::UnknownOrder));
	t.book.check_invariants().unwrap();
}

#[test]
fn self_trade_prevention_cancel_newest_stops_the_incoming_order() {
	let mut t = T::new(RULES);
	t.place(1, "b", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(2, "a", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(3, "b", Side::Sell, 100, gtc(1000)).unwrap();
	assert_eq!(t.place(4, "a", Side::Buy, 300, gtc(1000)), Ok(Outcome::Cancelled(200, CancelReason::SelfTrade)));
	assert_eq!(t.fills(), vec![(1, 1000, 100)]);
	assert_eq!(t.ids(Side::Sell), vec![2, 3]);
}

#[test]
fn self_trade_prevention_cancel_oldest_removes_the_resting_order() {
	let mut t = T::new(MarketRules { stp: SelfTradePrevention::CancelOldest, ..RULES });
	t.place(1, "b", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(2, "a", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(3, "b", Side::Sell, 100, gtc(1000)).unwrap();
	assert_eq!(t.place(4, "a", Side::Buy, 300, gtc(1000)), Ok(Outcome::Resting(100)));
	assert_eq!(t.fills(), vec![(1, 1000, 100), (3, 1000, 100)]);
	assert_eq!(t.out.removals.len(), 1);
	assert_eq!((t.out.removals[0].order.id, t.out.removals[0].reason), (2, RemovalReason::SelfTrade));
	t.book.set_self_trade_prevention(SelfTradePrevention::CancelNewest);
	assert_eq!(t.book.rules().stp, SelfTradePrevention::CancelNewest);
}

#[test]
fn a_spent_budget_suspends_the_order_and_resubmitting_goes_on() {
	let mut t = T::new(RULES);
	for id in 1..=5 {
		t.place(id, "a", Side::Sell, 100, gtc(1000 + 10 * id)).unwrap();
	}
	let kind = OrderType::Market { protection: 2000 };
	assert_eq!(t.place_budget(10, "b", Side::Buy, 500, kind, 2), Ok(Outcome::Suspended(300)));
	assert_eq!(t.fills(), vec![(1, 1010, 100), (2, 1020, 100)]);
	assert!(!t.book.contains(10), "a suspended order is not on the book");
	assert_eq!(t.place_budget(10, "b", Side::Buy, 300, kind, 2), Ok(Outcome::Suspended(100)));
	assert_eq!(t.place_budget(10, "b", Side::Buy, 100, kind, 2), Ok(Outcome::Filled));
	assert!(t.book.is_empty());
	// A suspended limit order that no longer crosses rests as usual on resubmission.
	t.place(20, "a", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(21, "a", Side::Sell, 100, gtc(1010)).unwrap();
	assert_eq!(t.place_budget(22, "b", Side::Buy, 300, gtc(1010), 1), Ok(Outcome::Suspended(200)));
	t.book.cancel(21).unwrap();
	assert_eq!(t.place_budget(22, "b", Side::Buy, 200, gtc(1010), 1), Ok(Outcome::Resting(200)));
}

#[test]
fn the_same_requests_give_the_same_results() {
	let run = || {
		let mut t = T::new(RULES);
		let mut log = Vec::new();
		for i in 0..200u64 {
			let side = if i % 3 == 0 { Side::Buy } else { Side::Sell };
			let price = 1000 + (i * 7919 % 13) * 10;
			let r = t.place(i, ["a", "b", "c"][(i % 3) as usize], side, 100 * (1 + i % 4), gtc(price));
			log.push((r, t.out.clone()));
		}
		(log, t.book.depth(Side::Buy, 100), t.book.depth(Side::Sell, 100))
	};
	assert_eq!(run(), run());
}

#[test]
fn orders_of_owners_who_may_no_longer_trade_are_removed_not_traded() {
	let mut t = T::new(RULES);
	t.place(1, "revoked", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(2, "b", Side::Sell, 100, gtc(1000)).unwrap();
	t.place(3, "revoked", Side::Sell, 100, gtc(1010)).unwrap();
	let tradable = |owner: &&str| *owner != "revoked";
	// A fill-or-kill does not count the barred orders as liquidity.
	let fok = OrderRequest { id: 4, owner: "c", side: Side::Buy, quantity: 200, kind: limit(1010, TimeInForce::Fok) };
	t.book.place_filtered(fok, t.now, 100, tradable, &mut t.out).unwrap();
	assert_eq!(t.out.outcome, Outcome::Cancelled(200, CancelReason::FillOrKill));
	// Matching removes the first barred order (one step) and trades with the next.
	let buy = OrderRequest { id: 5, owner: "c", side: Side::Buy, quantity: 100, kind: gtc(1010) };
	t.book.place_filtered(buy, t.now, 100, tradable, &mut t.out).unwrap();
	t.book.check_invariants().unwrap();
	assert_eq!(t.out.outcome, Outcome::Filled);
	assert_eq!(t.fills(), vec![(2, 1000, 100)]);
	assert_eq!((t.out.removals[0].order.id, t.out.removals[0].reason), (1, RemovalReason::Ineligible));
	assert_eq!(t.book.count_owned(&"revoked"), 1);
	// A replace meets the book the same way.
	t.place(6, "c", Side::Buy, 100, gtc(990)).unwrap();
	t.book.replace_filtered(6, 1010, 100, t.now, 100, tradable, &mut t.out).unwrap();
	t.book.check_invariants().unwrap();
	assert_eq!(t.out.outcome, Outcome::Resting(100));
	assert_eq!((t.out.removals[0].order.id, t.out.removals[0].reason), (3, RemovalReason::Ineligible));
	assert_eq!(t.book.count_owned(&"revoked"), 0);
}
