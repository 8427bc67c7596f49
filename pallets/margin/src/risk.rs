//! The risk engine: each credit account valued when its positions or its prices change, never
//! by scanning every account every block.
//!
//! - An account whose record changed (a fill, a repayment, a deposit, a buy) is marked in
//!   `Dirty` and valued at the start of the next block, at that block's marks.
//! - Each account with debt files **triggers**: for every security it holds, the price below
//!   which its ratio could cross its next line (the warning line while it is safe, the instant
//!   line below it) with every other security at its worst price in the day's band (held at
//!   the floor, owed at the top); for a security it owes, the price above which it could.
//!   Prices cannot leave the band, so while no mark crosses an account's trigger it has not
//!   crossed. A trigger on the wrong side of the mark (the account would cross if the others
//!   moved) is filed at the mark, so the next move of that mark the same way values it again.
//!   `Triggers` is ordered by price, highest first, per market, `TriggersAbove` lowest first;
//!   each block walks only the triggers its market's mark crossed.
//! - At the start of each settlement day (the previous day's close), and whenever a band moves,
//!   a **pass** values every account a few per block (a cursor over `Credit`): interest is
//!   charged, triggers are filed against the new bands, and, at the close, margin calls open,
//!   deadlines and contract expiries are enforced and a revoked broker's accounts go to
//!   liquidation.
//!
//! Each block does at most `MaxRiskChecksPerBlock` valuations, shared: a third each to dirty accounts,
//! crossed triggers, the pass. What is left waits for the next block (dirty accounts stay
//! marked, crossed triggers stay above the mark, the pass keeps its cursor).

use crate::{
	Amount, CaseReason, Cases, Config, Credit, CreditOf, Dirty, DirtyCursor, Event, Filed, MarginParameters, Pallet,
	Pass, PassState, Risk, RiskDay, RiskState, RiskZone, Triggers, TriggersAbove, Valuation, WeightInfo,
};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, weights::Weight};
use qingsuan_margin_math::{trigger, Bps, Trigger};
use qingsuan_primitives::{market::Calendar, Role, RoleInspect};

/// The key that orders a market's triggers from the highest price down.
pub fn descending(price: Amount) -> [u8; 16] {
	(u128::MAX - price).to_be_bytes()
}

/// The price a [`descending`] key stands for.
pub fn price_of(key: [u8; 16]) -> Amount {
	u128::MAX - u128::from_be_bytes(key)
}

/// The key that orders a market's rising triggers from the lowest price up.
pub fn ascending(price: Amount) -> [u8; 16] {
	price.to_be_bytes()
}

/// A raw storage key kept as a cursor.
type Cursor = BoundedVec<u8, ConstU32<128>>;

/// What one block's upkeep did, for its weight.
#[derive(Default)]
struct Work {
	checked: u64,
	reads: u64,
	writes: u64,
}

impl Work {
	/// A valuation dropped `n` empty positions: each market's mark read and written, the
	/// watched list with them.
	fn pruned(&mut self, n: u32) {
		self.reads += 2 * u64::from(n);
		self.writes += 2 * u64::from(n);
	}
}

impl<T: Config> Pallet<T> {
	/// The risk engine's work for block `now`; returns its weight.
	///
	/// The budget of `MaxRiskChecksPerBlock` valuations is shared: changed accounts, crossed
	/// triggers and the pass each get a third first (so none of them can starve the others),
	/// then what is left goes to them in that order.
	pub(crate) fn risk_upkeep(now: u32) -> Weight {
		let today = T::Calendar::today();
		let mut work = Work { reads: 2, ..Default::default() };
		if RiskDay::<T>::get() != today {
			RiskDay::<T>::put(today);
			Self::request_pass(true);
			let (reads, writes) = Self::record_closes();
			work.reads += 1 + reads;
			work.writes += 2 + writes;
		}
		let (marks, band_moved) = Self::sample_marks(now);
		if band_moved {
			Self::request_pass(false);
			work.writes += 1;
		}
		let budget = u64::from(T::MaxRiskChecksPerBlock::get());
		let share = (budget / 3).max(1);
		for round in [share, budget] {
			Self::check_dirty(round.min(budget - work.checked), &mut work);
			Self::walk_triggers(now, &marks, round.min(budget - work.checked), &mut work);
			Self::continue_pass(round.min(budget - work.checked), &mut work);
		}
		T::WeightInfo::sample_marks(marks.len() as u32)
			.saturating_add(T::WeightInfo::check_account().saturating_mul(work.checked))
			.saturating_add(T::DbWeight::get().reads_writes(work.reads, work.writes))
	}

