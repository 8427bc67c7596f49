//! `orderbook_*` JSON-RPC methods: markets, depth, orders and an account's open orders, read
//! through the runtime's `OrderbookApi` at the best block or at `at`; a market's recent trades
//! from the node's trade store (finalized, indexed by market, on the blocking pool).
//!
//! Members place and cancel orders with signed extrinsics (`author_submitExtrinsic`); these
//! methods are the read side. Prices, quantities and amounts are decimal strings (they may
//! exceed JavaScript's 2^53), accounts SS58 strings.

use crate::settlement_rpc::{store_error, Store};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_orderbook::{MarketId, MarketInfo, MarketStatus, OrderId, OrderType, Side, TimeInForce};
use pallet_orderbook_runtime_api::OrderbookApi as OrderbookRuntimeApi;
use qingsuan_runtime::{opaque::Block, AccountId, Runtime};
use qingsuan_trade_store::Kv;
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// A live order of the runtime.
type Order = pallet_orderbook::OrderInfoOf<Runtime>;

/// Depth levels returned when none are asked for, and the most returned.
pub const DEFAULT_LEVELS: u32 = 10;
/// The most depth levels one call returns.
pub const MAX_LEVELS: u32 = 500;
/// The most recent trades one call returns.
pub const MAX_TRADES: u32 = 1_000;

/// Order-book queries for brokers and regulators.
#[rpc(server)]
pub trait OrderbookApi<BlockHash> {
	/// Every market with its rules, band, status and last price.
	#[method(name = "orderbook_markets")]
	fn markets(&self, at: Option<BlockHash>) -> RpcResult<Vec<Value>>;

	/// The best `levels` (default 10, at most 500) price levels of each side of `market`.
	#[method(name = "orderbook_depth")]
	fn depth(&self, market: MarketId, levels: Option<u32>, at: Option<BlockHash>) -> RpcResult<Value>;

	/// The live order `id` (resting, sweeping, or a stop waiting for its trigger), or null.
	#[method(name = "orderbook_order")]
	fn order(&self, id: OrderId, at: Option<BlockHash>) -> RpcResult<Option<Value>>;

	/// The live orders of `account`.
	#[method(name = "orderbook_openOrders")]
	fn open_orders(&self, account: AccountId, at: Option<BlockHash>) -> RpcResult<Vec<Value>>;

	/// Up to `limit` (default 50, at most 1,000) of `market`'s most recent finalized trades,
	/// newest first, before settlement id `before` (for paging back; default: the latest).
	#[method(name = "orderbook_recentTrades", blocking)]
	fn recent_trades(
		&self,
		market: MarketId,
		limit: Option<u32>,
		before: Option<pallet_settlement::SettlementId>,
	) -> RpcResult<Vec<Value>>;
}

/// The `orderbook_*` methods over a client and the trade store.
pub struct Orderbook<C, K> {
	client: Arc<C>,
	store: Arc<Store<K>>,
}

impl<C, K> Orderbook<C, K> {
	/// Serve the methods from `client` and `store`.
	pub fn new(client: Arc<C>, store: Arc<Store<K>>) -> Self {
		Self { client, store }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(1, "runtime API call failed", Some(e.to_string()))
}

fn invalid(message: &str) -> ErrorObjectOwned {
	ErrorObject::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message.to_string(), None::<()>)
}

fn bounded(value: Option<u32>, default: u32, max: u32, name: &str) -> Result<u32, ErrorObjectOwned> {
	match value.unwrap_or(default) {
		0 => Err(invalid(&format!("{name} must be at least 1"))),
		n => Ok(n.min(max)),
	}
}

fn side(s: Side) -> &'static str {
	match s {
		Side::Buy => "buy",
		Side::Sell => "sell",
	}
}

/// An order type as JSON: `{"type": "limit", "price", "timeInForce", "postOnly"}` or
/// `{"type": "market", "protection"}`.
pub fn kind_json(kind: &OrderType) -> Value {
	match *kind {
		OrderType::Limit { price, tif, post_only } => {
			let (tif, expires) = match tif {
				TimeInForce::Gtc => ("gtc", None),
				TimeInForce::Gtd(at) => ("gtd", Some(at)),
				TimeInForce::Ioc => ("ioc", None),
				TimeInForce::Fok => ("fok", None),
			};
			json!({ "type": "limit", "price": price.to_string(), "timeInForce": tif, "expiresAt": expires, "postOnly": post_only })
		},
		OrderType::Market { protection } => json!({ "type": "market", "protection": protection.to_string() }),
	}
}

