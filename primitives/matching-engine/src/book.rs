//! The order book of one market and its matching.

use alloc::{
	collections::btree_map::{BTreeMap, Entry},
	collections::VecDeque,
	vec::Vec,
};
use core::hash::{BuildHasherDefault, Hasher};

use crate::types::*;

/// The hasher of the order index: a folded multiply of the order id. Fixed (no random seed), so
/// a node's book behaves the same every run; the index is only looked up, never iterated, so the
/// engine's output would not depend on it anyway.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
	fn write(&mut self, bytes: &[u8]) {
		for &b in bytes {
			self.write_u64(u64::from(b));
		}
	}

	fn write_u64(&mut self, n: u64) {
		let m = u128::from(n ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
		self.0 = (m as u64) ^ ((m >> 64) as u64);
	}

	fn finish(&self) -> u64 {
		self.0
	}
}

type Index = hashbrown::HashMap<OrderId, (Side, Price), BuildHasherDefault<IdHasher>>;

/// The orders resting at one price, first in first out.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Level<A> {
	/// Sum of the queue's remaining quantities.
	pub(crate) total: u128,
	/// The orders in time priority.
	pub(crate) queue: VecDeque<RestingOrder<A>>,
}

/// At most this many spare queues are kept, each of at most `SPARE_CAPACITY` orders (a
/// queue that once held a crowd is freed rather than kept).
const SPARE_QUEUES: usize = 32;
const SPARE_CAPACITY: usize = 16;

/// Keep `queue` (empty) for reuse if there is room.
fn recycle<A>(spare: &mut Vec<VecDeque<RestingOrder<A>>>, queue: VecDeque<RestingOrder<A>>) {
	debug_assert!(queue.is_empty());
	if spare.len() < SPARE_QUEUES && queue.capacity() <= SPARE_CAPACITY {
		spare.push(queue);
	}
}

/// One price level as depth queries report it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "codec", derive(codec::Encode, codec::Decode, codec::MaxEncodedLen, scale_info::TypeInfo))]
pub struct LevelView {
	/// The price.
	pub price: Price,
	/// The total remaining quantity at it.
	pub quantity: u128,
	/// How many orders rest at it.
	pub orders: u32,
}

/// The order book of one market: bids and asks in price levels, each level a FIFO queue.
///
/// Matching is price-time priority: an incoming order trades with the best-priced resting order
/// of the other side first, and among orders at one price with the oldest first, always at the
/// resting order's price.
#[derive(Clone)]
pub struct Book<A> {
	pub(crate) rules: MarketRules,
	/// Bids by price; the best is the highest.
	pub(crate) bids: BTreeMap<Price, Level<A>>,
	/// Asks by price; the best is the lowest.
	pub(crate) asks: BTreeMap<Price, Level<A>>,
	/// Where each resting order is.
	pub(crate) index: Index,
	/// Queues of emptied levels, kept (empty, with their allocation) for the next new level, so
	/// that orders moving between prices do not allocate and free a queue each time. Not part of
	/// the book's state: equality, `Debug` and the encoding ignore it.
	pub(crate) spare: Vec<VecDeque<RestingOrder<A>>>,
}

impl<A: PartialEq> PartialEq for Book<A> {
	fn eq(&self, other: &Self) -> bool {
		self.rules == other.rules && self.bids == other.bids && self.asks == other.asks
	}
}

impl<A: Eq> Eq for Book<A> {}

impl<A: core::fmt::Debug> core::fmt::Debug for Book<A> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Book").field("rules", &self.rules).field("bids", &self.bids).field("asks", &self.asks).finish()
	}
}

/// Why matching stopped.
enum Stop {
	/// The incoming order has nothing left.
	Filled,
	/// Nothing on the other side crosses its price any more.
	NoMore,
	/// The step budget is spent while something still crosses.
	Budget,
	/// The next resting order is the owner's own and the market cancels the newest.
	SelfTrade,
}

impl<A: Clone + PartialEq> Book<A> {
	/// An empty book under `rules`.
	///
	/// `rules.tick` and `rules.lot` must be positive: a zero tick or lot would make every price or
	/// quantity invalid, so [`Book::place`] would refuse every order.
	pub fn new(rules: MarketRules) -> Self {
		Book { rules, bids: BTreeMap::new(), asks: BTreeMap::new(), index: Index::default(), spare: Vec::new() }
	}

