//! `margin_*` JSON-RPC methods: a credit account valued now, an investor's credit account, and a
//! broker's VaR report, read through the runtime's `MarginApi` at the best block or at `at`.
//!
//! Brokers change credit accounts with signed `margin.*` extrinsics; these are the read side.
//! Amounts, prices and ratios are decimal strings (they may exceed JavaScript's 2^53).
//! Errors: code 1 when the runtime API call fails (the message says why); code 2 when the
//! runtime at that block does not have the method (`margin_var` needs `MarginApi` version 3).

//!
//! The types and the generated client ([`MarginApiClient`]) need nothing of Substrate, so clients
//! link only them; the node's server ([`server`]) is behind the `server` feature.

#![cfg_attr(not(feature = "server"), allow(unused_imports))]

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub mod server;

/// The error code of a failed runtime API call.
pub const RUNTIME_ERROR: i32 = 1;

/// The error code of a method the runtime at the block asked for does not have.
pub const UNSUPPORTED: i32 = 2;

/// An account near its lines, in a VaR report.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearLine<AccountId> {
	/// The credit account.
	pub credit: AccountId,
	/// Its maintenance ratio in basis points.
	pub ratio_bps: String,
	/// Where that stands against the lines.
	pub zone: Zone,
}

/// A broker's VaR report.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VarReport<AccountId> {
	/// The past days it was computed over.
	pub scenarios: u32,
	/// Its confidence, in parts per million (990000: 99%).
	pub confidence_ppm: u32,
	/// The one-day VaR: the shortfall of the broker's credit accounts not exceeded in the
	/// confidence's share of the scenarios.
	pub var: String,
	/// The worst scenario's shortfall.
	pub worst: String,
	/// Credit accounts with debt.
	pub accounts: u32,
	/// What they owe now (principal, interest and owed shares at their marks).
	pub exposure: String,
	/// The accounts nearest their lines, lowest ratio first.
	pub nearest: Vec<NearLine<AccountId>>,
	/// Every market the book holds, with the past returns its history gave: one with fewer
	/// than `scenarios` counted as unmoved in the older ones.
	pub markets: Vec<MarketHistory>,
}

/// A market in a VaR report.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketHistory {
	/// The market id.
	pub market: u32,
	/// The close-to-close returns it had, at most the days asked for.
	pub returns: u32,
}

/// A position of a credit account.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
	/// The security's asset id.
	pub security: u32,
	/// Shares held, free or on hold.
	pub shares: String,
	/// The mark, in the cash asset's smallest unit per share.
	pub mark: String,
	/// Its conversion rate, in parts per million.
	pub conversion_rate: u32,
	/// Principal of its financing contract.
	pub financed: String,
	/// Shares its financing contract bought that are still held.
	pub financed_shares: String,
	/// Shares owed to the broker's lending pool (short sales).
	pub owed_shares: String,
	/// What selling them brought, not yet spent buying them back (restricted cash).
	pub short_proceeds: String,
}

/// A credit account valued at the block asked for.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditAccount<AccountId> {
	/// The investor account it belongs to.
	pub owner: AccountId,
	/// Their broker.
	pub broker: AccountId,
	/// The contract's cash asset.
	pub cash_asset: u32,
	/// The credit line.
	pub line: String,
	/// Yearly interest, parts per million, on a 360-day year.
	pub rate: u32,
	/// Yearly fee on borrowed shares' sale value, parts per million, on a 360-day year.
	pub short_rate: u32,
	/// The settlement day the contract was opened or renewed.
	pub opened: u32,
	/// The first settlement day it no longer lends.
	pub expires: u32,
	/// Principal owed.
	pub debt: String,
	/// Interest owed, charged to the block's day.
	pub interest: String,
	/// Cash, free or on hold.
	pub cash: String,
	/// Positions.
	pub positions: Vec<Position>,
	/// Cash plus securities at their marks.
	pub assets: String,
	/// Principal plus interest.
	pub liabilities: String,
	/// The maintenance ratio in basis points (15000 is 150%); null with nothing owed.
	pub ratio_bps: Option<String>,
	/// The available margin; negative when short of margin.
	pub available_margin: String,
	/// `noDebt`, `safe`, `warning` (below 150%), `belowCall` (below 130%) or `belowInstant`
	/// (below 110%), with the consortium's lines.
	pub zone: Zone,
	/// An open margin call's deadline: the last settlement day to bring the ratio back to
	/// the warning line; null if none.
	pub margin_call_deadline: Option<u32>,
	/// An open liquidation case's reason: `instant`, `uncured`, `expired` or `revokedBroker`;
	/// null if none.
	pub liquidation: Option<Liquidation>,
	/// Its orders in the book.
	pub live_orders: u32,
}

/// Why a credit account is being liquidated.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Liquidation {
	/// Its ratio fell below the instant-liquidation line.
	Instant,
	/// A margin call was not cured by its deadline.
	Uncured,
	/// Its contract expired with debt outstanding.
	Expired,
	/// Its broker is no longer a member broker.
	RevokedBroker,
}

/// Where a credit account stands against the lines.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Zone {
	/// Nothing owed.
	NoDebt,
	/// At or above the warning line.
	Safe,
	/// Below the warning line.
	Warning,
	/// Below the margin-call line.
	BelowCall,
	/// Below the instant-liquidation line.
	BelowInstant,
}

/// Margin queries for brokers, investors' front ends and regulators.
#[cfg_attr(feature = "server", rpc(client, server))]
#[cfg_attr(not(feature = "server"), rpc(client))]
pub trait MarginApi<BlockHash, AccountId> {
	/// The credit account `credit` valued now (or at `at`), or null if there is none.
	#[method(name = "margin_account")]
	fn account(&self, credit: AccountId, at: Option<BlockHash>) -> RpcResult<Option<CreditAccount<AccountId>>>;

	/// The credit account of the investor `owner`, or null.
	#[method(name = "margin_creditAccountOf")]
	fn credit_account_of(&self, owner: AccountId, at: Option<BlockHash>) -> RpcResult<Option<AccountId>>;

	/// `broker`'s VaR report: the historical-simulation one-day 99% VaR of its credit accounts
	/// lending the cash asset `cash`, over the last `days` days (default and most 250), and its
	/// `nearest` accounts (default 10) nearest their lines.
	#[method(name = "margin_var")]
	fn var(
		&self,
		broker: AccountId,
		cash: u32,
		days: Option<u32>,
		nearest: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<VarReport<AccountId>>;
}
