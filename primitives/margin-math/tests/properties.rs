//! Property tests of the margin arithmetic against exact cross-multiplication.

use proptest::prelude::*;
use qingsuan_margin_math::*;

/// Whether `assets / liabilities < line`, exactly (`liabilities > 0`).
fn below(assets: u128, liabilities: u128, line: Bps) -> bool {
	assets * 10_000 < line.0 * liabilities
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2_000))]

	#[test]
	fn mul_div_is_exact_beyond_128_bit_products(a in any::<u64>(), b in any::<u64>(), d in 1u128..1 << 60, s in 0u32..64) {
		// a·2ˢ·b / (d·2ˢ) = a·b / d, whose product fits: the wide path against the narrow one.
		let (a, b, reference) = (u128::from(a), u128::from(b), u128::from(a) * u128::from(b));
		prop_assert_eq!(mul_div_floor(a << s, b, d << s), reference / d);
		prop_assert_eq!(mul_div_ceil(a << s, b, d << s), reference.div_ceil(d));
		prop_assert_eq!(mul_div_floor(b, a << s, d << s), reference / d);
	}

	#[test]
	fn the_ratio_is_the_floor_of_the_exact_one(assets in 0u128..1u128 << 80, liabilities in 1u128..1u128 << 80) {
		let Bps(r) = maintenance_ratio(assets, liabilities).expect("debt");
		prop_assert!(r * liabilities <= assets * 10_000);
		prop_assert!(assets * 10_000 < (r + 1) * liabilities);
	}

	#[test]
	fn a_trigger_says_exactly_when_the_ratio_is_below_the_line(
		held in 0u128..1_000_000,
		owed in 0u128..1_000_000,
		assets in 0u128..1u128 << 50,
		liabilities in 0u128..1u128 << 50,
		line in 10_001u128..40_000,
		price in 0u128..10_000_000,
	) {
		let t = trigger(held, owed, assets, liabilities, Bps(line));
		let (a, l) = (assets + held * price, liabilities + owed * price);
		// With no debt at this price the account is above every line.
		let exact = l > 0 && below(a, l, Bps(line));
		prop_assert_eq!(t.is_below(price), exact, "{:?} at {}", t, price);
	}

	#[test]
	fn a_liquidation_sells_no_more_lots_than_it_needs(
		liabilities in 1u128..1u128 << 40,
		assets_pct in 50u128..150,
		price in 1u128..100_000,
		discount_pct in 0u128..=2,
		lot in 1u128..1_000,
		held in 0u128..10_000_000,
	) {
		let assets = liabilities * assets_pct / 100;
		let target = Bps(15_000);
		// Sold up to 2% under its mark, as a forced sale's protection allows.
		let mark = price + price * discount_pct / 100;
		let x = shares_to_sell(assets, liabilities, price, mark, target, lot, held);
		prop_assert!(x <= held);
		// The shares (worth x·mark) become x·price of cash, which repays the debt.
		let after = |x: u128| {
			let paid = (x * price).min(liabilities);
			let assets = (assets + x * price).saturating_sub(x * mark).saturating_sub(paid);
			(assets, liabilities - paid)
		};
		let (a, l) = after(x);
		let done = l == 0 || !below(a, l, target);
		if x < held {
			prop_assert!(done, "selling {} leaves {}/{}", x, a, l);
		}
		if x >= lot && x < held {
			let (a, l) = after(x - lot);
			prop_assert!(l > 0 && below(a, l, target), "one lot fewer ({}) was enough", x - lot);
		}
	}

	#[test]
	fn var_is_the_confidence_quantile(mut losses in proptest::collection::vec(0u128..1_000_000, 1..400)) {
		let n = losses.len();
		let v = historical_var(&mut losses, Ppm(990_000));
		let at_most = losses.iter().filter(|l| **l <= v).count();
		let under = losses.iter().filter(|l| **l < v).count();
		prop_assert!(at_most * 100 >= n * 99);
		prop_assert!(under * 100 < n * 99);
	}

	#[test]
	fn more_cash_or_a_higher_price_of_what_it_bought_never_lowers_the_available_margin(
		cash in 0u128..1u128 << 60,
		extra in 0u128..1u128 << 40,
		amount in 0u128..1u128 << 40,
		quantity in 0u128..1_000_000,
		price in 0u128..1_000_000,
		rise in 0u128..1_000,
	) {
		let c = |price| Contract { amount, quantity, price, conversion: Ppm(650_000) };
		let a = |cash, price| available_margin(cash, &[], &[c(price)], &[], 0, Ppm::ONE, Ppm(500_000));
		prop_assert!(a(cash + extra, price) >= a(cash, price));
		prop_assert!(a(cash, price + rise) >= a(cash, price));
	}
}
