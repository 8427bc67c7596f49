//! The clearing-bank cash flow: deposits, withdrawals with sealed payee details, bank keys.

use super::*;
use crate::{
	withdrawal_aad, BankKeys, Cash, Deposits, EnvelopeOf, Error, Event, PendingRequests, RegulatorKey, Withdrawals,
};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok};
use qingsuan_sm_crypto::{envelope::Envelope, sm2};
use sp_runtime::DispatchError;

/// Bank account details as a member's client would seal them.
const PAYEE: &[u8] = "户名: 甲证券; 账号: 6222 0000 1111 2222; 开户行: 工行上海分行".as_bytes();

fn seal(to: &[sm2::Public], aad: &[u8]) -> EnvelopeOf<Test> {
	Envelope::seal(to, aad, PAYEE).expect("seals").encode().try_into().expect("fits MaxEnvelopeLen")
}

fn payee_for(member: u64, asset: AssetId, amount: Amount) -> EnvelopeOf<Test> {
	seal(&[bank_secret().public()], &withdrawal_aad(&member, asset, amount))
}

#[test]
fn set_bank_key_needs_a_bank_and_a_valid_point() {
	run_test(|| {
		let key = sm2::SecretKey::from_bytes(&[9; 32]).expect("valid").public();
		assert_noop!(Settlement::set_bank_key(signed(ALICE), key), DispatchError::BadOrigin);
		assert_noop!(Settlement::set_bank_key(signed(BANK2), sm2::Public([2; 33])), Error::<Test>::InvalidKey);
		assert_noop!(Settlement::set_bank_key(signed(BANK2), sm2::Public([0; 33])), Error::<Test>::InvalidKey);
		assert_ok!(Settlement::set_bank_key(signed(BANK2), key));
		System::assert_last_event(Event::BankKeySet { bank: BANK2, key }.into());
		assert_eq!(BankKeys::<Test>::get(BANK2), Some(key));
	});
}

