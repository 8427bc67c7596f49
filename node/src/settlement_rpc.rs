//! `settlement_*` JSON-RPC methods: settlement records by id, day and account and the end-of-day
//! net position report, from the node's trade store (finalized blocks, indexed: every call
//! reads what it returns, run on the RPC server's blocking pool so it never holds up the async
//! workers that carry networking and GRANDPA); today's day and a cash asset's confirmed totals
//! from the runtime's `SettlementApi` at the best block or at `at`.
//!
//! Amounts are decimal strings (they exceed JavaScript's 2^53), accounts SS58 strings.

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_settlement::{Day, NetPosition, Settled, SettlementId};
use pallet_settlement_runtime_api::SettlementApi as SettlementRuntimeApi;
use qingsuan_runtime::{opaque::Block, AccountId, Runtime};
use qingsuan_trade_store::{Kv, TradeStore};
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// A settlement record of the runtime.
type Record = pallet_settlement::RecordOf<Runtime>;
/// The node's trade store on the database `K`.
pub type Store<K> = TradeStore<K, AccountId, <Runtime as pallet_settlement::Config>::MaxLegs>;

/// The most records one call returns; page with `from`.
pub use qingsuan_trade_store::MAX_PAGE;

/// Settlement queries for brokers, banks and regulators.
#[rpc(server)]
pub trait SettlementApi<BlockHash> {
	/// Today's settlement day (days since 1970-01-01, Beijing time).
	#[method(name = "settlement_today")]
	fn today(&self, at: Option<BlockHash>) -> RpcResult<Day>;

	/// The finalized settlement (trade or instruction) with id `id`, or null.
	#[method(name = "settlement_get", blocking)]
	fn get(&self, id: SettlementId) -> RpcResult<Option<Value>>;

	/// Finalized settlements of `day` from id `from` (default 0), at most `limit` (default and
	/// cap 1,000).
	#[method(name = "settlement_onDay", blocking)]
	fn on_day(&self, day: Day, from: Option<SettlementId>, limit: Option<u32>) -> RpcResult<Vec<Value>>;

	/// Finalized settlements of `day` that moved anything to or from `account`, paged like
	/// `settlement_onDay`.
	#[method(name = "settlement_ofAccount", blocking)]
	fn of_account(
		&self,
		account: AccountId,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
	) -> RpcResult<Vec<Value>>;

	/// Each account's receipts, deliveries and net per asset over `day` (default today), as of
	/// the finalized head: up to `limit` (default and cap 1,000) from position `from` (default
	/// 0) in the order the positions first settled that day; a page shorter than `limit` is
	/// the last.
	#[method(name = "settlement_netPositions", blocking)]
	fn net_positions(&self, day: Option<Day>, from: Option<u64>, limit: Option<u32>) -> RpcResult<Vec<Value>>;

	/// How far the trade store has indexed: the first and last finalized block it holds, the
	/// settlements in it, and the blocks it passed over because their state was pruned first.
	#[method(name = "settlement_storeStatus", blocking)]
	fn store_status(&self) -> RpcResult<Value>;

	/// `day`'s settlement count and SM3 hash chain head on chain (at the best block or `at`),
	/// and as the node's trade store rebuilt them from finalized events: an archive of the
	/// day's settlements is complete and untampered when it chains to the same head.
	#[method(name = "settlement_dayDigest", blocking)]
	fn day_digest(&self, day: Day, at: Option<BlockHash>) -> RpcResult<Value>;

	/// Confirmed deposits and withdrawals of the cash asset `asset`.
	#[method(name = "settlement_cashTotals")]
	fn cash_totals(&self, asset: u32, at: Option<BlockHash>) -> RpcResult<Value>;
}

/// The `settlement_*` methods over a client and the trade store.
pub struct Settlement<C, K> {
	client: Arc<C>,
	store: Arc<Store<K>>,
}

