//! Runtime-level tests of the order book on the `local` preset: orders dispatched the way blocks
//! dispatch them, matched, settled T+0 by the settlement pallet, and the balances that result.

use frame_support::{
	assert_ok,
	traits::{
		tokens::fungibles::{Inspect, InspectHold},
		UnfilteredDispatchable,
	},
};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_primitives::market::Amount;
use qingsuan_runtime::{
	configs::{FeeAccount, TaxAccount},
	genesis_config_presets::{CNY, GENESIS_CASH, GENESIS_SHARES, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
	Ledger, Orderbook, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin, Settlement,
};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{DispatchError, Perbill};

use crate::run;

fn place(who: Sr25519Keyring, side: Side, quantity: u64, kind: OrderType) -> Result<(), DispatchError> {
	RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
		market: MOUTAI_MARKET,
		side,
		quantity,
		kind,
		account: None,
	})
	.dispatch_bypass_filter(RuntimeOrigin::signed(who.to_account_id()))
	.map(|_| ())
	.map_err(|e| e.error)
}

fn limit(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

fn free(asset: u32, who: &sp_runtime::AccountId32) -> Amount {
	Ledger::balance(asset, who)
}

#[test]
fn the_preset_opens_markets_for_both_securities() {
	run(|| {
		let markets = Orderbook::markets();
		assert_eq!(markets.len(), 2);
		let (_, moutai) = &markets[MOUTAI_MARKET as usize];
		assert_eq!((moutai.security, moutai.cash, moutai.tick, moutai.lot), (MOUTAI, CNY, 1, 100));
		assert_eq!(moutai.band_limits(), (135_000, 165_000));
	});
}

#[test]
fn an_order_matches_settles_and_moves_balances_in_the_same_call() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		// Alice offers 300 at 1,500.00 and 200 at 1,500.50; Bob buys 400 up to 1,501.00.
		assert_ok!(place(Alice, Side::Sell, 300, limit(MOUTAI_REFERENCE)));
		assert_ok!(place(Alice, Side::Sell, 200, limit(MOUTAI_REFERENCE + 50)));
		assert_ok!(place(Bob, Side::Buy, 400, limit(MOUTAI_REFERENCE + 100)));

		let cash = 300 * Amount::from(MOUTAI_REFERENCE) + 100 * Amount::from(MOUTAI_REFERENCE + 50);
		let fee = |c: Amount| Perbill::from_parts(34_100).mul_ceil(c);
		let stamp = |c: Amount| Perbill::from_parts(500_000).mul_ceil(c);
		let (c1, c2) = (300 * Amount::from(MOUTAI_REFERENCE), 100 * Amount::from(MOUTAI_REFERENCE + 50));
		assert_eq!(free(MOUTAI, &bob), GENESIS_SHARES + 400);
		assert_eq!(free(CNY, &bob), GENESIS_CASH - cash - fee(c1) - fee(c2));
		assert_eq!(free(CNY, &alice), GENESIS_CASH + cash - fee(c1) - stamp(c1) - fee(c2) - stamp(c2));
		// Alice's last 100 still rest, held; Bob holds nothing more.
		let reason: RuntimeHoldReason = pallet_orderbook::HoldReason::OpenOrder.into();
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &reason, &alice), 100);
		assert_eq!(Ledger::balance_on_hold(CNY, &reason, &bob), 0);
		assert_eq!(free(CNY, &FeeAccount::get()), 2 * (fee(c1) + fee(c2)));
		assert_eq!(free(CNY, &TaxAccount::get()), stamp(c1) + stamp(c2));
		// Both trades are settlement records (events), and the depth shows what is left.
		let trades: Vec<_> = crate::settled()
			.into_iter()
			.filter_map(|(_, settled)| match settled {
				pallet_settlement::Settled::Trade(t) => Some((t.quantity, t.price)),
				_ => None,
			})
			.collect();
		assert_eq!(pallet_settlement::DayDigests::<Runtime>::get(Settlement::today()).count, 2);
		assert_eq!(trades, vec![(300, Amount::from(MOUTAI_REFERENCE)), (100, Amount::from(MOUTAI_REFERENCE + 50))]);
		let depth = Orderbook::depth(MOUTAI_MARKET, 5).expect("the market exists");
		assert!(depth.bids.is_empty());
		assert_eq!((depth.asks[0].price, depth.asks[0].quantity), (MOUTAI_REFERENCE + 50, 100));
		assert_eq!(depth.last_price, Some(MOUTAI_REFERENCE + 50));
	});
}

#[test]
fn an_order_outside_the_band_or_from_a_non_member_changes_nothing() {
	run(|| {
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert_eq!(
			place(Alice, Side::Sell, 100, limit(MOUTAI_REFERENCE * 2)),
			Err(pallet_orderbook::Error::<Runtime>::PriceOutsideBand.into())
		);
		assert_eq!(place(Eve, Side::Buy, 100, limit(MOUTAI_REFERENCE)), Err(DispatchError::BadOrigin));
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
	});
}

/// Regression (hardening review, defect 8): batch weights were benchmarked with every item on
/// one market and of one owner, so a 64-item `cancel_orders` across 64 markets (64 books read
/// and written) was charged for one book. The benchmarks now put each item on another market
/// (and, for expiry and stops, of another owner), and the charge covers a full book per item.
#[test]
fn a_batch_is_charged_for_a_full_book_per_market_it_may_touch() {
	use frame_support::{dispatch::GetDispatchInfo, BoundedVec};
	use pallet_orderbook::StoredBookOf;
	use scale_info::prelude::vec::Vec;
	run(|| {
		let book = <StoredBookOf<Runtime> as codec::MaxEncodedLen>::max_encoded_len() as u64;
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		let ids = || BoundedVec::try_from((0..64u64).collect::<Vec<_>>()).expect("64 fit a batch");
		let batches = [
			RuntimeCall::Orderbook(pallet_orderbook::Call::cancel_orders { order_ids: ids() }),
			RuntimeCall::Orderbook(pallet_orderbook::Call::cancel_account_orders { who: Alice.to_account_id() }),
		];
		for call in batches {
			let weight = call.get_dispatch_info().call_weight;
			assert!(weight.proof_size() >= 64 * book, "{call:?}: proof {} < 64 books", weight.proof_size());
			// Per item at least its book, its order and its owner's balance: read and written.
			assert!(weight.ref_time() >= db.reads_writes(3 * 64, 3 * 64).ref_time(), "{call:?}: {weight:?}");
		}
	});
}

/// The README names the fee and tax accounts by these addresses.
#[test]
fn the_fee_and_tax_accounts_are_the_addresses_the_readme_names() {
	use sp_core::crypto::Ss58Codec;
	assert_eq!(FeeAccount::get().to_ss58check(), "5EYCAe5iw4oXav6wtWre5nNgzfqnm1BDqw2HsUocsc5bds33");
	assert_eq!(TaxAccount::get().to_ss58check(), "5EYCAe5iw4oZMHJZ3pADwxrwFKgXobBVZN6fyV5pJgqRfnoh");
}
