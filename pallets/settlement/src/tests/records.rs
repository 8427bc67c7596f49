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
