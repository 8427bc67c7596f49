//! What a credit account may still borrow (保证金可用余额), the caps on conversion rates, and the
//! concentration limit.

use crate::{signed, value, Amount, Bps, Ppm, Price};

/// A financing contract (融资合约) of a credit account: what it borrowed and what it bought.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Contract {
	/// The principal outstanding.
	pub amount: Amount,
	/// The shares it bought (still held).
	pub quantity: Amount,
	/// Their mark.
	pub price: Price,
	/// Their conversion rate.
	pub conversion: Ppm,
}

/// A short sale (融券合约): the shares owed and what selling them brought.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ShortSale {
	/// The proceeds of the sale (kept in the account, restricted).
	pub proceeds: Amount,
	/// The shares owed.
	pub quantity: Amount,
	/// Their mark.
	pub price: Price,
	/// Their conversion rate.
	pub conversion: Ppm,
}

/// A gain counts at the conversion rate, a loss in full.
fn haircut(gain: i128, conversion: Ppm) -> i128 {
	if gain > 0 {
		// gain < 2^127, so its conversion fits.
		conversion.of_floor(gain as u128) as i128
	} else {
		gain
	}
}

/// The available margin (保证金可用余额) of a credit account, by the exchanges' formula:
///
/// ```text
/// cash + Σ collateral × conversion + Σ h(bought value − financed amount)
///      + Σ h(short proceeds − owed value) − Σ short proceeds
///      − Σ financed amount × financing margin − Σ owed value × short margin
///      − interest and fees
/// ```
///
/// where `cash` includes short proceeds, `collateral` is `(value, conversion)` of the
/// securities not bought on financing, and `h` counts a gain at the conversion rate and a loss in
/// full. Negative when the account is over-borrowed. Saturates at `i128`'s bounds.
pub fn available_margin(
	cash: Amount,
	collateral: &[(Amount, Ppm)],
	contracts: &[Contract],
	shorts: &[ShortSale],
	interest: Amount,
	financing_margin: Ppm,
	short_margin: Ppm,
) -> i128 {
	let mut a = signed(cash);
	for (v, h) in collateral {
		a = a.saturating_add(signed(h.of_floor(*v)));
	}
	for c in contracts {
		let bought = signed(value(c.quantity, c.price));
		a = a
			.saturating_add(haircut(bought.saturating_sub(signed(c.amount)), c.conversion))
			.saturating_sub(signed(financing_margin.of_ceil(c.amount)));
	}
	for s in shorts {
		let owed = signed(value(s.quantity, s.price));
		a = a
			.saturating_add(haircut(signed(s.proceeds).saturating_sub(owed), s.conversion))
			.saturating_sub(signed(s.proceeds))
			.saturating_sub(signed(short_margin.of_ceil(value(s.quantity, s.price))));
	}
	a.saturating_sub(signed(interest))
}

/// What a security is, for the cap on its conversion rate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Category {
	/// A constituent of the SSE 180 or SZSE 100 index.
	IndexConstituent,
	/// Any other A share.
	Share,
	/// An exchange-traded fund.
	Etf,
	/// A money-market fund or a treasury bond.
	MoneyMarketOrTreasury,
	/// Another listed fund or bond.
	OtherFundOrBond,
	/// ST, suspended or being delisted.
	Restricted,
}

/// The exchanges' ceiling on the conversion rate of a security of `category`.
pub fn conversion_cap(category: Category) -> Ppm {
	Ppm(match category {
		Category::IndexConstituent => 700_000,
		Category::Share => 650_000,
		Category::Etf => 900_000,
		Category::MoneyMarketOrTreasury => 950_000,
		Category::OtherFundOrBond => 800_000,
		Category::Restricted => 0,
	})
}

/// Concentration tiers: no limit from `free`, `high` of the collateral from `mid`, `low` below.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tiers {
	/// Ratios from this up have no limit.
	pub free: Bps,
	/// Ratios from this up to `free` allow `high`.
	pub mid: Bps,
	/// One security's most share in the middle tier.
	pub high: Ppm,
	/// One security's most share below `mid`.
	pub low: Ppm,
}

