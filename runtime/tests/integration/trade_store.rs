//! The node's trade store against the runtime: the same trades and instructions, settled by the
//! runtime and indexed from their events alone (records are not kept in state), give the
//! records the events announce, the per-account lists, an end-of-day report equal to the
//! settlement pallet's record fold and to the balances' changes, and the day's hash chain the
//! runtime keeps.

use codec::Encode;
use frame_support::traits::tokens::fungibles::Inspect;
use frame_support::{assert_ok, traits::UnfilteredDispatchable};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use pallet_settlement::Leg;
use qingsuan_runtime::Ledger;
use qingsuan_runtime::{
	configs::{FeeAccount, TaxAccount},
	genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
	AccountId, Runtime, RuntimeCall, RuntimeOrigin, Settlement, System,
};
use qingsuan_trade_store::{MemoryKv, TradeStore};
use sp_keyring::Sr25519Keyring::{self, *};
use std::collections::{BTreeMap, BTreeSet};

use crate::run;

fn dispatch(who: Sr25519Keyring, call: RuntimeCall) {
	assert_ok!(call.dispatch_bypass_filter(RuntimeOrigin::signed(who.to_account_id())));
}

fn sell_or_buy(who: Sr25519Keyring, side: Side, quantity: u64, price: u64) {
	let kind = OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false };
	dispatch(
		who,
		RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
			market: MOUTAI_MARKET,
			side,
			quantity,
			kind,
			account: None,
		}),
	);
}

#[test]
fn the_store_indexed_from_events_reports_what_the_records_report() {
	run(|| {
		let accounts = [Alice, Bob, Charlie, Dave].map(|k| k.to_account_id());
		let accounts: Vec<AccountId> = accounts.into_iter().chain([FeeAccount::get(), TaxAccount::get()]).collect();
		let totals = || -> BTreeMap<(AccountId, u32), u128> {
			accounts.iter().flat_map(|w| [MOUTAI, CNY].map(|a| ((w.clone(), a), Ledger::total_balance(a, w)))).collect()
		};
		let before = totals();
		// Two trades on the book, then an instruction (Charlie delivers to Alice against cash).
		sell_or_buy(Alice, Side::Sell, 300, MOUTAI_REFERENCE);
		sell_or_buy(Alice, Side::Sell, 200, MOUTAI_REFERENCE + 50);
		sell_or_buy(Bob, Side::Buy, 400, MOUTAI_REFERENCE + 100);
		let legs: pallet_settlement::LegsOf<Runtime> = vec![
			Leg { from: Charlie.to_account_id(), to: Alice.to_account_id(), asset: MOUTAI, amount: 50 },
			Leg { from: Alice.to_account_id(), to: Charlie.to_account_id(), asset: CNY, amount: 7_500_000 },
		]
		.try_into()
		.expect("two legs fit");
		let create = pallet_settlement::Call::create_instruction { legs, settle_at: None, expires_at: 100 };
		dispatch(Charlie, RuntimeCall::Settlement(create));
		for who in [Charlie, Alice] {
			dispatch(who, RuntimeCall::Settlement(pallet_settlement::Call::affirm_instruction { id: 0 }));
		}

		let entries = crate::settled();
		assert_eq!(entries.len(), 3, "two trades and an instruction");
		let store = TradeStore::<_, AccountId, <Runtime as pallet_settlement::Config>::MaxLegs>::new(
			MemoryKv::default(),
			FeeAccount::get(),
			TaxAccount::get(),
		);
		let (day, block) = (Settlement::today(), System::block_number());
		store.index_block(block, [0; 32], day, entries.clone()).expect("indexes");

		// The records the events announce, in the same order, with their blocks and days
		// (compared encoded: a record's bound type has no `PartialEq`).
		let records: Vec<_> = entries
			.iter()
			.map(|(id, settled)| (*id, pallet_settlement::RecordOf::<Runtime> { settled: settled.clone(), block, day }))
			.collect();
		assert_eq!(store.on_day(day, 0, 100).expect("reads").encode(), records.encode());
		for (id, record) in &records {
			assert_eq!(store.get(*id).expect("reads").encode(), Some(record).encode());
		}
		// Each account's list is the records it took part in.
		for who in [Alice, Bob, Charlie, Dave] {
			let who = who.to_account_id();
			let expected: Vec<u64> = records
				.iter()
				.filter(|(_, r)| Settlement::movements(&r.settled).iter().any(|(f, t, ..)| *f == who || *t == who))
				.map(|(id, _)| *id)
				.collect();
			let listed: Vec<u64> =
				store.of_account(&who, day, 0, 100).expect("reads").into_iter().map(|(id, _)| id).collect();
			assert_eq!(listed, expected);
		}
		// The end-of-day report equals the pallet's fold over the records, and each account's
		// net is its balance's change.
		let set = |v: Vec<pallet_settlement::NetPosition<AccountId>>| {
			v.into_iter().map(|p| (p.account, p.asset, p.received, p.delivered)).collect::<BTreeSet<_>>()
		};
		let (report, more) = store.net_positions(day, 0, 100).expect("reads");
		assert_eq!(more, None);
		let after = totals();
		for p in &report {
			let key = (p.account.clone(), p.asset);
			assert_eq!(after[&key] as i128 - before[&key] as i128, p.received as i128 - p.delivered as i128, "{key:?}");
		}
		assert_eq!(set(report), set(Settlement::net_positions_of(entries.iter().map(|(_, s)| s))));
		// The day's hash chain rebuilt from the events is the chain's own.
		assert_eq!(store.day_digest(day).expect("reads"), pallet_settlement::DayDigests::<Runtime>::get(day));
		assert_eq!(store.day_digest(day).expect("reads").count, 3);
		// And the market's trades, newest first.
		let trades = store.recent_trades(MOUTAI, CNY, None, 10).expect("reads");
		assert_eq!(trades.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![1, 0]);
	});
}
