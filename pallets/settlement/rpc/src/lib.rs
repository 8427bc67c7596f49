//! `settlement_*` JSON-RPC methods: settlement records by id, day and account, the end-of-day net
//! position report and the trade store's status, from the node's trade store (finalized blocks,
//! indexed); today's day, a day's hash chain and a cash asset's confirmed totals from the
//! runtime's `SettlementApi` at the best block or at `at`.
//!
//! The request and response types and the generated client ([`SettlementApiClient`]) need
//! nothing of Substrate, so clients link only them; the node's server ([`server`]) is behind the
//! `server` feature.
//!
//! Amounts are decimal strings (they exceed JavaScript's 2^53), accounts SS58 strings, hashes
//! `0x`-prefixed hex. Errors carry a code from [`codes`].

#![cfg_attr(not(feature = "server"), allow(unused_imports))]

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub mod server;

/// A settlement day: days since 1970-01-01, Beijing time.
pub type Day = u32;
/// A settlement's id, in the order settlements were made.
pub type SettlementId = u64;
/// A ledger asset's id.
pub type AssetId = u32;

/// The most records one call returns; page with `from`.
pub const MAX_PAGE: u32 = 1_000;

/// The error codes of the `settlement_*` and `orderbook_*` methods.
pub mod codes {
	/// A runtime API call failed (the message says why).
	pub const RUNTIME_ERROR: i32 = 1;
	/// The node's trade store could not be read.
	pub const STORE_ERROR: i32 = 2;
	/// A parameter is out of range or names nothing (JSON-RPC's "invalid params").
	pub const INVALID_PARAMS: i32 = -32602;
}

/// A finalized settlement.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record<AccountId> {
	/// Its id.
	pub id: SettlementId,
	/// The block that made it.
	pub block: u32,
	/// Its settlement day.
	pub day: Day,
	/// What it settled.
	pub settled: Settled<AccountId>,
}

/// What a settlement settled.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Settled<AccountId> {
	/// An exchange trade, delivery versus payment.
	Trade(Trade<AccountId>),
	/// A settlement instruction.
	#[serde(rename_all = "camelCase")]
	Instruction {
		/// The instruction's id.
		instruction: u64,
		/// The legs it moved.
		legs: Vec<Leg<AccountId>>,
	},
	/// A settlement contract's settlement, out of what it held on its parties' accounts.
	#[serde(rename_all = "camelCase")]
	Contract {
		/// The contract's account.
		contract: AccountId,
		/// The legs it moved.
		legs: Vec<Leg<AccountId>>,
	},
}

/// An exchange trade as settled.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trade<AccountId> {
	/// Received the securities, paid cash and fees.
	pub buyer: AccountId,
	/// Delivered the securities, received cash less fees.
	pub seller: AccountId,
	/// The security.
	pub security: AssetId,
	/// The cash asset.
	pub cash: AssetId,
	/// Units of the security.
	pub quantity: String,
	/// Price per unit, in the cash asset's smallest unit.
	pub price: String,
	/// `quantity * price`.
	pub cash_amount: String,
	/// The buyer's handling fee.
	pub buyer_fee: String,
	/// The seller's handling fee.
	pub seller_fee: String,
	/// The seller's stamp duty.
	pub stamp_duty: String,
}

/// One leg of a settled instruction.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leg<AccountId> {
	/// The delivering party.
	pub from: AccountId,
	/// The receiving party.
	pub to: AccountId,
	/// The asset.
	pub asset: AssetId,
	/// The amount, in the asset's smallest unit.
	pub amount: String,
}

/// One account's movements of one asset over a day.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetPosition<AccountId> {
	/// The account.
	pub account: AccountId,
	/// The asset.
	pub asset: AssetId,
	/// What it received.
	pub received: String,
	/// What it delivered or paid, fees included.
	pub delivered: String,
	/// `received - delivered`, with a leading `-` when negative.
	pub net: String,
}

/// How far the node's trade store has indexed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreStatus {
	/// The first finalized block it holds (a node that started its store late has no history
	/// before it).
	pub first_block: Option<u32>,
	/// The last finalized block it holds.
	pub last_block: Option<u32>,
	/// That block's hash.
	pub last_hash: Option<String>,
	/// Settlements indexed.
	pub settlements: u64,
	/// Blocks passed over because their state was pruned first (zero on an archive node).
	pub missed_blocks: u64,
	/// The last day whose hash chain in the store differed from the chain's, if any.
	pub mismatched_day: Option<Day>,
}

/// A day's settlement count and SM3 hash-chain head.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Digest {
	/// Settlements of the day.
	pub count: u64,
	/// The chain's head after the last of them.
	pub head: String,
}

