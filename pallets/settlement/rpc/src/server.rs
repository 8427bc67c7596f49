//! The node's side: [`SettlementApiServer`] over a client and the node's trade store. History
//! calls read the store on the RPC server's blocking pool, so they never hold up the async
//! workers that carry networking and GRANDPA.

use crate::{
	codes, CashTotals, Day, DayDigest, Digest, Leg, NetPosition, Record, Settled, SettlementApiServer, SettlementId,
	StoreStatus, Trade, MAX_PAGE,
};
use codec::Codec;
use frame_support::traits::Get;
use jsonrpsee::{
	core::RpcResult,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_settlement_runtime_api::SettlementApi as SettlementRuntimeApi;
use qingsuan_trade_store::{Kv, TradeStore};
use serde::{de::DeserializeOwned, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};

// The store pages at most what the API documents.
const _: () = assert!(MAX_PAGE == qingsuan_trade_store::MAX_PAGE);

/// The error of a failed runtime API call.
pub fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(codes::RUNTIME_ERROR, "runtime API call failed", Some(e.to_string()))
}

/// The error of a failed trade store read.
pub fn store_error(e: qingsuan_trade_store::Error) -> ErrorObjectOwned {
	ErrorObject::owned(codes::STORE_ERROR, "trade store read failed", Some(e.to_string()))
}

/// What a stored settlement settled.
pub use pallet_settlement::Settled as StoredSettled;

/// The error of a parameter out of range or naming nothing.
pub fn invalid(message: &str) -> ErrorObjectOwned {
	ErrorObject::owned(codes::INVALID_PARAMS, message.to_string(), None::<()>)
}

/// `value` (or `default`), at least 1 (else an error naming `name`) and at most `max`.
pub fn bounded(value: Option<u32>, default: u32, max: u32, name: &str) -> Result<u32, ErrorObjectOwned> {
	match value.unwrap_or(default) {
		0 => Err(invalid(&format!("{name} must be at least 1"))),
		n => Ok(n.min(max)),
	}
}

/// An instruction's or a contract's legs, amounts as decimal strings.
fn rpc_legs<A: Clone>(legs: &[pallet_settlement::Leg<A>]) -> Vec<Leg<A>> {
	legs.iter()
		.map(|l| Leg { from: l.from.clone(), to: l.to.clone(), asset: l.asset, amount: l.amount.to_string() })
		.collect()
}

/// A stored settlement as the RPC's [`Record`].
pub fn record<A: Clone, L: Get<u32>>(id: SettlementId, r: &qingsuan_trade_store::store::Record<A, L>) -> Record<A> {
	let settled = match &r.settled {
		pallet_settlement::Settled::Trade(t) => Settled::Trade(Trade {
			buyer: t.buyer.clone(),
			seller: t.seller.clone(),
			security: t.security,
			cash: t.cash,
			quantity: t.quantity.to_string(),
			price: t.price.to_string(),
			cash_amount: t.cash_amount.to_string(),
			buyer_fee: t.buyer_fee.to_string(),
			seller_fee: t.seller_fee.to_string(),
			stamp_duty: t.stamp_duty.to_string(),
		}),
		pallet_settlement::Settled::Instruction { id, legs } => {
			Settled::Instruction { instruction: *id, legs: rpc_legs(legs) }
		},
		pallet_settlement::Settled::Contract { contract, legs } => {
			Settled::Contract { contract: contract.clone(), legs: rpc_legs(legs) }
		},
	};
	Record { id, block: r.block, day: r.day, settled }
}

/// A day's net position with its signed net.
pub fn net_position<A: Clone>(p: &pallet_settlement::NetPosition<A>) -> NetPosition<A> {
	let net = if p.received >= p.delivered {
		(p.received - p.delivered).to_string()
	} else {
		format!("-{}", p.delivered - p.received)
	};
	NetPosition {
		account: p.account.clone(),
		asset: p.asset,
		received: p.received.to_string(),
		delivered: p.delivered.to_string(),
		net,
	}
}

