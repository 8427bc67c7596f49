//! Interest on margin debt.

use crate::{mul_div_ceil, Amount, Ppm};

/// One day's interest on `debt` at `annual_rate`, on a 360-day year as the brokers' margin
/// contracts count it, rounded up to the smallest unit.
pub fn daily_interest(debt: Amount, annual_rate: Ppm) -> Amount {
	mul_div_ceil(debt, annual_rate.0.into(), 360 * 1_000_000)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_day_at_the_usual_rates() {
		// 1,000,000.00 yuan at 8.35%: 231.94 yuan a day (23,194.44 fen, rounded up).
		assert_eq!(daily_interest(100_000_000, Ppm(83_500)), 23_195);
		// Exact days are not rounded.
		assert_eq!(daily_interest(360_000_000, Ppm(100_000)), 100_000);
		assert_eq!(daily_interest(0, Ppm(83_500)), 0);
		assert_eq!(daily_interest(1, Ppm(1)), 1);
	}
}