	/// Value up to `n` changed accounts, from where the last block stopped.
	fn check_dirty(n: u64, work: &mut Work) {
		if n == 0 {
			return;
		}
		let cursor = DirtyCursor::<T>::get();
		let mut batch: Vec<T::AccountId> = match cursor {
			Some(ref c) => Dirty::<T>::iter_keys_from(c.to_vec()).take(n as usize).collect(),
			None => Vec::new(),
		};
		if (batch.len() as u64) < n {
			// Round again from the first.
			let more = n as usize - batch.len();
			let from_start: Vec<_> = Dirty::<T>::iter_keys().take(more).filter(|c| !batch.contains(c)).collect();
			batch.extend(from_start);
		}
		work.reads += batch.len() as u64 + 2;
		match batch.last() {
			Some(last) => DirtyCursor::<T>::set(Cursor::try_from(Dirty::<T>::hashed_key_for(last)).ok()),
			None => DirtyCursor::<T>::kill(),
		}
		work.writes += batch.len() as u64 + 1;
		for credit in batch {
			Dirty::<T>::remove(&credit);
			work.pruned(Self::check(&credit, false));
			work.checked += 1;
		}
	}

	/// Value up to `n` accounts whose triggers their market's mark crossed (falling triggers
	/// above it, rising ones below it), the markets taken in turn from one that moves with the
	/// block (none is always last).
	fn walk_triggers(now: u32, marks: &[(u32, Amount, Amount)], n: u64, work: &mut Work) {
		if marks.is_empty() {
			return;
		}
		let start = now as usize % marks.len();
		let mut left = n;
		for &(market, mark, owed_mark) in marks[start..].iter().chain(&marks[..start]) {
			if left == 0 {
				break;
			}
			let mut crossed: Vec<_> = Triggers::<T>::iter_key_prefix((market,))
				.take_while(|(key, _)| price_of(*key) > mark)
				.take(left as usize)
				.map(|(_, credit)| credit)
				.collect();
			let rising: Vec<_> = TriggersAbove::<T>::iter_key_prefix((market,))
				.take_while(|(key, _)| u128::from_be_bytes(*key) < owed_mark)
				.take(left as usize - crossed.len())
				.map(|(_, credit)| credit)
				.collect();
			crossed.extend(rising);
			work.reads += crossed.len() as u64 + 2;
			for credit in crossed {
				work.pruned(Self::check(&credit, false));
				work.checked += 1;
				left -= 1;
			}
		}
	}

	/// Value up to `n` accounts of the pass in progress, if any.
	fn continue_pass(n: u64, work: &mut Work) {
		let Some(pass) = Pass::<T>::get() else { return };
		work.reads += 1;
		if n == 0 {
			return;
		}
		let mut keys = match pass.cursor.as_ref() {
			Some(cursor) => Credit::<T>::iter_keys_from(cursor.to_vec()),
			None => Credit::<T>::iter_keys(),
		};
		let batch: Vec<_> = keys.by_ref().take(n as usize).collect();
		let cursor = keys.last_raw_key().to_vec();
		let done = (batch.len() as u64) < n;
		work.reads += batch.len() as u64;
		work.writes += 1;
		for credit in &batch {
			work.pruned(Self::check(credit, pass.close));
			work.checked += 1;
		}
		match (done, Cursor::try_from(cursor)) {
			(false, Ok(cursor)) => Pass::<T>::put(PassState { cursor: Some(cursor), ..pass }),
			// Done: the pass asked for meanwhile, if any, starts.
			_ => match pass.next {
				Some(close) => Pass::<T>::put(PassState { close, cursor: None, next: None }),
				None => Pass::<T>::kill(),
			},
		}
	}

	/// Ask for a pass over every account (a `close` at a day's start; otherwise to file every
	/// trigger against new bands or lines). One in progress finishes first; what is asked
	/// meanwhile runs once after it, a close if any of the asks was one.
	pub(crate) fn request_pass(close: bool) {
		Pass::<T>::mutate(|pass| match pass {
			Some(running) => running.next = Some(running.next.unwrap_or(false) || close),
			None => *pass = Some(PassState { close, cursor: None, next: None }),
		});
	}