#[test]
fn a_deposit_is_minted_when_the_issuing_bank_confirms() {
	run_test(|| {
		assert_noop!(Settlement::request_deposit(signed(OUTSIDER), CNY, 5), DispatchError::BadOrigin);
		assert_noop!(Settlement::request_deposit(signed(CAROL), CNY, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Settlement::request_deposit(signed(CAROL), 77, 5), Error::<Test>::UnknownAsset);
		assert_noop!(Settlement::request_deposit(signed(CAROL), MOUTAI, 5), Error::<Test>::NotCash);
		assert_ok!(Settlement::request_deposit(signed(CAROL), CNY, 5_000));
		System::assert_last_event(
			Event::DepositRequested { id: 0, member: CAROL, asset: CNY, bank: BANK, amount: 5_000 }.into(),
		);
		assert_eq!(free(CNY, CAROL), 0, "nothing before the bank confirms");

		assert_noop!(Settlement::confirm_deposit(signed(CAROL), 0), DispatchError::BadOrigin);
		assert_noop!(Settlement::confirm_deposit(signed(BANK2), 0), Error::<Test>::NotTheIssuingBank);
		assert_noop!(Settlement::confirm_deposit(signed(BANK), 9), Error::<Test>::UnknownRequest);
		assert_ok!(Settlement::confirm_deposit(signed(BANK), 0));
		System::assert_last_event(Event::DepositConfirmed { id: 0, member: CAROL, asset: CNY, amount: 5_000 }.into());
		assert_eq!(free(CNY, CAROL), 5_000);
		assert_eq!(Cash::<Test>::get(CNY).deposited, 2 * START_CASH + 5_000);
		assert!(!Deposits::<Test>::contains_key(0));
		assert_noop!(Settlement::confirm_deposit(signed(BANK), 0), Error::<Test>::UnknownRequest);
	});
}

#[test]
fn a_rejected_deposit_mints_nothing() {
	run_test(|| {
		assert_ok!(Settlement::request_deposit(signed(CAROL), CNY, 5_000));
		assert_noop!(Settlement::reject_deposit(signed(ALICE), 0), DispatchError::BadOrigin);
		assert_noop!(Settlement::reject_deposit(signed(BANK2), 0), Error::<Test>::NotTheIssuingBank);
		assert_noop!(Settlement::reject_deposit(signed(BANK), 3), Error::<Test>::UnknownRequest);
		assert_ok!(Settlement::reject_deposit(signed(BANK), 0));
		System::assert_last_event(Event::DepositRejected { id: 0, member: CAROL }.into());
		assert_eq!(free(CNY, CAROL), 0);
	});
}

#[test]
fn an_overflowing_deposit_is_refused_and_changes_nothing() {
	run_test(|| {
		assert_ok!(Settlement::request_deposit(signed(CAROL), CNY, u128::MAX));
		assert_noop!(Settlement::confirm_deposit(signed(BANK), 0), Error::<Test>::Overflow);
	});
}

#[test]
fn a_withdrawal_holds_then_burns_and_the_bank_opens_the_payee() {
	run_test(|| {
		let payee = payee_for(ALICE, CNY, 1_000);
		assert_noop!(
			Settlement::request_withdrawal(signed(OUTSIDER), CNY, 1_000, payee.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, payee));
		System::assert_last_event(
			Event::WithdrawalRequested { id: 0, member: ALICE, asset: CNY, bank: BANK, amount: 1_000 }.into(),
		);
		assert_eq!(held(CNY, ALICE, crate::HoldReason::Withdrawal.into()), 1_000);
		assert_eq!(free(CNY, ALICE), START_CASH - 1_000);

		// The bank reads the request from state and opens the payee details with its key.
		let request = Withdrawals::<Test>::get(0).expect("stored");
		let envelope = Envelope::decode(&mut &request.payee[..]).expect("an envelope");
		assert_eq!(envelope.open(&bank_secret()).expect("the bank's key opens it"), PAYEE);
		assert!(!request.payee.windows(4).any(|w| w == "6222".as_bytes()), "no plain account number on chain");

		assert_noop!(Settlement::confirm_withdrawal(signed(ALICE), 0), DispatchError::BadOrigin);
		assert_noop!(Settlement::confirm_withdrawal(signed(BANK2), 0), Error::<Test>::NotTheIssuingBank);
		assert_noop!(Settlement::confirm_withdrawal(signed(BANK), 5), Error::<Test>::UnknownRequest);
		let issuance = Ledger::total_issuance(CNY);
		assert_ok!(Settlement::confirm_withdrawal(signed(BANK), 0));
		System::assert_last_event(
			Event::WithdrawalConfirmed { id: 0, member: ALICE, asset: CNY, amount: 1_000 }.into(),
		);
		assert_eq!(Ledger::total_issuance(CNY), issuance - 1_000);
		assert_eq!(Ledger::total_balance(CNY, &ALICE), START_CASH - 1_000);
		assert_eq!(Cash::<Test>::get(CNY).withdrawn, 1_000);
	});
}

#[test]
fn a_rejected_withdrawal_releases_the_cash() {
	run_test(|| {
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, payee_for(ALICE, CNY, 1_000)));
		assert_noop!(Settlement::reject_withdrawal(signed(ALICE), 0), DispatchError::BadOrigin);
		assert_noop!(Settlement::reject_withdrawal(signed(BANK2), 0), Error::<Test>::NotTheIssuingBank);
		assert_noop!(Settlement::reject_withdrawal(signed(BANK), 5), Error::<Test>::UnknownRequest);
		assert_ok!(Settlement::reject_withdrawal(signed(BANK), 0));
		System::assert_last_event(Event::WithdrawalRejected { id: 0, member: ALICE }.into());
		assert_eq!(free(CNY, ALICE), START_CASH);
	});
}

