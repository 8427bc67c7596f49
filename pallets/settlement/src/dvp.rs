//! Delivery versus payment for investor accounts: which legs of an instruction pair up, as plain
//! functions of the legs (no storage).
//!
//! A broker acts for its investors, so an instruction between two of them (or between an
//! investor and the broker itself) could hand one investor's assets to another for nothing. It
//! may not: in an instruction with an investor party, every leg must be one half of a pair, a
//! security leg and a cash leg the other way between the same two accounts, priced within the
//! market's price band (the exchanges' rule for block trades); the two accounts of a pair that
//! touches an investor must be acted for by different brokers (a broker crosses its own clients,
//! or trades with them as principal, on the exchange's book, at the book's prices); and no
//! investor both delivers and receives the same security in one instruction (out at the band's
//! floor and back at its ceiling, through whatever counterparties, moves value, not
//! securities). Free legs between brokers' own accounts are for instructions without investors
//! (institutions settle collateral and repo legs free of payment); mixed into an investor's
//! instruction they would let a broker route its client's shares to itself.

use crate::Leg;
use alloc::{vec, vec::Vec};
use qingsuan_primitives::market::{Amount, AssetClass};

/// A security leg and the cash leg that pays for it, by their index in the instruction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pair {
	/// The security leg.
	pub delivery: usize,
	/// The cash leg, from the security's receiver to its deliverer.
	pub payment: usize,
}

/// Why the legs touching investors do not pair up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unpaired<E> {
	/// Leg `i` touches an investor and nothing pays for it (a security leg with no cash leg the
	/// other way between the same two accounts) or it pays for nothing (a cash leg left over).
	FreeOfPayment(usize),
	/// A security leg has cash legs the other way, but none fits it: the first one's reason
	/// (no market for the pair, a price outside the band).
	Unfit(E),
}

/// Pair every leg of `legs`: `classes[i]` is the class of `legs[i]`'s asset, `fits(d, p)`
/// whether cash leg `p` may pay for security leg `d` (its market and price). Finds a pairing
/// whenever one exists (augmenting paths over at most `MaxLegs` legs), whatever the legs' order.
pub fn pair_legs<A: PartialEq, E: Copy>(
	legs: &[Leg<A>],
	classes: &[AssetClass],
	mut fits: impl FnMut(usize, usize) -> Result<(), E>,
) -> Result<Vec<Pair>, Unpaired<E>> {
	let class = |i: usize| classes.get(i).copied();
	let deliveries: Vec<usize> = (0..legs.len()).filter(|&i| class(i) == Some(AssetClass::Security)).collect();
	// For each delivery, the payments that fit it.
	let mut options: Vec<Vec<usize>> = Vec::with_capacity(deliveries.len());
	for &d in &deliveries {
		let candidates = (0..legs.len()).filter(|&p| {
			class(p) == Some(AssetClass::Cash) && legs[p].from == legs[d].to && legs[p].to == legs[d].from
		});
		let mut fitting = Vec::new();
		let mut reason = None;
		let mut any = false;
		for p in candidates {
			any = true;
			match fits(d, p) {
				Ok(()) => fitting.push(p),
				Err(e) => reason = reason.or(Some(e)),
			}
		}
		match (any, fitting.is_empty(), reason) {
			(false, _, _) => return Err(Unpaired::FreeOfPayment(d)),
			(true, true, Some(e)) => return Err(Unpaired::Unfit(e)),
			_ => options.push(fitting),
		}
	}
	// payer[p] = index into `deliveries` that cash leg `p` pays for.
	let mut payer: Vec<Option<usize>> = vec![None; legs.len()];
	for (x, &d) in deliveries.iter().enumerate() {
		let mut seen = vec![false; legs.len()];
		if !augment(x, &options, &mut payer, &mut seen) {
			return Err(Unpaired::FreeOfPayment(d));
		}
	}
	if let Some(p) = (0..legs.len()).find(|&p| class(p) != Some(AssetClass::Security) && payer[p].is_none()) {
		return Err(Unpaired::FreeOfPayment(p));
	}
	let mut pairs: Vec<Pair> =
		(0..legs.len()).filter_map(|p| payer[p].map(|x| Pair { delivery: deliveries[x], payment: p })).collect();
	pairs.sort_by_key(|pair| pair.delivery);
	Ok(pairs)
}

