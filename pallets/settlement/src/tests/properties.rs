//! Property tests: random sequences of deposits, trades, instructions (for brokers and their
//! investors), withdrawals, freezes and compliance refusals, failing or not, conserve every
//! asset and keep every invariant; a failing step changes nothing; no account acquires a
//! security the compliance rules refuse it, or while frozen; an investor never gives up a
//! security without being paid, nor pays without receiving one.

use super::*;
use crate::{withdrawal_aad, Leg, SettleTrade, TradeSpec};
use codec::Encode;
use frame_support::traits::tokens::fungibles::Inspect as _;
use proptest::prelude::*;
use qingsuan_primitives::{
	investors::InvestorRegistry,
	market::{Direction, PositionCheck},
};
use qingsuan_sm_crypto::envelope::Envelope;
use sp_runtime::DispatchResult;

/// Every account the tests move assets of.
const ACCOUNTS: [u64; 8] = [ALICE, BOB, CAROL, FEES, TAX, ANN, AMY, BEN];
const INVESTORS: [u64; 3] = [ANN, AMY, BEN];

/// The broker that signs for `who`.
fn broker(who: u64) -> u64 {
	TestInvestors::acting_broker(&who)
}

#[derive(Debug, Clone)]
enum Op {
	Deposit { who: u64, amount: Amount, confirm: bool },
	Withdraw { who: u64, amount: Amount, confirm: bool },
	Trade { buyer: u64, seller: u64, security: AssetId, quantity: Amount, price: Amount },
	Instruct { from: u64, to: u64, asset: AssetId, amount: Amount, price: Amount, affirm: u8, settle_in: u64 },
	Freeze { who: u64, frozen: bool },
	Refuse { who: u64, security: AssetId, direction: Direction, on: bool },
	Reject { id: u64, by: u64 },
	Advance { blocks: u64 },
}

/// A broker or an investor.
fn party() -> impl Strategy<Value = u64> {
	prop::sample::select(vec![ALICE, BOB, CAROL, ANN, AMY, BEN])
}

fn op() -> impl Strategy<Value = Op> {
	let who = 1u64..=3;
	let amount = prop_oneof![1u128..3_000_000, Just(u128::MAX)];
	let security = prop_oneof![Just(MOUTAI), Just(PINGAN)];
	prop_oneof![
		1 => (who.clone(), amount.clone(), any::<bool>()).prop_map(|(who, amount, confirm)| Op::Deposit {
			who,
			amount,
			confirm
		}),
		1 => (who.clone(), amount.clone(), any::<bool>()).prop_map(|(who, amount, confirm)| Op::Withdraw {
			who,
			amount,
			confirm
		}),
		1 => (who.clone(), who.clone(), security.clone(), 0u128..600, 0u128..5_000).prop_map(
			|(buyer, seller, security, quantity, price)| Op::Trade { buyer, seller, security, quantity, price }
		),
		6 => (
			party(),
			party(),
			prop_oneof![3 => Just(MOUTAI), 1 => Just(PINGAN), 1 => Just(CNY)],
			0u128..600,
			prop_oneof![1 => Just(0u128), 4 => 1_300u128..1_700],
			prop_oneof![3 => Just(3u8), 1 => 0u8..3],
			prop_oneof![2 => Just(0u64), 1 => 1u64..4]
		)
			.prop_map(|(from, to, asset, amount, price, affirm, settle_in)| Op::Instruct {
				from,
				to,
				asset,
				amount,
				price,
				affirm,
				settle_in
			}),
		1 => (prop::sample::select(INVESTORS.to_vec()), prop::bool::weighted(0.3)).prop_map(|(who, frozen)| Op::Freeze { who, frozen }),
		1 => (
			party(),
			prop_oneof![Just(MOUTAI), Just(PINGAN)],
			prop_oneof![Just(Direction::Increase), Just(Direction::Decrease)],
			prop::bool::weighted(0.3)
		)
			.prop_map(|(who, security, direction, on)| Op::Refuse { who, security, direction, on }),
		1 => (0u64..4, who).prop_map(|(id, by)| Op::Reject { id, by }),
		2 => (1u64..12).prop_map(|blocks| Op::Advance { blocks }),
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
			// As the order book does: check both sides, hold them, settle, all in one extrinsic.
			TestCompliance::may_change(&buyer, security, Direction::Increase)?;
			TestCompliance::may_change(&seller, security, Direction::Decrease)?;
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
		Op::Instruct { from, to, asset, amount, price, affirm, settle_in } => {
			let mut legs = vec![Leg { from, to, asset, amount }];
			if price > 0 {
				legs.push(Leg { from: to, to: from, asset: CNY, amount: amount.saturating_mul(price) });
			}
			let now = System::block_number();
			Settlement::create_instruction(
				signed(broker(from)),
				legs.try_into().expect("two legs"),
				Some(now + settle_in),
				now + 8,
			)?;
			let id = crate::NextInstructionId::<Test>::get() - 1;
			if affirm & 1 == 1 {
				Settlement::affirm_instruction(signed(broker(from)), id).map_err(|e| e.error)?;
			}
			if affirm & 2 == 2 && broker(to) != broker(from) {
				Settlement::affirm_instruction(signed(broker(to)), id).map_err(|e| e.error)?;
			}
			Ok(())
		},
		Op::Reject { id, by } => Settlement::reject_instruction(signed(by), id).map(|_| ()).map_err(|e| e.error),
		Op::Freeze { who, frozen } => {
			set_frozen(who, frozen);
			Ok(())
		},
		Op::Refuse { who, security, direction, on } => {
			Refused::mutate(|r| {
				r.retain(|e| *e != (who, security, direction));
				if on {
					r.push((who, security, direction));
				}
			});
			Ok(())
		},
		Op::Advance { blocks } => {
			run_to_block(System::block_number() + blocks);
			Ok(())
		},
	}
}