/// A live order as JSON.
pub fn order_json(id: OrderId, o: &Order) -> Value {
	json!({
		"id": id,
		"market": o.market,
		"owner": o.owner.to_string(),
		"side": side(o.side),
		"order": kind_json(&o.kind),
		"quantity": o.quantity.to_string(),
		"remaining": o.remaining.to_string(),
		"held": o.held.to_string(),
		"placedAt": o.placed_at,
		"stop": o.stop.map(|s| s.to_string()),
	})
}

fn status(s: MarketStatus) -> &'static str {
	match s {
		MarketStatus::Open => "open",
		MarketStatus::Halted => "halted",
		MarketStatus::Closed => "closed",
	}
}

/// A market as JSON.
pub fn market_json(id: MarketId, m: &MarketInfo) -> Value {
	let (low, high) = m.band_limits();
	json!({
		"id": id,
		"security": m.security,
		"cash": m.cash,
		"tick": m.tick.to_string(),
		"lot": m.lot.to_string(),
		"referencePrice": m.reference_price.to_string(),
		"bandPercent": m.band.deconstruct(),
		"band": [low.to_string(), high.to_string()],
		"status": status(m.status),
		"lastPrice": m.last_price.map(|p| p.to_string()),
	})
}

impl<C, K> OrderbookApiServer<<Block as BlockT>::Hash> for Orderbook<C, K>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: OrderbookRuntimeApi<Block, AccountId, Order>,
	K: Kv + Send + Sync + 'static,
{
	fn markets(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Vec<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let markets = self.client.runtime_api().markets(at).map_err(runtime_error)?;
		Ok(markets.iter().map(|(id, m)| market_json(*id, m)).collect())
	}

	fn depth(&self, market: MarketId, levels: Option<u32>, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let levels = bounded(levels, DEFAULT_LEVELS, MAX_LEVELS, "levels")?;
		let depth = self.client.runtime_api().depth(at, market, levels).map_err(runtime_error)?;
		let depth = depth.ok_or_else(|| invalid("no such market"))?;
		let side = |levels: &[qingsuan_matching_engine::LevelView]| {
			levels
				.iter()
				.map(
					|l| json!({ "price": l.price.to_string(), "quantity": l.quantity.to_string(), "orders": l.orders }),
				)
				.collect::<Vec<_>>()
		};
		Ok(json!({
			"market": market,
			"bids": side(&depth.bids),
			"asks": side(&depth.asks),
			"lastPrice": depth.last_price.map(|p| p.to_string()),
			"status": status(depth.status),
			"sweep": depth.sweep,
		}))
	}

	fn order(&self, id: OrderId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let order = self.client.runtime_api().order(at, id).map_err(runtime_error)?;
		Ok(order.map(|o| order_json(id, &o)))
	}

	fn open_orders(&self, account: AccountId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Vec<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let orders = self.client.runtime_api().open_orders(at, account).map_err(runtime_error)?;
		Ok(orders.iter().map(|(id, o)| order_json(*id, o)).collect())
	}

	fn recent_trades(
		&self,
		market: MarketId,
		limit: Option<u32>,
		before: Option<pallet_settlement::SettlementId>,
	) -> RpcResult<Vec<Value>> {
		let limit = bounded(limit, 50, MAX_TRADES, "limit")?;
		let best = self.client.info().best_hash;
		let info = self.client.runtime_api().market(best, market).map_err(runtime_error)?;
		let info = info.ok_or_else(|| invalid("no such market"))?;
		let trades = self.store.recent_trades(info.security, info.cash, before, limit).map_err(store_error)?;
		Ok(trades
			.iter()
			.filter_map(|(id, r)| match &r.settled {
				pallet_settlement::Settled::Trade(t) => Some(json!({
					"settlement": id,
					"block": r.block,
					"day": r.day,
					"buyer": t.buyer.to_string(),
					"seller": t.seller.to_string(),
					"quantity": t.quantity.to_string(),
					"price": t.price.to_string(),
					"cashAmount": t.cash_amount.to_string(),
				})),
				pallet_settlement::Settled::Instruction { .. } => None,
			})
			.collect())
	}
}