	/// The market's rules.
	pub fn rules(&self) -> &MarketRules {
		&self.rules
	}

	/// Change the self-trade prevention mode (tick and lot are fixed for a book's life, because
	/// resting orders were validated against them).
	pub fn set_self_trade_prevention(&mut self, stp: SelfTradePrevention) {
		self.rules.stp = stp;
	}

	/// Number of resting orders.
	pub fn len(&self) -> usize {
		self.index.len()
	}

	/// Whether no order rests.
	pub fn is_empty(&self) -> bool {
		self.index.is_empty()
	}

	/// Number of price levels on `side`.
	pub fn level_count(&self, side: Side) -> usize {
		self.side(side).len()
	}

	/// The highest bid price.
	pub fn best_bid(&self) -> Option<Price> {
		self.bids.keys().next_back().copied()
	}

	/// The lowest ask price.
	pub fn best_ask(&self) -> Option<Price> {
		self.asks.keys().next().copied()
	}

	/// The best price on `side`.
	pub fn best(&self, side: Side) -> Option<Price> {
		match side {
			Side::Buy => self.best_bid(),
			Side::Sell => self.best_ask(),
		}
	}

	/// The resting order `id`, with its side and price.
	pub fn get(&self, id: OrderId) -> Option<OrderView<A>> {
		let &(side, price) = self.index.get(&id)?;
		let level = self.side(side).get(&price)?;
		let order = level.queue.iter().find(|o| o.id == id)?.clone();
		Some(OrderView { order, side, price })
	}

	/// How many orders of `owner` rest on the book (a walk of the book: for a bound checked once
	/// per placement, not for loops).
	pub fn count_owned(&self, owner: &A) -> usize
	where
		A: PartialEq,
	{
		[Side::Buy, Side::Sell]
			.into_iter()
			.flat_map(|side| self.side(side).values())
			.map(|level| level.queue.iter().filter(|o| &o.owner == owner).count())
			.sum()
	}

	/// Whether an order `id` rests.
	pub fn contains(&self, id: OrderId) -> bool {
		self.index.contains_key(&id)
	}

	/// The best `n` levels of `side`, best first.
	pub fn depth(&self, side: Side, n: usize) -> Vec<LevelView> {
		self.levels(side)
			.take(n)
			.map(|(&price, level)| LevelView { price, quantity: level.total, orders: level.queue.len() as u32 })
			.collect()
	}