	/// Value `credit` now and act on where it stands: events on crossing a line, a margin call
	/// (at the `close`), a liquidation case, its triggers filed again.
	/// Positions it no longer holds anything of are dropped (their markets no longer watched
	/// for it). Returns how many.
	pub(crate) fn check(credit: &T::AccountId, close: bool) -> u32 {
		let Some(mut info) = Credit::<T>::get(credit) else {
			Self::forget(credit);
			return 0;
		};
		let charged_to = info.charged_to;
		Self::accrue(credit, &mut info);
		let mut valuation = Self::value(credit, &info);
		let pruned = Self::drop_empty(&mut info, &mut valuation);
		if info.charged_to != charged_to || pruned > 0 {
			Credit::<T>::insert(credit, &info);
		}
		let mut risk = Risk::<T>::get(credit).unwrap_or_default();
		let ratio = valuation.ratio();
		let zone = Self::zone_of(ratio);
		let owes = info.owes();
		Self::decide(credit, &info, &mut risk, zone, ratio, close);
		if zone > RiskZone::Safe && risk.zone <= RiskZone::Safe {
			Self::deposit_event(Event::MarginWarning { credit: credit.clone(), ratio: ratio.map_or(0, |r| r.0) });
		}
		risk.zone = zone;
		let wanted = if owes && risk.case.is_none() { Self::triggers_of(&valuation, zone) } else { Vec::new() };
		Self::file(credit, &mut risk, wanted);
		if risk == RiskState::default() {
			Risk::<T>::remove(credit);
		} else {
			Risk::<T>::insert(credit, risk);
		}
		pruned
	}

	/// Drop from `info` (valued as `v`) the positions with no shares, nothing owed and no
	/// order, and stop watching their markets for it. Returns how many.
	fn drop_empty(info: &mut CreditOf<T>, v: &mut Valuation) -> u32 {
		let empty: Vec<_> = v
			.positions
			.iter()
			.filter(|held| held.shares == 0)
			.filter(|held| info.positions.iter().any(|p| p.security == held.security && !p.owes() && p.orders == 0))
			.map(|held| (held.security, held.market))
			.collect();
		for &(security, market) in &empty {
			info.positions.retain(|p| p.security != security);
			v.positions.retain(|h| h.security != security);
			if let Some(market) = market {
				Self::unwatch(market);
			}
		}
		empty.len() as u32
	}

	/// The zone of `ratio` against the lines.
	pub(crate) fn zone_of(ratio: Option<Bps>) -> RiskZone {
		use qingsuan_margin_math::Zone;
		match ratio.map(|r| qingsuan_margin_math::zone(Some(r), &MarginParameters::<T>::get().lines())) {
			None => RiskZone::NoDebt,
			Some(Zone::Safe) => RiskZone::Safe,
			Some(Zone::Warning) => RiskZone::Warning,
			Some(Zone::Call) => RiskZone::BelowCall,
			Some(Zone::Instant) => RiskZone::BelowInstant,
		}
	}

	/// Open, cure or escalate `credit`'s margin call and open or end its liquidation case.
	fn decide(
		credit: &T::AccountId,
		info: &CreditOf<T>,
		risk: &mut RiskState<T::MaxPositions>,
		zone: RiskZone,
		ratio: Option<Bps>,
		close: bool,
	) {
		let owes = info.owes();
		let today = T::Calendar::today();
		let ratio_bps = ratio.map_or(0, |r| r.0);
		if let Some(reason) = risk.case {
			// A case the ratio opened ends when the ratio is back at the warning line; any
			// case when nothing is owed.
			let recovered = matches!(reason, CaseReason::Instant | CaseReason::Uncured) && zone <= RiskZone::Safe;
			if !owes || recovered {
				risk.case = None;
				risk.stepped = 0;
				risk.unfilled = false;
				Cases::<T>::remove(credit);
				Self::deposit_event(Event::LiquidationEnded { credit: credit.clone() });
			}
			return;
		}
		let reason = if zone == RiskZone::BelowInstant {
			Some(CaseReason::Instant)
		} else if !close || !owes {
			None
		} else if risk.call.is_some_and(|deadline| deadline < today) && zone > RiskZone::Safe {
			Some(CaseReason::Uncured)
		} else if today >= info.contract.expires {
			Some(CaseReason::Expired)
		} else if !T::Members::has_role(&info.broker, Role::MemberBroker) {
			Some(CaseReason::RevokedBroker)
		} else {
			None
		};
		if let Some(reason) = reason {
			risk.case = Some(reason);
			risk.call = None;
			Cases::<T>::insert(credit, ());
			Self::deposit_event(Event::LiquidationStarted { credit: credit.clone(), reason, ratio: ratio_bps });
			return;
		}
		match risk.call {
			Some(_) if zone <= RiskZone::Safe => {
				risk.call = None;
				Self::deposit_event(Event::MarginCallCured { credit: credit.clone(), ratio: ratio_bps });
			},
			None if close && zone >= RiskZone::BelowCall => {
				risk.call = Some(today);
				Self::deposit_event(Event::MarginCallOpened {
					credit: credit.clone(),
					ratio: ratio_bps,
					deadline: today,
				});
			},
			_ => {},
		}
	}

