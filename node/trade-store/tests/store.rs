//! The trade store against a model: what it returns, that it returns it in bounded reads, and
//! that a failed or out-of-order write changes nothing.

use frame_support::traits::ConstU32;
use pallet_settlement::{movements, Leg, NetPosition, Settled, TradeRecord};
use proptest::prelude::*;
use qingsuan_trade_store::{Error, MemoryKv, TradeStore, MAX_PAGE};
use std::collections::BTreeMap;

type Legs = ConstU32<4>;
type Store = TradeStore<MemoryKv, u64, Legs>;
type Entry = Settled<u64, Legs>;

const FEES: u64 = 900;
const TAX: u64 = 901;
const MOUTAI: u32 = 1;
const PINGAN: u32 = 2;
const CNY: u32 = 100;

fn store() -> Store {
	TradeStore::new(MemoryKv::default(), FEES, TAX)
}

fn trade(buyer: u64, seller: u64, security: u32, quantity: u128, price: u128) -> Entry {
	let cash_amount = quantity * price;
	Settled::Trade(TradeRecord {
		buyer,
		seller,
		security,
		cash: CNY,
		quantity,
		price,
		cash_amount,
		buyer_fee: cash_amount / 1_000,
		seller_fee: cash_amount / 1_000 + cash_amount / 500,
		stamp_duty: cash_amount / 500,
	})
}

fn instruction(id: u64, from: u64, to: u64, asset: u32, amount: u128) -> Entry {
	Settled::Instruction { id, legs: vec![Leg { from, to, asset, amount }].try_into().expect("one leg") }
}

fn ids<R>(v: Vec<(u64, R)>) -> Vec<u64> {
	v.into_iter().map(|(id, _)| id).collect()
}

/// Every net position of `day`, page by page.
fn report(s: &Store, day: u32, page: u32) -> Vec<NetPosition<u64>> {
	let mut all = Vec::new();
	let mut from = 0;
	loop {
		let (positions, more) = s.net_positions(day, from, page).expect("reads");
		all.extend(positions);
		match more {
			Some(next) => from = next,
			None => return all,
		}
	}
}

/// The reference report: the fold the settlement pallet's `net_positions` makes.
fn fold(entries: &[Entry]) -> BTreeMap<(u64, u32), (u128, u128)> {
	let mut book = BTreeMap::new();
	for e in entries {
		for (from, to, asset, amount) in movements(e, &FEES, &TAX) {
			let t: &mut (u128, u128) = book.entry((to, asset)).or_default();
			t.0 += amount;
			let t: &mut (u128, u128) = book.entry((from, asset)).or_default();
			t.1 += amount;
		}
	}
	book
}

#[test]
fn a_block_is_indexed_by_id_day_account_and_market() {
	let s = store();
	assert_eq!(s.next_block().expect("status"), None);
	s.index_block(
		1,
		[1; 32],
		20_415,
		vec![(0, trade(1, 2, MOUTAI, 100, 1_500)), (1, instruction(7, 2, 3, MOUTAI, 10))],
	)
	.expect("indexes");
	s.index_block(2, [2; 32], 20_415, vec![]).expect("an empty block");
	s.index_block(3, [3; 32], 20_416, vec![(2, trade(2, 1, PINGAN, 50, 1_200))]).expect("indexes");

	let status = s.status().expect("status");
	assert_eq!((status.first, status.last, status.settlements, status.missed), (Some(1), Some((3, [3; 32])), 3, 0));
	assert_eq!(s.next_block().expect("status"), Some(4));

	let record = s.get(1).expect("reads").expect("indexed");
	assert_eq!((record.block, record.day), (1, 20_415));
	assert!(matches!(record.settled, Settled::Instruction { id: 7, .. }));
	assert!(s.get(3).expect("reads").is_none());

	assert_eq!(ids(s.on_day(20_415, 0, 10).expect("reads")), vec![0, 1]);
	assert_eq!(ids(s.on_day(20_415, 1, 10).expect("reads")), vec![1]);
	assert_eq!(ids(s.on_day(20_415, 0, 1).expect("reads")), vec![0]);
	assert_eq!(ids(s.on_day(20_416, 0, 10).expect("reads")), vec![2]);
	assert_eq!(ids(s.of_account(&3, 20_415, 0, 10).expect("reads")), vec![1]);
	assert_eq!(ids(s.of_account(&2, 20_415, 0, 10).expect("reads")), vec![0, 1]);
	assert_eq!(ids(s.of_account(&FEES, 20_415, 0, 10).expect("reads")), vec![0]);
	assert!(s.of_account(&3, 20_416, 0, 10).expect("reads").is_empty());
	assert_eq!(ids(s.recent_trades(MOUTAI, CNY, None, 10).expect("reads")), vec![0]);
	assert_eq!(ids(s.recent_trades(PINGAN, CNY, None, 10).expect("reads")), vec![2]);
	assert!(s.recent_trades(MOUTAI, CNY, Some(0), 10).expect("reads").is_empty());
}

