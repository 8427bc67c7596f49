//! A deliberately simple reference model of the book, for property tests and fuzzing.
//!
//! Orders sit in one unsorted `Vec` with a sequence number; each match step sorts the crossing
//! orders by price, then sequence, and takes the first. It is slow and obviously price-time
//! priority; the engine must produce exactly what it produces.

use alloc::vec::Vec;

use crate::types::*;

#[derive(Clone, Debug)]
struct ModelOrder<A> {
	side: Side,
	price: Price,
	seq: u64,
	order: RestingOrder<A>,
}

/// The reference model of one market's book.
#[derive(Clone, Debug)]
pub struct Model<A> {
	rules: MarketRules,
	orders: Vec<ModelOrder<A>>,
	next_seq: u64,
}

impl<A: Clone + PartialEq> Model<A> {
	/// An empty book.
	pub fn new(rules: MarketRules) -> Self {
		Model { rules, orders: Vec::new(), next_seq: 0 }
	}

	/// The resting orders of `side` in priority order, with their prices.
	pub fn orders(&self, side: Side) -> Vec<(Price, RestingOrder<A>)> {
		let mut v: Vec<&ModelOrder<A>> = self.orders.iter().filter(|o| o.side == side).collect();
		v.sort_by(|a, b| match side {
			Side::Buy => b.price.cmp(&a.price).then(a.seq.cmp(&b.seq)),
			Side::Sell => a.price.cmp(&b.price).then(a.seq.cmp(&b.seq)),
		});
		v.into_iter().map(|o| (o.price, o.order.clone())).collect()
	}

	fn find(&self, id: OrderId) -> Option<usize> {
		self.orders.iter().position(|o| o.order.id == id)
	}

	fn best_opposite(&self, side: Side) -> Option<Price> {
		self.orders(side.opposite()).first().map(|(p, _)| *p)
	}

	fn check(&self, request: &OrderRequest<A>, now: Moment) -> Result<(), Reject> {
		if request.quantity == 0 {
			return Err(Reject::ZeroQuantity);
		}
		if !request.quantity.is_multiple_of(self.rules.lot) {
			return Err(Reject::NotLotMultiple);
		}
		let (price, post_only) = match request.kind {
			OrderType::Limit { price, tif, post_only } => {
				if price == 0 {
					return Err(Reject::ZeroPrice);
				}
				if price % self.rules.tick != 0 {
					return Err(Reject::NotTickMultiple);
				}
				if post_only && matches!(tif, TimeInForce::Ioc | TimeInForce::Fok) {
					return Err(Reject::PostOnlyNotResting);
				}
				if matches!(tif, TimeInForce::Gtd(at) if at <= now) {
					return Err(Reject::AlreadyExpired);
				}
				(price, post_only)
			},
			OrderType::Market { protection } => {
				if protection == 0 {
					return Err(Reject::ZeroPrice);
				}
				(protection, false)
			},
		};
		if self.find(request.id).is_some() {
			return Err(Reject::DuplicateOrderId);
		}
		if post_only && self.best_opposite(request.side).is_some_and(|b| request.side.crosses(price, b)) {
			return Err(Reject::PostOnlyWouldTrade);
		}
		Ok(())
	}

	/// As [`crate::Book::place`].
	pub fn place(
		&mut self,
		request: OrderRequest<A>,
		now: Moment,
		budget: u32,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		self.place_filtered(request, now, budget, &|_| true, out)
	}

	/// As [`crate::Book::place_filtered`].
	pub fn place_filtered(
		&mut self,
		request: OrderRequest<A>,
		now: Moment,
		budget: u32,
		tradable: &dyn Fn(&A) -> bool,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		out.clear();
		self.check(&request, now)?;
		if matches!(request.kind, OrderType::Limit { tif: TimeInForce::Fok, .. }) {
			// Try it on a copy: fill-or-kill means all of it, now, within the budget, or nothing.
			let mut trial = self.clone();
			let mut trial_out = Execution::default();
			trial.run(request.clone(), now, budget, tradable, &mut trial_out);
			if trial_out.outcome != Outcome::Filled {
				out.outcome = Outcome::Cancelled(request.quantity, CancelReason::FillOrKill);
				return Ok(());
			}
		}
		self.run(request, now, budget, tradable, out);
		Ok(())
	}

