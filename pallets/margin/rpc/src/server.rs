//! The node's side: [`MarginApiServer`] over a client, and the conversions from the pallet's
//! views.

use crate::{
	CreditAccount, Liquidation, MarginApiServer, MarketHistory, NearLine, Position, VarReport, Zone, RUNTIME_ERROR,
	UNSUPPORTED,
};
use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_margin::{AccountView, CaseReason, RiskZone};
use pallet_margin_runtime_api::MarginApi as MarginRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

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
