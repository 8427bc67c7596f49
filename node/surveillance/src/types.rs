//! What the surveillance store takes in (a finalized block as plain data) and what it keeps
//! (order records, lifecycle entries, alerts).

use codec::{Decode, Encode};

/// An account id (32 bytes, as the runtime's).
pub type Account = [u8; 32];
/// An order id.
pub type OrderId = u64;
/// A market id.
pub type MarketId = u32;
/// A price, in the cash asset's smallest unit per share.
pub type Price = u64;
/// A quantity of shares.
pub type Quantity = u64;
/// A settlement id.
pub type SettlementId = u64;
/// A settlement day.
pub type Day = u32;

/// Buy or sell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
pub enum Side {
	/// Buy.
	Buy,
	/// Sell.
	Sell,
}

impl Side {
	/// The other side.
	pub fn opposite(self) -> Side {
		match self {
			Side::Buy => Side::Sell,
			Side::Sell => Side::Buy,
		}
	}
}

/// One order-book event of a block, in the block's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
	/// An order was accepted.
	Placed {
		/// Its id.
		order: OrderId,
		/// Its market.
		market: MarketId,
		/// The account it is for.
		account: Account,
		/// Buy or sell.
		side: Side,
		/// Shares.
		quantity: Quantity,
		/// Its limit price (`None`: a market order).
		limit: Option<Price>,
		/// Whether it is a stop order waiting for its trigger.
		stop: bool,
	},
	/// A resting order's price or quantity changed.
	Replaced {
		/// The order.
		order: OrderId,
		/// Its price now.
		price: Price,
		/// Its remaining quantity now.
		quantity: Quantity,
	},
	/// An order left the book (or never rested) with some of it untraded.
	Cancelled {
		/// The order.
		order: OrderId,
		/// Its owner.
		account: Account,
		/// What it had left.
		remaining: Quantity,
		/// Whether its owner (or its broker for it) cancelled it.
		by_owner: bool,
		/// Why, as the runtime names it.
		reason: String,
	},
	/// A good-till-date order expired.
	Expired {
		/// The order.
		order: OrderId,
		/// Its owner.
		account: Account,
		/// What it had left.
		remaining: Quantity,
	},
	/// Two orders traded.
	Filled {
		/// The market.
		market: MarketId,
		/// The resting order.
		maker_order: OrderId,
		/// The incoming order.
		taker_order: OrderId,
		/// The resting order's owner.
		maker: Account,
		/// The incoming order's owner.
		taker: Account,
		/// The incoming order's side.
		taker_side: Side,
		/// The price.
		price: Price,
		/// Shares.
		quantity: Quantity,
		/// The settlement that settled it.
		settlement: SettlementId,
	},
	/// An order-book or margin call of `account` failed.
	Rejected {
		/// The account that signed the call (or the broker whose batch item it was).
		account: Account,
		/// The call, `Pallet.call`.
		call: String,
		/// Why, `Pallet::Error`.
		error: String,
	},
}

/// A market as it stood before the block: what "near the best price" and "at the band limit"
/// are measured against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarketView {
	/// The best bid.
	pub best_bid: Option<Price>,
	/// The best ask.
	pub best_ask: Option<Price>,
	/// The last trade price.
	pub last_price: Option<Price>,
	/// The lowest price orders may have.
	pub band_low: Price,
	/// The highest price orders may have.
	pub band_high: Price,
}

impl MarketView {
	/// The band limit an order on `side` may go to: the upper for a buy, the lower for a sell
	/// (0 when the node gave no band).
	pub fn limit_for(&self, side: Side) -> Price {
		match side {
			Side::Buy => self.band_high,
			Side::Sell => self.band_low,
		}
	}
}

/// A finalized block as the store takes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockInput {
	/// Its number.
	pub number: u32,
	/// Its hash.
	pub hash: [u8; 32],
	/// Its timestamp, in milliseconds.
	pub time_ms: u64,
	/// Its settlement day.
	pub day: Day,
	/// Its order-book events in order.
	pub events: Vec<Input>,
	/// Each market an order was placed, replaced or traded in, as it stood before the block.
	pub markets: std::collections::BTreeMap<MarketId, MarketView>,
	/// The beneficial owner of each account that traded in the block, where it is another
	/// account (a credit account's owner).
	pub owners: std::collections::BTreeMap<Account, Account>,
}

impl BlockInput {
	/// The beneficial owner of `account`.
	pub fn owner(&self, account: &Account) -> Account {
		*self.owners.get(account).unwrap_or(account)
	}
}

