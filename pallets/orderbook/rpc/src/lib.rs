//! `orderbook_*` JSON-RPC methods: markets, depth, orders and an account's open orders, read
//! through the runtime's `OrderbookApi` at the best block or at `at`; a market's recent trades
//! from the node's trade store (finalized, indexed by market).
//!
//! Members place and cancel orders with signed extrinsics; these methods are the read side. The
//! types and the generated client ([`OrderbookApiClient`]) need nothing of Substrate; the node's
//! server ([`server`]) is behind the `server` feature.
//!
//! Prices, quantities and amounts are decimal strings (they may exceed JavaScript's 2^53),
//! accounts SS58 strings. Errors carry a code from [`codes`]; an unknown market is
//! [`codes::INVALID_PARAMS`].

#![cfg_attr(not(feature = "server"), allow(unused_imports))]

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
pub use pallet_settlement_rpc::{codes, AssetId, Day, SettlementId};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub mod server;

/// A market's id.
pub type MarketId = u32;
/// An order's id.
pub type OrderId = u64;

/// Depth levels returned when none are asked for.
pub const DEFAULT_LEVELS: u32 = 10;
/// The most depth levels one call returns.
pub const MAX_LEVELS: u32 = 500;
/// Recent trades returned when no limit is given.
pub const DEFAULT_TRADES: u32 = 50;
/// The most recent trades one call returns.
pub const MAX_TRADES: u32 = 1_000;

/// Whether a market trades.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
	/// Orders are matched.
	Open,
	/// Halted by the operator: orders may be cancelled, none placed.
	Halted,
	/// Closed for good.
	Closed,
}

/// A market with its rules, band, status and last price.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Market {
	/// Its id.
	pub id: MarketId,
	/// The security traded.
	pub security: AssetId,
	/// The cash asset it is priced and paid in.
	pub cash: AssetId,
	/// The price step.
	pub tick: String,
	/// The quantity step.
	pub lot: String,
	/// The day's reference price, the centre of the band.
	pub reference_price: String,
	/// The band's half-width in percent.
	pub band_percent: u8,
	/// The lowest and highest price allowed, both inside the band.
	pub band: [String; 2],
	/// Whether it trades.
	pub status: Status,
	/// The last trade's price.
	pub last_price: Option<String>,
}

/// One price level of a book.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level {
	/// The price.
	pub price: String,
	/// The remaining quantity resting at it.
	pub quantity: String,
	/// How many orders rest at it.
	pub orders: u32,
}

/// The best levels of both sides of a market.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Depth {
	/// The market.
	pub market: MarketId,
	/// Bids, highest first.
	pub bids: Vec<Level>,
	/// Asks, lowest first.
	pub asks: Vec<Level>,
	/// The last trade's price.
	pub last_price: Option<String>,
	/// Whether it trades.
	pub status: Status,
	/// The order the market is still sweeping, if any.
	pub sweep: Option<OrderId>,
}

/// Buy or sell.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
	/// Buys the security for cash.
	Buy,
	/// Sells the security for cash.
	Sell,
}

/// How long a limit order rests.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TimeInForce {
	/// Until cancelled (or the day's close).
	Gtc,
	/// Until the block in `expiresAt`.
	Gtd,
	/// Immediate or cancel: what does not trade at once is cancelled.
	Ioc,
	/// Fill or kill: all at once or nothing.
	Fok,
}

/// What kind of order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum OrderKind {
	/// At `price` or better.
	#[serde(rename_all = "camelCase")]
	Limit {
		/// The limit price.
		price: String,
		/// How long it rests.
		time_in_force: TimeInForce,
		/// The block a `gtd` order expires at.
		expires_at: Option<u64>,
		/// Refused rather than trade on arrival.
		post_only: bool,
	},
	/// At the best prices available, no further than `protection` from the best.
	#[serde(rename_all = "camelCase")]
	Market {
		/// The price protection.
		protection: String,
	},
}