	fn run(
		&mut self,
		request: OrderRequest<A>,
		now: Moment,
		budget: u32,
		tradable: &dyn Fn(&A) -> bool,
		out: &mut Execution<A>,
	) {
		let limit = request.kind.limit_price();
		let mut remaining = request.quantity;
		let mut steps = 0;
		loop {
			if remaining == 0 {
				out.outcome = Outcome::Filled;
				return;
			}
			let Some((price, maker)) = self.orders(request.side.opposite()).into_iter().next() else {
				break;
			};
			if !request.side.crosses(limit, price) {
				break;
			}
			if steps == budget {
				out.outcome = Outcome::Suspended(remaining);
				return;
			}
			let at = self.find(maker.id).expect("listed above");
			let reason = if maker.is_expired(now) {
				Some(RemovalReason::Expired)
			} else if !tradable(&maker.owner) {
				Some(RemovalReason::Ineligible)
			} else if maker.owner == request.owner {
				if self.rules.stp == SelfTradePrevention::CancelNewest {
					out.outcome = Outcome::Cancelled(remaining, CancelReason::SelfTrade);
					return;
				}
				Some(RemovalReason::SelfTrade)
			} else {
				None
			};
			steps += 1;
			if let Some(reason) = reason {
				let m = self.orders.remove(at);
				out.removals.push(Removal { order: m.order, side: m.side, price, reason });
				continue;
			}
			let quantity = remaining.min(maker.remaining);
			remaining -= quantity;
			self.orders[at].order.remaining -= quantity;
			let left = self.orders[at].order.remaining;
			out.fills.push(Fill {
				maker: maker.id,
				maker_owner: maker.owner.clone(),
				taker: request.id,
				taker_side: request.side,
				price,
				quantity,
				maker_remaining: left,
			});
			if left == 0 {
				self.orders.remove(at);
			}
		}
		if request.kind.rests() {
			let post_only = matches!(request.kind, OrderType::Limit { post_only: true, .. });
			self.orders.push(ModelOrder {
				side: request.side,
				price: limit,
				seq: self.next_seq,
				order: RestingOrder {
					id: request.id,
					owner: request.owner,
					remaining,
					expires_at: request.kind.expiry(),
					post_only,
				},
			});
			self.next_seq += 1;
			out.outcome = Outcome::Resting(remaining);
		} else {
			out.outcome = Outcome::Cancelled(remaining, CancelReason::NoLiquidity);
		}
	}

	/// As [`crate::Book::cancel`].
	pub fn cancel(&mut self, id: OrderId) -> Result<OrderView<A>, Reject> {
		let at = self.find(id).ok_or(Reject::UnknownOrder)?;
		let m = self.orders.remove(at);
		Ok(OrderView { order: m.order, side: m.side, price: m.price })
	}

	/// As [`crate::Book::expire`].
	pub fn expire(&mut self, id: OrderId, now: Moment) -> Result<OrderView<A>, Reject> {
		let at = self.find(id).ok_or(Reject::UnknownOrder)?;
		if !self.orders[at].order.is_expired(now) {
			return Err(Reject::NotExpired);
		}
		self.cancel(id)
	}

	/// As [`crate::Book::reduce`].
	pub fn reduce(&mut self, id: OrderId, quantity: Quantity) -> Result<Quantity, Reject> {
		if quantity == 0 {
			return Err(Reject::ZeroQuantity);
		}
		if !quantity.is_multiple_of(self.rules.lot) {
			return Err(Reject::NotLotMultiple);
		}
		let at = self.find(id).ok_or(Reject::UnknownOrder)?;
		let order = &mut self.orders[at].order;
		if quantity >= order.remaining {
			return Err(Reject::NotAReduction);
		}
		let removed = order.remaining - quantity;
		order.remaining = quantity;
		Ok(removed)
	}

	/// As [`crate::Book::replace`].
	pub fn replace(
		&mut self,
		id: OrderId,
		price: Price,
		quantity: Quantity,
		now: Moment,
		budget: u32,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		self.replace_filtered(id, price, quantity, now, budget, &|_| true, out)
	}

	/// As [`crate::Book::replace_filtered`].
	#[allow(clippy::too_many_arguments)]
	pub fn replace_filtered(
		&mut self,
		id: OrderId,
		price: Price,
		quantity: Quantity,
		now: Moment,
		budget: u32,
		tradable: &dyn Fn(&A) -> bool,
		out: &mut Execution<A>,
	) -> Result<(), Reject> {
		out.clear();
		if quantity == 0 {
			return Err(Reject::ZeroQuantity);
		}
		if !quantity.is_multiple_of(self.rules.lot) {
			return Err(Reject::NotLotMultiple);
		}
		if price == 0 {
			return Err(Reject::ZeroPrice);
		}
		if !price.is_multiple_of(self.rules.tick) {
			return Err(Reject::NotTickMultiple);
		}
		let at = self.find(id).ok_or(Reject::UnknownOrder)?;
		let old = self.orders[at].clone();
		if old.order.is_expired(now) {
			return Err(Reject::AlreadyExpired);
		}
		if price == old.price && quantity <= old.order.remaining {
			self.orders[at].order.remaining = quantity;
			out.outcome = Outcome::Resting(quantity);
			return Ok(());
		}
		if old.order.post_only && self.best_opposite(old.side).is_some_and(|b| old.side.crosses(price, b)) {
			return Err(Reject::PostOnlyWouldTrade);
		}
		self.orders.remove(at);
		let tif = old.order.expires_at.map_or(TimeInForce::Gtc, TimeInForce::Gtd);
		let request = OrderRequest {
			id,
			owner: old.order.owner,
			side: old.side,
			quantity,
			kind: OrderType::Limit { price, tif, post_only: old.order.post_only },
		};
		self.place_filtered(request, now, budget, tradable, out)
	}
}
