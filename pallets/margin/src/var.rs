//! The VaR report: the historical-simulation one-day value at risk of a broker's credit book.
//!
//! At each settlement day's start the mark of every watched market becomes its close for the
//! day before (`Closes`, the last `CLOSES_KEPT`). A scenario is one past day's close-to-close
//! returns, applied to every security at once; a scenario's loss is what the broker's credit
//! accounts would leave unpaid: Σ max(0, liabilities − cash − Σ shares × mark × return). The
//! VaR is the 99th percentile of the losses ([`qingsuan_margin_math::historical_var`]). The
//! report also lists the accounts nearest their lines.

use crate::{Amount, Closes, Config, Credit, Marks, Pallet, RiskZone, Watched};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use qingsuan_margin_math::{historical_var, mul_div_floor, value, Ppm};
use scale_info::TypeInfo;

/// Daily closes kept per watched market: 250 returns.
pub const CLOSES_KEPT: u32 = 251;

/// The confidence of the report's VaR: 99%.
pub const VAR_CONFIDENCE: Ppm = Ppm(990_000);

/// An account in a VaR report's list of those nearest their lines.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct NearLine<AccountId> {
	/// The credit account.
	pub credit: AccountId,
	/// Its maintenance ratio now, in basis points.
	pub ratio: u128,
	/// Where that stands against the lines.
	pub zone: RiskZone,
}

/// A broker's VaR report.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct VarReport<AccountId> {
	/// The scenarios (past days) it was computed over.
	pub scenarios: u32,
	/// The confidence, per million.
	pub confidence: u32,
	/// The one-day VaR: the loss not exceeded in `confidence` of the scenarios.
	pub var: Amount,
	/// The worst scenario's loss.
	pub worst: Amount,
	/// The broker's credit accounts with debt.
	pub accounts: u32,
	/// What they owe now (principal and interest).
	pub exposure: Amount,
	/// The accounts with debt nearest their lines, lowest ratio first.
	pub nearest: Vec<NearLine<AccountId>>,
}

impl<T: Config> Pallet<T> {
	/// A new settlement day: each watched market's mark closes the day before. Returns the
	/// markets recorded.
	pub(crate) fn record_closes() -> u64 {
		let mut recorded = 0;
		for market in Watched::<T>::get() {
			let Some(mark) = Marks::<T>::get(market).map(|m| m.mark) else { continue };
			Closes::<T>::mutate(market, |closes| {
				if closes.is_full() {
					closes.remove(0);
				}
				let _ = closes.try_push(mark);
			});
			recorded += 1;
		}
		recorded
	}

	/// `broker`'s VaR report over the last `days` days (at most 250) and its `nearest`
	/// accounts nearest their lines: a read for the runtime API, never called in a block.
	pub fn var_report(broker: &T::AccountId, days: u32, nearest: u32) -> VarReport<T::AccountId> {
		let days = days.clamp(1, CLOSES_KEPT - 1) as usize;
		let mut book = Vec::new();
		let mut returns: BTreeMap<u32, Vec<(Amount, Amount)>> = BTreeMap::new();
		for (credit, mut info) in Credit::<T>::iter().filter(|(_, i)| &i.broker == broker) {
			Self::charge_interest(&mut info);
			if info.debt == 0 && info.interest == 0 {
				continue;
			}
			let valuation = Self::value(&credit, &info);
			for market in valuation.positions.iter().filter_map(|h| h.market) {
				returns.entry(market).or_insert_with(|| Self::daily_returns(market, days));
			}
			book.push((credit, valuation));
		}
		let scenarios = returns.values().map(Vec::len).max().unwrap_or(0);
		let mut losses: Vec<Amount> = (0..scenarios)
			.map(|k| {
				book.iter()
					.map(|(_, v)| {
						let assets = v.positions.iter().fold(v.cash, |sum, held| {
							let (up, down) = held
								.market
								.and_then(|m| returns.get(&m))
								.and_then(|r| r.get(k).copied())
								.unwrap_or((1, 1));
							sum.saturating_add(mul_div_floor(value(held.shares, held.mark), up, down.max(1)))
						});
						v.liabilities.saturating_sub(assets)
					})
					.fold(0, Amount::saturating_add)
			})
			.collect();
		let worst = losses.iter().copied().max().unwrap_or(0);
		let var = historical_var(&mut losses, VAR_CONFIDENCE);
		let exposure = book.iter().fold(0, |sum: Amount, (_, v)| sum.saturating_add(v.liabilities));
		let mut near: Vec<NearLine<T::AccountId>> = book
			.iter()
			.filter_map(|(credit, v)| {
				let ratio = v.ratio()?;
				Some(NearLine { credit: credit.clone(), ratio: ratio.0, zone: Self::zone_of(Some(ratio)) })
			})
			.collect();
		near.sort_by_key(|n| n.ratio);
		near.truncate(nearest as usize);
		VarReport {
			scenarios: scenarios as u32,
			confidence: VAR_CONFIDENCE.0,
			var,
			worst,
			accounts: book.len() as u32,
			exposure,
			nearest: near,
		}
	}

	/// `market`'s last `days` close-to-close returns, newest first, as `(close, close before)`.
	fn daily_returns(market: u32, days: usize) -> Vec<(Amount, Amount)> {
		let closes = Closes::<T>::get(market);
		closes.windows(2).rev().take(days).map(|w| (w[1], w[0])).filter(|(_, before)| *before > 0).collect()
	}
}
