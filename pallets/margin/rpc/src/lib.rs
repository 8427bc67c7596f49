//! `margin_*` JSON-RPC methods: a credit account valued now, an investor's credit account, and a
//! broker's VaR report, read through the runtime's `MarginApi` at the best block or at `at`.
//!
//! Brokers change credit accounts with signed `margin.*` extrinsics; these are the read side.
//! Amounts, prices and ratios are decimal strings (they may exceed JavaScript's 2^53).
//! Errors: code 1 when the runtime API call fails (the message says why); code 2 when the
//! runtime at that block does not have the method (`margin_var` needs `MarginApi` version 3).

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_margin::{AccountView, CaseReason, RiskZone};
use pallet_margin_runtime_api::MarginApi as MarginRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

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

impl<AccountId> From<pallet_margin::VarReport<AccountId>> for VarReport<AccountId> {
	fn from(r: pallet_margin::VarReport<AccountId>) -> Self {
		VarReport {
			scenarios: r.scenarios,
			confidence_ppm: r.confidence,
			var: r.var.to_string(),
			worst: r.worst.to_string(),
			accounts: r.accounts,
			exposure: r.exposure.to_string(),
			nearest: r
				.nearest
				.into_iter()
				.map(|n| NearLine { credit: n.credit, ratio_bps: n.ratio.to_string(), zone: n.zone.into() })
				.collect(),
			markets: r.markets.into_iter().map(|m| MarketHistory { market: m.market, returns: m.returns }).collect(),
		}
	}
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

impl From<CaseReason> for Liquidation {
	fn from(r: CaseReason) -> Self {
		match r {
			CaseReason::Instant => Liquidation::Instant,
			CaseReason::Uncured => Liquidation::Uncured,
			CaseReason::Expired => Liquidation::Expired,
			CaseReason::RevokedBroker => Liquidation::RevokedBroker,
		}
	}
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

impl From<RiskZone> for Zone {
	fn from(z: RiskZone) -> Self {
		match z {
			RiskZone::NoDebt => Zone::NoDebt,
			RiskZone::Safe => Zone::Safe,
			RiskZone::Warning => Zone::Warning,
			RiskZone::BelowCall => Zone::BelowCall,
			RiskZone::BelowInstant => Zone::BelowInstant,
		}
	}
}

impl<AccountId> From<AccountView<AccountId>> for CreditAccount<AccountId> {
	fn from(v: AccountView<AccountId>) -> Self {
		CreditAccount {
			owner: v.owner,
			broker: v.broker,
			cash_asset: v.contract.cash,
			line: v.contract.line.to_string(),
			rate: v.contract.rate,
			short_rate: v.contract.short_rate,
			opened: v.contract.opened,
			expires: v.contract.expires,
			debt: v.debt.to_string(),
			interest: v.interest.to_string(),
			cash: v.cash.to_string(),
			positions: v
				.positions
				.into_iter()
				.map(|p| Position {
					security: p.security,
					shares: p.shares.to_string(),
					mark: p.mark.to_string(),
					conversion_rate: p.rate,
					financed: p.financing.amount.to_string(),
					financed_shares: p.financing.quantity.to_string(),
					owed_shares: p.short.owed.to_string(),
					short_proceeds: p.short.proceeds.to_string(),
				})
				.collect(),
			assets: v.assets.to_string(),
			liabilities: v.liabilities.to_string(),
			ratio_bps: v.ratio.map(|r| r.to_string()),
			available_margin: v.available_margin.to_string(),
			zone: v.zone.into(),
			margin_call_deadline: v.call,
			liquidation: v.case.map(Into::into),
			live_orders: v.live_orders,
		}
	}
}

/// Margin queries for brokers, investors' front ends and regulators.
#[rpc(client, server)]
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

/// The `margin_*` methods over a client.
pub struct Margin<C, B> {
	client: Arc<C>,
	_block: std::marker::PhantomData<B>,
}

impl<C, B> Margin<C, B> {
	/// Serve the methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "runtime API call failed", Some(e.to_string()))
}

impl<C, Block, AccountId> MarginApiServer<<Block as BlockT>::Hash, AccountId> for Margin<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MarginRuntimeApi<Block, AccountId>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
	fn account(
		&self,
		credit: AccountId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<CreditAccount<AccountId>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		let version = api.api_version::<dyn MarginRuntimeApi<Block, AccountId>>(at).map_err(runtime_error)?;
		let view = if version.is_some_and(|v| v >= 3) {
			api.account(at, credit).map_err(runtime_error)?
		} else {
			// A block before short sales: the older answer, in today's shape.
			#[allow(deprecated)]
			api.account_before_version_3(at, credit).map_err(runtime_error)?.map(Into::into)
		};
		Ok(view.map(Into::into))
	}

