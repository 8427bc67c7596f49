//! The mark price: a time-weighted average of each watched market's last trade price.
//!
//! A market is watched while some credit account holds a position in its security. At the start
//! of every block the pallet samples each watched market's last trade price (within the day's
//! band; the reference price before the first trade) and adds it to a cumulative sum, the
//! Uniswap v2 accumulator with one sample per block; a checkpoint of the sum every
//! [`CHECKPOINT_EVERY`] blocks lets the mark be the average over the last [`MARK_WINDOW`]
//! blocks: `(sum now − sum then) / (now − then)`, kept within the band. The cost is one read of
//! the market and one write per watched market per block, whatever the trading.

use crate::{
	Amount, AssetId, Config, Error, MarkState, Marks, OrderEntry, Pallet, Watched, CHECKPOINT_EVERY, MARK_WINDOW,
};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get, weights::Weight};

impl MarkState {
	/// Add block `now`'s sample `price` (already within `band`) and recompute the mark. Until a
	/// whole window has passed since it was first watched, a market's mark is at most
	/// `reference` (the previous close): a print pushed just before a security is first taken
	/// as collateral does not value it.
	pub fn sample(&mut self, now: u32, price: Amount, band: (Amount, Amount), reference: Amount) {
		self.cumulative = self.cumulative.saturating_add(price);
		if now.is_multiple_of(CHECKPOINT_EVERY) {
			let slot = (now / CHECKPOINT_EVERY) as usize % self.checkpoints.len();
			self.checkpoints[slot] = (now, self.cumulative);
		}
		self.band = band;
		let mut mark = self.average(now).unwrap_or(price);
		if now < self.since.saturating_add(MARK_WINDOW) {
			mark = mark.min(reference);
		}
		self.mark = mark.clamp(band.0, band.1);
	}

	/// The mark of shares owed at block `now`, `last` the market's last trade price within the
	/// band: in the first window after it was first watched the mark is capped at the previous
	/// close, which favours a holder, so shares owed take the higher of the two.
	pub fn owed_mark(&self, now: u32, last: Amount) -> Amount {
		if now < self.since.saturating_add(MARK_WINDOW) {
			self.mark.max(last)
		} else {
			self.mark
		}
	}

	/// The average sample over the blocks after the oldest anchor within the window: a
	/// checkpoint, or the start (`since − 1`, an empty sum).
	fn average(&self, now: u32) -> Option<Amount> {
		let start = (self.since.saturating_sub(1), 0);
		let oldest = now.saturating_sub(MARK_WINDOW);
		let (block, sum) = self
			.checkpoints
			.iter()
			.copied()
			.chain(core::iter::once(start))
			.filter(|&(block, _)| block >= oldest && block < now && block >= start.0)
			.min_by_key(|&(block, _)| block)?;
		let blocks = Amount::from(now - block);
		Some(self.cumulative.saturating_sub(sum) / blocks)
	}
}

impl<T: Config> Pallet<T> {
	/// The market of `security` in `cash`, its mark and the day's band (the lowest and highest
	/// price it allows): `(None, 0, (0, 0))` if no market trades it. A watched market's mark is
	/// its time-weighted average; another's (a security just bought) its last trade price
	/// within the band.
	pub fn price(security: AssetId, cash: AssetId) -> (Option<u32>, Amount, (Amount, Amount)) {
		let Some(market) = T::Orders::market_of(security, cash) else { return (None, 0, (0, 0)) };
		if let Some(m) = Marks::<T>::get(market) {
			return (Some(market), m.mark, m.band);
		}
		T::Orders::terms(market).map_or((Some(market), 0, (0, 0)), |t| (Some(market), t.mark(), t.band))
	}

	/// The mark of shares owed in `market`, `mark` for shares held: a market watched for less
	/// than a window has its mark capped at the previous close, which favours the holder; shares
	/// owed take the larger of that and the last trade price within the band.
	pub(crate) fn owed_mark(market: Option<u32>, mark: Amount) -> Amount {
		let Some(m) = market.and_then(Marks::<T>::get) else { return mark };
		let now = Self::block_u32();
		if now >= m.since.saturating_add(MARK_WINDOW) {
			// No market read when the mark is not capped.
			return m.mark;
		}
		m.owed_mark(now, market.and_then(T::Orders::terms).map_or(mark, |t| t.mark()))
	}

	/// The mark of `security` in `cash` (zero if no market trades it).
	pub fn mark(security: AssetId, cash: AssetId) -> Amount {
		Self::price(security, cash).1
	}

	/// A credit account took a position in `market`'s security: watch the market (from this
	/// block, its first sample the current price).
	pub(crate) fn watch(market: u32) -> DispatchResult {
		if let Some(mut m) = Marks::<T>::get(market) {
			m.positions = m.positions.saturating_add(1);
			Marks::<T>::insert(market, m);
			return Ok(());
		}
		Watched::<T>::try_mutate(|w| w.try_push(market)).map_err(|_| Error::<T>::TooManyMarkets)?;
		let terms = T::Orders::terms(market).ok_or(Error::<T>::UnknownMarket)?;
		let now = Self::block_u32();
		let mut m = MarkState { positions: 1, since: now, ..Default::default() };
		m.sample(now, terms.mark(), terms.band, terms.reference);
		Marks::<T>::insert(market, m);
		Ok(())
	}

