//! Tests of the ledger pallet: every call's bad origin, each error, success and events; the
//! fungibles traits; invariants after every scenario, and a property test of conservation.

use crate::{mock::*, Accounts, Error, Event, InstrumentInspect, InstrumentStatus, Instruments, TotalIssuance};
use frame_support::{
	assert_noop, assert_ok,
	traits::tokens::{
		fungibles::{Inspect, InspectHold, Mutate, MutateHold},
		Fortitude, Precision, Preservation, Restriction,
	},
};
use sp_runtime::{ArithmeticError, DispatchError, TokenError};

fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::signed(CONSORTIUM)
}

fn bounded<S: frame_support::traits::Get<u32>>(s: &[u8]) -> frame_support::BoundedVec<u8, S> {
	s.to_vec().try_into().expect("test strings fit; qed")
}

fn create_ping_an(isin: [u8; 12]) -> sp_runtime::DispatchResult {
	Ledger::create_security(consortium(), 2, bounded(b"601318"), isin, bounded(b"Ping An"), 100, 1)
}

// --- instruments ---

#[test]
fn isin_check_digits_follow_iso_6166() {
	for good in [b"US0378331005", b"CNE0000018R8", b"CNE000001R84", b"DE000BAY0017", b"GB0002634946"] {
		assert!(crate::isin_is_valid(good), "{}", core::str::from_utf8(good).unwrap_or("?"));
	}
	for bad in [b"US0378331006", b"us0378331005", b"CNE0000018R9", b"1S0378331005", b"US037833100X"] {
		assert!(!crate::isin_is_valid(bad), "{}", core::str::from_utf8(bad).unwrap_or("?"));
	}
	assert_eq!(crate::isin_with_check_digit(*b"US037833100"), Some(*b"US0378331005"));
	assert_eq!(crate::isin_with_check_digit(*b"CNE0000018R"), Some(*b"CNE0000018R8"));
	assert_eq!(crate::isin_with_check_digit(*b"cn000000185"), None);
}