	/// The triggers of an account valued as `v` in `zone`: for each security it holds, the
	/// price below which it could cross its next line (the warning line while safe, else the
	/// instant line) with the other securities at their worst in the band (held at the floor,
	/// owed at the top), filed no higher than the mark; for each it owes more of than it holds,
	/// the price above which it could, filed no lower than the mark.
	fn triggers_of(v: &Valuation, zone: RiskZone) -> Vec<Filed> {
		let parameters = MarginParameters::<T>::get();
		let line = Bps(if zone <= RiskZone::Safe { parameters.warning } else { parameters.instant }.into());
		let value = qingsuan_margin_math::value;
		// Each position's assets at the floor and debt at the top, and their totals.
		let worst: Vec<(Amount, Amount)> =
			v.positions.iter().map(|h| (value(h.shares, h.floor), value(h.owed, h.ceiling))).collect();
		let cash_debt = v.positions.iter().fold(v.liabilities, |sum, h| sum.saturating_sub(h.debt()));
		let (all_assets, all_debt) =
			worst.iter().fold((v.cash, cash_debt), |(a, d), (x, y)| (a.saturating_add(*x), d.saturating_add(*y)));
		v.positions
			.iter()
			.zip(&worst)
			.filter_map(|(held, (assets, debt))| {
				let market = held.market.filter(|_| (held.shares > 0 || held.owed > 0) && held.mark > 0)?;
				let others = (all_assets.saturating_sub(*assets), all_debt.saturating_sub(*debt));
				let (price, rising) = match trigger(held.shares, held.owed, others.0, others.1, line) {
					Trigger::Below(t) => (t.min(held.mark), false),
					Trigger::Above(t) => (t.max(held.mark), true),
					// Already over the line with the others at their worst: watched on every
					// move of its own mark the way that hurts (a rise when, weighted by the
					// line, it owes more of it than it holds).
					Trigger::Always => {
						let owed = held.owed.saturating_mul(line.0);
						(held.mark, owed > held.shares.saturating_mul(10_000))
					},
					Trigger::Never => return None,
				};
				Some(Filed { market, price, rising })
			})
			.collect()
	}

	/// Replace `credit`'s filed triggers with `wanted`, touching only those that changed.
	fn file(credit: &T::AccountId, risk: &mut RiskState<T::MaxPositions>, wanted: Vec<Filed>) {
		for t in risk.triggers.iter().filter(|t| !wanted.contains(t)) {
			match t.rising {
				false => Triggers::<T>::remove((t.market, descending(t.price), credit)),
				true => TriggersAbove::<T>::remove((t.market, ascending(t.price), credit)),
			}
		}
		for t in wanted.iter().filter(|t| !risk.triggers.contains(t)) {
			match t.rising {
				false => Triggers::<T>::insert((t.market, descending(t.price), credit), ()),
				true => TriggersAbove::<T>::insert((t.market, ascending(t.price), credit), ()),
			}
		}
		// At most one per position, so within `MaxPositions`.
		risk.triggers = BoundedVec::truncate_from(wanted);
	}

	/// Drop `credit`'s risk record and triggers (its account is closed).
	pub(crate) fn forget(credit: &T::AccountId) {
		if let Some(mut risk) = Risk::<T>::take(credit) {
			Self::file(credit, &mut risk, Vec::new());
			if risk.case.is_some() {
				Self::deposit_event(Event::LiquidationEnded { credit: credit.clone() });
			}
		}
		Dirty::<T>::remove(credit);
		Cases::<T>::remove(credit);
	}

	/// Whether `credit` is being liquidated.
	pub fn in_liquidation(credit: &T::AccountId) -> bool {
		Risk::<T>::get(credit).is_some_and(|r| r.case.is_some())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keys_order_prices_from_the_highest_down() {
		let prices = [0, 1, 999, 1_000, u128::MAX / 2, u128::MAX];
		let mut keys: Vec<_> = prices.iter().map(|p| descending(*p)).collect();
		keys.sort();
		let back: Vec<_> = keys.into_iter().map(price_of).collect();
		let mut expected = prices.to_vec();
		expected.reverse();
		assert_eq!(back, expected);
	}
}
