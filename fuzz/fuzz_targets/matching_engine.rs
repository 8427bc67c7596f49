//! The matching engine on arbitrary request sequences: every place (limit of each time in force,
//! post-only, market with a protection price), cancel, reduce, replace and expire, with small
//! step budgets and a moving clock, over a few ids and owners. After every request the book's
//! invariants hold, quantity is conserved (what arrives trades, rests, is cancelled or is
//! suspended; what leaves the book is what traded or was removed), every fill is at the maker's
//! price within the taker's limit, and the engine does exactly what the reference model does.
#![no_main]

use std::collections::HashMap;

use codec::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use qingsuan_matching_engine::{reference::Model, *};

/// Reads the fuzz input a byte at a time; zeros once it runs out.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
	fn byte(&mut self) -> u8 {
		match self.0.split_first() {
			Some((&b, rest)) => {
				self.0 = rest;
				b
			},
			None => 0,
		}
	}

	fn is_empty(&self) -> bool {
		self.0.is_empty()
	}
}

/// The few ids the requests use, so they hit resting orders.
const IDS: u8 = 12;
/// The few owners, so self-trade prevention fires.
const OWNERS: u8 = 3;
/// The prices cluster around this many ticks.
const MID_TICKS: u64 = 20;

struct Market {
	rules: MarketRules,
}

impl Market {
	/// Mostly on the grid near the mid; sometimes zero or off the grid.
	fn price(&self, input: &mut Input) -> Price {
		let b = input.byte();
		match b % 16 {
			0 => 0,
			1 => u64::from(input.byte()),
			_ => (MID_TICKS + u64::from(b / 16) - 8).max(1) * self.rules.tick,
		}
	}

	/// Mostly a few lots; sometimes zero or off the lot grid.
	fn quantity(&self, input: &mut Input) -> Quantity {
		let b = input.byte();
		match b % 16 {
			0 => 0,
			1 => u64::from(input.byte()),
			_ => u64::from(b / 16 % 6 + 1) * self.rules.lot,
		}
	}
}

fn budget(input: &mut Input) -> u32 {
	let b = input.byte();
	if b >= 0xF0 {
		1_000
	} else {
		u32::from(b % 8) + 1
	}
}

fn side(b: u8) -> Side {
	if b & 1 == 0 {
		Side::Buy
	} else {
		Side::Sell
	}
}

/// Where each resting order is and what it has left, before a request.
type Snapshot = HashMap<OrderId, (Side, Price, RestingOrder<u8>)>;

fn snapshot(book: &Book<u8>) -> Snapshot {
	[Side::Buy, Side::Sell]
		.into_iter()
		.flat_map(|side| book.orders(side).map(move |(p, o)| (o.id, (side, p, o.clone()))))
		.collect()
}

/// The ids of `side` in priority order.
fn priority(book: &Book<u8>, side: Side) -> Vec<OrderId> {
	book.orders(side).map(|(_, o)| o.id).collect()
}

fn resting_total(book: &Book<u8>) -> u128 {
	[Side::Buy, Side::Sell]
		.into_iter()
		.flat_map(|side| book.orders(side))
		.map(|(_, o)| u128::from(o.remaining))
		.sum()
}

/// The fills and removals of one matching request against the book as it was before it:
/// fills at the maker's price, within the taker's limit, never against the taker's owner;
/// never against a `barred` owner; removals only of expired, barred or (cancel-oldest)
/// self-trading orders. Returns the quantity that left the book.
fn check_matching(
	before: &Snapshot,
	out: &Execution<u8>,
	taker: OrderId,
	owner: u8,
	taker_side: Side,
	limit: Price,
	now: Moment,
	stp: SelfTradePrevention,
	barred: u8,
) -> u128 {
	let mut left = 0u128;
	for fill in &out.fills {
		let (side, price, maker) = before.get(&fill.maker).expect("a fill's maker rested");
		assert_eq!(*side, taker_side.opposite());
		assert_eq!(fill.price, *price, "trades at the maker's price");
		assert!(taker_side.crosses(limit, fill.price), "trade beyond the taker's limit");
		assert_eq!(fill.taker, taker);
		assert_eq!(fill.taker_side, taker_side);
		assert_eq!(fill.maker_owner, maker.owner);
		assert_ne!(fill.maker_owner, owner, "self-trade");
		assert!(!maker.is_expired(now), "an expired order traded");
		assert_ne!(maker.owner, barred, "a barred owner's order traded");
		assert!(fill.quantity > 0);
		assert_eq!(fill.maker_remaining + fill.quantity, maker.remaining);
		left += u128::from(fill.quantity);
	}
	for removal in &out.removals {
		let (side, price, order) = before.get(&removal.order.id).expect("a removed order rested");
		assert_eq!((removal.side, removal.price), (*side, *price));
		assert_eq!(&removal.order, order);
		match removal.reason {
			RemovalReason::Expired => assert!(order.is_expired(now)),
			RemovalReason::Ineligible => assert_eq!(order.owner, barred),
			RemovalReason::SelfTrade => {
				assert_eq!(stp, SelfTradePrevention::CancelOldest);
				assert_eq!(order.owner, owner);
			},
		}
		left += u128::from(order.remaining);
	}
	left
}