/// An order as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct OrderRecord {
	/// The account it is for.
	pub account: Account,
	/// Its market.
	pub market: MarketId,
	/// Buy or sell.
	pub side: Side,
	/// Shares ordered (after a replacement, its remaining quantity then).
	pub quantity: Quantity,
	/// Its limit (`None`: a market order); after a replacement, its new price.
	pub limit: Option<Price>,
	/// The block it was placed in.
	pub block: u32,
	/// That block's time, in milliseconds.
	pub time_ms: u64,
	/// Since when (block time) it has been large and priced near the best price (a spoofing
	/// candidate), if it is: from its placement, or from the replacement that made it one.
	pub spoof_candidate_since: Option<u64>,
}

/// What happened to an order (or, for a rejection, to a call).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Event {
	/// Accepted.
	Placed {
		/// Its market.
		market: MarketId,
		/// Buy or sell.
		side: Side,
		/// Shares.
		quantity: Quantity,
		/// Its limit.
		limit: Option<Price>,
		/// A stop order waiting for its trigger.
		stop: bool,
	},
	/// Its price or quantity changed.
	Replaced {
		/// Price now.
		price: Price,
		/// Remaining quantity now.
		quantity: Quantity,
	},
	/// Traded.
	Filled {
		/// The price.
		price: Price,
		/// Shares.
		quantity: Quantity,
		/// The settlement.
		settlement: SettlementId,
		/// Whether the order was the resting one.
		maker: bool,
		/// The other order's owner.
		counterparty: Account,
	},
	/// Left the book untraded in part.
	Cancelled {
		/// What it had left.
		remaining: Quantity,
		/// Why.
		reason: String,
	},
	/// Expired.
	Expired {
		/// What it had left.
		remaining: Quantity,
	},
	/// A call failed.
	Rejected {
		/// The call.
		call: String,
		/// The error.
		error: String,
	},
}

/// One lifecycle entry: an event, its order (none for a rejection) and its block.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Entry {
	/// The order.
	pub order: Option<OrderId>,
	/// The block.
	pub block: u32,
	/// The block's time, in milliseconds.
	pub time_ms: u64,
	/// What happened.
	pub event: Event,
}

/// What a detector found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
pub enum AlertKind {
	/// Orders and cancels at a high rate.
	HighFrequency,
	/// Frequent cancels within a second of placing, with a high cancel ratio.
	QuickCancel,
	/// Large orders near the best price cancelled quickly while trading the other side.
	Spoofing,
	/// Buyer and seller have the same beneficial owner.
	WashTrade,
	/// Two accounts trading a market back and forth.
	MatchedTrades,
	/// A large share of the volume of a window in which the price moved.
	PricePushing,
	/// A large share of the orders at the band limit.
	BandHold,
}

impl AlertKind {
	/// Every kind.
	pub const ALL: [AlertKind; 7] = [
		AlertKind::HighFrequency,
		AlertKind::QuickCancel,
		AlertKind::Spoofing,
		AlertKind::WashTrade,
		AlertKind::MatchedTrades,
		AlertKind::PricePushing,
		AlertKind::BandHold,
	];

	/// Its name in the RPC and configuration (`highFrequency`, ...).
	pub fn name(self) -> &'static str {
		match self {
			AlertKind::HighFrequency => "highFrequency",
			AlertKind::QuickCancel => "quickCancel",
			AlertKind::Spoofing => "spoofing",
			AlertKind::WashTrade => "washTrade",
			AlertKind::MatchedTrades => "matchedTrades",
			AlertKind::PricePushing => "pricePushing",
			AlertKind::BandHold => "bandHold",
		}
	}

	/// The kind named `name`.
	pub fn from_name(name: &str) -> Option<AlertKind> {
		Self::ALL.into_iter().find(|k| k.name() == name)
	}

	pub(crate) fn tag(self) -> u8 {
		self as u8
	}
}

/// The most order and trade ids an alert carries as evidence.
pub const MAX_EVIDENCE: usize = 50;

/// An alert: what was found, about whom, when, and the orders and trades that show it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Alert {
	/// Its id, in the order found.
	pub id: u64,
	/// What was found.
	pub kind: AlertKind,
	/// The settlement day.
	pub day: Day,
	/// The block it was found in.
	pub block: u32,
	/// That block's time, in milliseconds.
	pub time_ms: u64,
	/// The account.
	pub account: Account,
	/// The other account, for wash and matched trades.
	pub counterparty: Option<Account>,
	/// The market, where the finding is about one.
	pub market: Option<MarketId>,
	/// What was measured against which threshold.
	pub detail: String,
	/// The orders that show it (at most [`MAX_EVIDENCE`]).
	pub orders: Vec<OrderId>,
	/// The trades (settlement ids) that show it (at most [`MAX_EVIDENCE`]).
	pub trades: Vec<SettlementId>,
}