#[test]
fn blocks_come_in_order_and_a_failed_write_changes_nothing() {
	let s = store();
	s.index_block(5, [5; 32], 1, vec![(0, trade(1, 2, MOUTAI, 1, 1))]).expect("the first block may be any");
	assert_eq!(s.index_block(7, [7; 32], 1, vec![]), Err(Error::OutOfOrder { expected: 6, got: 7 }));
	assert_eq!(s.index_block(5, [5; 32], 1, vec![]), Err(Error::OutOfOrder { expected: 6, got: 5 }));
	let before = s.status().expect("status");
	let bytes = s.kv().bytes();
	s.kv().fail_next_commit();
	assert!(s.index_block(6, [6; 32], 1, vec![(1, trade(1, 2, MOUTAI, 1, 1))]).is_err());
	assert_eq!(s.status().expect("status"), before);
	assert_eq!(s.kv().bytes(), bytes);
	// Retried, it goes in once.
	s.index_block(6, [6; 32], 1, vec![(1, trade(1, 2, MOUTAI, 1, 1))]).expect("indexes");
	assert_eq!(ids(s.on_day(1, 0, 10).expect("reads")), vec![0, 1]);
	s.skip_block(7, [7; 32]).expect("passes over a pruned block");
	let status = s.status().expect("status");
	assert_eq!((status.last, status.missed, status.settlements), (Some((7, [7; 32])), 1, 2));
}

#[test]
fn the_day_digest_chains_the_days_records_in_order() {
	let s = store();
	assert_eq!(s.day_digest(7).expect("reads"), Default::default());
	s.index_block(1, [1; 32], 7, vec![(0, trade(1, 2, MOUTAI, 100, 1_500)), (1, instruction(9, 2, 3, CNY, 5))])
		.expect("indexes");
	s.index_block(2, [2; 32], 8, vec![(2, trade(2, 1, MOUTAI, 100, 1_500))]).expect("indexes");
	s.index_block(3, [3; 32], 7, vec![(3, trade(3, 1, MOUTAI, 100, 1_500))]).expect("indexes");
	// Recomputed from the stored records: every day's records in id order.
	for day in [7, 8] {
		let mut expected = pallet_settlement::DayDigest::default();
		for (id, record) in s.on_day(day, 0, MAX_PAGE).expect("reads") {
			expected.head = pallet_settlement::chain_next(&expected.head, id, &record);
			expected.count += 1;
		}
		assert_eq!(s.day_digest(day).expect("reads"), expected);
	}
	assert_eq!(s.day_digest(7).expect("reads").count, 3);
	// The chain commits to order: the same records chained in another order end elsewhere.
	let other = store();
	other
		.index_block(1, [1; 32], 7, vec![(1, instruction(9, 2, 3, CNY, 5)), (0, trade(1, 2, MOUTAI, 100, 1_500))])
		.expect("indexes");
	other.index_block(2, [3; 32], 7, vec![(3, trade(3, 1, MOUTAI, 100, 1_500))]).expect("indexes");
	assert_ne!(other.day_digest(7).expect("reads").head, s.day_digest(7).expect("reads").head);
	assert!(s.complete().expect("status"), "every block from 1 on, none missed: checkable against the chain");
	s.note_mismatch(7).expect("writes");
	assert_eq!(s.status().expect("status").mismatched_day, Some(7));
}