/// What arrived is what traded plus what rests, was cancelled or is suspended.
fn check_outcome(book: &Book<u8>, out: &Execution<u8>, id: OrderId, quantity: Quantity, price: Price) {
	let rest = match out.outcome {
		Outcome::Filled => 0,
		Outcome::Resting(q) | Outcome::Suspended(q) | Outcome::Cancelled(q, _) => q,
	};
	assert_eq!(u128::from(out.filled()) + u128::from(rest), u128::from(quantity));
	match out.outcome {
		Outcome::Resting(q) => {
			let view = book.get(id).expect("a resting outcome rests");
			assert_eq!((view.price, view.order.remaining), (price, q));
			assert!(q > 0);
		},
		_ => assert!(!book.contains(id)),
	}
	if let Outcome::Cancelled(q, CancelReason::FillOrKill) = out.outcome {
		assert_eq!(q, quantity);
		assert!(out.fills.is_empty() && out.removals.is_empty());
	}
}

fn check_same(book: &Book<u8>, model: &Model<u8>, now: Moment) {
	book.check_invariants().expect("invariants");
	for side in [Side::Buy, Side::Sell] {
		let engine: Vec<(Price, RestingOrder<u8>)> =
			book.orders(side).map(|(p, o)| (p, o.clone())).collect();
		assert_eq!(engine, model.orders(side), "{side:?} side differs from the model");
		let depth = book.depth(side, usize::MAX);
		assert_eq!(depth.len(), book.level_count(side));
		assert_eq!(depth.iter().map(|l| l.orders as usize).sum::<usize>(), engine.len());
	}
	let expired: Vec<OrderId> = model
		.orders(Side::Buy)
		.into_iter()
		.chain(model.orders(Side::Sell))
		.filter(|(_, o)| o.is_expired(now))
		.map(|(_, o)| o.id)
		.take(4)
		.collect();
	assert_eq!(book.expired(now, 4), expired);
}