#[test]
fn create_security_needs_the_consortium() {
	run_test(|| {
		assert_noop!(
			Ledger::create_security(
				RuntimeOrigin::signed(ALICE),
				2,
				bounded(b"601318"),
				*b"CNE000001R84",
				bounded(b"Ping An"),
				100,
				1
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn create_security_validates_its_reference_data() {
	run_test(|| {
		assert_noop!(
			Ledger::create_security(consortium(), MOUTAI, bounded(b"601318"), *b"CNE000001R84", bounded(b"x"), 100, 1),
			Error::<Test>::InstrumentExists
		);
		assert_noop!(create_ping_an(*b"CNE000001R85"), Error::<Test>::InvalidIsin);
		assert_noop!(create_ping_an(MOUTAI_ISIN), Error::<Test>::IsinTaken);
		assert_noop!(
			Ledger::create_security(consortium(), 2, bounded(b""), *b"CNE000001R84", bounded(b"x"), 100, 1),
			Error::<Test>::EmptyCode
		);
		assert_noop!(
			Ledger::create_security(consortium(), 2, bounded(b"601318"), *b"CNE000001R84", bounded(b""), 100, 1),
			Error::<Test>::InvalidName
		);
		assert_noop!(
			Ledger::create_security(
				consortium(),
				2,
				bounded(b"601318"),
				*b"CNE000001R84",
				bounded(&[0xff, 0xfe]),
				100,
				1
			),
			Error::<Test>::InvalidName
		);
		assert_noop!(
			Ledger::create_security(consortium(), 2, bounded(b"601318"), *b"CNE000001R84", bounded(b"x"), 0, 1),
			Error::<Test>::ZeroTradingUnit
		);
		assert_noop!(
			Ledger::create_security(consortium(), 2, bounded(b"601318"), *b"CNE000001R84", bounded(b"x"), 100, 0),
			Error::<Test>::ZeroTradingUnit
		);
	});
}

#[test]
fn create_security_registers_a_trading_instrument() {
	run_test(|| {
		assert_ok!(create_ping_an(*b"CNE000001R84"));
		System::assert_last_event(Event::InstrumentCreated { asset: 2, class: crate::AssetClass::Security }.into());
		assert_eq!(Ledger::status(2), Some(InstrumentStatus::Trading));
		assert_eq!(Ledger::class(2), Some(crate::AssetClass::Security));
		assert_eq!(Ledger::issuing_bank(2), None);
	});
}

#[test]
fn create_cash_asset_needs_the_consortium_a_bank_and_a_currency() {
	run_test(|| {
		assert_noop!(
			Ledger::create_cash_asset(RuntimeOrigin::signed(BANK), 1001, *b"USD", BANK),
			DispatchError::BadOrigin
		);
		assert_noop!(Ledger::create_cash_asset(consortium(), CNY, *b"USD", BANK), Error::<Test>::InstrumentExists);
		assert_noop!(Ledger::create_cash_asset(consortium(), 1001, *b"usd", BANK), Error::<Test>::InvalidCurrency);
		assert_noop!(Ledger::create_cash_asset(consortium(), 1001, *b"USD", ALICE), Error::<Test>::NotAClearingBank);
		assert_ok!(Ledger::create_cash_asset(consortium(), 1001, *b"USD", 51));
		System::assert_last_event(Event::InstrumentCreated { asset: 1001, class: crate::AssetClass::Cash }.into());
		assert_eq!(Ledger::issuing_bank(1001), Some(51));
	});
}

#[test]
fn set_status_halts_resumes_and_delists_for_good() {
	run_test(|| {
		assert_noop!(
			Ledger::set_status(RuntimeOrigin::signed(ALICE), MOUTAI, InstrumentStatus::Halted),
			DispatchError::BadOrigin
		);
		assert_noop!(Ledger::set_status(consortium(), 7, InstrumentStatus::Halted), Error::<Test>::UnknownInstrument);
		assert_ok!(Ledger::set_status(consortium(), MOUTAI, InstrumentStatus::Halted));
		System::assert_last_event(Event::StatusChanged { asset: MOUTAI, status: InstrumentStatus::Halted }.into());
		assert!(!Ledger::is_trading(MOUTAI));
		assert_ok!(Ledger::set_status(consortium(), MOUTAI, InstrumentStatus::Trading));
		assert!(Ledger::is_trading(MOUTAI));
		assert_ok!(Ledger::set_status(consortium(), MOUTAI, InstrumentStatus::Delisted));
		assert_noop!(Ledger::set_status(consortium(), MOUTAI, InstrumentStatus::Trading), Error::<Test>::Delisted);
		// Balances survive delisting.
		assert_eq!(Ledger::balance(MOUTAI, &ALICE), 1_000);
	});
}

#[test]
fn set_trading_units_changes_a_security_only() {
	run_test(|| {
		assert_noop!(Ledger::set_trading_units(RuntimeOrigin::signed(ALICE), MOUTAI, 10, 1), DispatchError::BadOrigin);
		assert_noop!(Ledger::set_trading_units(consortium(), 7, 10, 1), Error::<Test>::UnknownInstrument);
		assert_noop!(Ledger::set_trading_units(consortium(), CNY, 10, 1), Error::<Test>::NotASecurity);
		assert_noop!(Ledger::set_trading_units(consortium(), MOUTAI, 0, 1), Error::<Test>::ZeroTradingUnit);
		assert_ok!(Ledger::set_trading_units(consortium(), MOUTAI, 10, 5));
		System::assert_last_event(Event::TradingUnitsChanged { asset: MOUTAI, lot_size: 10, tick_size: 5 }.into());
		let Some(crate::Instrument { kind: crate::InstrumentKind::Security(info), .. }) =
			Instruments::<Test>::get(MOUTAI)
		else {
			panic!("Moutai is a security")
		};
		assert_eq!((info.lot_size, info.tick_size), (10, 5));
	});
}

// --- issuance ---

#[test]
fn issue_credits_members_with_securities_only() {
	run_test(|| {
		assert_noop!(Ledger::issue(RuntimeOrigin::signed(ALICE), MOUTAI, BOB, 5), DispatchError::BadOrigin);
		assert_noop!(Ledger::issue(consortium(), 7, BOB, 5), Error::<Test>::UnknownInstrument);
		assert_noop!(Ledger::issue(consortium(), CNY, BOB, 5), Error::<Test>::NotASecurity);
		assert_noop!(Ledger::issue(consortium(), MOUTAI, BOB, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Ledger::issue(consortium(), MOUTAI, OUTSIDER, 5), Error::<Test>::NotAMember);
		assert_noop!(Ledger::issue(consortium(), MOUTAI, BOB, u128::MAX), ArithmeticError::Overflow);
		assert_ok!(Ledger::issue(consortium(), MOUTAI, BOB, 5));
		System::assert_last_event(Event::Issued { asset: MOUTAI, to: BOB, amount: 5 }.into());
		assert_eq!(Ledger::balance(MOUTAI, &BOB), 5);
		assert_eq!(Ledger::total_issuance(MOUTAI), 1_005);
	});
}

#[test]
fn retire_removes_free_securities_only() {
	run_test(|| {
		assert_noop!(Ledger::retire(RuntimeOrigin::signed(ALICE), MOUTAI, ALICE, 5), DispatchError::BadOrigin);
		assert_noop!(Ledger::retire(consortium(), CNY, ALICE, 5), Error::<Test>::NotASecurity);
		assert_noop!(Ledger::retire(consortium(), MOUTAI, ALICE, 0), Error::<Test>::ZeroAmount);
		assert_ok!(Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 600));
		assert_noop!(Ledger::retire(consortium(), MOUTAI, ALICE, 401), Error::<Test>::InsufficientBalance);
		assert_ok!(Ledger::retire(consortium(), MOUTAI, ALICE, 400));
		System::assert_last_event(Event::Retired { asset: MOUTAI, from: ALICE, amount: 400 }.into());
		assert_eq!(Ledger::total_issuance(MOUTAI), 600);
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &ALICE), 600);
	});
}

// --- fungibles ---

#[test]
fn the_last_unit_can_be_held_and_delivered() {
	run_test(|| {
		assert_ok!(Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 1_000));
		assert_eq!(Ledger::balance(MOUTAI, &ALICE), 0);
		assert_eq!(Ledger::total_balance(MOUTAI, &ALICE), 1_000);
		assert_ok!(Ledger::transfer_on_hold(
			MOUTAI,
			&TestReason::Order,
			&ALICE,
			&BOB,
			1_000,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite
		));
		assert_eq!(Ledger::total_balance(MOUTAI, &ALICE), 0);
		assert!(!Accounts::<Test>::contains_key(MOUTAI, ALICE), "an empty record is removed");
		assert_eq!(Ledger::balance(MOUTAI, &BOB), 1_000);
	});
}

#[test]
fn holds_are_kept_per_reason() {
	run_test(|| {
		assert_ok!(Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 300));
		assert_ok!(Ledger::hold(MOUTAI, &TestReason::Instruction, &ALICE, 200));
		assert_ok!(Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 100));
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &ALICE), 400);
		assert_eq!(Ledger::total_balance_on_hold(MOUTAI, &ALICE), 600);
		assert_eq!(Ledger::balance(MOUTAI, &ALICE), 400);
		assert_noop!(Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 401), TokenError::FundsUnavailable);
		assert_ok!(Ledger::release(MOUTAI, &TestReason::Order, &ALICE, 400, Precision::Exact));
		assert_eq!(Ledger::account(MOUTAI, &ALICE).holds.len(), 1, "a zero hold is removed");
		assert_noop!(
			Ledger::release(MOUTAI, &TestReason::Instruction, &ALICE, 201, Precision::Exact),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn unknown_assets_and_overflows_change_nothing() {
	run_test(|| {
		assert_noop!(Ledger::mint_into(7, &ALICE, 1), TokenError::UnknownAsset);
		assert_noop!(Ledger::hold(7, &TestReason::Order, &ALICE, 1), TokenError::FundsUnavailable);
		assert_noop!(Ledger::mint_into(MOUTAI, &BOB, u128::MAX), ArithmeticError::Overflow);
		assert_noop!(
			Ledger::transfer(MOUTAI, &ALICE, &BOB, 1_001, Preservation::Expendable),
			TokenError::FundsUnavailable
		);
		assert_noop!(
			Ledger::burn_from(MOUTAI, &BOB, 1, Preservation::Expendable, Precision::Exact, Fortitude::Polite),
			TokenError::FundsUnavailable
		);
		assert_eq!(Ledger::minimum_balance(MOUTAI), 0);
		assert!(Ledger::asset_exists(MOUTAI) && !Ledger::asset_exists(7));
	});
}

#[test]
fn try_state_catches_a_broken_issuance() {
	new_test_ext().execute_with(|| {
		assert_ok!(Ledger::do_try_state());
		TotalIssuance::<Test>::insert(MOUTAI, 999);
		assert!(Ledger::do_try_state().is_err());
	});
}

mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Mint(u64, u128),
		Burn(u64, u128),
		Transfer(u64, u64, u128),
		Hold(u64, bool, u128),
		Release(u64, bool, u128),
		TransferOnHold(u64, u64, bool, u128),
	}

	fn reason(order: bool) -> TestReason {
		if order {
			TestReason::Order
		} else {
			TestReason::Instruction
		}
	}

	/// Run `op` on Moutai.
	fn apply(op: &Op) -> sp_runtime::DispatchResult {
		match *op {
			Op::Mint(w, a) => Ledger::mint_into(MOUTAI, &w, a).map(|_| ()),
			Op::Burn(w, a) => {
				Ledger::burn_from(MOUTAI, &w, a, Preservation::Expendable, Precision::Exact, Fortitude::Polite)
					.map(|_| ())
			},
			Op::Transfer(f, t, a) => Ledger::transfer(MOUTAI, &f, &t, a, Preservation::Expendable).map(|_| ()),
			Op::Hold(w, r, a) => Ledger::hold(MOUTAI, &reason(r), &w, a),
			Op::Release(w, r, a) => Ledger::release(MOUTAI, &reason(r), &w, a, Precision::Exact).map(|_| ()),
			Op::TransferOnHold(f, t, r, a) => Ledger::transfer_on_hold(
				MOUTAI,
				&reason(r),
				&f,
				&t,
				a,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
			.map(|_| ()),
		}
	}

	fn op() -> impl Strategy<Value = Op> {
		let who = 1u64..=4;
		let amount = prop_oneof![0u128..2_000, Just(u128::MAX), Just(u128::MAX / 2)];
		prop_oneof![
			(who.clone(), amount.clone()).prop_map(|(w, a)| Op::Mint(w, a)),
			(who.clone(), amount.clone()).prop_map(|(w, a)| Op::Burn(w, a)),
			(who.clone(), who.clone(), amount.clone()).prop_map(|(f, t, a)| Op::Transfer(f, t, a)),
			(who.clone(), any::<bool>(), amount.clone()).prop_map(|(w, r, a)| Op::Hold(w, r, a)),
			(who.clone(), any::<bool>(), amount.clone()).prop_map(|(w, r, a)| Op::Release(w, r, a)),
			(who.clone(), who, any::<bool>(), amount).prop_map(|(f, t, r, a)| Op::TransferOnHold(f, t, r, a)),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(200))]
		/// Any sequence of fungibles operations, failing or not, keeps issuance equal to the sum
		/// of balances; a failing operation changes nothing; mint and burn move issuance exactly.
		#[test]
		fn random_operations_conserve_every_asset(ops in proptest::collection::vec(op(), 1..40)) {
			new_test_ext().execute_with(|| {
				for op in ops {
					let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let issuance = Ledger::total_issuance(MOUTAI);
					let result = frame_support::storage::with_storage_layer(|| apply(&op));
					match (&op, result) {
						(_, Err(_)) => prop_assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1)),
						(Op::Mint(_, a), Ok(())) => prop_assert_eq!(Ledger::total_issuance(MOUTAI), issuance + a),
						(Op::Burn(_, a), Ok(())) => prop_assert_eq!(Ledger::total_issuance(MOUTAI), issuance - a),
						(_, Ok(())) => prop_assert_eq!(Ledger::total_issuance(MOUTAI), issuance),
					}
					prop_assert!(Ledger::do_try_state().is_ok());
				}
				Ok(())
			})?;
		}

		/// The same operations in one batch (each all-or-nothing with `atomically`) give every
		/// operation the same result and leave the same state as run one by one on storage;
		/// the batch writes nothing before it ends, and a batch that fails writes nothing.
		#[test]
		fn a_batch_is_the_same_as_storage(ops in proptest::collection::vec(op(), 1..40), fail in any::<bool>()) {
			use qingsuan_primitives::market::BatchLedger;
			let accounts = || codec::Encode::encode(&crate::Accounts::<Test>::iter().collect::<Vec<_>>());
			let (direct, direct_root) = new_test_ext().execute_with(|| {
				let results: Vec<bool> =
					ops.iter().map(|op| frame_support::storage::with_storage_layer(|| apply(op)).is_ok()).collect();
				(results, sp_io::storage::root(sp_runtime::StateVersion::V1))
			});
			new_test_ext().execute_with(|| {
				let (start, start_accounts) = (sp_io::storage::root(sp_runtime::StateVersion::V1), accounts());
				// In a storage layer, as FRAME dispatches a call.
				let batched = frame_support::storage::with_storage_layer(|| Ledger::in_batch(|| {
					let results: Vec<bool> = ops.iter().map(|op| Ledger::atomically(|| apply(op)).is_ok()).collect();
					assert_eq!(accounts(), start_accounts, "balances are written when the batch ends");
					if fail { Err(DispatchError::Other("the batch fails")) } else { Ok(results) }
				}));
				match batched {
					Ok(results) => {
						prop_assert_eq!(&results, &direct);
						prop_assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), direct_root);
					},
					Err(_) => prop_assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), start),
				}
				prop_assert!(Ledger::do_try_state().is_ok());
				Ok(())
			})?;
		}
	}
}

