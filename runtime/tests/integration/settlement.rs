//! Runtime-level tests of the market: the ledger and settlement on the `local` preset's genesis,
//! through `RuntimeCall`s dispatched the way blocks dispatch them.

use frame_support::{
	assert_ok,
	traits::{
		tokens::fungibles::{Inspect, InspectHold, MutateHold},
		UnfilteredDispatchable,
	},
};
use pallet_settlement::{HoldReason, Leg, SettleTrade, TradeSpec};
use qingsuan_primitives::market::Amount;
use qingsuan_runtime::{
	configs::{FeeAccount, TaxAccount},
	genesis_config_presets::{CNY, GENESIS_CASH, GENESIS_SHARES, MOUTAI},
	Ledger, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin, Settlement, System,
};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{DispatchError, StateVersion};

use crate::run;

fn dispatch(who: Sr25519Keyring, call: RuntimeCall) -> Result<(), DispatchError> {
	call.dispatch_bypass_filter(RuntimeOrigin::signed(who.to_account_id())).map(|_| ()).map_err(|e| e.error)
}

fn root() -> sp_core::H256 {
	sp_core::H256::from_slice(&sp_io::storage::root(StateVersion::V1))
}

fn free(asset: u32, who: Sr25519Keyring) -> Amount {
	Ledger::balance(asset, &who.to_account_id())
}

#[test]
fn the_preset_lists_securities_and_funds_every_broker() {
	run(|| {
		for broker in [Alice, Bob, Charlie, Dave] {
			assert_eq!(free(MOUTAI, broker), GENESIS_SHARES);
			assert_eq!(free(CNY, broker), GENESIS_CASH);
		}
		assert_eq!(Ledger::total_issuance(CNY), 4 * GENESIS_CASH);
		assert_eq!(pallet_settlement::Cash::<Runtime>::get(CNY).deposited, 4 * GENESIS_CASH);
	});
}

#[test]
fn a_failing_securities_leg_leaves_every_balance_exactly_as_before() {
	run(|| {
		let reason: RuntimeHoldReason = HoldReason::Instruction.into();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		// Alice holds 99 shares but the trade is for 100; Bob holds plenty of cash.
		assert_ok!(Ledger::hold(MOUTAI, &reason, &alice, 99));
		assert_ok!(Ledger::hold(CNY, &reason, &bob, 20_000_000));
		let before = root();
		let events = System::event_count();
		let trade = TradeSpec {
			buyer: bob.clone(),
			seller: alice.clone(),
			security: MOUTAI,
			cash: CNY,
			quantity: 100,
			price: 170_000,
			buyer_hold: reason,
			seller_hold: reason,
			buyer_fee_cap: None,
		};
		assert_eq!(
			Settlement::settle_trade(trade.clone()),
			Err(pallet_settlement::Error::<Runtime>::SecuritiesUnavailable.into())
		);
		assert_eq!(root(), before, "nothing changed");
		assert_eq!(System::event_count(), events, "no event");

		// With enough securities but cash short of price plus fee, the securities leg that had
		// already moved is undone as well.
		assert_ok!(Ledger::hold(MOUTAI, &reason, &alice, 1));
		let cost = Settlement::buyer_cost(100, 170_000).expect("fits");
		assert_ok!(Ledger::release(
			CNY,
			&reason,
			&bob,
			20_000_000 - (cost - 1),
			frame_support::traits::tokens::Precision::Exact
		));
		let before = root();
		assert_eq!(
			Settlement::settle_trade(trade.clone()),
			Err(pallet_settlement::Error::<Runtime>::CashUnavailable.into())
		);
		assert_eq!(root(), before, "the delivered securities came back");
		assert_eq!(Ledger::total_balance(MOUTAI, &bob), GENESIS_SHARES);

		// One more fen and it settles: delivery versus payment with A-share fees.
		assert_ok!(Ledger::hold(CNY, &reason, &bob, 1));
		let outcome = Settlement::settle_trade(trade).expect("settles");
		assert_eq!(outcome.cash_amount, 17_000_000);
		assert_eq!(outcome.buyer_fee, 580, "0.00341% of 170,000 yuan, rounded up to the fen");
		assert_eq!(outcome.seller_fee, 580 + 8_500, "plus 0.05% stamp duty");
		assert_eq!(Ledger::balance(CNY, &FeeAccount::get()), 1_160);
		assert_eq!(Ledger::balance(CNY, &TaxAccount::get()), 8_500);
		assert_eq!(Ledger::balance_on_hold(CNY, &reason, &bob), 0);
		assert_eq!(free(MOUTAI, Bob), GENESIS_SHARES + 100);
	});
}