	fn credit_account_of(&self, owner: AccountId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<AccountId>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().credit_account_of(at, owner).map_err(runtime_error)
	}

	fn var(
		&self,
		broker: AccountId,
		cash: u32,
		days: Option<u32>,
		nearest: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<VarReport<AccountId>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		let version = api.api_version::<dyn MarginRuntimeApi<Block, AccountId>>(at).map_err(runtime_error)?;
		if version.is_none_or(|v| v < 3) {
			return Err(ErrorObject::owned(UNSUPPORTED, "the runtime at this block has no VaR report", None::<()>));
		}
		let report = api.var(at, broker, cash, days.unwrap_or(250), nearest.unwrap_or(10)).map_err(runtime_error)?;
		Ok(report.into())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use pallet_margin::{Contract, Financing, PositionView, Short};

	#[test]
	fn the_json_has_the_documented_names_and_decimal_strings() {
		let view = AccountView {
			owner: 1u64,
			broker: 2u64,
			contract: Contract {
				cash: 1000,
				line: 1 << 60,
				rate: 60_000,
				short_rate: 80_000,
				opened: 20_415,
				expires: 20_598,
			},
			debt: 15_000_512,
			interest: 0,
			cash: 110_000_000,
			positions: vec![PositionView {
				security: 1,
				shares: 100,
				mark: 150_000,
				rate: 650_000,
				financing: Financing { amount: 15_000_512, quantity: 100 },
				short: Short { owed: 7, proceeds: 9, sold: 10 },
			}],
			assets: 125_000_000,
			liabilities: 15_000_512,
			ratio: Some(83_330),
			available_margin: -5,
			zone: RiskZone::Warning,
			call: Some(20_420),
			case: Some(CaseReason::RevokedBroker),
			live_orders: 0,
		};
		let json = serde_json::to_value(CreditAccount::from(view)).expect("serializes");
		assert_eq!(json["line"], "1152921504606846976");
		assert_eq!(json["ratioBps"], "83330");
		assert_eq!(json["availableMargin"], "-5");
		assert_eq!(json["zone"], "warning");
		assert_eq!(json["marginCallDeadline"], 20_420);
		assert_eq!(json["liquidation"], "revokedBroker");
		assert_eq!(json["positions"][0]["financedShares"], "100");
		assert_eq!(json["positions"][0]["owedShares"], "7");
		assert_eq!(json["shortRate"], 80_000);
		assert_eq!(json["positions"][0]["shortProceeds"], "9");
		assert_eq!(json["positions"][0]["conversionRate"], 650_000);
		let back: CreditAccount<u64> = serde_json::from_value(json).expect("deserializes");
		assert_eq!(back.owner, 1);
	}

	#[test]
	fn the_var_report_has_the_documented_names_and_decimal_strings() {
		let report = pallet_margin::VarReport {
			scenarios: 250,
			confidence: 990_000,
			var: 1 << 60,
			worst: 7,
			accounts: 2,
			exposure: 100,
			nearest: vec![pallet_margin::NearLine { credit: 9u64, ratio: 12_000, zone: RiskZone::BelowCall }],
			markets: vec![pallet_margin::MarketHistory { market: 3, returns: 12 }],
		};
		let json = serde_json::to_value(VarReport::from(report)).expect("serializes");
		assert_eq!(json["var"], "1152921504606846976");
		assert_eq!(json["confidencePpm"], 990_000);
		assert_eq!(json["nearest"][0]["ratioBps"], "12000");
		assert_eq!(json["nearest"][0]["zone"], "belowCall");
		assert_eq!(json["exposure"], "100");
		assert_eq!(json["markets"][0]["returns"], 12);
	}
}