fuzz_target!(|data: &[u8]| {
	let mut input = Input(data);
	let config = input.byte();
	let rules = MarketRules {
		tick: u64::from(config >> 1 & 3) + 1,
		lot: u64::from(config >> 3 & 3) * 5 + 1,
		stp: if config & 1 == 0 {
			SelfTradePrevention::CancelNewest
		} else {
			SelfTradePrevention::CancelOldest
		},
	};
	let market = Market { rules };
	let mut book = Book::<u8>::new(rules);
	let mut model = Model::<u8>::new(rules);
	let (mut out, mut expected) = (Execution::default(), Execution::default());
	let mut now: Moment = 0;
	while !input.is_empty() {
		let op = input.byte();
		let id = OrderId::from(input.byte() % IDS);
		let before = snapshot(&book);
		let priority_before = [priority(&book, Side::Buy), priority(&book, Side::Sell)];
		let total_before = resting_total(&book);
		// How much left the book besides what matching reports, and how much joined it.
		let (mut removed, mut added) = (0u128, 0u128);
		// The owner that may no longer trade in this operation, if any (`OWNERS`: none).
		let barred = (op >> 4) % (OWNERS + 1);
		let tradable = move |owner: &u8| *owner != barred;
		match op % 8 {
			0..=2 => {
				let b = input.byte();
				let owner = b % OWNERS;
				let side = side(b >> 2);
				let quantity = market.quantity(&mut input);
				let kind = if op % 8 == 2 && b & 0x80 != 0 {
					OrderType::Market { protection: market.price(&mut input) }
				} else {
					let tif = match b >> 3 & 3 {
						0 => TimeInForce::Gtc,
						1 => TimeInForce::Gtd(now + u64::from(input.byte() % 6)),
						2 => TimeInForce::Ioc,
						_ => TimeInForce::Fok,
					};
					OrderType::Limit { price: market.price(&mut input), tif, post_only: b & 0x20 != 0 }
				};
				let budget = budget(&mut input);
				let request = OrderRequest { id, owner, side, quantity, kind };
				let got = book.place_filtered(request.clone(), now, budget, tradable, &mut out);
				let want = model.place_filtered(request, now, budget, &tradable, &mut expected);
				assert_eq!(got, want);
				assert_eq!(out, expected);
				match got {
					Ok(()) => {
						let limit = kind.limit_price();
						removed +=
							check_matching(&before, &out, id, owner, side, limit, now, rules.stp, barred);
						check_outcome(&book, &out, id, quantity, limit);
						if let Outcome::Resting(q) = out.outcome {
							added += u128::from(q);
						}
					},
					Err(_) => assert!(out.fills.is_empty() && out.removals.is_empty()),
				}
			},
			3 => {
				let got = book.cancel(id);
				assert_eq!(got, model.cancel(id));
				if let Ok(view) = got {
					let (side, price, order) = &before[&id];
					assert_eq!((&view.side, &view.price, &view.order), (side, price, order));
					removed += u128::from(view.order.remaining);
				}
			},
			4 => {
				let quantity = market.quantity(&mut input);
				let got = book.reduce(id, quantity);
				assert_eq!(got, model.reduce(id, quantity));
				if let Ok(q) = got {
					removed += u128::from(q);
					assert_eq!(book.get(id).expect("still rests").order.remaining, quantity);
				}
			},
			5 => {
				let price = market.price(&mut input);
				let quantity = market.quantity(&mut input);
				let budget = budget(&mut input);
				let got = book.replace_filtered(id, price, quantity, now, budget, tradable, &mut out);
				let want = model.replace_filtered(id, price, quantity, now, budget, &tradable, &mut expected);
				assert_eq!(got, want);
				assert_eq!(out, expected);
				match got {
					Ok(()) => {
						let (side, old_price, old) = before[&id].clone();
						if price == old_price && quantity <= old.remaining {
							// Kept its place (the priority order is unchanged), maybe with less.
							assert!(out.fills.is_empty() && out.removals.is_empty());
							assert_eq!(out.outcome, Outcome::Resting(quantity));
							removed += u128::from(old.remaining - quantity);
							assert_eq!(priority_before[side as usize], priority(&book, side));
						} else {
							removed += u128::from(old.remaining);
							removed += check_matching(
								&before, &out, id, old.owner, side, price, now, rules.stp, barred,
							);
							check_outcome(&book, &out, id, quantity, price);
							if let Outcome::Resting(q) = out.outcome {
								added += u128::from(q);
								let view = book.get(id).expect("rests");
								assert_eq!(view.order.owner, old.owner);
								assert_eq!(view.order.expires_at, old.expires_at);
								assert_eq!(view.order.post_only, old.post_only);
								// It lost its place: last at its price.
								let level = book.orders(side).filter(|(p, _)| *p == price).last();
								assert_eq!(level.map(|(_, o)| o.id), Some(id));
							}
						}
					},
					Err(_) => assert!(out.fills.is_empty() && out.removals.is_empty()),
				}
			},
			6 => {
				let got = book.expire(id, now);
				assert_eq!(got, model.expire(id, now));
				if let Ok(view) = got {
					assert!(view.order.is_expired(now));
					removed += u128::from(view.order.remaining);
				}
			},
			_ => now += u64::from(input.byte() % 4),
		}
		check_same(&book, &model, now);
		// Conservation of the resting quantity.
		assert_eq!(total_before + added - removed, resting_total(&book), "quantity not conserved");
	}
	// The book survives its own encoding.
	let bytes = book.encode();
	assert!(bytes.len() <= max_encoded_len::<u8>(book.len() as u32));
	let decoded = Book::<u8>::decode(&mut &bytes[..]).expect("an encoded book decodes");
	assert_eq!(decoded, book);
});