#[test]
fn request_withdrawal_checks_cash_and_the_envelope() {
	run_test(|| {
		let w = |asset, amount, payee| Settlement::request_withdrawal(signed(ALICE), asset, amount, payee);
		let good = payee_for(ALICE, CNY, 1_000);
		assert_noop!(w(CNY, 0, good.clone()), Error::<Test>::ZeroAmount);
		assert_noop!(w(77, 1_000, good.clone()), Error::<Test>::UnknownAsset);
		assert_noop!(w(MOUTAI, 1_000, good.clone()), Error::<Test>::NotCash);
		assert_noop!(w(USD, 1_000, good.clone()), Error::<Test>::BankKeyUnknown);
		assert_noop!(
			w(CNY, 1_000, b"6222000011112222".to_vec().try_into().expect("fits")),
			Error::<Test>::MalformedEnvelope
		);
		let other = sm2::SecretKey::from_bytes(&[9; 32]).expect("valid").public();
		assert_noop!(
			w(CNY, 1_000, seal(&[other], &withdrawal_aad(&ALICE, CNY, 1_000))),
			Error::<Test>::EnvelopeNotForBank
		);
		// An envelope made for another amount (or member) cannot be replayed.
		assert_noop!(w(CNY, 999, good.clone()), Error::<Test>::EnvelopeMismatch);
		assert_noop!(
			Settlement::request_withdrawal(signed(BOB), CNY, 1_000, good.clone()),
			Error::<Test>::EnvelopeMismatch
		);
		let too_much = START_CASH + 1;
		assert_noop!(w(CNY, too_much, payee_for(ALICE, CNY, too_much)), Error::<Test>::InsufficientBalance);
		// Sealed to the bank and to the member's own archive key: still accepted.
		assert_ok!(w(CNY, 1_000, seal(&[other, bank_secret().public()], &withdrawal_aad(&ALICE, CNY, 1_000))));
	});
}

#[test]
fn set_regulator_key_needs_a_regulator_and_a_valid_point() {
	run_test(|| {
		let key = regulator_secret().public();
		assert_noop!(Settlement::set_regulator_key(signed(BANK), key), DispatchError::BadOrigin);
		assert_noop!(Settlement::set_regulator_key(signed(ALICE), key), DispatchError::BadOrigin);
		assert_noop!(Settlement::set_regulator_key(signed(REGULATOR), sm2::Public([2; 33])), Error::<Test>::InvalidKey);
		assert_ok!(Settlement::set_regulator_key(signed(REGULATOR), key));
		System::assert_last_event(Event::RegulatorKeySet { regulator: REGULATOR, key }.into());
		assert_eq!(RegulatorKey::<Test>::get(), Some(key));
	});
}

/// A new regulator key replaces the old: an envelope sealed to the bank and the old key is
/// refused. The checks run in order: the bank's key, the regulator's, then the associated data.
#[test]
fn a_new_regulator_key_replaces_the_old_and_the_checks_keep_their_order() {
	run_test(|| {
		let aad = withdrawal_aad(&ALICE, CNY, 1_000);
		let (bank, old) = (bank_secret().public(), regulator_secret().public());
		let new = sm2::SecretKey::from_bytes(&[10; 32]).expect("valid").public();
		assert_ok!(Settlement::set_regulator_key(signed(REGULATOR), old));
		assert_ok!(Settlement::set_regulator_key(signed(REGULATOR), new));
		assert_eq!(RegulatorKey::<Test>::get(), Some(new));
		let w = |payee| Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, payee);
		assert_noop!(w(seal(&[bank, old], &aad)), Error::<Test>::EnvelopeNotForRegulator);
		// Neither key: the bank's is checked first.
		assert_noop!(w(seal(&[old], &aad)), Error::<Test>::EnvelopeNotForBank);
		// Both keys, made for another amount: the associated data is checked last.
		assert_noop!(w(seal(&[bank, new], &withdrawal_aad(&ALICE, CNY, 999))), Error::<Test>::EnvelopeMismatch);
		assert_ok!(w(seal(&[bank, new], &aad)));
	});
}

/// A regulator key that is also the bank's: one recipient is both.
#[test]
fn a_regulator_key_equal_to_the_banks_needs_one_recipient() {
	run_test(|| {
		let bank = bank_secret().public();
		assert_ok!(Settlement::set_regulator_key(signed(REGULATOR), bank));
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, payee_for(ALICE, CNY, 1_000)));
	});
}

#[test]
fn the_invariants_catch_an_envelope_key_that_is_not_a_point() {
	new_test_ext().execute_with(|| {
		assert!(Settlement::check_envelope_keys().is_ok());
		RegulatorKey::<Test>::put(sm2::Public([2; 33]));
		assert!(Settlement::check_envelope_keys().is_err());
		RegulatorKey::<Test>::put(regulator_secret().public());
		BankKeys::<Test>::insert(BANK2, sm2::Public([0; 33]));
		assert!(Settlement::check_envelope_keys().is_err());
	});
}

