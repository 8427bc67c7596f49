//! Margin-trading arithmetic for Qingsuan (融资融券), as plain functions on integers: no storage,
//! no FRAME, no floating point, so the runtime, its off-chain worker, the RPC and the tests
//! compute the same numbers. The design is `docs/margin-design.md`.
//!
//! Units: cash in the smallest unit of its currency (fen), quantities in shares, prices in cash
//! units per share; rates in parts per million ([`Ppm`]); ratios in basis points ([`Bps`], 150%
//! is 15,000). Every function is total: an overflow gives a saturated or `None` answer, never a
//! panic.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod interest;
mod liquidation;
mod margin;
mod ratio;
mod trigger;
mod var;

pub use interest::daily_interest;
pub use liquidation::shares_to_sell;
pub use margin::{
	available_margin, concentration_limit, concentration_limit_in, conversion_cap, Category, Contract, ShortSale,
	Tiers, DEFAULT_TIERS,
};
pub use ratio::{maintenance_ratio, zone, Lines, Zone};
pub use trigger::{trigger, Trigger};
pub use var::historical_var;

/// An amount of cash or shares.
pub type Amount = u128;
/// Cash per share.
pub type Price = u128;

/// A rate in parts per million: `Ppm(650_000)` is 65%.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Default)]
pub struct Ppm(pub u32);

impl Ppm {
	/// 100%.
	pub const ONE: Ppm = Ppm(1_000_000);

	/// `amount × self`, rounded down.
	pub fn of_floor(self, amount: Amount) -> Amount {
		mul_div_floor(amount, self.0.into(), 1_000_000)
	}

	/// `amount × self`, rounded up.
	pub fn of_ceil(self, amount: Amount) -> Amount {
		mul_div_ceil(amount, self.0.into(), 1_000_000)
	}
}

/// A ratio in basis points: `Bps(15_000)` is 150%.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Bps(pub u128);

/// `a × b` as 256 bits: `(high, low)`.
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
	const MASK: u128 = u64::MAX as u128;
	let (a1, a0) = (a >> 64, a & MASK);
	let (b1, b0) = (b >> 64, b & MASK);
	let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
	// Each term is below 2^64, so the sum of three is below 2^66.
	let mid = (p00 >> 64) + (p01 & MASK) + (p10 & MASK);
	let low = (p00 & MASK) | (mid << 64);
	let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
	(high, low)
}

/// `(high, low) / d` and its remainder, if the quotient fits 128 bits (`d > 0`).
fn div_wide(high: u128, low: u128, d: u128) -> Option<(u128, u128)> {
	if high >= d {
		return None;
	}
	// Long division, one bit at a time; the remainder stays below `d`.
	let (mut r, mut q) = (high, 0u128);
	for i in (0..128).rev() {
		let carry = r >> 127;
		r = (r << 1) | ((low >> i) & 1);
		q <<= 1;
		if carry == 1 || r >= d {
			r = r.wrapping_sub(d);
			q |= 1;
		}
	}
	Some((q, r))
}

/// `a × b / d` and whether it divided exactly; `None` if the quotient does not fit or `d = 0`.
fn mul_div(a: u128, b: u128, d: u128) -> Option<(u128, bool)> {
	if d == 0 {
		return None;
	}
	let (high, low) = mul_wide(a, b);
	div_wide(high, low, d).map(|(q, r)| (q, r == 0))
}

/// `a × b / d` rounded down, exact for all inputs (a 256-bit product); saturates at
/// `u128::MAX` when the quotient does not fit, and `d = 0` gives `u128::MAX`.
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> u128 {
	mul_div(a, b, d).map_or(u128::MAX, |(q, _)| q)
}

/// `a × b / d` rounded up (saturating like [`mul_div_floor`]).
pub fn mul_div_ceil(a: u128, b: u128, d: u128) -> u128 {
	mul_div(a, b, d).map_or(u128::MAX, |(q, exact)| if exact { q } else { q.saturating_add(1) })
}

/// `x` as a signed amount, saturating at `i128::MAX`.
pub(crate) fn signed(x: Amount) -> i128 {
	i128::try_from(x).unwrap_or(i128::MAX)
}

/// `quantity × price`, saturating.
pub fn value(quantity: Amount, price: Price) -> Amount {
	quantity.saturating_mul(price)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn mul_div_rounds_as_named_and_survives_overflow() {
		assert_eq!(mul_div_floor(7, 3, 2), 10);
		assert_eq!(mul_div_ceil(7, 3, 2), 11);
		assert_eq!(mul_div_ceil(6, 3, 2), 9);
		assert_eq!(mul_div_floor(u128::MAX, 2, 4), u128::MAX / 2);
		assert_eq!(mul_div_floor(u128::MAX, 3, 1), u128::MAX);
		assert_eq!(mul_div_floor(1, 1, 0), u128::MAX);
		// Exact where the product needs more than 128 bits but the quotient does not.
		let a = (1u128 << 100) + (1u128 << 99);
		assert_eq!(mul_div_floor(a, 1 << 100, 1 << 100), a);
		assert_eq!(mul_div_ceil(u128::MAX, u128::MAX, u128::MAX), u128::MAX);
		assert_eq!(mul_div_floor(u128::MAX, u128::MAX - 1, u128::MAX), u128::MAX - 1);
		assert_eq!(mul_div_ceil(u128::MAX, 3, 6), u128::MAX / 2 + 1);
		assert_eq!(Ppm(650_000).of_floor(1_000), 650);
		assert_eq!(Ppm(333_333).of_ceil(3), 1);
	}
}
