//! Orders, market rules and what matching reports.

use alloc::vec::Vec;

/// Identifier of an order, unique within a book (the pallet makes it unique on the chain).
pub type OrderId = u64;
/// A price: the smallest unit of the cash asset per unit of the security (fen per share).
pub type Price = u64;
/// A quantity of the security in its smallest unit (shares).
pub type Quantity = u64;
/// A point in time as the caller counts it (the pallet uses block numbers). Only compared.
pub type Moment = u64;

macro_rules! scale_derive {
	($(#[$m:meta])* $vis:vis $kind:ident $name:ident $($rest:tt)*) => {
		$(#[$m])*
		#[cfg_attr(
			feature = "codec",
			derive(
				codec::Encode,
				codec::Decode,
				codec::DecodeWithMemTracking,
				codec::MaxEncodedLen,
				scale_info::TypeInfo
			)
		)]
		#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
		$vis $kind $name $($rest)*
	};
}

scale_derive! {
	/// Which side of the book an order is on.
	#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
	pub enum Side {
		/// A bid: buys the security, pays cash.
		Buy,
		/// An ask: sells the security, receives cash.
		Sell,
	}
}

impl Side {
	/// The side an order of this side matches against.
	pub fn opposite(self) -> Side {
		match self {
			Side::Buy => Side::Sell,
			Side::Sell => Side::Buy,
		}
	}

	/// Whether a resting order of the opposite side at `resting` can trade with an order of this
	/// side limited to `limit`.
	pub fn crosses(self, limit: Price, resting: Price) -> bool {
		match self {
			Side::Buy => resting <= limit,
			Side::Sell => resting >= limit,
		}
	}
}

scale_derive! {
	/// What happens when an incoming order would trade with a resting order of the same owner.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
	pub enum SelfTradePrevention {
		/// The incoming order's remaining quantity is cancelled; the resting order stays.
		#[default]
		CancelNewest,
		/// The resting order is cancelled and the incoming order goes on matching.
		CancelOldest,
	}
}

scale_derive! {
	/// The rules of one market: its price grid, its quantity grid and its self-trade rule.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub struct MarketRules {
		/// Prices must be positive multiples of this (> 0).
		pub tick: Price,
		/// Quantities must be positive multiples of this (> 0).
		pub lot: Quantity,
		/// The self-trade prevention mode.
		pub stp: SelfTradePrevention,
	}
}

scale_derive! {
	/// How long a limit order stays on the book.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum TimeInForce {
		/// Good till cancelled.
		Gtc,
		/// Good till the given moment: from then on it no longer trades and is removed.
		Gtd(Moment),
		/// Immediate or cancel: trades what it can now, the rest is cancelled.
		Ioc,
		/// Fill or kill: trades its whole quantity now, or nothing.
		Fok,
	}
}

scale_derive! {
	/// The kind of an incoming order.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum OrderType {
		/// A limit order.
		Limit {
			/// The worst price it trades at.
			price: Price,
			/// How long it lives.
			tif: TimeInForce,
			/// Refuse the order if it would trade on arrival (it only ever makes liquidity).
			post_only: bool,
		},
		/// A market order: trades immediately at the best prices, but never beyond `protection`;
		/// what it cannot trade is cancelled.
		Market {
			/// The worst price it may trade at.
			protection: Price,
		},
	}
}

impl OrderType {
	/// The worst price the order may trade at.
	pub fn limit_price(&self) -> Price {
		match *self {
			OrderType::Limit { price, .. } => price,
			OrderType::Market { protection } => protection,
		}
	}

	/// Whether what the order does not trade on arrival rests on the book.
	pub fn rests(&self) -> bool {
		matches!(self, OrderType::Limit { tif: TimeInForce::Gtc | TimeInForce::Gtd(_), .. })
	}

	/// The expiry of a resting order of this type.
	pub fn expiry(&self) -> Option<Moment> {
		match *self {
			OrderType::Limit { tif: TimeInForce::Gtd(at), .. } => Some(at),
			_ => None,
		}
	}
}

/// An order arriving at the book.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OrderRequest<A> {
	/// Its id; no resting order may have it.
	pub id: OrderId,
	/// Who owns it (self-trade prevention compares owners).
	pub owner: A,
	/// Buy or sell.
	pub side: Side,
	/// How much to trade.
	pub quantity: Quantity,
	/// Limit or market, and their parameters.
	pub kind: OrderType,
}

scale_derive! {
	/// A resting order as it sits in its price level's queue.
	#[derive(Clone, PartialEq, Eq, Debug)]
	pub struct RestingOrder<A> {
		/// Its id.
		pub id: OrderId,
		/// Its owner.
		pub owner: A,
		/// The quantity still to trade.
		pub remaining: Quantity,
		/// When it expires (`None`: good till cancelled).
		pub expires_at: Option<Moment>,
		/// Whether it was placed post-only (a replace that would trade is refused).
		pub post_only: bool,
	}
}

impl<A> RestingOrder<A> {
	/// Whether the order no longer trades at `now`.
	pub fn is_expired(&self, now: Moment) -> bool {
		self.expires_at.is_some_and(|at| at <= now)
	}
}

/// A resting order together with where it rests.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OrderView<A> {
	/// The order.
	pub order: RestingOrder<A>,
	/// Its side.
	pub side: Side,
	/// Its price level.
	pub price: Price,
}

