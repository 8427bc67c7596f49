//! Investor accounts in the runtime on the `local` preset: orders for an investor, the
//! compliance rules before them, and a regulator's freeze cancelling them through the order book.

use frame_support::{
	assert_noop, assert_ok,
	traits::{tokens::fungibles::InspectHold, UnfilteredDispatchable},
};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_runtime::{
	genesis_config_presets::{MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
	Investors, Ledger, Orderbook, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin, System,
};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{AccountId32, DispatchError};

use crate::run;

fn place_for(investor: &AccountId32, side: Side, price: u64) -> Result<(), DispatchError> {
	RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
		market: MOUTAI_MARKET,
		side,
		quantity: 100,
		kind: OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false },
		account: Some(investor.clone()),
	})
	.dispatch_bypass_filter(RuntimeOrigin::signed(Alice.to_account_id()))
	.map(|_| ())
	.map_err(|e| e.error)
}

/// Open an investor of `broker` (commitment `[tag; 32]`) and issue it 1,000 Moutai.
fn investor_with_moutai(broker: &AccountId32, tag: u8) -> AccountId32 {
	let commitment = [tag; 32];
	assert_ok!(RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment })
		.dispatch_bypass_filter(RuntimeOrigin::signed(broker.clone())));
	let investor = Investors::investor_account(broker, &commitment);
	assert_ok!(RuntimeCall::Ledger(pallet_ledger::Call::issue { asset: MOUTAI, to: investor.clone(), amount: 1_000 })
		.dispatch_bypass_filter(RuntimeOrigin::root()));
	investor
}

fn held(who: &AccountId32) -> u128 {
	let reason = RuntimeHoldReason::Orderbook(pallet_orderbook::HoldReason::OpenOrder);
	<Ledger as InspectHold<AccountId32>>::balance_on_hold(MOUTAI, &reason, who)
}

#[test]
fn unattested_buys_are_refused_and_a_freeze_cancels_an_investors_orders() {
	run(|| {
		let alice = Alice.to_account_id();
		let investor = investor_with_moutai(&alice, 9);

		// Selling needs no claims; buying needs an identity claim the local preset has no
		// attestor for.
		assert_ok!(place_for(&investor, Side::Sell, MOUTAI_REFERENCE + 100));
		assert_ok!(place_for(&investor, Side::Sell, MOUTAI_REFERENCE + 200));
		assert_noop!(
			place_for(&investor, Side::Buy, MOUTAI_REFERENCE - 100),
			pallet_compliance::Error::<Runtime>::MissingClaim(pallet_compliance::ClaimKind::Kyc)
		);
		assert_eq!(held(&investor), 200);

		// The regulator (Ferdie) freezes it: its orders are cancelled, its shares free again.
		assert_ok!(RuntimeCall::Investors(pallet_investors::Call::freeze { investor: investor.clone() })
			.dispatch_bypass_filter(RuntimeOrigin::signed(Ferdie.to_account_id())));
		assert_eq!(held(&investor), 0);
		assert!(Orderbook::open_orders(&investor).is_empty());
		let cancelled = System::events()
			.iter()
			.filter(|r| {
				matches!(
					&r.event,
					qingsuan_runtime::RuntimeEvent::Orderbook(pallet_orderbook::Event::OrderCancelled {
						reason: pallet_orderbook::CancelReason::AccountFrozen,
						..
					})
				)
			})
			.count();
		assert_eq!(cancelled, 2);
		assert_noop!(
			place_for(&investor, Side::Sell, MOUTAI_REFERENCE + 100),
			pallet_orderbook::Error::<Runtime>::AccountFrozen
		);
	});
}

fn instruct(by: &AccountId32, legs: Vec<pallet_settlement::Leg<AccountId32>>) -> Result<(), DispatchError> {
	let expires_at = System::block_number() + 10;
	RuntimeCall::Settlement(pallet_settlement::Call::create_instruction {
		legs: legs.try_into().expect("a few legs"),
		settle_at: None,
		expires_at,
	})
	.dispatch_bypass_filter(RuntimeOrigin::signed(by.clone()))
	.map(|_| ())
	.map_err(|e| e.error)
}