/// No investor (`is_investor`) both delivers and receives the same security in `legs`; `Err`
/// names a delivery and a receipt of one.
pub fn one_way<A: PartialEq>(
	legs: &[Leg<A>],
	classes: &[AssetClass],
	is_investor: impl Fn(&A) -> bool,
) -> Result<(), (usize, usize)> {
	let security = |i: usize| classes.get(i) == Some(&AssetClass::Security);
	for (d, out) in legs.iter().enumerate().filter(|(i, l)| security(*i) && is_investor(&l.from)) {
		if let Some(r) = (0..legs.len()).find(|&r| security(r) && legs[r].asset == out.asset && legs[r].to == out.from)
		{
			return Err((d, r));
		}
	}
	Ok(())
}

/// Find a payment for delivery `x`, moving earlier deliveries to other payments if need be.
fn augment(x: usize, options: &[Vec<usize>], payer: &mut [Option<usize>], seen: &mut [bool]) -> bool {
	for &p in &options[x] {
		if seen[p] {
			continue;
		}
		seen[p] = true;
		if payer[p].is_none_or(|other| augment(other, options, payer, seen)) {
			payer[p] = Some(x);
			return true;
		}
	}
	false
}

/// Whether `cash` paid for `quantity` units is a price within `[low, high]` per unit.
pub fn priced_within(quantity: Amount, cash: Amount, (low, high): (Amount, Amount)) -> bool {
	low.checked_mul(quantity).is_some_and(|min| cash >= min) && high.checked_mul(quantity).is_none_or(|max| cash <= max)
}

#[cfg(test)]
mod tests {
	use super::*;
	use qingsuan_primitives::market::AssetId;
	use AssetClass::{Cash, Security};

	const ANN: u64 = 11;
	const BEN: u64 = 21;
	const CAT: u64 = 31;
	const ALICE: u64 = 1;

	fn leg(from: u64, to: u64, asset: AssetId, amount: Amount) -> Leg<u64> {
		Leg { from, to, asset, amount }
	}

	fn investor(who: &u64) -> bool {
		*who > 10
	}

	/// Every payment fits.
	fn any(_: usize, _: usize) -> Result<(), ()> {
		Ok(())
	}

	fn pairs(legs: &[Leg<u64>], classes: &[AssetClass]) -> Result<Vec<Pair>, Unpaired<()>> {
		pair_legs(legs, classes, any)
	}

	#[test]
	fn a_security_leg_pairs_with_the_cash_leg_that_pays_for_it() {
		let legs = [leg(BEN, ANN, 1000, 150), leg(ANN, BEN, 1, 100)];
		assert_eq!(pairs(&legs, &[Cash, Security]), Ok(vec![Pair { delivery: 1, payment: 0 }]));
	}