fn digest(d: pallet_settlement::DayDigest) -> Digest {
	Digest { count: d.count, head: format!("0x{}", hex::encode(d.head)) }
}

/// The `settlement_*` methods over `client` (runtime `Block`) and a trade store of accounts `A`
/// and instructions of at most `L` legs on the database `K`.
pub struct Settlement<C, Block, K, A, L> {
	client: Arc<C>,
	store: Arc<TradeStore<K, A, L>>,
	_block: PhantomData<Block>,
}

impl<C, Block, K, A, L> Settlement<C, Block, K, A, L> {
	/// Serve the methods from `client` and `store`.
	pub fn new(client: Arc<C>, store: Arc<TradeStore<K, A, L>>) -> Self {
		Self { client, store, _block: PhantomData }
	}
}

impl<C, Block, K, A, L> SettlementApiServer<Block::Hash, A> for Settlement<C, Block, K, A, L>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SettlementRuntimeApi<Block>,
	K: Kv + Send + Sync + 'static,
	A: Codec + Clone + Ord + Serialize + DeserializeOwned + Send + Sync + 'static,
	L: Get<u32> + Send + Sync + 'static,
{
	fn today(&self, at: Option<Block::Hash>) -> RpcResult<Day> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().today(at).map_err(runtime_error)
	}

	fn get(&self, id: SettlementId) -> RpcResult<Option<Record<A>>> {
		Ok(self.store.get(id).map_err(store_error)?.map(|r| record(id, &r)))
	}

	fn on_day(&self, day: Day, from: Option<SettlementId>, limit: Option<u32>) -> RpcResult<Vec<Record<A>>> {
		let limit = bounded(limit, MAX_PAGE, MAX_PAGE, "limit")?;
		let records = self.store.on_day(day, from.unwrap_or(0), limit).map_err(store_error)?;
		Ok(records.iter().map(|(id, r)| record(*id, r)).collect())
	}

	fn of_account(
		&self,
		account: A,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
	) -> RpcResult<Vec<Record<A>>> {
		let limit = bounded(limit, MAX_PAGE, MAX_PAGE, "limit")?;
		let records = self.store.of_account(&account, day, from.unwrap_or(0), limit).map_err(store_error)?;
		Ok(records.iter().map(|(id, r)| record(*id, r)).collect())
	}

	fn net_positions(&self, day: Option<Day>, from: Option<u64>, limit: Option<u32>) -> RpcResult<Vec<NetPosition<A>>> {
		let day = match day {
			Some(d) => d,
			None => self.client.runtime_api().today(self.client.info().best_hash).map_err(runtime_error)?,
		};
		let limit = bounded(limit, MAX_PAGE, MAX_PAGE, "limit")?;
		let (report, _) = self.store.net_positions(day, from.unwrap_or(0), limit).map_err(store_error)?;
		Ok(report.iter().map(net_position).collect())
	}

	fn store_status(&self) -> RpcResult<StoreStatus> {
		let s = self.store.status().map_err(store_error)?;
		Ok(StoreStatus {
			first_block: s.first,
			last_block: s.last.map(|(n, _)| n),
			last_hash: s.last.map(|(_, h)| format!("0x{}", hex::encode(h))),
			settlements: s.settlements,
			missed_blocks: s.missed,
			mismatched_day: s.mismatched_day,
		})
	}

	fn day_digest(&self, day: Day, at: Option<Block::Hash>) -> RpcResult<DayDigest> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let chain = self.client.runtime_api().day_digest(at, day).map_err(runtime_error)?;
		let store = self.store.day_digest(day).map_err(store_error)?;
		Ok(DayDigest { day, chain: digest(chain), store: digest(store) })
	}

	fn cash_totals(&self, asset: crate::AssetId, at: Option<Block::Hash>) -> RpcResult<CashTotals> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let t = self.client.runtime_api().cash_totals(at, asset).map_err(runtime_error)?;
		Ok(CashTotals { asset, deposited: t.deposited.to_string(), withdrawn: t.withdrawn.to_string() })
	}
}
