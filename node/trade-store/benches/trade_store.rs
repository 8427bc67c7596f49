//! What indexing a block and answering the RPC queries cost in the store itself (on the
//! in-memory database, so the database's own cost is not in these figures).
//!
//! `cargo bench -p qingsuan-trade-store --bench trade_store`

// `criterion_group!` generates a public function without docs.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use frame_support::traits::ConstU32;
use pallet_settlement::{Settled, TradeRecord};
use qingsuan_trade_store::{MemoryKv, TradeStore};
use std::hint::black_box;

type Store = TradeStore<MemoryKv, [u8; 32], ConstU32<16>>;

fn account(n: u64) -> [u8; 32] {
	let mut a = [0; 32];
	a[..8].copy_from_slice(&n.to_le_bytes());
	a
}

fn trade(n: u64) -> Settled<[u8; 32], ConstU32<16>> {
	Settled::Trade(TradeRecord {
		buyer: account(n % 64),
		seller: account((n + 7) % 64),
		security: (n % 8) as u32,
		cash: 100,
		quantity: 100,
		price: 150_000,
		cash_amount: 15_000_000,
		buyer_fee: 512,
		seller_fee: 8_012,
		stamp_duty: 7_500,
	})
}

/// A store with `blocks` blocks of `per_block` trades each.
fn filled(blocks: u32, per_block: u64) -> Store {
	let s = TradeStore::new(MemoryKv::default(), account(1_000), account(1_001));
	for b in 0..blocks {
		let first = u64::from(b) * per_block;
		s.index_block(b, [0; 32], 20_415, (first..first + per_block).map(|id| (id, trade(id))).collect())
			.expect("indexes");
	}
	s
}

fn index(c: &mut Criterion) {
	let mut g = c.benchmark_group("trade_store/index_block");
	for per_block in [100u64, 1_000] {
		g.throughput(Throughput::Elements(per_block));
		g.bench_function(format!("{per_block} trades"), |b| {
			b.iter_batched(
				|| filled(10, per_block),
				|s| {
					let first = 10 * per_block;
					s.index_block(10, [0; 32], 20_415, (first..first + per_block).map(|id| (id, trade(id))).collect())
						.expect("indexes");
					s
				},
				BatchSize::LargeInput,
			)
		});
	}
	g.finish();
}

fn query(c: &mut Criterion) {
	let s = filled(100, 1_000);
	let mut g = c.benchmark_group("trade_store/query (100,000 trades in the day)");
	g.bench_function("of_account 100", |b| b.iter(|| black_box(s.of_account(&account(3), 20_415, 50_000, 100))));
	g.bench_function("recent_trades 50", |b| b.iter(|| black_box(s.recent_trades(3, 100, None, 50))));
	g.bench_function("net_positions 100", |b| b.iter(|| black_box(s.net_positions(20_415, 0, 100))));
	g.finish();
}

criterion_group!(benches, index, query);
criterion_main!(benches);