	#[test]
	fn free_deliveries_and_free_payments_are_refused() {
		assert_eq!(pairs(&[leg(ANN, BEN, 1, 100)], &[Security]), Err(Unpaired::FreeOfPayment(0)));
		assert_eq!(pairs(&[leg(ANN, ALICE, 1000, 5)], &[Cash]), Err(Unpaired::FreeOfPayment(0)));
		// Paid the wrong way round, or by someone else.
		let legs = [leg(ANN, BEN, 1, 100), leg(ANN, BEN, 1000, 150)];
		assert_eq!(pairs(&legs, &[Security, Cash]), Err(Unpaired::FreeOfPayment(0)));
		let legs = [leg(ANN, BEN, 1, 100), leg(ALICE, ANN, 1000, 150)];
		assert_eq!(pairs(&legs, &[Security, Cash]), Err(Unpaired::FreeOfPayment(0)));
		// A second payment for one delivery is a free payment.
		let legs = [leg(ANN, BEN, 1, 100), leg(BEN, ANN, 1000, 150), leg(BEN, ANN, 1000, 1)];
		assert_eq!(pairs(&legs, &[Security, Cash, Cash]), Err(Unpaired::FreeOfPayment(2)));
		// Every leg pairs, a broker's own free leg too.
		let legs = [leg(ANN, BEN, 1, 10), leg(BEN, ANN, 1000, 15), leg(ALICE, 2, 1, 100)];
		assert_eq!(pairs(&legs, &[Security, Cash, Security]), Err(Unpaired::FreeOfPayment(2)));
	}

	#[test]
	fn each_payment_pays_one_delivery() {
		let legs = [leg(ANN, BEN, 1, 100), leg(ANN, BEN, 2, 100), leg(BEN, ANN, 1000, 150)];
		assert_eq!(pairs(&legs, &[Security, Security, Cash]), Err(Unpaired::FreeOfPayment(1)));
	}

	#[test]
	fn a_pairing_is_found_whatever_the_order_of_the_legs() {
		// Security 1 trades for CNY (1000) only, security 2 for USD (1001) only; the USD payment
		// comes first, which a first-come pairing would give to security 1.
		let legs = [leg(ANN, BEN, 1, 100), leg(ANN, BEN, 2, 100), leg(BEN, ANN, 1001, 70), leg(BEN, ANN, 1000, 150)];
		let market = |d: usize, p: usize| match (legs[d].asset, legs[p].asset) {
			(1, 1000) | (2, 1001) => Ok(()),
			_ => Err("no market"),
		};
		assert_eq!(
			pair_legs(&legs, &[Security, Security, Cash, Cash], market),
			Ok(vec![Pair { delivery: 0, payment: 3 }, Pair { delivery: 1, payment: 2 }])
		);
	}

	#[test]
	fn a_delivery_whose_payments_all_misfit_names_the_reason() {
		let legs = [leg(ANN, BEN, 1, 100), leg(BEN, ANN, 1000, 1)];
		let band = |_: usize, _: usize| Err("outside the band");
		assert_eq!(pair_legs(&legs, &[Security, Cash], band), Err(Unpaired::Unfit("outside the band")));
	}

	#[test]
	fn an_investor_may_not_both_deliver_and_receive_a_security() {
		let classes = [Security, Cash, Security, Cash];
		// Back to Ann from Ben, or from anyone else.
		let legs = [leg(ANN, BEN, 1, 100), leg(BEN, ANN, 1000, 135), leg(BEN, ANN, 1, 100), leg(ANN, BEN, 1000, 165)];
		assert_eq!(one_way(&legs, &classes, investor), Err((0, 2)));
		let legs = [leg(ANN, BEN, 1, 100), leg(BEN, ANN, 1000, 135), leg(CAT, ANN, 1, 100), leg(ANN, CAT, 1000, 165)];
		assert_eq!(one_way(&legs, &classes, investor), Err((0, 2)));
		// Another security, or a broker's own account going both ways, is not a round trip.
		let legs = [leg(ANN, BEN, 1, 100), leg(BEN, ANN, 1000, 135), leg(BEN, ANN, 2, 100), leg(ANN, BEN, 1000, 165)];
		assert_eq!(one_way(&legs, &classes, investor), Ok(()));
		let legs =
			[leg(ALICE, BEN, 1, 100), leg(BEN, ALICE, 1000, 135), leg(CAT, ALICE, 1, 100), leg(ALICE, CAT, 1000, 1)];
		assert_eq!(one_way(&legs, &classes, investor), Ok(()));
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
