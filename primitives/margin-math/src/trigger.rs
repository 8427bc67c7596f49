//! Trigger prices: at what price of one security an account's ratio crosses a line, the other
//! positions fixed (the caller fixes them at their worst price within the day's band).

use crate::{signed, Amount, Bps, Price};

/// When an account is below a line, as a function of one security's price `p`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Trigger {
	/// Below the line whenever `p < t` (it holds more of the security than it owes, weighted).
	Below(Price),
	/// Below the line whenever `p > t` (it owes more of it than it holds, weighted).
	Above(Price),
	/// Below the line at every price.
	Always,
	/// Below the line at no price.
	Never,
}

impl Trigger {
	/// Whether the account is below the line at `price`.
	pub fn is_below(&self, price: Price) -> bool {
		match *self {
			Trigger::Below(t) => price < t,
			Trigger::Above(t) => price > t,
			Trigger::Always => true,
			Trigger::Never => false,
		}
	}
}

/// The trigger of `line` for a security the account holds `held` of and owes `owed` of, with
/// `other_assets` and `other_liabilities` its assets and liabilities apart from that security:
/// the ratio is `(other_assets + held·p) / (other_liabilities + owed·p)`.
pub fn trigger(held: Amount, owed: Amount, other_assets: Amount, other_liabilities: Amount, line: Bps) -> Trigger {
	let l = signed(line.0);
	// Below the line iff (A + q·p)·10⁴ < ℓ·(L + b·p) iff p·k < m.
	let k = signed(held).saturating_mul(10_000).saturating_sub(l.saturating_mul(signed(owed)));
	let m = l.saturating_mul(signed(other_liabilities)).saturating_sub(signed(other_assets).saturating_mul(10_000));
	if k == 0 {
		return if m > 0 { Trigger::Always } else { Trigger::Never };
	}
	if k > 0 {
		// p < m / k, i.e. p < ⌈m / k⌉ for integer p.
		if m <= 0 {
			return Trigger::Never;
		}
		let t = m / k + i128::from(m % k != 0);
		Trigger::Below(t as u128)
	} else {
		// p·k' > m' with k' = −k, m' = −m: p > ⌊m' / k'⌋.
		let (k, m) = (k.saturating_neg(), m.saturating_neg());
		if m < 0 {
			return Trigger::Always;
		}
		Trigger::Above((m / k) as u128)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{maintenance_ratio, Bps};

	const CALL: Bps = Bps(13_000);

	#[test]
	fn a_long_account_crosses_when_the_price_falls_below_its_trigger() {
		// The worked example: cash 100,000, 1,000 shares, debt 1,001,000: below 130% under
		// (1.3 × 1,001,000 − 100,000) / 1,000 = 1,201.3.
		let t = trigger(1_000, 0, 100_000, 1_001_000, CALL);
		assert_eq!(t, Trigger::Below(1_202));
		for p in [1_000, 1_201, 1_202, 1_500] {
			let below = maintenance_ratio(100_000 + 1_000 * p, 1_001_000).is_some_and(|r| r < CALL);
			assert_eq!(t.is_below(p), below, "at {p}");
		}
	}

	#[test]
	fn a_short_account_crosses_when_the_price_rises_above_its_trigger() {
		// 200,000 cash, owes 100 shares: below 130% above 200,000 / 1.3 / 100 = 1,538.46.
		let t = trigger(0, 100, 200_000, 0, CALL);
		assert_eq!(t, Trigger::Above(1_538));
		for p in [1_000, 1_538, 1_539] {
			let below = maintenance_ratio(200_000, 100 * p).is_some_and(|r| r < CALL);
			assert_eq!(t.is_below(p), below, "at {p}");
		}
	}

	#[test]
	fn degenerate_positions() {
		assert_eq!(trigger(1_000, 0, 2_000_000, 1_000_000, CALL), Trigger::Never);
		assert_eq!(trigger(0, 0, 100, 1_000, CALL), Trigger::Always);
		assert_eq!(trigger(0, 0, 10_000, 1_000, CALL), Trigger::Never);
		assert_eq!(trigger(0, 100, 0, 1, CALL), Trigger::Always);
	}
}
