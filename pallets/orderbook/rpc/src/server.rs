//! The node's side: [`OrderbookApiServer`] over a client and the node's trade store.

use crate::{
	Depth, Level, Market, MarketId, Order, OrderId, OrderKind, OrderbookApiServer, RecentTrade, SettlementId, Side,
	Status, TimeInForce, DEFAULT_LEVELS, DEFAULT_TRADES, MAX_LEVELS, MAX_TRADES,
};
use codec::Codec;
use frame_support::traits::Get;
use jsonrpsee::core::RpcResult;
use pallet_orderbook::{MarketInfo, MarketStatus, OrderInfo, OrderType};
use pallet_orderbook_runtime_api::OrderbookApi as OrderbookRuntimeApi;
use pallet_settlement_rpc::server::{bounded, invalid, runtime_error, store_error};
use qingsuan_trade_store::{Kv, TradeStore};
use serde::{de::DeserializeOwned, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};

fn side(s: pallet_orderbook::Side) -> Side {
	match s {
		pallet_orderbook::Side::Buy => Side::Buy,
		pallet_orderbook::Side::Sell => Side::Sell,
	}
}

fn status(s: MarketStatus) -> Status {
	match s {
		MarketStatus::Open => Status::Open,
		MarketStatus::Halted => Status::Halted,
		MarketStatus::Closed => Status::Closed,
	}
}

/// An order's kind as the RPC's [`OrderKind`].
pub fn order_kind(kind: &OrderType) -> OrderKind {
	use pallet_orderbook::TimeInForce as Tif;
	match *kind {
		OrderType::Limit { price, tif, post_only } => {
			let (time_in_force, expires_at) = match tif {
				Tif::Gtc => (TimeInForce::Gtc, None),
				Tif::Gtd(at) => (TimeInForce::Gtd, Some(at)),
				Tif::Ioc => (TimeInForce::Ioc, None),
				Tif::Fok => (TimeInForce::Fok, None),
			};
			OrderKind::Limit { price: price.to_string(), time_in_force, expires_at, post_only }
		},
		OrderType::Market { protection } => OrderKind::Market { protection: protection.to_string() },
	}
}

/// A live order as the RPC's [`Order`].
pub fn order<A: Clone>(id: OrderId, o: &OrderInfo<A, u32>) -> Order<A> {
	Order {
		id,
		market: o.market,
		owner: o.owner.clone(),
		side: side(o.side),
		order: order_kind(&o.kind),
		quantity: o.quantity.to_string(),
		remaining: o.remaining.to_string(),
		held: o.held.to_string(),
		placed_at: o.placed_at,
		stop: o.stop.map(|s| s.to_string()),
	}
}

/// A market as the RPC's [`Market`].
pub fn market(id: MarketId, m: &MarketInfo) -> Market {
	let (low, high) = m.band_limits();
	Market {
		id,
		security: m.security,
		cash: m.cash,
		tick: m.tick.to_string(),
		lot: m.lot.to_string(),
		reference_price: m.reference_price.to_string(),
		band_percent: m.band.deconstruct(),
		band: [low.to_string(), high.to_string()],
		status: status(m.status),
		last_price: m.last_price.map(|p| p.to_string()),
	}
}

fn level(l: &qingsuan_matching_engine::LevelView) -> Level {
	Level { price: l.price.to_string(), quantity: l.quantity.to_string(), orders: l.orders }
}

/// The `orderbook_*` methods over `client` (runtime `Block`, block numbers `u32`) and the trade
/// store of accounts `A` on the database `K`.
pub struct Orderbook<C, Block, K, A, L> {
	client: Arc<C>,
	store: Arc<TradeStore<K, A, L>>,
	_block: PhantomData<Block>,
}

impl<C, Block, K, A, L> Orderbook<C, Block, K, A, L> {
	/// Serve the methods from `client` and `store`.
	pub fn new(client: Arc<C>, store: Arc<TradeStore<K, A, L>>) -> Self {
		Self { client, store, _block: PhantomData }
	}
}

impl<C, Block, K, A, L> OrderbookApiServer<Block::Hash, A> for Orderbook<C, Block, K, A, L>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: OrderbookRuntimeApi<Block, A, OrderInfo<A, u32>>,
	K: Kv + Send + Sync + 'static,
	A: Codec + Clone + Ord + Serialize + DeserializeOwned + Send + Sync + 'static,
	L: Get<u32> + Send + Sync + 'static,
{
	fn markets(&self, at: Option<Block::Hash>) -> RpcResult<Vec<Market>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let markets = self.client.runtime_api().markets(at).map_err(runtime_error)?;
		Ok(markets.iter().map(|(id, m)| market(*id, m)).collect())
	}

	fn depth(&self, market: MarketId, levels: Option<u32>, at: Option<Block::Hash>) -> RpcResult<Depth> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let levels = bounded(levels, DEFAULT_LEVELS, MAX_LEVELS, "levels")?;
		let depth = self.client.runtime_api().depth(at, market, levels).map_err(runtime_error)?;
		let depth = depth.ok_or_else(|| invalid("no such market"))?;
		Ok(Depth {
			market,
			bids: depth.bids.iter().map(level).collect(),
			asks: depth.asks.iter().map(level).collect(),
			last_price: depth.last_price.map(|p| p.to_string()),
			status: status(depth.status),
			sweep: depth.sweep,
		})
	}

	fn order(&self, id: OrderId, at: Option<Block::Hash>) -> RpcResult<Option<Order<A>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let found = self.client.runtime_api().order(at, id).map_err(runtime_error)?;
		Ok(found.map(|o| order(id, &o)))
	}

	fn open_orders(&self, account: A, at: Option<Block::Hash>) -> RpcResult<Vec<Order<A>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let orders = self.client.runtime_api().open_orders(at, account).map_err(runtime_error)?;
		Ok(orders.iter().map(|(id, o)| order(*id, o)).collect())
	}

	fn recent_trades(
		&self,
		market: MarketId,
		limit: Option<u32>,
		before: Option<SettlementId>,
	) -> RpcResult<Vec<RecentTrade<A>>> {
		let limit = bounded(limit, DEFAULT_TRADES, MAX_TRADES, "limit")?;
		let best = self.client.info().best_hash;
		let info = self.client.runtime_api().market(best, market).map_err(runtime_error)?;
		let info = info.ok_or_else(|| invalid("no such market"))?;
		let trades = self.store.recent_trades(info.security, info.cash, before, limit).map_err(store_error)?;
		Ok(trades
			.into_iter()
			.filter_map(|(id, r)| match r.settled {
				pallet_settlement_rpc::server::StoredSettled::Trade(t) => Some(RecentTrade {
					settlement: id,
					block: r.block,
					day: r.day,
					buyer: t.buyer,
					seller: t.seller,
					quantity: t.quantity.to_string(),
					price: t.price.to_string(),
					cash_amount: t.cash_amount.to_string(),
				}),
				pallet_settlement_rpc::server::StoredSettled::Instruction { .. }
				| pallet_settlement_rpc::server::StoredSettled::Contract { .. } => None,
			})
			.collect())
	}
}