	/// The resting orders of `side` in priority order (best price first, oldest first), each
	/// with its price.
	pub fn orders(&self, side: Side) -> impl Iterator<Item = (Price, &RestingOrder<A>)> + '_ {
		self.levels(side).flat_map(|(&price, level)| level.queue.iter().map(move |o| (price, o)))
	}

	/// The ids of resting orders expired at `now`, at most `max`, bids before asks, each side in
	/// priority order.
	pub fn expired(&self, now: Moment, max: usize) -> Vec<OrderId> {
		self.orders(Side::Buy)
			.chain(self.orders(Side::Sell))
			.filter(|(_, o)| o.is_expired(now))
			.map(|(_, o)| o.id)
			.take(max)
			.collect()
	}

	fn side(&self, side: Side) -> &BTreeMap<Price, Level<A>> {
		match side {
			Side::Buy => &self.bids,
			Side::Sell => &self.asks,
		}
	}

	fn side_mut(&mut self, side: Side) -> &mut BTreeMap<Price, Level<A>> {
		match side {
			Side::Buy => &mut self.bids,
			Side::Sell => &mut self.asks,
		}
	}

	/// The levels of `side`, best first.
	fn levels(&self, side: Side) -> impl Iterator<Item = (&Price, &Level<A>)> + '_ {
		let (bids, asks) = match side {
			Side::Buy => (Some(self.bids.iter().rev()), None),
			Side::Sell => (None, Some(self.asks.iter())),
		};
		bids.into_iter().flatten().chain(asks.into_iter().flatten())
	}

	fn check_quantity(&self, quantity: Quantity) -> Result<(), Reject> {
		if quantity == 0 {
			return Err(Reject::ZeroQuantity);
		}
		if !quantity.is_multiple_of(self.rules.lot) {
			return Err(Reject::NotLotMultiple);
		}
		Ok(())
	}

	fn check_price(&self, price: Price) -> Result<(), Reject> {
		if price == 0 {
			return Err(Reject::ZeroPrice);
		}
		if !price.is_multiple_of(self.rules.tick) {
			return Err(Reject::NotTickMultiple);
		}
		Ok(())
	}

	/// Whether an order of `side` limited to `price` would meet the other side's best level.
	pub fn would_cross(&self, side: Side, price: Price) -> bool {
		self.best(side.opposite()).is_some_and(|best| side.crosses(price, best))
	}

	/// Check `request` as [`Book::place`] would, without changing anything.
	pub fn validate(&self, request: &OrderRequest<A>, now: Moment) -> Result<(), Reject> {
		self.check_quantity(request.quantity)?;
		match request.kind {
			OrderType::Limit { price, tif, post_only } => {
				self.check_price(price)?;
				if post_only && matches!(tif, TimeInForce::Ioc | TimeInForce::Fok) {
					return Err(Reject::PostOnlyNotResting);
				}
				if let TimeInForce::Gtd(at) = tif {
					if at <= now {
						return Err(Reject::AlreadyExpired);
					}
				}
				if self.index.contains_key(&request.id) {
					return Err(Reject::DuplicateOrderId);
				}
				if post_only && self.would_cross(request.side, price) {
					return Err(Reject::PostOnlyWouldTrade);
				}
			},
			OrderType::Market { protection } => {
				if protection == 0 {
					return Err(Reject::ZeroPrice);
				}
				if self.index.contains_key(&request.id) {
					return Err(Reject::DuplicateOrderId);
				}
			},
		}
		Ok(())
	}

	/// Match an incoming order and rest what it leaves, if its type rests.
	///
	/// `now` decides which good-till-date orders have expired: expired resting orders met while
	/// matching are removed instead of trading. `budget` bounds the work: each fill, and each
	/// removal of an expired or self-trading resting order, is one step; when the budget is
	/// spent while the order could still trade, it is reported [`Outcome::Suspended`] and the
	/// caller resubmits the rest later. A fill-or-kill order that would need more steps than the
	/// budget is cancelled.
	///
	/// On `Err` nothing changed and `out` is cleared.
	pub fn place(
		&mut self,
		request: OrderRequest<A>,
		now: Moment,
		budget: u32,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		self.place_filtered(request, now, budget, |_| true, out)
	}

	/// [`Book::place`], where a resting order whose owner `tradable` refuses (an owner that may
	/// no longer trade) is met like an expired one: removed ([`RemovalReason::Ineligible`], one
	/// step) instead of trading.
	pub fn place_filtered(
		&mut self,
		request: OrderRequest<A>,
		now: Moment,
		budget: u32,
		tradable: impl Fn(&A) -> bool,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		out.clear();
		self.validate(&request, now)?;
		self.execute(request, now, budget, &tradable, out);
		Ok(())
	}

	/// [`Book::place`] after validation: match `request` and rest what it leaves, if its type
	/// rests. `out` must be clear.
	fn execute(
		&mut self,
		request: OrderRequest<A>,
		now: Moment,
		budget: u32,
		tradable: &impl Fn(&A) -> bool,
		out: &mut Execution<A>,
	) {
		let limit = request.kind.limit_price();
		if matches!(request.kind, OrderType::Limit { tif: TimeInForce::Fok, .. })
			&& !self.fillable(&request, limit, now, budget, tradable)
		{
			out.outcome = Outcome::Cancelled(request.quantity, CancelReason::FillOrKill);
			return;
		}
		let mut remaining = request.quantity;
		let stop = self.match_incoming(&request, limit, &mut remaining, now, budget, tradable, out);
		out.outcome = match stop {
			Stop::Filled => Outcome::Filled,
			Stop::Budget => Outcome::Suspended(remaining),
			Stop::SelfTrade => Outcome::Cancelled(remaining, CancelReason::SelfTrade),
			Stop::NoMore if request.kind.rests() => {
				let (post_only, expires_at) = match request.kind {
					OrderType::Limit { post_only, .. } => (post_only, request.kind.expiry()),
					OrderType::Market { .. } => (false, None),
				};
				out.undo.rested = Some(request.id);
				self.rest(
					request.side,
					limit,
					RestingOrder { id: request.id, owner: request.owner, remaining, expires_at, post_only },
				);
				Outcome::Resting(remaining)
			},
			Stop::NoMore => Outcome::Cancelled(remaining, CancelReason::NoLiquidity),
		};
	}

	/// Whether `request` can trade its whole quantity now within `budget` steps.
	fn fillable(
		&self,
		request: &OrderRequest<A>,
		limit: Price,
		now: Moment,
		budget: u32,
		tradable: &impl Fn(&A) -> bool,
	) -> bool {
		let mut needed = request.quantity;
		let mut steps = 0u32;
		for (&price, level) in self.levels(request.side.opposite()) {
			if !request.side.crosses(limit, price) {
				return false;
			}
			for maker in &level.queue {
				if steps == budget {
					return false;
				}
				steps += 1;
				if maker.is_expired(now) || !tradable(&maker.owner) {
					continue;
				}
				if maker.owner == request.owner {
					match self.rules.stp {
						SelfTradePrevention::CancelNewest => return false,
						SelfTradePrevention::CancelOldest => continue,
					}
				}
				needed -= needed.min(maker.remaining);
				if needed == 0 {
					return true;
				}
			}
		}
		false
	}

	// The request and the matching context (limit, time, budget, filter), apart: bundling them
	// would copy the request on every placement.
	#[allow(clippy::too_many_arguments)]
	fn match_incoming(
		&mut self,
		request: &OrderRequest<A>,
		limit: Price,
		remaining: &mut Quantity,
		now: Moment,
		budget: u32,
		tradable: &impl Fn(&A) -> bool,
		out: &mut Execution<A>,
	) -> Stop {
		let Book { rules, bids, asks, index, spare } = self;
		let taker_side = request.side;
		let (book_side, maker_side) = match taker_side {
			Side::Buy => (asks, Side::Sell),
			Side::Sell => (bids, Side::Buy),
		};
		out.undo.maker_side = maker_side;
		let mut steps = 0u32;
		loop {
			if *remaining == 0 {
				return Stop::Filled;
			}
			let entry = match taker_side {
				Side::Buy => book_side.first_entry(),
				Side::Sell => book_side.last_entry(),
			};
			let Some(mut entry) = entry else { return Stop::NoMore };
			let price = *entry.key();
			if !taker_side.crosses(limit, price) {
				return Stop::NoMore;
			}
			let level = entry.get_mut();
			let mut stop = None;
			while let Some(maker) = level.queue.front_mut() {
				if *remaining == 0 {
					stop = Some(Stop::Filled);
					break;
				}
				if steps == budget {
					stop = Some(Stop::Budget);
					break;
				}
				steps += 1;
				let removal = if maker.is_expired(now) {
					Some(RemovalReason::Expired)
				} else if !tradable(&maker.owner) {
					Some(RemovalReason::Ineligible)
				} else if maker.owner == request.owner {
					match rules.stp {
						SelfTradePrevention::CancelNewest => {
							steps -= 1;
							stop = Some(Stop::SelfTrade);
							break;
						},
						SelfTradePrevention::CancelOldest => Some(RemovalReason::SelfTrade),
					}
				} else {
					None
				};
				if let Some(reason) = removal {
					let order = level.queue.pop_front().expect("front_mut returned Some; qed");
					level.total -= u128::from(order.remaining);
					index.remove(&order.id);
					out.undo.popped.push((price, order.clone()));
					out.removals.push(Removal { order, side: maker_side, price, reason });
					continue;
				}
				let quantity = (*remaining).min(maker.remaining);
				let before = maker.remaining;
				maker.remaining -= quantity;
				level.total -= u128::from(quantity);
				*remaining -= quantity;
				out.fills.push(Fill {
					maker: maker.id,
					maker_owner: maker.owner.clone(),
					taker: request.id,
					taker_side,
					price,
					quantity,
					maker_remaining: maker.remaining,
				});
				if maker.remaining == 0 {
					let id = maker.id;
					if let Some(order) = level.queue.pop_front() {
						out.undo.popped.push((price, RestingOrder { remaining: before, ..order }));
					}
					index.remove(&id);
				} else {
					out.undo.reduced = Some((price, maker.id, before));
				}
			}
			if level.queue.is_empty() {
				recycle(spare, entry.remove().queue);
			}
			if let Some(stop) = stop {
				return stop;
			}
		}
	}

	fn rest(&mut self, side: Side, price: Price, order: RestingOrder<A>) {
		self.index.insert(order.id, (side, price));
		let Book { bids, asks, spare, .. } = self;
		let levels = match side {
			Side::Buy => bids,
			Side::Sell => asks,
		};
		let level = levels.entry(price).or_insert_with(|| Level { total: 0, queue: spare.pop().unwrap_or_default() });
		level.total += u128::from(order.remaining);
		level.queue.push_back(order);
	}

	/// Remove the resting order `id` and return it.
	pub fn cancel(&mut self, id: OrderId) -> Result<OrderView<A>, Reject> {
		let (side, price) = self.index.remove(&id).ok_or(Reject::UnknownOrder)?;
		let Book { bids, asks, spare, .. } = self;
		let levels = match side {
			Side::Buy => bids,
			Side::Sell => asks,
		};
		let mut entry = match levels.entry(price) {
			Entry::Occupied(e) => e,
			Entry::Vacant(_) => return Err(Reject::UnknownOrder),
		};
		let level = entry.get_mut();
		let position = level.queue.iter().position(|o| o.id == id).ok_or(Reject::UnknownOrder)?;
		let order = level.queue.remove(position).ok_or(Reject::UnknownOrder)?;
		level.total -= u128::from(order.remaining);
		if level.queue.is_empty() {
			recycle(spare, entry.remove().queue);
		}
		Ok(OrderView { order, side, price })
	}

	/// Remove the resting order `id` if it has expired at `now`.
	pub fn expire(&mut self, id: OrderId, now: Moment) -> Result<OrderView<A>, Reject> {
		let view = self.get(id).ok_or(Reject::UnknownOrder)?;
		if !view.order.is_expired(now) {
			return Err(Reject::NotExpired);
		}
		self.cancel(id)
	}

	/// Lower the remaining quantity of resting order `id` to `quantity`, keeping its place in
	/// the queue. Returns the quantity removed.
	pub fn reduce(&mut self, id: OrderId, quantity: Quantity) -> Result<Quantity, Reject> {
		self.check_quantity(quantity)?;
		let &(side, price) = self.index.get(&id).ok_or(Reject::UnknownOrder)?;
		let level = self.side_mut(side).get_mut(&price).ok_or(Reject::UnknownOrder)?;
		let order = level.queue.iter_mut().find(|o| o.id == id).ok_or(Reject::UnknownOrder)?;
		if quantity >= order.remaining {
			return Err(Reject::NotAReduction);
		}
		let removed = order.remaining - quantity;
		order.remaining = quantity;
		level.total -= u128::from(removed);
		Ok(removed)
	}

	/// Change the price and/or remaining quantity of resting order `id`.
	///
	/// At the same price with a quantity no larger than what remains, the order keeps its place
	/// (a reduce). Otherwise it loses its place: it is taken off the book and placed again, with
	/// its id, owner, expiry and post-only flag, and may trade if the new price crosses. A
	/// post-only order whose new price would trade is refused and left as it was.
	///
	/// On `Err` nothing changed. On `Ok`, `out` reports the new placement.
	pub fn replace(
		&mut self,
		id: OrderId,
		price: Price,
		quantity: Quantity,
		now: Moment,
		budget: u32,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		self.replace_filtered(id, price, quantity, now, budget, |_| true, out)
	}

	/// [`Book::replace`], meeting resting orders as [`Book::place_filtered`] does.
	#[allow(clippy::too_many_arguments)]
	pub fn replace_filtered(
		&mut self,
		id: OrderId,
		price: Price,
		quantity: Quantity,
		now: Moment,
		budget: u32,
		tradable: impl Fn(&A) -> bool,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		out.clear();
		self.check_quantity(quantity)?;
		self.check_price(price)?;
		// One index look-up and one level look-up: the checks read the order where it rests,
		// and the move takes it from there.
		let &(side, old_price) = self.index.get(&id).ok_or(Reject::UnknownOrder)?;
		let Book { bids, asks, spare, .. } = self;
		let (levels, other) = match side {
			Side::Buy => (bids, &*asks),
			Side::Sell => (asks, &*bids),
		};
		let Entry::Occupied(mut entry) = levels.entry(old_price) else {
			return Err(Reject::UnknownOrder);
		};
		let level = entry.get_mut();
		let position = level.queue.iter().position(|o| o.id == id).ok_or(Reject::UnknownOrder)?;
		let order = &mut level.queue[position];
		if order.is_expired(now) {
			return Err(Reject::AlreadyExpired);
		}
		if price == old_price && quantity <= order.remaining {
			// A reduce (or nothing): the order keeps its place.
			let removed = order.remaining - quantity;
			order.remaining = quantity;
			level.total -= u128::from(removed);
			out.outcome = Outcome::Resting(quantity);
			return Ok(());
		}
		if order.post_only {
			// As `would_cross`: the other side's best level.
			let best = match side {
				Side::Buy => other.keys().next(),
				Side::Sell => other.keys().next_back(),
			};
			if best.is_some_and(|&best| side.crosses(price, best)) {
				return Err(Reject::PostOnlyWouldTrade);
			}
		}
		let old = level.queue.remove(position).expect("position is in the queue; qed");
		level.total -= u128::from(old.remaining);
		if level.queue.is_empty() {
			recycle(spare, entry.remove().queue);
		}
		let tif = match old.expires_at {
			Some(at) => TimeInForce::Gtd(at),
			None => TimeInForce::Gtc,
		};
		let request = OrderRequest {
			id,
			owner: old.owner,
			side,
			quantity,
			kind: OrderType::Limit { price, tif, post_only: old.post_only },
		};
		// `place`'s checks all hold: the quantity and price were checked above, the order has
		// left its level (so its id is not resting), its expiry is in the future, and a post-only
		// order does not cross (taking it off its own side did not change the other side).
		// Its index entry stays while it matches (matching only looks makers up, never the
		// incoming id): resting overwrites it, anything else removes it. One hash probe fewer
		// than removing it here and inserting it again.
		self.execute(request, now, budget, &tradable, out);
		if !matches!(out.outcome, Outcome::Resting(_)) {
			self.index.remove(&id);
		}
		Ok(())
	}

	/// Take back the [`Book::place`] that produced `exec`, which must be the last change made
	/// to the book: the incoming order leaves the book, and every resting order it traded with
	/// or removed is back where it was, with what it had left. (A caller whose work after a
	/// placement fails uses this instead of keeping a copy of the book.)
	pub fn undo_place(&mut self, exec: &Execution<A>) {
		if let Some(id) = exec.undo.rested {
			let _ = self.cancel(id);
		}
		let side = exec.undo.maker_side;
		if let Some((price, id, before)) = exec.undo.reduced {
			if let Some(level) = self.side_mut(side).get_mut(&price) {
				if let Some(order) = level.queue.front_mut().filter(|o| o.id == id) {
					level.total += u128::from(before - order.remaining);
					order.remaining = before;
				}
			}
		}
		for (price, order) in exec.undo.popped.iter().rev() {
			self.index.insert(order.id, (side, *price));
			let Book { bids, asks, spare, .. } = self;
			let levels = match side {
				Side::Buy => bids,
				Side::Sell => asks,
			};
			let level =
				levels.entry(*price).or_insert_with(|| Level { total: 0, queue: spare.pop().unwrap_or_default() });
			level.total += u128::from(order.remaining);
			level.queue.push_front(order.clone());
		}
	}

	/// Check the book's invariants:
	/// - every level is non-empty, its total is the sum of its orders' remaining quantities;
	/// - every order has a positive remaining quantity that is a multiple of the lot, and rests
	///   at a positive multiple of the tick;
	/// - the index lists exactly the resting orders, each where it rests, and ids are unique;
	/// - the book is not crossed: the best bid is below the best ask.
	pub fn check_invariants(&self) -> Result<(), &'static str> {
		let mut count = 0usize;
		for side in [Side::Buy, Side::Sell] {
			for (&price, level) in self.side(side) {
				if level.queue.is_empty() {
					return Err("empty price level");
				}
				if price == 0 || price % self.rules.tick != 0 {
					return Err("level price off the tick grid");
				}
				let mut total = 0u128;
				for order in &level.queue {
					if order.remaining == 0 || order.remaining % self.rules.lot != 0 {
						return Err("resting quantity zero or off the lot grid");
					}
					if self.index.get(&order.id) != Some(&(side, price)) {
						return Err("order index disagrees with the levels");
					}
					total += u128::from(order.remaining);
					count += 1;
				}
				if total != level.total {
					return Err("level total is not the sum of its orders");
				}
			}
		}
		if count != self.index.len() {
			return Err("order index lists orders that do not rest (or ids repeat)");
		}
		if let (Some(bid), Some(ask)) = (self.best_bid(), self.best_ask()) {
			if bid >= ask {
				return Err("crossed book at rest");
			}
		}
		Ok(())
	}
}