/// Inside a batch, a failing part undoes only its own changes, nested parts included, and
/// reads see the batch's changes; the ledger reads and writes each record once.
#[test]
fn a_batch_undoes_a_failing_part_and_writes_each_record_once() {
	use qingsuan_primitives::market::BatchLedger;
	run_test(|| {
		let fail = || Err::<(), _>(DispatchError::Other("fails"));
		assert_ok!(Ledger::in_batch(|| {
			Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 100)?;
			assert!(Ledger::in_a_batch());
			assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &ALICE), 100);
			// A part that fails after moving balances, with a nested part that succeeded.
			assert!(Ledger::atomically(|| {
				Ledger::atomically(|| Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 50))?;
				Ledger::transfer_on_hold(
					MOUTAI,
					&TestReason::Order,
					&ALICE,
					&BOB,
					150,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
				fail()
			})
			.is_err());
			assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &ALICE), 100);
			assert_eq!(Ledger::balance(MOUTAI, &BOB), 0);
			// A part that succeeds stays.
			assert_ok!(Ledger::atomically(|| Ledger::transfer_on_hold(
				MOUTAI,
				&TestReason::Order,
				&ALICE,
				&BOB,
				40,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite
			)
			.map(|_| ())));
			// Storage still has the balances from before the batch.
			assert!(crate::Accounts::<Test>::get(MOUTAI, BOB).is_none());
			Ok(())
		}));
		assert!(!Ledger::in_a_batch());
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &ALICE), 60);
		assert_eq!(Ledger::balance(MOUTAI, &BOB), 40);
		// A batch that fails writes nothing.
		assert_noop!(
			Ledger::in_batch(|| {
				Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 10)?;
				fail()
			}),
			DispatchError::Other("fails")
		);
	});
}

