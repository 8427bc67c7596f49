//! `surveillance_*` JSON-RPC methods: the alerts the node's surveillance service raised over
//! finalized blocks, each with its evidence (orders and trades), queried by day, account and
//! kind or followed by subscription; each order's lifecycle and each account's lifecycle of a
//! day; the service's progress and thresholds.
//!
//! The types, the thresholds ([`config::Config`]) and the generated client
//! ([`SurveillanceApiClient`]) need nothing of Substrate, so clients link only them. The node's
//! server is `qingsuan_surveillance::server`.
//!
//! Times are block timestamps in milliseconds since the Unix epoch; accounts SS58 strings.

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};

pub mod config;

/// A settlement day: days since 1970-01-01, Beijing time.
pub type Day = u32;

/// The most items one call returns; page with `from`.
pub const MAX_PAGE: u32 = 1_000;

/// The error codes of the `surveillance_*` methods.
pub mod codes {
	/// The node's surveillance store could not be read.
	pub const STORE_ERROR: i32 = 3;
	/// A parameter is out of range or names nothing (JSON-RPC's "invalid params").
	pub const INVALID_PARAMS: i32 = -32602;
}

/// What a detector found.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AlertKind {
	/// Orders and cancels at a high rate (per second or per day).
	HighFrequency,
	/// Frequent cancels within a second of placing, with a high daily cancel ratio.
	QuickCancel,
	/// A large order near the best price cancelled quickly while its owner traded the other
	/// side.
	Spoofing,
	/// Buyer and seller have the same beneficial owner.
	WashTrade,
	/// Two accounts traded a market back and forth.
	MatchedTrades,
	/// A large share of the volume of a window in which the price moved.
	PricePushing,
	/// A large share of the day's orders at a band limit.
	BandHold,
}

/// An alert and its evidence.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert<AccountId> {
	/// Its id, in the order alerts were raised.
	pub id: u64,
	/// What was found.
	pub kind: AlertKind,
	/// The settlement day.
	pub day: Day,
	/// The finalized block it was found in.
	pub block: u32,
	/// That block's time.
	pub time: u64,
	/// The account.
	pub account: AccountId,
	/// The other account (wash and matched trades).
	pub counterparty: Option<AccountId>,
	/// The market, where the finding is about one.
	pub market: Option<u32>,
	/// What was measured against which threshold.
	pub detail: String,
	/// The orders that show it (at most 50).
	pub orders: Vec<u64>,
	/// The trades (settlement ids) that show it (at most 50).
	pub trades: Vec<u64>,
}

/// Buy or sell.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
	/// Buy.
	Buy,
	/// Sell.
	Sell,
}

/// What happened to an order, or a call that failed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum LifecycleEvent<AccountId> {
	/// Accepted.
	Placed {
		/// Its market.
		market: u32,
		/// Buy or sell.
		side: Side,
		/// Shares.
		quantity: u64,
		/// Its limit price (none: a market order).
		limit: Option<u64>,
		/// A stop order waiting for its trigger.
		stop: bool,
	},
	/// Its price or quantity changed.
	Replaced {
		/// Its price now.
		price: u64,
		/// Its remaining quantity now.
		quantity: u64,
	},
	/// Traded.
	Filled {
		/// The price.
		price: u64,
		/// Shares.
		quantity: u64,
		/// The settlement.
		settlement: u64,
		/// Whether this order was the resting one.
		maker: bool,
		/// The other order's owner.
		counterparty: AccountId,
	},
	/// Left the book (or never rested) with some of it untraded.
	Cancelled {
		/// What it had left.
		remaining: u64,
		/// Why, as the runtime names it (`ByOwner`, `NoLiquidity`, ...).
		reason: String,
	},
	/// A good-till-date order expired.
	Expired {
		/// What it had left.
		remaining: u64,
	},
	/// An order-book or margin call failed.
	Rejected {
		/// The call, `Pallet.call`.
		call: String,
		/// Why, `Pallet::Error`.
		error: String,
	},
}

/// One lifecycle entry.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleEntry<AccountId> {
	/// The order (none for a rejected call).
	pub order: Option<u64>,
	/// The finalized block.
	pub block: u32,
	/// Its time.
	pub time: u64,
	/// What happened.
	#[serde(flatten)]
	pub event: LifecycleEvent<AccountId>,
}

/// An order and its lifecycle.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLifecycle<AccountId> {
	/// The order.
	pub order: u64,
	/// The account it is for.
	pub account: AccountId,
	/// Its market.
	pub market: u32,
	/// Buy or sell.
	pub side: Side,
	/// Shares ordered.
	pub quantity: u64,
	/// Its limit price.
	pub limit: Option<u64>,
	/// What happened to it, in order (at most [`MAX_PAGE`] entries).
	pub entries: Vec<LifecycleEntry<AccountId>>,
}

/// A page of an account's lifecycle of a day.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDay<AccountId> {
	/// Entries the account has that day.
	pub total: u64,
	/// Orders placed or replaced that day.
	pub orders: u32,
	/// Owner cancels that day.
	pub cancels: u32,
	/// Owner cancels within the quick-cancel time of placing.
	pub quick_cancels: u32,
	/// The page, from position `from`.
	pub entries: Vec<LifecycleEntry<AccountId>>,
}

/// How far the surveillance service has come, and its thresholds.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
	/// The first finalized block it took.
	pub first: Option<u32>,
	/// The last finalized block it took.
	pub last: Option<u32>,
	/// Alerts raised so far.
	pub alerts: u64,
	/// Blocks whose events could not be read (their orders are missing).
	pub missed: u64,
	/// The detectors' thresholds.
	pub config: config::Config,
}

/// `surveillance_*`.
#[rpc(client, server)]
pub trait SurveillanceApi<AccountId> {
	/// How far the service has come, and its thresholds.
	#[method(name = "surveillance_status", blocking)]
	fn status(&self) -> RpcResult<Status>;

	/// Up to `limit` (default and at most [`MAX_PAGE`]) of `day`'s alerts with ids from `from`
	/// on: all, or those about `account` (either side), or of `kind`, or both.
	#[method(name = "surveillance_alerts", blocking)]
	fn alerts(
		&self,
		day: Day,
		account: Option<AccountId>,
		kind: Option<AlertKind>,
		from: Option<u64>,
		limit: Option<u32>,
	) -> RpcResult<Vec<Alert<AccountId>>>;

	/// The alert `id`.
	#[method(name = "surveillance_alert", blocking)]
	fn alert(&self, id: u64) -> RpcResult<Option<Alert<AccountId>>>;

	/// The order `id` and its lifecycle, if the service saw it placed.
	#[method(name = "surveillance_order", blocking)]
	fn order(&self, id: u64) -> RpcResult<Option<OrderLifecycle<AccountId>>>;

	/// `account`'s lifecycle entries of `day` (its orders and its rejected calls) from
	/// position `from` (default 0), up to `limit`, with its counts of the day.
	#[method(name = "surveillance_accountDay", blocking)]
	fn account_day(
		&self,
		account: AccountId,
		day: Day,
		from: Option<u64>,
		limit: Option<u32>,
	) -> RpcResult<AccountDay<AccountId>>;

	/// Each new alert, as the service finds it in a finalized block.
	#[subscription(
		name = "surveillance_subscribeAlerts" => "surveillance_alertRaised",
		unsubscribe = "surveillance_unsubscribeAlerts",
		item = Alert<AccountId>
	)]
	async fn subscribe_alerts(&self) -> jsonrpsee::core::SubscriptionResult;
}