	/// A credit account gave up a position in `market`'s security: stop watching it when none
	/// is left.
	pub(crate) fn unwatch(market: u32) {
		let Some(mut m) = Marks::<T>::get(market) else { return };
		m.positions = m.positions.saturating_sub(1);
		if m.positions > 0 {
			Marks::<T>::insert(market, m);
		} else {
			Marks::<T>::remove(market);
			Watched::<T>::mutate(|w| w.retain(|x| *x != market));
		}
	}

	/// What a new position may cost beyond its benchmark (measured making room once): every
	/// other position found empty and its market no longer watched (a mark read and written, the
	/// watched list read and written).
	pub fn making_room_weight() -> Weight {
		let p = u64::from(T::MaxPositions::get());
		T::DbWeight::get().reads_writes(2 * p, 2 * p)
	}

	/// The current block as a `u32`.
	pub(crate) fn block_u32() -> u32 {
		use sp_runtime::traits::UniqueSaturatedInto;
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// Sample every watched market at block `now`. Returns the markets with their marks (for
	/// shares held, and for shares owed: see [`Self::owed_mark`]), and whether some market's
	/// band moved (every trigger must then be filed again).
	pub(crate) fn sample_marks(now: u32) -> (Vec<(u32, Amount, Amount)>, bool) {
		let mut band_moved = false;
		let watched = Watched::<T>::get();
		let mut marks = Vec::with_capacity(watched.len());
		for market in watched {
			let (Some(mut m), Some(terms)) = (Marks::<T>::get(market), T::Orders::terms(market)) else { continue };
			if m.since < now {
				band_moved |= m.band != terms.band;
				m.sample(now, terms.mark(), terms.band, terms.reference);
				Marks::<T>::insert(market, m);
			}
			marks.push((market, m.mark, m.owed_mark(now, terms.mark())));
		}
		(marks, band_moved)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fed(prices: &[(u32, Amount)], since: u32) -> MarkState {
		let mut m = MarkState { since, ..Default::default() };
		for &(block, price) in prices {
			m.sample(block, price, (0, 1_000_000), 1_000_000);
		}
		m
	}

	#[test]
	fn the_mark_averages_since_the_start_until_a_window_has_passed() {
		let m = fed(&[(5, 100), (6, 200), (7, 300)], 5);
		assert_eq!(m.mark, 200);
		// One print far away moves a young average by its share of the blocks.
		let m = fed(&[(5, 100), (6, 100), (7, 100), (8, 1_000)], 5);
		assert_eq!(m.mark, 325);
	}

	#[test]
	fn the_mark_is_the_average_over_the_last_window() {
		// 100 for 100 blocks, then 200 for 30: the window (from the checkpoint at block 70,
		// sixty blocks back from 130) holds 30 blocks at 100 and 30 at 200.
		let mut prices: Vec<_> = (1..=100).map(|b| (b, 100)).collect();
		prices.extend((101..=130).map(|b| (b, 200)));
		let m = fed(&prices, 1);
		assert_eq!(m.mark, 150);
		// Nine blocks later the oldest checkpoint in the window is 80: 20 at 100, 39 at 200.
		let mut more = prices.clone();
		more.extend((131..=139).map(|b| (b, 200)));
		assert_eq!(fed(&more, 1).mark, (20 * 100 + 39 * 200) / 59);
	}

	#[test]
	fn a_single_block_moves_a_full_window_by_a_sixtieth() {
		let mut prices: Vec<_> = (1..=120).map(|b| (b, 1_000)).collect();
		prices.push((121, 1_100));
		// Anchored at the checkpoint of block 70: 51 blocks, one of them at 1,100.
		assert_eq!(fed(&prices, 1).mark, (50 * 1_000 + 1_100) / 51);
	}

	#[test]
	fn the_mark_stays_within_the_band() {
		let mut m = fed(&[(1, 1_000), (2, 1_000)], 1);
		m.sample(3, 900, (950, 1_050), 1_000);
		assert_eq!(m.mark, 966);
		m.sample(4, 950, (990, 1_050), 1_000);
		assert_eq!(m.mark, 990);
	}

	#[test]
	fn a_young_mark_is_at_most_the_previous_close() {
		// First taken as collateral right after a print at the band's top.
		let mut m = MarkState { since: 50, ..Default::default() };
		m.sample(50, 1_100, (900, 1_100), 1_000);
		assert_eq!(m.mark, 1_000);
		for b in 51..110 {
			m.sample(b, 1_100, (900, 1_100), 1_000);
		}
		assert_eq!(m.mark, 1_000);
		// A window on, the average counts.
		m.sample(110, 1_100, (900, 1_100), 1_000);
		assert_eq!(m.mark, 1_100);
		// Below the close, the average counts from the start.
		let mut low = MarkState { since: 50, ..Default::default() };
		low.sample(50, 950, (900, 1_100), 1_000);
		assert_eq!(low.mark, 950);
	}
}