#[test]
fn transfer_on_hold_covers_every_mode_in_one_write_per_account() {
	run_test(|| {
		assert_ok!(Ledger::hold(MOUTAI, &TestReason::Order, &ALICE, 300));
		let on_hold = |from, to, amount, precision| {
			Ledger::transfer_on_hold(
				MOUTAI,
				&TestReason::Order,
				&from,
				&to,
				amount,
				precision,
				Restriction::OnHold,
				Fortitude::Polite,
			)
		};
		// Onto the receiver's hold of the same reason.
		assert_eq!(on_hold(ALICE, BOB, 100, Precision::Exact), Ok(100));
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &BOB), 100);
		// Best effort moves what there is; exact refuses more than is held.
		assert_noop!(on_hold(ALICE, BOB, 201, Precision::Exact), TokenError::FundsUnavailable);
		assert_eq!(on_hold(ALICE, BOB, 500, Precision::BestEffort), Ok(200));
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &TestReason::Order, &ALICE), 0);
		// To oneself, free: a release.
		assert_ok!(Ledger::transfer_on_hold(
			MOUTAI,
			&TestReason::Order,
			&BOB,
			&BOB,
			300,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite
		));
		assert_eq!((Ledger::balance(MOUTAI, &BOB), Ledger::total_balance_on_hold(MOUTAI, &BOB)), (300, 0));
		assert_noop!(
			Ledger::transfer_on_hold(
				7,
				&TestReason::Order,
				&BOB,
				&ALICE,
				1,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite
			),
			TokenError::UnknownAsset
		);
	});
}