fn affirm(by: &AccountId32, id: u64) -> Result<(), DispatchError> {
	RuntimeCall::Settlement(pallet_settlement::Call::affirm_instruction { id })
		.dispatch_bypass_filter(RuntimeOrigin::signed(by.clone()))
		.map(|_| ())
		.map_err(|e| e.error)
}

#[test]
fn an_instruction_for_an_investor_passes_compliance_and_the_price_band() {
	run(|| {
		use frame_support::traits::tokens::fungibles::Inspect;
		use qingsuan_runtime::genesis_config_presets::CNY;
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let investor = investor_with_moutai(&alice, 7);
		let leg = |from: &AccountId32, to: &AccountId32, asset, amount| pallet_settlement::Leg {
			from: from.clone(),
			to: to.clone(),
			asset,
			amount,
		};
		let price = u128::from(MOUTAI_REFERENCE);

		// The investor buying from Bob needs claims the local preset has no attestor for.
		assert_noop!(
			instruct(&alice, vec![leg(&bob, &investor, MOUTAI, 100), leg(&investor, &bob, CNY, 100 * price)]),
			pallet_compliance::Error::<Runtime>::MissingClaim(pallet_compliance::ClaimKind::Kyc)
		);
		// Free of payment, or priced outside the market's 10% band: refused.
		assert_noop!(
			instruct(&alice, vec![leg(&investor, &bob, MOUTAI, 100)]),
			pallet_settlement::Error::<Runtime>::FreeOfPayment
		);
		assert_noop!(
			instruct(&alice, vec![leg(&investor, &bob, MOUTAI, 100), leg(&bob, &investor, CNY, 100 * price * 2)]),
			pallet_settlement::Error::<Runtime>::PriceOutsideBand
		);
		// Selling to Bob at the reference price needs no claims: both brokers affirm, it settles.
		let legs = vec![leg(&investor, &bob, MOUTAI, 100), leg(&bob, &investor, CNY, 100 * price)];
		assert_ok!(instruct(&alice, legs));
		let id = pallet_settlement::NextInstructionId::<Runtime>::get() - 1;
		assert_ok!(affirm(&alice, id));
		assert_ok!(affirm(&bob, id));
		assert!(!pallet_settlement::Instructions::<Runtime>::contains_key(id));
		assert_eq!(<Ledger as Inspect<AccountId32>>::balance(MOUTAI, &investor), 900);
		assert_eq!(<Ledger as Inspect<AccountId32>>::balance(CNY, &investor), 100 * price);
	});
}

#[test]
fn the_consortium_moves_an_investor_of_a_revoked_broker_ending_its_orders() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let investor = investor_with_moutai(&alice, 5);
		assert_ok!(place_for(&investor, Side::Sell, MOUTAI_REFERENCE + 100));
		let force = || {
			RuntimeCall::Investors(pallet_investors::Call::force_transfer {
				investor: investor.clone(),
				to: bob.clone(),
			})
			.dispatch_bypass_filter(RuntimeOrigin::root())
			.map(|_| ())
			.map_err(|e| e.error)
		};
		assert_noop!(force(), pallet_investors::Error::<Runtime>::BrokerStillMember);

		assert_ok!(RuntimeCall::Members(pallet_members::Call::revoke_role {
			who: alice.clone(),
			role: qingsuan_primitives::Role::MemberBroker
		})
		.dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_ok!(force());
		assert_eq!(<Investors as pallet_investors::InvestorRegistry<_>>::broker_of(&investor), Some(bob.clone()));
		assert!(Orderbook::open_orders(&investor).is_empty());
		assert_eq!(held(&investor), 0);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			qingsuan_runtime::RuntimeEvent::Orderbook(pallet_orderbook::Event::OrderCancelled {
				reason: pallet_orderbook::CancelReason::ByConsortium,
				..
			})
		)));
		// Its new broker places its orders now.
		assert_ok!(RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
			market: MOUTAI_MARKET,
			side: Side::Sell,
			quantity: 100,
			kind: OrderType::Limit { price: MOUTAI_REFERENCE + 100, tif: TimeInForce::Gtc, post_only: false },
			account: Some(investor.clone()),
		})
		.dispatch_bypass_filter(RuntimeOrigin::signed(bob)));
	});
}