fn total(asset: AssetId) -> Amount {
	ACCOUNTS.iter().map(|w| Ledger::total_balance(asset, w)).sum()
}

/// Every account's total balance of every asset.
fn positions() -> Vec<(u64, AssetId, Amount)> {
	ACCOUNTS.iter().flat_map(|w| [MOUTAI, PINGAN, CNY].map(|a| (*w, a, Ledger::total_balance(a, w)))).collect()
}

/// May `who` acquire `security` now?
fn may_acquire(who: u64, security: AssetId) -> bool {
	!Refused::get().contains(&(who, security, Direction::Increase)) && !TestInvestors::is_frozen(&who)
}

/// Investors start with securities of their own and cash from their brokers.
fn fund_investors() {
	use frame_support::traits::tokens::{fungibles::Mutate, Preservation};
	for (who, broker) in [(ANN, ALICE), (AMY, ALICE), (BEN, BOB)] {
		Ledger::transfer(CNY, &broker, &who, 1_000_000, Preservation::Expendable).expect("brokers have cash");
	}
	Ledger::mint_into(MOUTAI, &ANN, 500).expect("mint");
	Ledger::mint_into(PINGAN, &BEN, 500).expect("mint");
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	#[test]
	fn random_sequences_conserve_every_asset(ops in proptest::collection::vec(op(), 1..30)) {
		new_test_ext().execute_with(|| {
			fund_investors();
			for op in &ops {
				let before = positions();
				let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
				let cash = total(CNY);
				let deposited = crate::Cash::<Test>::get(CNY);
				let result = frame_support::storage::with_storage_layer(|| apply(op));
				if result.is_err() {
					prop_assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "{:?} failed but changed state", op);
				}
				// Securities are never created or destroyed by settlement.
				prop_assert_eq!(total(MOUTAI), 1_500);
				prop_assert_eq!(total(PINGAN), 1_500);
				let after = positions();
				for ((who, asset, was), (_, _, is)) in before.iter().zip(&after) {
					if *asset != CNY && is > was {
						prop_assert!(may_acquire(*who, *asset), "{} acquired {} against the rules: {:?}", who, asset, op);
					}
				}
				// An investor's securities and cash move against each other, never alone.
				for investor in INVESTORS {
					let change = |a: AssetId| {
						let find = |v: &Vec<(u64, AssetId, Amount)>| v.iter().find(|e| (e.0, e.1) == (investor, a)).map(|e| e.2);
						find(&after).unwrap_or(0) as i128 - find(&before).unwrap_or(0) as i128
					};
					let securities = change(MOUTAI).signum() + change(PINGAN).signum();
					let cash = change(CNY);
					prop_assert!(
						(securities == 0 && cash == 0) || (securities < 0 && cash > 0) || (securities > 0 && cash < 0),
						"investor {} moved securities {} against cash {} in {:?}", investor, securities, cash, op
					);
				}
				// Cash changes only by what the bank confirmed.
				let now = crate::Cash::<Test>::get(CNY);
				prop_assert_eq!(
					total(CNY) as i128 - cash as i128,
					(now.deposited - deposited.deposited) as i128 - (now.withdrawn - deposited.withdrawn) as i128
				);
				prop_assert_eq!(Ledger::total_issuance(CNY), total(CNY));
				// Order holds belong to the (absent) order book: release them, as it would when
				// an order completes.
				for who in ACCOUNTS {
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