/// Issue 12, defect 6: `settlement_ofAccount` filtered a whole day before its limit,
/// `settlement_netPositions` folded a whole day and `orderbook_recentTrades` read 10,000
/// records, all inside the runtime on the RPC's async workers. From the store, each reads what
/// it returns and a logarithm of the list it pages through, however long the day is.
#[test]
fn rpc_reads_are_bounded_by_their_page_not_the_day() {
	let s = store();
	let mut id = 0;
	// 20,000 trades among 200 brokers in one day, 100 to a block; broker 1,000 takes part in
	// three of them, early, in the middle and late.
	for block in 0..200u32 {
		let entries = (0..100u64)
			.map(|_| {
				let n = id;
				id += 1;
				let (buyer, seller) = match n {
					10 | 10_000 | 19_990 => (1_000, 1),
					_ => (n % 200, (n + 1) % 200),
				};
				(n, trade(buyer, seller, MOUTAI, 100, 1_500))
			})
			.collect();
		s.index_block(block, [0; 32], 20_415, entries).expect("indexes");
	}

	let cost = |f: &dyn Fn()| {
		let before = s.kv().reads();
		f();
		s.kv().reads() - before
	};
	assert!(cost(&|| assert_eq!(ids(s.of_account(&1_000, 20_415, 0, 2).expect("reads")), vec![10, 10_000])) <= 6);
	assert!(cost(&|| assert_eq!(ids(s.of_account(&1_000, 20_415, 10_001, 10).expect("reads")), vec![19_990])) <= 6);
	assert!(cost(&|| assert_eq!(s.on_day(20_415, 12_345, 5).expect("reads").len(), 5)) <= 20);
	assert!(
		cost(&|| assert_eq!(ids(s.recent_trades(MOUTAI, CNY, None, 3).expect("reads")), vec![19_999, 19_998, 19_997]))
			<= 6
	);
	assert!(cost(&|| assert_eq!(s.net_positions(20_415, 0, 10).expect("reads").0.len(), 10)) <= 14);
	// A page is at most MAX_PAGE long, whatever the caller asks for.
	assert_eq!(s.on_day(20_415, 0, u32::MAX).expect("reads").len(), MAX_PAGE as usize);
	let big = cost(&|| {
		s.on_day(20_415, 0, u32::MAX).expect("reads");
	});
	// The records, their 8 pages of ids, and the seek through the day's 157 pages (8 probes).
	assert!(big <= u64::from(MAX_PAGE) + 8 + 1 + 8 + 4, "{big} reads");
}

fn entry() -> impl Strategy<Value = Entry> {
	prop_oneof![
		(0u64..6, 0u64..6, 1u32..3, 1u128..1_000, 1u128..10_000).prop_map(|(b, s, sec, q, p)| trade(b, s, sec, q, p)),
		(0u64..100, 0u64..6, 0u64..6, prop_oneof![Just(MOUTAI), Just(CNY)], 1u128..1_000_000)
			.prop_map(|(id, f, t, a, n)| instruction(id, f, t, a, n)),
	]
}

proptest! {
	/// The store's report equals the record-based fold on the same settlements, page by page,
	/// and each asset nets to zero.
	#[test]
	fn net_positions_equal_the_record_fold(blocks in prop::collection::vec((0u32..3, prop::collection::vec(entry(), 0..8)), 1..12), page in 1u32..7) {
		let s = store();
		let mut id = 0u64;
		let mut by_day: BTreeMap<u32, Vec<Entry>> = BTreeMap::new();
		let mut day = 20_000;
		for (n, (advance, entries)) in blocks.into_iter().enumerate() {
			day += advance;
			let numbered: Vec<(u64, Entry)> = entries.into_iter().map(|e| { id += 1; (id, e) }).collect();
			by_day.entry(day).or_default().extend(numbered.iter().map(|(_, e)| e.clone()));
			s.index_block(n as u32, [0; 32], day, numbered).expect("indexes");
		}
		for (day, entries) in by_day {
			let reported: BTreeMap<(u64, u32), (u128, u128)> = report(&s, day, page)
				.into_iter()
				.map(|p| ((p.account, p.asset), (p.received, p.delivered)))
				.collect();
			let reference = fold(&entries);
			prop_assert_eq!(&reported, &reference);
			let mut net: BTreeMap<u32, i128> = BTreeMap::new();
			for ((_, asset), (r, d)) in reported {
				*net.entry(asset).or_default() += r as i128 - d as i128;
			}
			prop_assert!(net.values().all(|n| *n == 0), "{:?}", net);
			prop_assert_eq!(s.on_day(day, 0, MAX_PAGE).expect("reads").len(), entries.len());
		}
	}
}
