//! Property tests: random sequences of deposits, trades, instructions and withdrawals, failing
//! or not, conserve every asset and keep every invariant; a failing step changes nothing.

use super::*;
use crate::{withdrawal_aad, Leg, SettleTrade, TradeSpec};
use codec::Encode;
use frame_support::traits::tokens::fungibles::Inspect as _;
use proptest::prelude::*;
use qingsuan_sm_crypto::envelope::Envelope;
use sp_runtime::DispatchResult;

#[derive(Debug, Clone)]
enum Op {
	Deposit { who: u64, amount: Amount, confirm: bool },
	Withdraw { who: u64, amount: Amount, confirm: bool },
	Trade { buyer: u64, seller: u64, security: AssetId, quantity: Amount, price: Amount },
	Instruct { from: u64, to: u64, asset: AssetId, amount: Amount, back: Amount, affirm: u8, settle_in: u64 },
	Reject { id: u64, by: u64 },
	Advance { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	let who = 1u64..=3;
	let amount = prop_oneof![1u128..3_000_000, Just(u128::MAX)];
	let security = prop_oneof![Just(MOUTAI), Just(PINGAN)];
	prop_oneof![
		(who.clone(), amount.clone(), any::<bool>()).prop_map(|(who, amount, confirm)| Op::Deposit {
			who,
			amount,
			confirm
		}),
		(who.clone(), amount.clone(), any::<bool>()).prop_map(|(who, amount, confirm)| Op::Withdraw {
			who,
			amount,
			confirm
		}),
		(who.clone(), who.clone(), security.clone(), 0u128..600, 0u128..5_000).prop_map(
			|(buyer, seller, security, quantity, price)| Op::Trade { buyer, seller, security, quantity, price }
		),
		(
			who.clone(),
			who.clone(),
			prop_oneof![Just(MOUTAI), Just(PINGAN), Just(CNY)],
			0u128..2_000,
			0u128..200_000,
			0u8..4,
			0u64..4
		)
			.prop_map(|(from, to, asset, amount, back, affirm, settle_in)| Op::Instruct {
				from,
				to,
				asset,
				amount,
				back,
				affirm,
				settle_in
			}),
		(0u64..4, who).prop_map(|(id, by)| Op::Reject { id, by }),
		(1u64..12).prop_map(|blocks| Op::Advance { blocks }),
	]
}

fn apply(op: &Op) -> DispatchResult {
	match *op {
		Op::Deposit { who, amount, confirm } => {
			Settlement::request_deposit(signed(who), CNY, amount)?;
			let id = crate::NextRequestId::<Test>::get() - 1;
			if confirm {
				Settlement::confirm_deposit(signed(BANK), id)
			} else {
				Settlement::reject_deposit(signed(BANK), id)
			}
		},
		Op::Withdraw { who, amount, confirm } => {
			let payee = Envelope::seal(&[bank_secret().public()], &withdrawal_aad(&who, CNY, amount), b"acct")
				.expect("seals")
				.encode()
				.try_into()
				.expect("fits");
			Settlement::request_withdrawal(signed(who), CNY, amount, payee)?;
			let id = crate::NextRequestId::<Test>::get() - 1;
			if confirm {
				Settlement::confirm_withdrawal(signed(BANK), id)
			} else {
				Settlement::reject_withdrawal(signed(BANK), id)
			}
		},
		Op::Trade { buyer, seller, security, quantity, price } => {
			// As the order book does: hold both sides, settle, all in one extrinsic.
			Ledger::hold(security, &order_hold(), &seller, quantity)?;
			Ledger::hold(CNY, &order_hold(), &buyer, Settlement::buyer_cost(quantity, price)?)?;
			Settlement::settle_trade(TradeSpec {
				buyer,
				seller,
				security,
				cash: CNY,
				quantity,
				price,
				buyer_hold: order_hold(),
				seller_hold: order_hold(),
				buyer_fee_cap: None,
			})
			.map(|_| ())
		},
		Op::Instruct { from, to, asset, amount, back, affirm, settle_in } => {
			let mut legs = vec![Leg { from, to, asset, amount }];
			if back > 0 {
				legs.push(Leg { from: to, to: from, asset: CNY, amount: back });
			}
			let now = System::block_number();
			Settlement::create_instruction(
				signed(from),
				legs.try_into().expect("two legs"),
				Some(now + settle_in),
				now + 8,
			)?;
			let id = crate::NextInstructionId::<Test>::get() - 1;
			if affirm & 1 == 1 {
				Settlement::affirm_instruction(signed(from), id).map_err(|e| e.error)?;
			}
			if affirm & 2 == 2 && to != from {
				Settlement::affirm_instruction(signed(to), id).map_err(|e| e.error)?;
			}
			Ok(())
		},
		Op::Reject { id, by } => Settlement::reject_instruction(signed(by), id).map(|_| ()).map_err(|e| e.error),
		Op::Advance { blocks } => {
			run_to_block(System::block_number() + blocks);
			Ok(())
		},
	}
}

fn total(asset: AssetId) -> Amount {
	[ALICE, BOB, CAROL, FEES, TAX].iter().map(|w| Ledger::total_balance(asset, w)).sum()
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	#[test]
	fn random_sequences_conserve_every_asset(ops in proptest::collection::vec(op(), 1..30)) {
		new_test_ext().execute_with(|| {
			for op in &ops {
				let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
				let cash = total(CNY);
				let deposited = crate::Cash::<Test>::get(CNY);
				let result = frame_support::storage::with_storage_layer(|| apply(op));
				if result.is_err() {
					prop_assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "{:?} failed but changed state", op);
				}
				// Securities are never created or destroyed by settlement.
				prop_assert_eq!(total(MOUTAI), 1_000);
				prop_assert_eq!(total(PINGAN), 1_000);
				// Cash changes only by what the bank confirmed.
				let now = crate::Cash::<Test>::get(CNY);
				prop_assert_eq!(
					total(CNY) as i128 - cash as i128,
					(now.deposited - deposited.deposited) as i128 - (now.withdrawn - deposited.withdrawn) as i128
				);
				prop_assert_eq!(Ledger::total_issuance(CNY), total(CNY));
				// Order holds belong to the (absent) order book: release them, as it would when
				// an order completes.
				for who in [ALICE, BOB, CAROL] {
					for asset in [MOUTAI, PINGAN, CNY] {
						let h = held(asset, who, order_hold());
						if h > 0 {
							Ledger::release(asset, &order_hold(), &who, h, frame_support::traits::tokens::Precision::Exact)
								.expect("held");
						}
					}
				}
				Ledger::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
				Settlement::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?} after {op:?}")))?;
			}
			Ok(())
		})?;
	}
}
