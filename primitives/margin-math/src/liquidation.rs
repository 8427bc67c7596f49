//! How much a forced liquidation sells.

use crate::{mul_div_ceil, Amount, Bps, Price};

/// The shares to sell at `price` (a security marked at `mark`), in whole `lot`s, so that the
/// proceeds (which repay the debt) bring the ratio `assets / liabilities` back to `target`, or
/// repay the whole debt, whichever is less; never more than `held` (the last odd lot may be
/// sold whole). Selling `x` takes `x·mark` from the assets and `x·price` from the liabilities.
pub fn shares_to_sell(
	assets: Amount,
	liabilities: Amount,
	price: Price,
	mark: Price,
	target: Bps,
	lot: Amount,
	held: Amount,
) -> Amount {
	if liabilities == 0 || price == 0 || held == 0 {
		return 0;
	}
	// (A − x·m)·10⁴ ≥ t·(L − x·p) iff x·(t·p − 10⁴·m) ≥ t·L − 10⁴·A.
	let full = mul_div_ceil(liabilities, 1, price);
	let gain = target.0.saturating_mul(price).saturating_sub(mark.saturating_mul(10_000));
	let needed = if target.0 <= 10_000 || gain == 0 {
		// No sale reaches the target: repay it all.
		full
	} else {
		let numerator = target.0.saturating_mul(liabilities).saturating_sub(assets.saturating_mul(10_000));
		if numerator == 0 {
			return 0;
		}
		mul_div_ceil(numerator, 1, gain)
	};
	let shares = needed.min(full);
	let lot = lot.max(1);
	let lots = shares.div_ceil(lot).saturating_mul(lot);
	lots.min(held)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::maintenance_ratio;

	#[test]
	fn sells_just_enough_lots_to_restore_the_target() {
		// 1,300,000 of assets (100,000 cash, 1,000 at 1,200) against 1,001,000: 129.9%.
		let x = shares_to_sell(1_300_000, 1_001_000, 1_200, 1_200, Bps(15_000), 100, 1_000);
		// (1.5 × 1,001,000 − 1,300,000) / (0.5 × 1,200) = 335.8 shares: 4 lots.
		assert_eq!(x, 400);
		let (a, l) = (1_300_000 - x * 1_200, 1_001_000 - x * 1_200);
		assert!(maintenance_ratio(a, l).is_some_and(|r| r >= Bps(15_000)));
		// One lot fewer would not do.
		let y = x - 100;
		assert!(maintenance_ratio(1_300_000 - y * 1_200, 1_001_000 - y * 1_200).is_some_and(|r| r < Bps(15_000)));
	}

	#[test]
	fn an_account_under_water_sells_what_repays_the_debt_at_most() {
		// Assets 900,000 against 1,000,000: no sale restores 150%; repaying all needs 834 at 1,200.
		assert_eq!(shares_to_sell(900_000, 1_000_000, 1_200, 1_200, Bps(15_000), 100, 5_000), 900);
		assert_eq!(shares_to_sell(900_000, 1_000_000, 1_200, 1_200, Bps(15_000), 100, 750), 750);
	}

	#[test]
	fn a_sale_below_the_mark_sells_enough_for_the_assets_it_takes() {
		// The same account, the sale protected at 1,176 (2% under the mark of 1,200): each
		// share takes 1,200 of assets and repays 1,176. (1.5 × 1,001,000 − 1,300,000) /
		// (1.5 × 1,176 − 1,200) = 201,500 / 564 = 357.3: still 4 lots, and enough.
		let x = shares_to_sell(1_300_000, 1_001_000, 1_176, 1_200, Bps(15_000), 100, 1_000);
		assert_eq!(x, 400);
		let ratio = |x: u128| maintenance_ratio(1_300_000 - x * 1_200, 1_001_000 - x * 1_176);
		assert!(ratio(x).is_some_and(|r| r >= Bps(15_000)));
		// 336 shares would do at the mark, not at the protection price.
		assert!(ratio(340).is_some_and(|r| r < Bps(15_000)));
		// At 700 a share (1.5 × 700 < 1,200) no sale raises the ratio to 150%: all of the debt
		// is repaid instead (1,430 shares: 15 lots).
		assert_eq!(shares_to_sell(1_300_000, 1_001_000, 700, 1_200, Bps(15_000), 100, 5_000), 1_500);
	}

	#[test]
	fn nothing_to_sell() {
		assert_eq!(shares_to_sell(3_000_000, 1_000_000, 1_200, 1_200, Bps(15_000), 100, 1_000), 0);
		assert_eq!(shares_to_sell(1, 0, 1_200, 1_200, Bps(15_000), 100, 1_000), 0);
		assert_eq!(shares_to_sell(1, 10, 0, 0, Bps(15_000), 100, 1_000), 0);
	}
}
