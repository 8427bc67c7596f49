//! Property tests: the engine against the reference model on random request sequences.

use proptest::prelude::*;
use qingsuan_matching_engine::{reference::Model, *};

#[derive(Clone, Debug)]
enum Op {
	Place { id: u64, owner: u8, side: Side, quantity: u64, kind: OrderType, budget: u32 },
	Cancel(u64),
	Reduce(u64, u64),
	Replace { id: u64, price: u64, quantity: u64, budget: u32 },
	Expire(u64),
	Tick(u64),
}

const TICK: u64 = 5;
const LOT: u64 = 100;

fn side() -> impl Strategy<Value = Side> {
	prop_oneof![Just(Side::Buy), Just(Side::Sell)]
}

fn price() -> impl Strategy<Value = u64> {
	// Mostly on the grid near a mid price; sometimes off the grid or zero.
	prop_oneof![
		20 => (18u64..=22).prop_map(|t| t * TICK),
		1 => 0u64..=120,
	]
}

fn quantity() -> impl Strategy<Value = u64> {
	prop_oneof![10 => (1u64..=5).prop_map(|l| l * LOT), 1 => 0u64..=600]
}

fn kind() -> impl Strategy<Value = OrderType> {
	let tif = prop_oneof![
		4 => Just(TimeInForce::Gtc),
		2 => (0u64..30).prop_map(TimeInForce::Gtd),
		2 => Just(TimeInForce::Ioc),
		2 => Just(TimeInForce::Fok),
	];
	prop_oneof![
		8 => (price(), tif, prop::bool::weighted(0.15))
			.prop_map(|(price, tif, post_only)| OrderType::Limit { price, tif, post_only }),
		2 => price().prop_map(|protection| OrderType::Market { protection }),
	]
}

fn budget() -> impl Strategy<Value = u32> {
	prop_oneof![3 => 1u32..4, 1 => Just(1_000)]
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		10 => (0u64..40, 0u8..4, side(), quantity(), kind(), budget()).prop_map(
			|(id, owner, side, quantity, kind, budget)| Op::Place { id, owner, side, quantity, kind, budget }
		),
		2 => (0u64..40).prop_map(Op::Cancel),
		1 => (0u64..40, quantity()).prop_map(|(id, q)| Op::Reduce(id, q)),
		3 => (0u64..40, price(), quantity(), budget())
			.prop_map(|(id, price, quantity, budget)| Op::Replace { id, price, quantity, budget }),
		1 => (0u64..40).prop_map(Op::Expire),
		1 => (1u64..4).prop_map(Op::Tick),
	]
}

fn stp() -> impl Strategy<Value = SelfTradePrevention> {
	prop_oneof![Just(SelfTradePrevention::CancelNewest), Just(SelfTradePrevention::CancelOldest)]
}

fn check_same(book: &Book<u8>, model: &Model<u8>) {
	book.check_invariants().expect("the book keeps its invariants");
	for side in [Side::Buy, Side::Sell] {
		let engine: Vec<(u64, RestingOrder<u8>)> = book.orders(side).map(|(p, o)| (p, o.clone())).collect();
		assert_eq!(engine, model.orders(side), "{side:?} side differs");
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

	#[test]
	fn engine_matches_reference_model(stp in stp(), ops in prop::collection::vec(op(), 1..120)) {
		let rules = MarketRules { tick: TICK, lot: LOT, stp };
		let mut book = Book::<u8>::new(rules);
		let mut model = Model::<u8>::new(rules);
		let (mut out, mut expected) = (Execution::default(), Execution::default());
		let mut now = 0u64;
		for op in ops {
			match op {
				Op::Place { id, owner, side, quantity, kind, budget } => {
					let request = OrderRequest { id, owner, side, quantity, kind };
					let got = book.place(request.clone(), now, budget, &mut out);
					let want = model.place(request, now, budget, &mut expected);
					prop_assert_eq!(got, want);
					prop_assert_eq!(&out, &expected);
					// Conservation: what traded plus what rests, is cancelled or suspended is
					// what arrived.
					if got.is_ok() {
						let rest = match out.outcome {
							Outcome::Filled => 0,
							Outcome::Resting(q) | Outcome::Suspended(q) | Outcome::Cancelled(q, _) => q,
						};
						prop_assert_eq!(out.filled() + rest, quantity);
					}
				},
				Op::Cancel(id) => prop_assert_eq!(book.cancel(id), model.cancel(id)),
				Op::Reduce(id, q) => prop_assert_eq!(book.reduce(id, q), model.reduce(id, q)),
				Op::Replace { id, price, quantity, budget } => {
					let got = book.replace(id, price, quantity, now, budget, &mut out);
					let want = model.replace(id, price, quantity, now, budget, &mut expected);
					prop_assert_eq!(got, want);
					prop_assert_eq!(&out, &expected);
				},
				Op::Expire(id) => prop_assert_eq!(book.expire(id, now), model.expire(id, now)),
				Op::Tick(n) => now += n,
			}
			check_same(&book, &model);
		}
	}

	#[test]
	fn decoding_an_encoded_book_gives_it_back(ops in prop::collection::vec(op(), 1..60)) {
		use codec::{Decode, Encode};
		let rules = MarketRules { tick: TICK, lot: LOT, stp: SelfTradePrevention::CancelOldest };
		let mut book = Book::<u8>::new(rules);
		let mut out = Execution::default();
		for op in ops {
			if let Op::Place { id, owner, side, quantity, kind, budget } = op {
				let _ = book.place(OrderRequest { id, owner, side, quantity, kind }, 0, budget, &mut out);
			}
		}
		let bytes = book.encode();
		prop_assert!(bytes.len() <= max_encoded_len::<u8>(book.len() as u32));
		let decoded = Book::<u8>::decode(&mut &bytes[..]).unwrap();
		prop_assert_eq!(&decoded, &book);
		for side in [Side::Buy, Side::Sell] {
			for (_, o) in book.orders(side) {
				prop_assert_eq!(decoded.get(o.id), book.get(o.id));
			}
		}
	}

	#[test]
	fn undoing_a_placement_gives_the_book_back(
		stp in stp(),
		ops in prop::collection::vec(op(), 1..80),
		last in op(),
	) {
		let rules = MarketRules { tick: TICK, lot: LOT, stp };
		let mut book = Book::<u8>::new(rules);
		let mut out = Execution::default();
		for op in ops {
			if let Op::Place { id, owner, side, quantity, kind, budget } = op {
				let _ = book.place(OrderRequest { id, owner, side, quantity, kind }, 0, budget, &mut out);
			}
		}
		if let Op::Place { owner, side, quantity, kind, budget, .. } = last {
			let before = book.clone();
			let ids: Vec<u64> = [Side::Buy, Side::Sell].iter().flat_map(|s| book.orders(*s).map(|(_, o)| o.id).collect::<Vec<_>>()).collect();
			if book.place(OrderRequest { id: 1_000, owner, side, quantity, kind }, 12, budget, &mut out).is_ok() {
				book.undo_place(&out);
			}
			prop_assert_eq!(&book, &before);
			book.check_invariants().unwrap();
			for id in ids {
				prop_assert_eq!(book.get(id), before.get(id));
			}
			prop_assert!(!book.contains(1_000));
		}
	}
}
