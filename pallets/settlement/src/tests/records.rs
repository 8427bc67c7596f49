//! Settlement records (events, with each day's hash chain on chain), and the end-of-day net
//! position report.

use super::*;
use crate::{Leg, NetPosition, RecordOf, SettleTrade, TradeSpec};
use frame_support::assert_ok;
use std::collections::BTreeMap;

fn trade(buyer: u64, seller: u64, quantity: Amount) {
	hold_for_order(MOUTAI, seller, quantity);
	hold_for_order(CNY, buyer, Settlement::buyer_cost(quantity, 1_000).expect("fits"));
	Settlement::settle_trade(TradeSpec {
		buyer,
		seller,
		security: MOUTAI,
		cash: CNY,
		quantity,
		price: 1_000,
		buyer_hold: order_hold(),
		seller_hold: order_hold(),
		buyer_fee_cap: None,
	})
	.expect("settles");
}

fn instruction(from: u64, to: u64, asset: AssetId, amount: Amount) {
	let l = vec![Leg { from, to, asset, amount }].try_into().expect("one leg");
	assert_ok!(Settlement::create_instruction(signed(from), l, None, 50));
	let id = crate::NextInstructionId::<Test>::get() - 1;
	assert_ok!(Settlement::affirm_instruction(signed(from), id));
	assert_ok!(Settlement::affirm_instruction(signed(to), id));
}

#[test]
fn days_follow_the_business_time_zone() {
	run_test(|| {
		// 2025-11-23 00:00 UTC is 08:00 in Beijing: day 20415.
		assert_eq!(Settlement::today(), 20_415);
		NowSecs::set(1_763_856_000 + 16 * 3_600 - 1); // 23:59:59 Beijing
		assert_eq!(Settlement::today(), 20_415);
		NowSecs::set(1_763_856_000 + 16 * 3_600); // midnight Beijing
		assert_eq!(Settlement::today(), 20_416);
		NowSecs::set(1_763_856_000);
	});
}

#[test]
fn records_are_events_that_name_their_parties_and_leave_no_state() {
	run_test(|| {
		let keys_before = storage_keys();
		trade(BOB, ALICE, 100); // 0, day 20415
		instruction(ALICE, CAROL, MOUTAI, 10); // 1
		NowSecs::set(1_763_856_000 + 86_400);
		trade(ALICE, BOB, 50); // Bob sells back half of what he bought: 2, day 20416
		NowSecs::set(1_763_856_000);

		let records = settled();
		assert_eq!(records.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![0, 1, 2]);
		// Who took part: the node's trade store indexes each record under these accounts.
		let parties = |i: usize| {
			let mut who: Vec<u64> =
				Settlement::movements(&records[i].1).into_iter().flat_map(|(from, to, ..)| [from, to]).collect();
			who.sort();
			who.dedup();
			who
		};
		assert_eq!(parties(0), {
			let mut v = vec![ALICE, BOB, FEES, TAX];
			v.sort();
			v
		});
		assert_eq!(parties(1), vec![ALICE, CAROL]);
		// State gained balances (Carol's, the fee and tax accounts'), the cursor and one hash
		// chain per day: nothing per settlement.
		let settlement_prefix = frame_support::storage::storage_prefix(b"Settlement", b"");
		let added: Vec<_> = storage_keys()
			.into_iter()
			.filter(|k| !keys_before.contains(k) && k.starts_with(&settlement_prefix[..16]))
			.collect();
		let digests = crate::DayDigests::<Test>::iter_keys().count();
		assert_eq!(digests, 2);
		// The cursor, two days' chains, and the instruction's id counter.
		assert_eq!(added.len(), 1 + digests + 1, "{added:02x?}");
	});
}

/// Every key in state.
fn storage_keys() -> Vec<Vec<u8>> {
	let mut keys = Vec::new();
	let mut next = sp_io::storage::next_key(&[]);
	while let Some(key) = next {
		next = sp_io::storage::next_key(&key);
		keys.push(key);
	}
	keys
}