/// With a regulator key registered, a withdrawal's payee is sealed to the bank and to the
/// regulator: each opens it with its own key, no one else can, and an envelope that leaves the
/// regulator out is refused. A request made before the key keeps its envelope.
#[test]
fn a_registered_regulator_reads_every_later_withdrawal() {
	run_test(|| {
		let aad = withdrawal_aad(&ALICE, CNY, 1_000);
		let (bank, regulator) = (bank_secret().public(), regulator_secret().public());
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, seal(&[bank], &aad)));
		assert_ok!(Settlement::set_regulator_key(signed(REGULATOR), regulator));

		assert_noop!(
			Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, seal(&[bank], &aad)),
			Error::<Test>::EnvelopeNotForRegulator
		);
		assert_noop!(
			Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, seal(&[regulator], &aad)),
			Error::<Test>::EnvelopeNotForBank
		);
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1_000, seal(&[regulator, bank], &aad)));

		let request = Withdrawals::<Test>::get(1).expect("stored");
		let envelope = Envelope::decode(&mut &request.payee[..]).expect("an envelope");
		assert_eq!(envelope.open(&regulator_secret()).expect("the regulator's key opens it"), PAYEE);
		assert_eq!(envelope.open(&bank_secret()).expect("the bank's key opens it"), PAYEE);
		let outsider = sm2::SecretKey::from_bytes(&[9; 32]).expect("valid");
		assert!(envelope.open(&outsider).is_err(), "no one else reads it");
		// The first request, made before the key, is untouched and still answerable.
		assert_ok!(Settlement::confirm_withdrawal(signed(BANK), 0));
	});
}

/// Regression (hardening review, defect 7): a member could leave any number of deposit and
/// withdrawal requests waiting (a withdrawal of one fen stores a 2 KiB envelope), at the cost of
/// a transaction fee each. Each member now has at most `MaxPendingRequests` (3 here) waiting;
/// a bank's answer frees a place.
#[test]
fn a_member_has_a_bounded_number_of_requests_waiting() {
	run_test(|| {
		assert_ok!(Settlement::request_deposit(signed(ALICE), CNY, 1));
		assert_ok!(Settlement::request_deposit(signed(ALICE), CNY, 1));
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1, payee_for(ALICE, CNY, 1)));
		assert_eq!(PendingRequests::<Test>::get(ALICE), 3);
		assert_noop!(Settlement::request_deposit(signed(ALICE), CNY, 1), Error::<Test>::TooManyPendingRequests);
		assert_noop!(
			Settlement::request_withdrawal(signed(ALICE), CNY, 1, payee_for(ALICE, CNY, 1)),
			Error::<Test>::TooManyPendingRequests
		);
		// Another member is not affected.
		assert_ok!(Settlement::request_deposit(signed(CAROL), CNY, 1));
		// The bank's answer frees a place.
		assert_ok!(Settlement::reject_deposit(signed(BANK), 0));
		assert_eq!(PendingRequests::<Test>::get(ALICE), 2);
		assert_ok!(Settlement::request_deposit(signed(ALICE), CNY, 1));
		assert_ok!(Settlement::confirm_withdrawal(signed(BANK), 2));
		assert_ok!(Settlement::confirm_deposit(signed(BANK), 1));
		assert_ok!(Settlement::confirm_deposit(signed(BANK), 3));
		assert_ok!(Settlement::confirm_deposit(signed(BANK), 4));
		assert_eq!(PendingRequests::<Test>::get(ALICE), 0);
		assert!(!PendingRequests::<Test>::contains_key(ALICE), "no empty entries are kept");
	});
}

/// The v0 → v1 migration counts the requests already waiting.
#[test]
fn migration_to_v1_counts_waiting_requests() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		assert_ok!(Settlement::request_deposit(signed(ALICE), CNY, 1));
		assert_ok!(Settlement::request_withdrawal(signed(ALICE), CNY, 1, payee_for(ALICE, CNY, 1)));
		assert_ok!(Settlement::request_deposit(signed(CAROL), CNY, 1));
		let _ = PendingRequests::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Settlement>();
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Settlement::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!((PendingRequests::<Test>::get(ALICE), PendingRequests::<Test>::get(CAROL)), (2, 1));
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(PendingRequests::<Test>::get(ALICE), 2, "it runs once");
	});
}
