//! A stored order book from untrusted bytes (the pallet's storage, a peer's state proof): SCALE
//! decoding either refuses it or gives a book whose invariants hold, that encodes back to the
//! bytes it came from, and that the engine can go on matching against.
//!
//! The input is decoded as it is, and (first byte odd) also read as a recipe: a few orders
//! placed on a book, its encoding, then a few bytes of it overwritten; arbitrary bytes rarely
//! spell a book, and the edited encodings reach the decoder's checks (crossed books, repeated
//! ids, unordered or empty levels, off-grid prices) much more often.
#![no_main]

use codec::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use qingsuan_matching_engine::*;

fuzz_target!(|data: &[u8]| {
	check(data);
	if let Some((&mode, recipe)) = data.split_first() {
		if mode & 1 == 1 {
			check(&edited_encoding(recipe));
		}
	}
});

/// A book's encoding built from `recipe`: rules, a few orders, then byte edits.
fn edited_encoding(recipe: &[u8]) -> Vec<u8> {
	let mut bytes = recipe.iter().copied();
	let mut next = || bytes.next().unwrap_or(0);
	let config = next();
	let rules = MarketRules {
		tick: u64::from(config & 3) + 1,
		lot: u64::from(config >> 2 & 3) + 1,
		stp: if config & 0x10 == 0 {
			SelfTradePrevention::CancelNewest
		} else {
			SelfTradePrevention::CancelOldest
		},
	};
	let mut book = Book::<u8>::new(rules);
	let mut out = Execution::default();
	for _ in 0..next() % 8 {
		let (a, b, c) = (next(), next(), next());
		let tif = if a & 0x80 == 0 { TimeInForce::Gtc } else { TimeInForce::Gtd(u64::from(c % 8) + 1) };
		let request = OrderRequest {
			id: u64::from(a % 16),
			owner: b % 3,
			side: if b & 0x80 == 0 { Side::Buy } else { Side::Sell },
			quantity: u64::from(c % 5 + 1) * rules.lot,
			kind: OrderType::Limit { price: u64::from(b % 16 + 1) * rules.tick, tif, post_only: a & 0x40 != 0 },
		};
		let _ = book.place(request, 0, 8, &mut out);
	}
	let mut encoded = book.encode();
	for _ in 0..next() % 4 {
		let (at, value) = (usize::from(next()), next());
		let len = encoded.len();
		encoded[at % len] = value;
	}
	encoded
}

fn check(data: &[u8]) {
	let mut input = data;
	let Ok(mut book) = Book::<u8>::decode(&mut input) else { return };
	book.check_invariants().expect("a decoded book keeps the invariants");
	// SCALE is canonical here (compact lengths, bools, options and enums all refuse
	// alternative spellings), so the encoding is exactly the bytes decoding consumed.
	let consumed = data.len() - input.len();
	let bytes = book.encode();
	assert_eq!(bytes[..], data[..consumed], "re-encoding differs from the input");
	assert!(bytes.len() <= max_encoded_len::<u8>(book.len() as u32));
	assert_eq!(Book::<u8>::decode(&mut &bytes[..]).expect("its own encoding decodes"), book);
	for side in [Side::Buy, Side::Sell] {
		for (price, order) in book.orders(side) {
			let view = book.get(order.id).expect("an order listed rests");
			assert_eq!((view.side, view.price, &view.order), (side, price, order));
		}
	}
	// Matching on a decoded book (arbitrary prices, quantities and expiries) keeps it sound.
	let rules = *book.rules();
	let mut out = Execution::default();
	let first = book.orders(Side::Buy).chain(book.orders(Side::Sell)).next().map(|(_, o)| o.id);
	if let Some(id) = first {
		let _ = book.replace(id, rules.tick, rules.lot, 1, 4, &mut out);
		book.check_invariants().expect("invariants after a replace");
	}
	for (side, protection) in [(Side::Buy, u64::MAX), (Side::Sell, 1)] {
		let request = OrderRequest {
			id: u64::MAX,
			owner: 0,
			side,
			quantity: rules.lot.saturating_mul(3),
			kind: OrderType::Market { protection },
		};
		if book.place(request, 1, 8, &mut out).is_ok() {
			let rest = match out.outcome {
				Outcome::Filled => 0,
				Outcome::Resting(q) | Outcome::Suspended(q) | Outcome::Cancelled(q, _) => q,
			};
			assert_eq!(u128::from(out.filled()) + u128::from(rest), u128::from(rules.lot.saturating_mul(3)));
		}
		book.check_invariants().expect("invariants after a market order");
	}
}
