//! Delivery versus payment for investor accounts: which legs of an instruction pair up, as plain
//! functions of the legs (no storage).
//!
//! A broker acts for its investors, so an instruction between two of them (or between an
//! investor and anyone) could hand one investor's assets to another for nothing. It may not: a
//! leg that touches an investor account must be one half of a pair, a security leg and a cash
//! leg the other way between the same two accounts, and the pair's price must lie within the
//! market's price band (the exchanges' rule for block trades). Legs between brokers' own
//! accounts are free (institutions settle collateral and repo legs free of payment).

use crate::Leg;
use alloc::vec::Vec;
use qingsuan_primitives::market::{Amount, AssetClass, AssetId};

/// A security leg and the cash leg that pays for it, by their index in the instruction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pair {
	/// The security leg.
	pub delivery: usize,
	/// The cash leg, from the security's receiver to its deliverer.
	pub payment: usize,
}

/// Pair every leg of `legs` that touches an investor account (`is_investor`); `classes[i]` is
/// the class of `legs[i]`'s asset. Each security leg takes the first unpaired cash leg that pays
/// for it. `Err(i)` names a leg touching an investor that is left unpaired.
pub fn pair_investor_legs<A: PartialEq>(
	legs: &[Leg<A>],
	classes: &[AssetClass],
	is_investor: impl Fn(&A) -> bool,
) -> Result<Vec<Pair>, usize> {
	let touches = |leg: &Leg<A>| is_investor(&leg.from) || is_investor(&leg.to);
	let mut paid = alloc::vec![false; legs.len()];
	let mut pairs = Vec::new();
	for (delivery, leg) in legs.iter().enumerate() {
		if classes.get(delivery) != Some(&AssetClass::Security) || !touches(leg) {
			continue;
		}
		let payment = legs.iter().enumerate().position(|(i, cash)| {
			!paid[i] && classes.get(i) == Some(&AssetClass::Cash) && cash.from == leg.to && cash.to == leg.from
		});
		let Some(payment) = payment else { return Err(delivery) };
		paid[payment] = true;
		pairs.push(Pair { delivery, payment });
	}
	match legs
		.iter()
		.enumerate()
		.find(|(i, leg)| classes.get(*i) == Some(&AssetClass::Cash) && !paid[*i] && touches(leg))
	{
		Some((i, _)) => Err(i),
		None => Ok(pairs),
	}
}

/// Whether `cash` paid for `quantity` units is a price within `[low, high]` per unit.
pub fn priced_within(quantity: Amount, cash: Amount, (low, high): (Amount, Amount)) -> bool {
	low.checked_mul(quantity).is_some_and(|min| cash >= min) && high.checked_mul(quantity).is_none_or(|max| cash <= max)
}

/// The security and cash asset of `pair` in `legs`.
pub fn assets_of<A>(legs: &[Leg<A>], pair: Pair) -> (AssetId, AssetId) {
	(legs[pair.delivery].asset, legs[pair.payment].asset)
}

#[cfg(test)]
mod tests {
	use super::*;
	use AssetClass::{Cash, Security};

	const ANN: u64 = 11;
	const BEN: u64 = 21;
	const ALICE: u64 = 1;
	const BOB: u64 = 2;

	fn leg(from: u64, to: u64, asset: AssetId, amount: Amount) -> Leg<u64> {
		Leg { from, to, asset, amount }
	}

	fn investor(who: &u64) -> bool {
		*who > 10
	}

	#[test]
	fn a_security_leg_pairs_with_the_cash_leg_that_pays_for_it() {
		let legs = [leg(BEN, ANN, 1000, 150), leg(ANN, BEN, 1, 100)];
		assert_eq!(pair_investor_legs(&legs, &[Cash, Security], investor), Ok(vec![Pair { delivery: 1, payment: 0 }]));
	}

	#[test]
	fn free_deliveries_and_free_payments_of_investors_are_refused() {
		assert_eq!(pair_investor_legs(&[leg(ANN, BEN, 1, 100)], &[Security], investor), Err(0));
		assert_eq!(pair_investor_legs(&[leg(ALICE, ANN, 1, 100)], &[Security], investor), Err(0));
		assert_eq!(pair_investor_legs(&[leg(ANN, ALICE, 1000, 5)], &[Cash], investor), Err(0));
		// Paid the wrong way round, or by someone else.
		let legs = [leg(ANN, BEN, 1, 100), leg(ANN, BEN, 1000, 150)];
		assert_eq!(pair_investor_legs(&legs, &[Security, Cash], investor), Err(0));
		let legs = [leg(ANN, BEN, 1, 100), leg(ALICE, ANN, 1000, 150)];
		assert_eq!(pair_investor_legs(&legs, &[Security, Cash], investor), Err(0));
		// A second payment for one delivery is a free payment.
		let legs = [leg(ANN, BEN, 1, 100), leg(BEN, ANN, 1000, 150), leg(BEN, ANN, 1000, 1)];
		assert_eq!(pair_investor_legs(&legs, &[Security, Cash, Cash], investor), Err(2));
	}

	#[test]
	fn legs_between_brokers_need_no_pair() {
		let legs = [leg(ALICE, BOB, 1, 100), leg(BOB, ALICE, 2, 7), leg(ANN, BEN, 1, 10), leg(BEN, ANN, 1000, 15)];
		assert_eq!(
			pair_investor_legs(&legs, &[Security, Security, Security, Cash], investor),
			Ok(vec![Pair { delivery: 2, payment: 3 }])
		);
	}

	#[test]
	fn each_payment_pays_one_delivery() {
		let legs = [leg(ANN, BEN, 1, 100), leg(ANN, BEN, 2, 100), leg(BEN, ANN, 1000, 150)];
		assert_eq!(pair_investor_legs(&legs, &[Security, Security, Cash], investor), Err(1));
	}

	#[test]
	fn the_price_is_bounded_by_the_band() {
		assert!(priced_within(100, 150_000, (1_350, 1_650)));
		assert!(priced_within(100, 135_000, (1_350, 1_650)));
		assert!(priced_within(100, 165_000, (1_350, 1_650)));
		assert!(!priced_within(100, 134_999, (1_350, 1_650)));
		assert!(!priced_within(100, 165_001, (1_350, 1_650)));
		// Overflowing bounds: an unreachable floor refuses, an unreachable ceiling does not bind.
		assert!(!priced_within(u128::MAX, u128::MAX, (2, 3)));
		assert!(priced_within(2, 10, (1, u128::MAX)));
	}
}
