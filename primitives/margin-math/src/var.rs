//! Historical-simulation value at risk.

use crate::{Amount, Ppm};

/// The `confidence` quantile of `losses` (one per scenario), by historical simulation: the
/// smallest loss at least `confidence` of the scenarios do not exceed. Sorts `losses`. Zero
/// for no scenarios.
pub fn historical_var(losses: &mut [Amount], confidence: Ppm) -> Amount {
	if losses.is_empty() {
		return 0;
	}
	losses.sort_unstable();
	let n = losses.len() as u128;
	// ⌈n × confidence⌉, at least 1: the rank of the quantile.
	let rank = confidence.of_ceil(n).clamp(1, n);
	losses[(rank - 1) as usize]
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_99_percent_quantile_of_250_days_is_the_third_worst() {
		let mut losses: alloc::vec::Vec<Amount> = (1..=250).collect();
		assert_eq!(historical_var(&mut losses, Ppm(990_000)), 248);
		let mut one = [7];
		assert_eq!(historical_var(&mut one, Ppm(990_000)), 7);
		assert_eq!(historical_var(&mut [], Ppm(990_000)), 0);
		let mut hundred: alloc::vec::Vec<Amount> = (1..=100).rev().collect();
		assert_eq!(historical_var(&mut hundred, Ppm(990_000)), 99);
	}
}
