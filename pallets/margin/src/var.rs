//! The VaR report: the historical-simulation one-day value at risk of a broker's credit book.
//!
//! At each settlement day's start the mark of every tracked market (every market watched at
//! some day's start, kept when no longer watched) becomes its close for the day before
//! (`Closes`, the last `CLOSES_KEPT`), unless it is the close already recorded: a day on which
//! a market did not trade (a weekend, a holiday, a suspension) is not a scenario, since a zero
//! return for it would thin the tail (a traded day that closed unchanged is dropped too, which
//! can only raise the VaR). A scenario is one past close-to-close return of every security at
//! once; a scenario's loss is what the broker's credit accounts in one cash asset would leave
//! unpaid: Σ max(0, cash debt + Σ owed shares × mark × return − cash − Σ shares × mark ×
//! return). The VaR is the 99th percentile of the losses
//! ([`qingsuan_margin_math::historical_var`]). A security with fewer
//! returns than the report's scenarios counts as unmoved in the older ones; the report says
//! how many each has. It also lists the accounts nearest their lines.

use crate::{Amount, AssetId, Closes, Config, Credit, Marks, OrderEntry, Pallet, RiskZone, Tracked, Watched};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use qingsuan_margin_math::{historical_var, mul_div_floor, value, Ppm};
use scale_info::TypeInfo;

/// Daily closes kept per tracked market: 250 returns.
pub const CLOSES_KEPT: u32 = 251;

/// The most markets whose closes are kept (twice `MaxWatchedMarkets` in the runtime, so a
/// watched market always finds room).
pub const MAX_TRACKED: u32 = 256;

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
	/// What they owe now (principal, interest and owed shares at their marks).
	pub exposure: Amount,
	/// The accounts with debt nearest their lines, lowest ratio first.
	pub nearest: Vec<NearLine<AccountId>>,
	/// Every market the book holds, with the returns its history gave (fewer than
	/// `scenarios`: it counted as unmoved in the older ones; none: it never moved the VaR).
	pub markets: Vec<MarketHistory>,
}

/// A market in a VaR report, with the past returns it had.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct MarketHistory {
	/// The market.
	pub market: u32,
	/// Its close-to-close returns used, at most the days asked for.
	pub returns: u32,
}

impl<T: Config> Pallet<T> {
	/// A new settlement day: every tracked market closes the day before (a watched one at its
	/// mark, another at its last trade price within the band), unless that is the close already
	/// recorded. Markets watched now join the tracked ones. Returns the reads and writes made.
	pub(crate) fn record_closes() -> (u64, u64) {
		let (mut reads, mut writes) = (2u64, 0u64);
		let watched = Watched::<T>::get();
		let mut tracked = Tracked::<T>::get();
		let before = tracked.len();
		for &market in watched.iter() {
			if tracked.contains(&market) {
				continue;
			}
			if tracked.is_full() {
				if let Some(i) = tracked.iter().position(|t| !watched.contains(t)) {
					Closes::<T>::remove(tracked.remove(i));
					writes += 1;
				}
			}
			let _ = tracked.try_push(market);
		}
		if tracked.len() != before || writes > 0 {
			Tracked::<T>::put(&tracked);
			writes += 1;
		}
		for &market in tracked.iter() {
			reads += 2;
			let close = match Marks::<T>::get(market) {
				Some(m) => m.mark,
				None => {
					reads += 1;
					match T::Orders::terms(market) {
						Some(terms) => terms.mark(),
						None => continue,
					}
				},
			};
			let mut closes = Closes::<T>::get(market);
			if closes.last() == Some(&close) {
				continue;
			}
			if closes.is_full() {
				closes.remove(0);
			}
			let _ = closes.try_push(close);
			Closes::<T>::insert(market, closes);
			writes += 1;
		}
		(reads, writes)
	}

	/// The VaR report of `broker`'s credit accounts lending `cash`, over the last `days` days
	/// (at most 250), with its `nearest` accounts nearest their lines: a read for the runtime
	/// API, never called in a block.
	pub fn var_report(broker: &T::AccountId, cash: AssetId, days: u32, nearest: u32) -> VarReport<T::AccountId> {
		let days = days.clamp(1, CLOSES_KEPT - 1) as usize;
		let mut book = Vec::new();
		let mut returns: BTreeMap<u32, Vec<(Amount, Amount)>> = BTreeMap::new();
		let mine = |i: &crate::CreditOf<T>| &i.broker == broker && i.contract.cash == cash;
		for (credit, mut info) in Credit::<T>::iter().filter(|(_, i)| mine(i)) {
			Self::charge_interest(&mut info);
			if !info.owes() {
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
						// Cash and cash debt stay; shares held and owed move with the day's return.
						let cash_debt = v.positions.iter().fold(v.liabilities, |sum, h| sum.saturating_sub(h.debt()));
						let (assets, debt) = v.positions.iter().fold((v.cash, cash_debt), |(a, d), held| {
							let (up, down) = held
								.market
								.and_then(|m| returns.get(&m))
								.and_then(|r| r.get(k).copied())
								.unwrap_or((1, 1));
							let moved = |shares| mul_div_floor(value(shares, held.mark), up, down);
							(a.saturating_add(moved(held.shares)), d.saturating_add(moved(held.owed)))
						});
						debt.saturating_sub(assets)
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
			markets: returns.iter().map(|(&market, r)| MarketHistory { market, returns: r.len() as u32 }).collect(),
		}
	}

	/// `market`'s last `days` close-to-close returns, newest first, as `(close, close before)`
	/// (a zero close, which no band allows, as no move).
	fn daily_returns(market: u32, days: usize) -> Vec<(Amount, Amount)> {
		let closes = Closes::<T>::get(market);
		closes.windows(2).rev().take(days).map(|w| if w[0] > 0 { (w[1], w[0]) } else { (1, 1) }).collect()
	}
}