#[test]
fn a_bilateral_instruction_settles_through_extrinsics_and_a_short_party_changes_nothing() {
	run(|| {
		let legs: pallet_settlement::LegsOf<Runtime> = vec![
			Leg { from: Alice.to_account_id(), to: Bob.to_account_id(), asset: MOUTAI, amount: 1_000 },
			Leg { from: Bob.to_account_id(), to: Alice.to_account_id(), asset: CNY, amount: GENESIS_CASH + 1 },
		]
		.try_into()
		.expect("two legs fit");
		let create = |legs| {
			RuntimeCall::Settlement(pallet_settlement::Call::create_instruction {
				legs,
				settle_at: None,
				expires_at: 100,
			})
		};
		assert_ok!(dispatch(Alice, create(legs)));
		assert_ok!(dispatch(Alice, RuntimeCall::Settlement(pallet_settlement::Call::affirm_instruction { id: 0 })));
		// Bob cannot pay one fen more than he has: his affirmation fails and changes nothing.
		let before = root();
		assert_eq!(
			dispatch(Bob, RuntimeCall::Settlement(pallet_settlement::Call::affirm_instruction { id: 0 })),
			Err(pallet_settlement::Error::<Runtime>::InsufficientBalance.into())
		);
		assert_eq!(root(), before);
		// Bob rejects; Alice's shares come back. A correct instruction then settles.
		assert_ok!(dispatch(Bob, RuntimeCall::Settlement(pallet_settlement::Call::reject_instruction { id: 0 })));
		assert_eq!(free(MOUTAI, Alice), GENESIS_SHARES);
		let legs = vec![
			Leg { from: Alice.to_account_id(), to: Bob.to_account_id(), asset: MOUTAI, amount: 1_000 },
			Leg { from: Bob.to_account_id(), to: Alice.to_account_id(), asset: CNY, amount: 170_000_000 },
		]
		.try_into()
		.expect("two legs fit");
		assert_ok!(dispatch(Bob, create(legs)));
		for who in [Alice, Bob] {
			assert_ok!(dispatch(who, RuntimeCall::Settlement(pallet_settlement::Call::affirm_instruction { id: 1 })));
		}
		assert_eq!(free(MOUTAI, Bob), GENESIS_SHARES + 1_000);
		assert_eq!(free(CNY, Alice), GENESIS_CASH + 170_000_000);
		let settled = crate::settled();
		let report = Settlement::net_positions_of(settled.iter().map(|(_, s)| s));
		assert_eq!(report.len(), 4, "two accounts, two assets");
	});
}

#[test]
fn only_the_issuing_bank_moves_cash_in_and_out() {
	run(|| {
		let deposit = RuntimeCall::Settlement(pallet_settlement::Call::request_deposit { asset: CNY, amount: 5_000 });
		assert_ok!(dispatch(Alice, deposit));
		let confirm = || RuntimeCall::Settlement(pallet_settlement::Call::confirm_deposit { id: 0 });
		// Alice is a broker, not a bank; Eve is the bank of the local preset.
		assert_eq!(dispatch(Alice, confirm()), Err(DispatchError::BadOrigin));
		assert_ok!(dispatch(Eve, confirm()));
		assert_eq!(free(CNY, Alice), GENESIS_CASH + 5_000);
	});
}
