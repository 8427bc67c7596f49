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
pub use margin::{available_margin, concentration_limit, conversion_cap, Category, Contract, ShortSale};
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

/// `a × b / d` rounded down, exact for any `a` and `b` whose product fits 256 bits (saturating
/// at `u128::MAX` above that); `d = 0` gives `u128::MAX`.
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> u128 {
	if d == 0 {
		return u128::MAX;
	}
	match a.checked_mul(b) {
		Some(p) => p / d,
		None => {
			// (a / d) × b + (a % d) × b / d, each part checked.
			let (q, r) = (a / d, a % d);
			q.checked_mul(b)
				.and_then(|x| r.checked_mul(b).map(|y| (x, y / d)))
				.and_then(|(x, y)| x.checked_add(y))
				.unwrap_or(u128::MAX)
		},
	}
}

/// `a × b / d` rounded up (saturating like [`mul_div_floor`]).
pub fn mul_div_ceil(a: u128, b: u128, d: u128) -> u128 {
	let floor = mul_div_floor(a, b, d);
	if floor == u128::MAX || d == 0 {
		return floor;
	}
	// Exact when a × b fits; otherwise the remainder test below is on the split form.
	let exact = match a.checked_mul(b) {
		Some(p) => p % d == 0,
		None => (a % d).checked_mul(b).is_some_and(|x| x % d == 0),
	};
	if exact {
		floor
	} else {
		floor.saturating_add(1)
	}
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
		assert_eq!(Ppm(650_000).of_floor(1_000), 650);
		assert_eq!(Ppm(333_333).of_ceil(3), 1);
	}
}
