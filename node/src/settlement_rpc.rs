//! `settlement_*` JSON-RPC methods: settlement records by id, day and account, the end-of-day
//! net position report and a cash asset's confirmed totals, read through the runtime's
//! `SettlementApi` at the best block or at `at`.
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
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// A settlement record of the runtime.
type Record = pallet_settlement::RecordOf<Runtime>;

/// The most records one call returns; page with `from`.
pub const MAX_PAGE: u32 = 1_000;

/// Settlement queries for brokers, banks and regulators.
#[rpc(server)]
pub trait SettlementApi<BlockHash> {
	/// Today's settlement day (days since 1970-01-01, Beijing time).
	#[method(name = "settlement_today")]
	fn today(&self, at: Option<BlockHash>) -> RpcResult<Day>;

	/// The settlement (trade or instruction) with id `id`, or null.
	#[method(name = "settlement_get")]
	fn get(&self, id: SettlementId, at: Option<BlockHash>) -> RpcResult<Option<Value>>;

	/// Settlements of `day` from id `from` (default 0), at most `limit` (default and cap 1,000).
	#[method(name = "settlement_onDay")]
	fn on_day(
		&self,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<Value>>;

	/// Settlements of `day` that `account` took part in, paged like `settlement_onDay`.
	#[method(name = "settlement_ofAccount")]
	fn of_account(
		&self,
		account: AccountId,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<Value>>;

	/// Each account's receipts, deliveries and net per asset over `day` (default today).
	#[method(name = "settlement_netPositions")]
	fn net_positions(&self, day: Option<Day>, at: Option<BlockHash>) -> RpcResult<Vec<Value>>;

	/// Confirmed deposits and withdrawals of the cash asset `asset`.
	#[method(name = "settlement_cashTotals")]
	fn cash_totals(&self, asset: u32, at: Option<BlockHash>) -> RpcResult<Value>;
}

/// The `settlement_*` methods over a client.
pub struct Settlement<C> {
	client: Arc<C>,
}

impl<C> Settlement<C> {
	/// Serve the methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(1, "runtime API call failed", Some(e.to_string()))
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

impl<C> SettlementApiServer<<Block as BlockT>::Hash> for Settlement<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SettlementRuntimeApi<Block, AccountId, Record>,
{
	fn today(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Day> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().today(at).map_err(runtime_error)
	}

	fn get(&self, id: SettlementId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let record = self.client.runtime_api().settlement(at, id).map_err(runtime_error)?;
		Ok(record.map(|r| record_json(id, &r)))
	}

	fn on_day(
		&self,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let records = self
			.client
			.runtime_api()
			.settlements_on(at, day, from.unwrap_or(0), page(limit)?)
			.map_err(runtime_error)?;
		Ok(records.iter().map(|(id, r)| record_json(*id, r)).collect())
	}

	fn of_account(
		&self,
		account: AccountId,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let records = self
			.client
			.runtime_api()
			.settlements_of(at, account, day, from.unwrap_or(0), page(limit)?)
			.map_err(runtime_error)?;
		Ok(records.iter().map(|(id, r)| record_json(*id, r)).collect())
	}

	fn net_positions(&self, day: Option<Day>, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Vec<Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		let day = match day {
			Some(d) => d,
			None => api.today(at).map_err(runtime_error)?,
		};
		let report = api.net_positions(at, day).map_err(runtime_error)?;
		Ok(report.iter().map(position_json).collect())
	}

	fn cash_totals(&self, asset: u32, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let t = self.client.runtime_api().cash_totals(at, asset).map_err(runtime_error)?;
		Ok(json!({ "asset": asset, "deposited": t.deposited.to_string(), "withdrawn": t.withdrawn.to_string() }))
	}
}