/// The exchanges' default tiers: none from 240%, 70% from 180%, 50% below.
pub const DEFAULT_TIERS: Tiers = Tiers { free: Bps(24_000), mid: Bps(18_000), high: Ppm(700_000), low: Ppm(500_000) };

/// The most one security may be of an account's collateral value at `ratio` under `tiers`
/// (`None`: no debt, or no limit).
pub fn concentration_limit_in(ratio: Option<Bps>, tiers: &Tiers) -> Option<Ppm> {
	match ratio {
		None => None,
		Some(r) if r >= tiers.free => None,
		Some(r) if r >= tiers.mid => Some(tiers.high),
		Some(_) => Some(tiers.low),
	}
}

/// [`concentration_limit_in`] the exchanges' default tiers.
pub fn concentration_limit(ratio: Option<Bps>) -> Option<Ppm> {
	concentration_limit_in(ratio, &DEFAULT_TIERS)
}

#[cfg(test)]
mod tests {
	use super::*;

	const H: Ppm = Ppm(650_000);

	#[test]
	fn collateral_counts_at_its_conversion_rate() {
		// 100,000 cash and 1,500,000 of shares at 65%: 1,075,000 to borrow against.
		assert_eq!(available_margin(100_000, &[(1_500_000, H)], &[], &[], 0, Ppm::ONE, Ppm(500_000)), 1_075_000);
	}

	#[test]
	fn a_financing_contract_uses_its_amount_and_counts_a_gain_at_the_rate_and_a_loss_in_full() {
		let c = |price| Contract { amount: 500_000, quantity: 1_000, price, conversion: H };
		// Bought 1,000 at 500 with 500,000 borrowed: no gain, 500,000 of margin used.
		assert_eq!(available_margin(600_000, &[], &[c(500)], &[], 0, Ppm::ONE, Ppm(500_000)), 100_000);
		// Up to 600: 100,000 of gain counts 65,000.
		assert_eq!(available_margin(600_000, &[], &[c(600)], &[], 0, Ppm::ONE, Ppm(500_000)), 165_000);
		// Down to 400: the 100,000 loss counts in full.
		assert_eq!(available_margin(600_000, &[], &[c(400)], &[], 0, Ppm::ONE, Ppm(500_000)), 0);
	}

	#[test]
	fn a_short_sale_uses_half_its_value_and_its_proceeds_are_not_free() {
		let s = |price| ShortSale { proceeds: 100_000, quantity: 100, price, conversion: H };
		// 100,000 own cash plus 100,000 proceeds; owes 100 at 1,000: 50,000 of margin used.
		assert_eq!(available_margin(200_000, &[], &[], &[s(1_000)], 0, Ppm::ONE, Ppm(500_000)), 50_000);
		// The price rises to 1,200: a 20,000 loss in full, and the margin on 120,000.
		assert_eq!(available_margin(200_000, &[], &[], &[s(1_200)], 0, Ppm::ONE, Ppm(500_000)), 20_000);
		// Interest comes off.
		assert_eq!(available_margin(200_000, &[], &[], &[s(1_000)], 70_000, Ppm::ONE, Ppm(500_000)), -20_000);
	}

	#[test]
	fn caps_and_tiers_are_the_exchanges() {
		assert_eq!(conversion_cap(Category::IndexConstituent), Ppm(700_000));
		assert_eq!(conversion_cap(Category::Restricted), Ppm(0));
		assert_eq!(concentration_limit(None), None);
		assert_eq!(concentration_limit(Some(Bps(24_000))), None);
		assert_eq!(concentration_limit(Some(Bps(23_999))), Some(Ppm(700_000)));
		assert_eq!(concentration_limit(Some(Bps(18_000))), Some(Ppm(700_000)));
		assert_eq!(concentration_limit(Some(Bps(17_999))), Some(Ppm(500_000)));
	}

	#[test]
	fn extreme_amounts_saturate() {
		let big = Contract { amount: u128::MAX, quantity: u128::MAX, price: u128::MAX, conversion: Ppm::ONE };
		let a = available_margin(u128::MAX, &[(u128::MAX, Ppm::ONE)], &[big], &[], u128::MAX, Ppm::ONE, Ppm::ONE);
		// Assets and debts saturate alike instead of overflowing; the interest tips it below zero.
		assert_eq!(a, -i128::MAX);
	}
}