#[test]
fn net_positions_sum_to_zero_per_asset_and_equal_balance_changes() {
	new_test_ext().execute_with(|| {
		// Carol gets cash through the bank so she can buy.
		assert_ok!(Settlement::request_deposit(signed(CAROL), CNY, 1_000_000));
		assert_ok!(Settlement::confirm_deposit(signed(BANK), 0));
		let accounts = [ALICE, BOB, CAROL, FEES, TAX];
		let before: BTreeMap<(u64, AssetId), Amount> =
			accounts.iter().flat_map(|w| [MOUTAI, CNY].map(|a| ((*w, a), Ledger::total_balance(a, w)))).collect();
		trade(BOB, ALICE, 100);
		trade(CAROL, BOB, 40);
		instruction(BOB, CAROL, CNY, 7_000);
		instruction(ALICE, CAROL, MOUTAI, 5);

		let records = settled();
		let report = Settlement::net_positions_of(records.iter().map(|(_, s)| s));
		for asset in [MOUTAI, CNY] {
			let (r, d) = report
				.iter()
				.filter(|p| p.asset == asset)
				.fold((0u128, 0u128), |(r, d), p| (r + p.received, d + p.delivered));
			assert_eq!(r, d, "receipts equal deliveries for asset {asset}");
		}
		for p in &report {
			let NetPosition { account, asset, received, delivered } = p;
			let now = Ledger::total_balance(*asset, account) as i128;
			let was = before[&(*account, *asset)] as i128;
			assert_eq!(now - was, *received as i128 - *delivered as i128, "{account} in {asset}");
		}
		let bob_cny = report.iter().find(|p| p.account == BOB && p.asset == CNY).expect("Bob moved cash");
		// Bob paid 100,000 + 4 fee, received 40,000 - 2 - 20, paid 7,000.
		assert_eq!((bob_cny.received, bob_cny.delivered), (40_000 - 22, 100_004 + 7_000));
		check_invariants();
	});
}

#[test]
fn each_day_has_a_hash_chain_over_its_records_in_order() {
	run_test(|| {
		let record = |i: usize, day| {
			let (id, settled) = settled().swap_remove(i);
			(id, RecordOf::<Test> { settled, block: 1, day })
		};
		trade(BOB, ALICE, 100); // 0, day 20415
		let after_one = crate::DayDigests::<Test>::get(20_415);
		assert_eq!(after_one.count, 1);
		let (id, first) = record(0, 20_415);
		assert_eq!(after_one.head, crate::chain_next(&[0; 32], id, &first));
		// SM3(32 zero bytes ‖ SCALE((0, record))), the chain's definition, hashed here directly.
		let mut data = [0u8; 32].to_vec();
		codec::Encode::encode_to(&(0u64, &first), &mut data);
		assert_eq!(after_one.head, qingsuan_sm_crypto::sm3::sm3(&data));
		instruction(ALICE, CAROL, MOUTAI, 10); // 1
		NowSecs::set(1_763_856_000 + 86_400);
		trade(ALICE, BOB, 50); // 2, day 20416: a chain of its own
		NowSecs::set(1_763_856_000);
		let day = crate::DayDigests::<Test>::get(20_415);
		assert_eq!(day.count, 2);
		let (id, second) = record(1, 20_415);
		assert_eq!(day.head, crate::chain_next(&after_one.head, id, &second));
		let next_day = crate::DayDigests::<Test>::get(20_416);
		assert_eq!(next_day.count, 1);
		let (id, third) = record(2, 20_416);
		assert_eq!(next_day.head, crate::chain_next(&[0; 32], id, &third));
		// The invariant: the days' counts are the ids handed out.
		check_invariants();
		crate::DayDigests::<Test>::mutate(20_416, |d| d.count += 1);
		assert!(Settlement::check_records().is_err());
		crate::DayDigests::<Test>::mutate(20_416, |d| d.count -= 1);
		check_invariants();
	});
}