#[test]
fn cash_assets_are_listed_once_each_and_bounded() {
	run_test(|| {
		assert_eq!(Ledger::cash_assets(), vec![CNY]);
		let cash = |currency| crate::InstrumentKind::Cash(crate::CashInfo { currency, bank: BANK });
		assert_ok!(Ledger::do_register(2_000, cash(*b"USD")));
		assert_eq!(Ledger::cash_assets(), vec![CNY, 2_000]);
		// A security is not listed; the bound refuses one cash asset too many and changes nothing.
		for i in 2..crate::MAX_CASH_ASSETS {
			assert_ok!(Ledger::do_register(2_000 + i, cash(*b"HKD")));
		}
		assert_noop!(Ledger::do_register(3_000, cash(*b"EUR")), Error::<Test>::TooManyCashAssets);
		assert_eq!(Ledger::cash_assets().len() as u32, crate::MAX_CASH_ASSETS);
	});
}

#[test]
fn migration_to_v1_lists_the_cash_assets() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		crate::CashAssets::<Test>::kill();
		StorageVersion::new(0).put::<Ledger>();
		assert!(Ledger::do_try_state().is_err());
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Ledger::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Ledger::cash_assets(), vec![CNY]);
		// A second run does nothing: the version is already 1.
		crate::CashAssets::<Test>::kill();
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(Ledger::cash_assets().is_empty());
		crate::CashAssets::<Test>::put(frame_support::BoundedVec::truncate_from(vec![CNY]));
	});
}