scale_derive! {
	/// Why an order request was refused. A refused request changes nothing.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum Reject {
		/// The quantity is zero.
		ZeroQuantity,
		/// The quantity is not a multiple of the market's lot.
		NotLotMultiple,
		/// The price is zero.
		ZeroPrice,
		/// The price is not a multiple of the market's tick.
		NotTickMultiple,
		/// An order with this id is already resting.
		DuplicateOrderId,
		/// A post-only order with immediate-or-cancel or fill-or-kill.
		PostOnlyNotResting,
		/// A good-till-date order whose date has passed.
		AlreadyExpired,
		/// A post-only order (or a replace of one) that would trade on arrival.
		PostOnlyWouldTrade,
		/// No resting order has this id.
		UnknownOrder,
		/// A reduce that does not reduce (or reduces to zero: cancel instead).
		NotAReduction,
		/// An expiry of an order whose expiry has not passed (or that has none).
		NotExpired,
	}
}

impl Reject {
	/// A short description for logs and RPC errors.
	pub fn as_str(&self) -> &'static str {
		match self {
			Reject::ZeroQuantity => "quantity is zero",
			Reject::NotLotMultiple => "quantity is not a multiple of the lot",
			Reject::ZeroPrice => "price is zero",
			Reject::NotTickMultiple => "price is not a multiple of the tick",
			Reject::DuplicateOrderId => "an order with this id is resting",
			Reject::PostOnlyNotResting => "post-only orders must rest (GTC or GTD)",
			Reject::AlreadyExpired => "the order's expiry has passed",
			Reject::PostOnlyWouldTrade => "post-only order would trade on arrival",
			Reject::UnknownOrder => "no resting order has this id",
			Reject::NotAReduction => "the new quantity is not below the remaining one",
			Reject::NotExpired => "the order has not expired",
		}
	}
}

/// One trade between the incoming (taker) order and a resting (maker) order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fill<A> {
	/// The resting order.
	pub maker: OrderId,
	/// Its owner.
	pub maker_owner: A,
	/// The incoming order.
	pub taker: OrderId,
	/// The taker's side (the maker is on the other).
	pub taker_side: Side,
	/// The trade price: the maker's.
	pub price: Price,
	/// The quantity traded.
	pub quantity: Quantity,
	/// What the maker has left after this fill (0: it left the book).
	pub maker_remaining: Quantity,
}

/// Why a resting order left the book without trading.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RemovalReason {
	/// Its good-till-date expiry passed.
	Expired,
	/// It would have traded with an incoming order of the same owner (cancel-oldest).
	SelfTrade,
	/// Its owner may no longer trade (the caller's filter refused it).
	Ineligible,
}

/// A resting order the book removed while matching.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Removal<A> {
	/// The order as it was.
	pub order: RestingOrder<A>,
	/// Its side.
	pub side: Side,
	/// Its price.
	pub price: Price,
	/// Why it was removed.
	pub reason: RemovalReason,
}

/// Why the rest of an incoming order was cancelled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CancelReason {
	/// An immediate-or-cancel or market order found no more liquidity within its price.
	NoLiquidity,
	/// A fill-or-kill order could not trade its whole quantity at once (nothing traded).
	FillOrKill,
	/// It would have traded with a resting order of the same owner (cancel-newest).
	SelfTrade,
}

/// What became of an incoming order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
	/// It traded its whole quantity.
	Filled,
	/// The given quantity rests on the book.
	Resting(Quantity),
	/// The given quantity was cancelled.
	Cancelled(Quantity, CancelReason),
	/// The step budget ran out while the order could still trade: the given quantity neither
	/// rests nor is cancelled; the caller resubmits it (with the same id) to go on matching.
	Suspended(Quantity),
}

/// Everything one request did, in order. Reused between calls to avoid allocation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Execution<A> {
	/// The trades, in the order they happened.
	pub fills: Vec<Fill<A>>,
	/// Resting orders removed without trading, in the order it happened.
	pub removals: Vec<Removal<A>>,
	/// What became of the incoming order.
	pub outcome: Outcome,
	/// What [`crate::Book::undo_place`] needs to take the request back.
	pub(crate) undo: UndoLog<A>,
}

/// How a placement changed the book, so that it can be taken back. Bookkeeping, not part of
/// what happened: it never makes two executions unequal.
#[derive(Clone, Debug)]
pub(crate) struct UndoLog<A> {
	/// The side the resting orders met were on.
	pub(crate) maker_side: Side,
	/// Resting orders taken off the front of their level, in order, as they were before.
	pub(crate) popped: Vec<(Price, RestingOrder<A>)>,
	/// The resting order left partly filled at the front of its level: its price, id and what
	/// it had left before.
	pub(crate) reduced: Option<(Price, OrderId, Quantity)>,
	/// Where the incoming order came to rest, if it did.
	pub(crate) rested: Option<OrderId>,
}

impl<A> PartialEq for UndoLog<A> {
	fn eq(&self, _: &Self) -> bool {
		true
	}
}

impl<A> Eq for UndoLog<A> {}

impl<A> Default for UndoLog<A> {
	fn default() -> Self {
		UndoLog { maker_side: Side::Sell, popped: Vec::new(), reduced: None, rested: None }
	}
}

impl<A> Default for Execution<A> {
	fn default() -> Self {
		Execution { fills: Vec::new(), removals: Vec::new(), outcome: Outcome::Filled, undo: UndoLog::default() }
	}
}

impl<A> Execution<A> {
	/// Empty the report for the next request, keeping its allocations.
	pub fn clear(&mut self) {
		self.fills.clear();
		self.removals.clear();
		self.outcome = Outcome::Filled;
		self.undo.popped.clear();
		self.undo.reduced = None;
		self.undo.rested = None;
	}

	/// Total quantity traded.
	pub fn filled(&self) -> Quantity {
		self.fills.iter().map(|f| f.quantity).sum()
	}
}