impl<C, K> Settlement<C, K> {
	/// Serve the methods from `client` and `store`.
	pub fn new(client: Arc<C>, store: Arc<Store<K>>) -> Self {
		Self { client, store }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(1, "runtime API call failed", Some(e.to_string()))
}

/// The error of a failed trade store read.
pub fn store_error(e: qingsuan_trade_store::Error) -> ErrorObjectOwned {
	ErrorObject::owned(2, "trade store read failed", Some(e.to_string()))
}

fn invalid(message: &str) -> ErrorObjectOwned {
	ErrorObject::owned(jsonrpsee::types::error::INVALID_PARAMS_CODE, message.to_string(), None::<()>)
}

fn page(limit: Option<u32>) -> Result<u32, ErrorObjectOwned> {
	match limit.unwrap_or(MAX_PAGE) {
		0 => Err(invalid("limit must be at least 1")),
		n => Ok(n.min(MAX_PAGE)),
	}
}

/// A settlement record as JSON.
pub fn record_json(id: SettlementId, r: &Record) -> Value {
	let settled = match &r.settled {
		Settled::Trade(t) => json!({
			"kind": "trade",
			"buyer": t.buyer.to_string(),
			"seller": t.seller.to_string(),
			"security": t.security,
			"cash": t.cash,
			"quantity": t.quantity.to_string(),
			"price": t.price.to_string(),
			"cashAmount": t.cash_amount.to_string(),
			"buyerFee": t.buyer_fee.to_string(),
			"sellerFee": t.seller_fee.to_string(),
			"stampDuty": t.stamp_duty.to_string(),
		}),
		Settled::Instruction { id, legs } => json!({
			"kind": "instruction",
			"instruction": id,
			"legs": legs.iter().map(|l| json!({
				"from": l.from.to_string(),
				"to": l.to.to_string(),
				"asset": l.asset,
				"amount": l.amount.to_string(),
			})).collect::<Vec<_>>(),
		}),
	};
	json!({ "id": id, "block": r.block, "day": r.day, "settled": settled })
}

/// A net position as JSON, with its signed net.
pub fn position_json(p: &NetPosition<AccountId>) -> Value {
	let net = if p.received >= p.delivered {
		(p.received - p.delivered).to_string()
	} else {
		format!("-{}", p.delivered - p.received)
	};
	json!({
		"account": p.account.to_string(),
		"asset": p.asset,
		"received": p.received.to_string(),
		"delivered": p.delivered.to_string(),
		"net": net,
	})
}

impl<C, K> SettlementApiServer<<Block as BlockT>::Hash> for Settlement<C, K>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SettlementRuntimeApi<Block>,
	K: Kv + Send + Sync + 'static,
{
	fn today(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Day> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().today(at).map_err(runtime_error)
	}

	fn get(&self, id: SettlementId) -> RpcResult<Option<Value>> {
		Ok(self.store.get(id).map_err(store_error)?.map(|r| record_json(id, &r)))
	}

	fn on_day(&self, day: Day, from: Option<SettlementId>, limit: Option<u32>) -> RpcResult<Vec<Value>> {
		let records = self.store.on_day(day, from.unwrap_or(0), page(limit)?).map_err(store_error)?;
		Ok(records.iter().map(|(id, r)| record_json(*id, r)).collect())
	}

	fn of_account(
		&self,
		account: AccountId,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
	) -> RpcResult<Vec<Value>> {
		let records = self.store.of_account(&account, day, from.unwrap_or(0), page(limit)?).map_err(store_error)?;
		Ok(records.iter().map(|(id, r)| record_json(*id, r)).collect())
	}

	fn net_positions(&self, day: Option<Day>, from: Option<u64>, limit: Option<u32>) -> RpcResult<Vec<Value>> {
		let day = match day {
			Some(d) => d,
			None => self.client.runtime_api().today(self.client.info().best_hash).map_err(runtime_error)?,
		};
		let (report, _) = self.store.net_positions(day, from.unwrap_or(0), page(limit)?).map_err(store_error)?;
		Ok(report.iter().map(position_json).collect())
	}

	fn store_status(&self) -> RpcResult<Value> {
		let s = self.store.status().map_err(store_error)?;
		Ok(json!({
			"firstBlock": s.first,
			"lastBlock": s.last.map(|(n, _)| n),
			"lastHash": s.last.map(|(_, h)| format!("0x{}", hex::encode(h))),
			"settlements": s.settlements,
			"missedBlocks": s.missed,
			"mismatchedDay": s.mismatched_day,
		}))
	}

	fn day_digest(&self, day: Day, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let chain = self.client.runtime_api().day_digest(at, day).map_err(runtime_error)?;
		let store = self.store.day_digest(day).map_err(store_error)?;
		let json =
			|d: pallet_settlement::DayDigest| json!({ "count": d.count, "head": format!("0x{}", hex::encode(d.head)) });
		Ok(json!({ "day": day, "chain": json(chain), "store": json(store) }))
	}

	fn cash_totals(&self, asset: u32, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let t = self.client.runtime_api().cash_totals(at, asset).map_err(runtime_error)?;
		Ok(json!({ "asset": asset, "deposited": t.deposited.to_string(), "withdrawn": t.withdrawn.to_string() }))
	}
}