/// Writes what storage v2 kept of the settlements announced so far (all in block 1 of day
/// 20415): their records and the day's first id.
fn write_v2_layout() -> usize {
	use crate::migrations::v2_layout;
	let records = settled();
	for (id, settled) in &records {
		v2_layout::Settlements::<Test>::insert(
			id,
			RecordOf::<Test> { settled: settled.clone(), block: 1, day: 20_415 },
		);
	}
	v2_layout::DayStart::<Test>::insert(20_415, 0);
	records.len()
}

/// The v1 → v2 migration chains the records kept in state, once.
#[test]
fn migration_to_v2_chains_the_records_already_kept() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		trade(BOB, ALICE, 100);
		instruction(ALICE, CAROL, MOUTAI, 10);
		write_v2_layout();
		let expected = crate::DayDigests::<Test>::get(20_415);
		let _ = crate::DayDigests::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Settlement>();
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Settlement::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(crate::DayDigests::<Test>::get(20_415), expected);
		trade(BOB, ALICE, 100);
		let grown = crate::DayDigests::<Test>::get(20_415);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(crate::DayDigests::<Test>::get(20_415), grown, "it runs once");
		// Leave no v2 records for the invariants.
		crate::PurgingRecords::<Test>::put(true);
		Settlement::purge_records(u32::MAX);
		let _ = crate::migrations::v2_layout::DayStart::<Test>::clear(u32::MAX, None);
	});
}

/// The v2 → v3 migration drops the day index at once and has `on_idle` remove the records a
/// bounded number per block, within the weight the block leaves; the day's hash chain stays.
#[test]
fn migration_to_v3_purges_the_records_within_idle_weight() {
	use crate::migrations::v2_layout;
	use crate::WeightInfo;
	use frame_support::{
		traits::{Get, GetStorageVersion, Hooks, OnRuntimeUpgrade, StorageVersion},
		weights::RuntimeDbWeight,
	};
	// The records are in the database, written by earlier blocks (a removal's limit counts
	// database keys).
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		for _ in 0..3 {
			trade(BOB, ALICE, 10);
			instruction(ALICE, CAROL, MOUTAI, 1);
		}
		assert_eq!(write_v2_layout(), 6);
	});
	ext.commit_all().expect("commits");
	let digest = ext.execute_with(|| crate::DayDigests::<Test>::get(20_415));
	let weights = <Test as crate::Config>::WeightInfo::purge_records;
	// Each block's changes reach the database before the next block's `on_idle`.
	let mut block = |f: &dyn Fn()| {
		ext.execute_with(f);
		ext.commit_all().expect("commits");
	};
	block(&|| {
		StorageVersion::new(2).put::<Settlement>();
		assert!(Settlement::check_records().is_err(), "v2 records with no purge under way");
		crate::migrations::v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Settlement::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(v2_layout::DayStart::<Test>::iter().count(), 0);
		assert!(crate::PurgingRecords::<Test>::get());
		check_invariants();
	});
	block(&|| {
		// Too little weight for one record: only the flag is read.
		let used = Settlement::on_idle(2, weights(0));
		assert_eq!(v2_layout::Settlements::<Test>::iter().count(), 6);
		assert!(used.all_lte(weights(0)));
	});
	block(&|| {
		// Room for two.
		assert_eq!(Settlement::on_idle(3, weights(2)), weights(2));
		assert_eq!(v2_layout::Settlements::<Test>::iter().count(), 4);
		check_invariants();
	});
	block(&|| {
		// Plenty: the rest, and the purge ends.
		assert_eq!(Settlement::on_idle(4, weights(100)), weights(4));
		assert_eq!(v2_layout::Settlements::<Test>::iter().count(), 0);
		assert!(!crate::PurgingRecords::<Test>::get());
		assert_eq!(crate::DayDigests::<Test>::get(20_415), digest, "the day's chain stays");
		check_invariants();
	});
	block(&|| {
		// Nothing to purge: one read.
		let db = <<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get();
		assert_eq!(Settlement::on_idle(5, weights(100)), db.reads(1));
		// A chain with no records never starts a purge.
		StorageVersion::new(2).put::<Settlement>();
		crate::migrations::v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert!(!crate::PurgingRecords::<Test>::get());
		check_invariants();
	});
}
