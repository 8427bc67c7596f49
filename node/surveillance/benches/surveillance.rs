//! What taking a block and answering the RPC queries cost in the surveillance store itself (on
//! the in-memory database, so the database's own cost is not in these figures). A block of `n`
//! events is a realistic mix: of each 10 events, 5 placements, 3 owner cancels and 2 fills,
//! over 64 accounts and 8 markets, with the detectors at their defaults (so the work is the
//! lifecycle and the checks, not writing alerts).
//!
//! `cargo bench -p qingsuan-surveillance --bench surveillance`

// `criterion_group!` generates a public function without docs.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use qingsuan_surveillance::{BlockInput, Config, Input, MarketView, MemoryKv, Read, Side, Surveillance};
use std::hint::black_box;

const DAY: u32 = 20_425;

fn account(n: u64) -> [u8; 32] {
	let mut a = [0; 32];
	a[..8].copy_from_slice(&n.to_le_bytes());
	a
}

/// Block `number` (1 s apart) with `n` events; orders are numbered from `first_order`.
fn block(number: u32, n: u64, first_order: u64) -> BlockInput {
	let events = (0..n)
		.map(|i| {
			let order = first_order + i;
			let who = account(order % 64);
			let market = (order % 8) as u32;
			match i % 10 {
				0..=4 => Input::Placed {
					order,
					market,
					account: who,
					side: if order.is_multiple_of(2) { Side::Buy } else { Side::Sell },
					quantity: 100 * (1 + order % 20),
					limit: Some(150_000 + order % 50),
					stop: false,
				},
				5..=7 => Input::Cancelled {
					order: order - 5,
					account: account((order - 5) % 64),
					remaining: 100,
					by_owner: true,
					reason: "ByOwner".into(),
				},
				_ => Input::Filled {
					market,
					maker_order: order - 8,
					taker_order: order,
					maker: account((order - 8) % 64),
					taker: who,
					taker_side: Side::Buy,
					price: 150_000 + order % 50,
					quantity: 100,
					settlement: order,
				},
			}
		})
		.collect();
	let view = MarketView {
		best_bid: Some(149_990),
		best_ask: Some(150_010),
		last_price: Some(150_000),
		band_low: 135_000,
		band_high: 165_000,
	};
	BlockInput {
		number,
		hash: [0; 32],
		time_ms: 1_700_000_000_000 + u64::from(number) * 1_000,
		day: DAY,
		events,
		markets: (0..8).map(|m| (m, view.clone())).collect(),
		owners: Default::default(),
	}
}

/// A store that has taken `blocks` blocks of `per_block` events.
fn filled(blocks: u32, per_block: u64) -> Surveillance<MemoryKv> {
	let s = Surveillance::new(MemoryKv::default(), Config::default());
	for b in 1..=blocks {
		s.index_block(&block(b, per_block, u64::from(b) * per_block)).expect("taken");
	}
	s
}

/// Each iteration takes the next block of a chain that has run past the longest window (the
/// matching window, 300 s by default), so the detectors' state is at its steady size.
fn index(c: &mut Criterion) {
	let mut g = c.benchmark_group("surveillance/index_block");
	for per_block in [100u64, 1_000] {
		g.throughput(Throughput::Elements(per_block));
		let s = filled(310, per_block);
		let mut number = 310;
		g.bench_function(format!("{per_block} events, steady state"), |b| {
			b.iter_batched(
				|| {
					number += 1;
					block(number, per_block, u64::from(number) * per_block)
				},
				|next| s.index_block(black_box(&next)).expect("taken"),
				BatchSize::LargeInput,
			)
		});
		let window = s.kv().get(&qingsuan_surveillance::keys::window()).expect("read").map_or(0, |v| v.len());
		eprintln!("{per_block} events a block: the detectors' state is {window} bytes");
	}
	g.finish();
}

fn queries(c: &mut Criterion) {
	let s = filled(30, 1_000);
	let mut g = c.benchmark_group("surveillance/query");
	g.bench_function("order lifecycle", |b| b.iter(|| s.order(black_box(15_003)).expect("read")));
	g.bench_function("account day, 100 entries", |b| {
		b.iter(|| s.account_day(black_box(&account(7)), DAY, 0, 100).expect("read"))
	});
	g.bench_function("alerts of a day", |b| b.iter(|| s.alerts(DAY, None, None, 0, 100).expect("read")));
	g.finish();
}

criterion_group!(benches, index, queries);
criterion_main!(benches);