/// A day's digest on chain and as the trade store rebuilt it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayDigest {
	/// The day.
	pub day: Day,
	/// On chain.
	pub chain: Digest,
	/// In the node's trade store, from finalized events.
	pub store: Digest,
}

/// A cash asset's confirmed deposits and withdrawals since genesis.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CashTotals {
	/// The cash asset.
	pub asset: AssetId,
	/// All deposits its bank confirmed.
	pub deposited: String,
	/// All withdrawals its bank confirmed.
	pub withdrawn: String,
}

/// Settlement queries for brokers, banks and regulators.
#[cfg_attr(feature = "server", rpc(client, server))]
#[cfg_attr(not(feature = "server"), rpc(client))]
pub trait SettlementApi<BlockHash, AccountId> {
	/// Today's settlement day.
	#[method(name = "settlement_today")]
	fn today(&self, at: Option<BlockHash>) -> RpcResult<Day>;

	/// The finalized settlement (trade or instruction) with id `id`, or null.
	#[method(name = "settlement_get", blocking)]
	fn get(&self, id: SettlementId) -> RpcResult<Option<Record<AccountId>>>;

	/// Finalized settlements of `day` from id `from` (default 0), at most `limit` (default and
	/// cap 1,000).
	#[method(name = "settlement_onDay", blocking)]
	fn on_day(&self, day: Day, from: Option<SettlementId>, limit: Option<u32>) -> RpcResult<Vec<Record<AccountId>>>;

	/// Finalized settlements of `day` that moved anything to or from `account`, paged like
	/// `settlement_onDay`.
	#[method(name = "settlement_ofAccount", blocking)]
	fn of_account(
		&self,
		account: AccountId,
		day: Day,
		from: Option<SettlementId>,
		limit: Option<u32>,
	) -> RpcResult<Vec<Record<AccountId>>>;

	/// Each account's receipts, deliveries and net per asset over `day` (default today), as of
	/// the finalized head: up to `limit` (default and cap 1,000) from position `from` (default
	/// 0) in the order the positions first settled that day; a page shorter than `limit` is
	/// the last.
	#[method(name = "settlement_netPositions", blocking)]
	fn net_positions(
		&self,
		day: Option<Day>,
		from: Option<u64>,
		limit: Option<u32>,
	) -> RpcResult<Vec<NetPosition<AccountId>>>;

	/// How far the trade store has indexed.
	#[method(name = "settlement_storeStatus", blocking)]
	fn store_status(&self) -> RpcResult<StoreStatus>;

	/// `day`'s settlement count and SM3 hash chain head on chain (at the best block or `at`),
	/// and as the node's trade store rebuilt them from finalized events: an archive of the
	/// day's settlements is complete and untampered when it chains to the same head.
	#[method(name = "settlement_dayDigest", blocking)]
	fn day_digest(&self, day: Day, at: Option<BlockHash>) -> RpcResult<DayDigest>;

	/// Confirmed deposits and withdrawals of the cash asset `asset`.
	#[method(name = "settlement_cashTotals")]
	fn cash_totals(&self, asset: AssetId, at: Option<BlockHash>) -> RpcResult<CashTotals>;
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn records_have_the_documented_names() {
		let trade = Record {
			id: 7,
			block: 12,
			day: 20_000,
			settled: Settled::Trade(Trade {
				buyer: "b".to_string(),
				seller: "s".to_string(),
				security: 1,
				cash: 0,
				quantity: "100".into(),
				price: "1234".into(),
				cash_amount: "123400".into(),
				buyer_fee: "4".into(),
				seller_fee: "4".into(),
				stamp_duty: "62".into(),
			}),
		};
		assert_eq!(
			serde_json::to_value(&trade).unwrap(),
			json!({ "id": 7, "block": 12, "day": 20000, "settled": {
				"kind": "trade", "buyer": "b", "seller": "s", "security": 1, "cash": 0, "quantity": "100",
				"price": "1234", "cashAmount": "123400", "buyerFee": "4", "sellerFee": "4", "stampDuty": "62" } })
		);
		let instruction: Record<String> = serde_json::from_value(json!({ "id": 8, "block": 13, "day": 20000,
			"settled": { "kind": "instruction", "instruction": 3,
				"legs": [{ "from": "a", "to": "b", "asset": 0, "amount": "5" }] } }))
		.unwrap();
		assert_eq!(
			instruction.settled,
			Settled::Instruction {
				instruction: 3,
				legs: vec![Leg { from: "a".into(), to: "b".into(), asset: 0, amount: "5".into() }]
			}
		);
	}
}
