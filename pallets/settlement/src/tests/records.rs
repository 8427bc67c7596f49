//! Settlement records by id, day and account, and the end-of-day net position report.

use super::*;
use crate::{DayStart, Leg, NetPosition, SettleTrade, TradeSpec};
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
fn records_are_read_by_id_and_day_and_name_their_parties() {
	run_test(|| {
		trade(BOB, ALICE, 100); // 0, day 20415
		instruction(ALICE, CAROL, MOUTAI, 10); // 1
		NowSecs::set(1_763_856_000 + 86_400);
		trade(ALICE, BOB, 50); // Bob sells back half of what he bought: 2, day 20416
		NowSecs::set(1_763_856_000);

		assert_eq!(DayStart::<Test>::get(20_415), Some(0));
		assert_eq!(DayStart::<Test>::get(20_416), Some(2));
		assert_eq!(Settlement::day_range(20_415), Some((0, 2)));
		assert_eq!(Settlement::day_range(20_416), Some((2, 3)));
		assert_eq!(Settlement::day_range(20_414), None);

		let ids = |v: Vec<(u64, crate::RecordOf<Test>)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
		assert_eq!(ids(Settlement::settlements_on(20_415, 0, 10)), vec![0, 1]);
		assert_eq!(ids(Settlement::settlements_on(20_415, 1, 10)), vec![1]);
		assert_eq!(ids(Settlement::settlements_on(20_415, 0, 1)), vec![0]);
		// Who took part: the node's trade store indexes each record under these accounts.
		let parties = |id| {
			let record = crate::Settlements::<Test>::get(id).expect("recorded");
			let mut who: Vec<u64> =
				Settlement::movements(&record.settled).into_iter().flat_map(|(from, to, ..)| [from, to]).collect();
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
	});
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

		let report = Settlement::net_positions(Settlement::today());
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
		trade(BOB, ALICE, 100); // 0, day 20415
		let after_one = crate::DayDigests::<Test>::get(20_415);
		assert_eq!(after_one.count, 1);
		let record = crate::Settlements::<Test>::get(0).expect("recorded");
		assert_eq!(after_one.head, crate::chain_next(&[0; 32], 0, &record));
		// SM3(32 zero bytes ‖ SCALE((0, record))), the chain's definition, hashed here directly.
		let mut data = [0u8; 32].to_vec();
		codec::Encode::encode_to(&(0u64, &record), &mut data);
		assert_eq!(after_one.head, qingsuan_sm_crypto::sm3::sm3(&data));
		instruction(ALICE, CAROL, MOUTAI, 10); // 1
		NowSecs::set(1_763_856_000 + 86_400);
		trade(ALICE, BOB, 50); // 2, day 20416: a chain of its own
		NowSecs::set(1_763_856_000);
		let day = crate::DayDigests::<Test>::get(20_415);
		assert_eq!(day.count, 2);
		let second = crate::Settlements::<Test>::get(1).expect("recorded");
		assert_eq!(day.head, crate::chain_next(&after_one.head, 1, &second));
		let next_day = crate::DayDigests::<Test>::get(20_416);
		assert_eq!(next_day.count, 1);
		let third = crate::Settlements::<Test>::get(2).expect("recorded");
		assert_eq!(next_day.head, crate::chain_next(&[0; 32], 2, &third));
		// The invariant recomputes every day's chain: a changed record no longer matches.
		check_invariants();
		let kept = crate::Settlements::<Test>::get(1);
		crate::Settlements::<Test>::mutate(1, |r| {
			if let Some(crate::Settled::Instruction { legs, .. }) = r.as_mut().map(|r| &mut r.settled) {
				legs[0].amount += 1;
			}
		});
		assert!(Settlement::check_records().is_err());
		crate::Settlements::<Test>::set(1, kept);
	});
}

/// The v1 → v2 migration chains the records already kept, once.
#[test]
fn migration_to_v2_chains_the_records_already_kept() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		trade(BOB, ALICE, 100);
		instruction(ALICE, CAROL, MOUTAI, 10);
		let expected = crate::DayDigests::<Test>::get(20_415);
		let _ = crate::DayDigests::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Settlement>();
		assert!(Settlement::check_records().is_err(), "v1 state has no chains");
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Settlement::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(crate::DayDigests::<Test>::get(20_415), expected);
		trade(BOB, ALICE, 100);
		let grown = crate::DayDigests::<Test>::get(20_415);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(crate::DayDigests::<Test>::get(20_415), grown, "it runs once");
	});
}