/// A live order: resting, sweeping, or a stop waiting for its trigger.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order<AccountId> {
	/// Its id.
	pub id: OrderId,
	/// Its market.
	pub market: MarketId,
	/// Who placed it.
	pub owner: AccountId,
	/// Buy or sell.
	pub side: Side,
	/// Limit or market, with its terms.
	pub order: OrderKind,
	/// The quantity ordered.
	pub quantity: String,
	/// What has not traded yet.
	pub remaining: String,
	/// What it holds on the owner's ledger (a buy's cash and fees, a sell's shares).
	pub held: String,
	/// The block it was placed in.
	pub placed_at: u32,
	/// A stop order's trigger price.
	pub stop: Option<String>,
}

/// A finalized trade of a market.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentTrade<AccountId> {
	/// Its settlement's id.
	pub settlement: SettlementId,
	/// The block it settled in.
	pub block: u32,
	/// Its settlement day.
	pub day: Day,
	/// The buyer.
	pub buyer: AccountId,
	/// The seller.
	pub seller: AccountId,
	/// Units traded.
	pub quantity: String,
	/// The price.
	pub price: String,
	/// `quantity * price`.
	pub cash_amount: String,
}

/// Order-book queries for brokers and regulators.
#[cfg_attr(feature = "server", rpc(client, server))]
#[cfg_attr(not(feature = "server"), rpc(client))]
pub trait OrderbookApi<BlockHash, AccountId> {
	/// Every market with its rules, band, status and last price.
	#[method(name = "orderbook_markets")]
	fn markets(&self, at: Option<BlockHash>) -> RpcResult<Vec<Market>>;

	/// The best `levels` (default 10, at most 500) price levels of each side of `market`.
	#[method(name = "orderbook_depth")]
	fn depth(&self, market: MarketId, levels: Option<u32>, at: Option<BlockHash>) -> RpcResult<Depth>;

	/// The live order `id`, or null.
	#[method(name = "orderbook_order")]
	fn order(&self, id: OrderId, at: Option<BlockHash>) -> RpcResult<Option<Order<AccountId>>>;

	/// The live orders of `account`.
	#[method(name = "orderbook_openOrders")]
	fn open_orders(&self, account: AccountId, at: Option<BlockHash>) -> RpcResult<Vec<Order<AccountId>>>;

	/// Up to `limit` (default 50, at most 1,000) of `market`'s most recent finalized trades,
	/// newest first, before settlement id `before` (for paging back; default: the latest).
	#[method(name = "orderbook_recentTrades", blocking)]
	fn recent_trades(
		&self,
		market: MarketId,
		limit: Option<u32>,
		before: Option<SettlementId>,
	) -> RpcResult<Vec<RecentTrade<AccountId>>>;
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn orders_and_markets_have_the_documented_names() {
		let order = Order {
			id: 3,
			market: 1,
			owner: "o".to_string(),
			side: Side::Buy,
			order: OrderKind::Limit {
				price: "1000".into(),
				time_in_force: TimeInForce::Gtd,
				expires_at: Some(90),
				post_only: false,
			},
			quantity: "200".into(),
			remaining: "100".into(),
			held: "100030".into(),
			placed_at: 9,
			stop: None,
		};
		assert_eq!(
			serde_json::to_value(&order).unwrap(),
			json!({ "id": 3, "market": 1, "owner": "o", "side": "buy",
				"order": { "type": "limit", "price": "1000", "timeInForce": "gtd", "expiresAt": 90, "postOnly": false },
				"quantity": "200", "remaining": "100", "held": "100030", "placedAt": 9, "stop": null })
		);
		let market: OrderKind = serde_json::from_value(json!({ "type": "market", "protection": "50" })).unwrap();
		assert_eq!(market, OrderKind::Market { protection: "50".into() });
		assert_eq!(serde_json::to_value(Status::Halted).unwrap(), json!("halted"));
	}
}
