//! The clearing-bank cash flow: deposits minted on the bank's confirmation, withdrawals held,
//! then burned on payout or released on rejection.

use crate::{
	withdrawal_aad, Amount, AssetId, BankKeys, Cash, Config, DepositRequest, Deposits, EnvelopeOf, Error, Event,
	HoldReason, NextRequestId, Pallet, PendingRequests, RegulatorKey, RequestId, WithdrawalOf, Withdrawals,
};
use codec::DecodeAll;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{
		fungibles::{Mutate, MutateHold},
		Fortitude, Precision,
	},
};
use qingsuan_primitives::market::InstrumentInspect;
use qingsuan_sm_crypto::{envelope, sm2};

impl<T: Config> Pallet<T> {
	/// The bank issuing the cash asset `asset`.
	pub(crate) fn bank_of(asset: AssetId) -> Result<T::AccountId, DispatchError> {
		// One read on the way that succeeds; the class only tells the errors apart.
		T::Instruments::issuing_bank(asset).ok_or_else(|| match T::Instruments::class(asset) {
			None => Error::<T>::UnknownAsset.into(),
			Some(_) => Error::<T>::NotCash.into(),
		})
	}

	/// The next request id, for a new request of `member`, which counts against its bound.
	fn open_request(member: &T::AccountId) -> Result<RequestId, DispatchError> {
		let pending = PendingRequests::<T>::get(member);
		ensure!(pending < T::MaxPendingRequests::get(), Error::<T>::TooManyPendingRequests);
		PendingRequests::<T>::insert(member, pending.saturating_add(1));
		let id = NextRequestId::<T>::get();
		NextRequestId::<T>::put(id.saturating_add(1));
		Ok(id)
	}

	/// A request of `member` was answered.
	fn close_request(member: &T::AccountId) {
		PendingRequests::<T>::mutate_exists(member, |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}

	/// `key` if it is a point on the curve in its canonical (compressed) encoding.
	fn checked_key(key: sm2::Public) -> Result<sm2::Public, DispatchError> {
		let canonical = sm2::Public::from_sec1(&key.0).map_err(|_| Error::<T>::InvalidKey)?;
		ensure!(canonical == key, Error::<T>::InvalidKey);
		Ok(key)
	}

	/// Register `bank`'s SM2 key, after checking it is a point on the curve.
	pub fn do_set_bank_key(bank: T::AccountId, key: sm2::Public) -> DispatchResult {
		let key = Self::checked_key(key)?;
		BankKeys::<T>::insert(&bank, key);
		Self::deposit_event(Event::BankKeySet { bank, key });
		Ok(())
	}

	/// Register the regulator's SM2 key, after checking it is a point on the curve.
	pub fn do_set_regulator_key(regulator: T::AccountId, key: sm2::Public) -> DispatchResult {
		let key = Self::checked_key(key)?;
		RegulatorKey::<T>::put(key);
		Self::deposit_event(Event::RegulatorKeySet { regulator, key });
		Ok(())
	}

	/// Record `member`'s request to deposit `amount` of `asset`.
	pub fn do_request_deposit(
		member: T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> Result<RequestId, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let bank = Self::bank_of(asset)?;
		let id = Self::open_request(&member)?;
		Deposits::<T>::insert(id, DepositRequest { member: member.clone(), asset, amount });
		Self::deposit_event(Event::DepositRequested { id, member, asset, bank, amount });
		Ok(id)
	}

	/// Mint a confirmed deposit and count it.
	pub(crate) fn credit_deposit(asset: AssetId, member: &T::AccountId, amount: Amount) -> DispatchResult {
		let mut totals = Cash::<T>::get(asset);
		totals.deposited = totals.deposited.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		T::Ledger::mint_into(asset, member, amount)?;
		Cash::<T>::insert(asset, totals);
		Ok(())
	}

	/// `bank` confirms deposit `id`: mint the cash to the member.
	pub fn do_confirm_deposit(bank: &T::AccountId, id: RequestId) -> DispatchResult {
		let request = Deposits::<T>::get(id).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(&Self::bank_of(request.asset)? == bank, Error::<T>::NotTheIssuingBank);
		Self::credit_deposit(request.asset, &request.member, request.amount)?;
		Deposits::<T>::remove(id);
		Self::close_request(&request.member);
		Self::deposit_event(Event::DepositConfirmed {
			id,
			member: request.member,
			asset: request.asset,
			amount: request.amount,
		});
		Ok(())
	}

	/// `bank` rejects deposit `id`.
	pub fn do_reject_deposit(bank: &T::AccountId, id: RequestId) -> DispatchResult {
		let request = Deposits::<T>::get(id).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(&Self::bank_of(request.asset)? == bank, Error::<T>::NotTheIssuingBank);
		Deposits::<T>::remove(id);
		Self::close_request(&request.member);
		Self::deposit_event(Event::DepositRejected { id, member: request.member });
		Ok(())
	}

	/// Check that `payee` is an envelope for this very withdrawal, sealed to `bank`'s key and,
	/// while one is registered, to the regulator's.
	pub fn check_payee(
		bank: &T::AccountId,
		member: &T::AccountId,
		asset: AssetId,
		amount: Amount,
		payee: &[u8],
	) -> DispatchResult {
		let key = BankKeys::<T>::get(bank).ok_or(Error::<T>::BankKeyUnknown)?;
		let envelope = envelope::Envelope::decode_all(&mut &payee[..]).map_err(|_| Error::<T>::MalformedEnvelope)?;
		ensure!(
			envelope.version == envelope::VERSION && !envelope.ciphertext.is_empty(),
			Error::<T>::MalformedEnvelope
		);
		let sealed_to = |key: &sm2::Public| envelope.recipients.iter().any(|r| &r.recipient == key);
		ensure!(sealed_to(&key), Error::<T>::EnvelopeNotForBank);
		if let Some(regulator) = RegulatorKey::<T>::get() {
			ensure!(sealed_to(&regulator), Error::<T>::EnvelopeNotForRegulator);
		}
		ensure!(envelope.aad == withdrawal_aad(member, asset, amount), Error::<T>::EnvelopeMismatch);
		Ok(())
	}

	/// Record `member`'s withdrawal of `amount` of `asset` to the sealed `payee`; hold the cash.
	pub fn do_request_withdrawal(
		member: T::AccountId,
		asset: AssetId,
		amount: Amount,
		payee: EnvelopeOf<T>,
	) -> Result<RequestId, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let bank = Self::bank_of(asset)?;
		Self::check_payee(&bank, &member, asset, amount, &payee)?;
		let id = Self::open_request(&member)?;
		T::Ledger::hold(asset, &HoldReason::Withdrawal.into(), &member, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Withdrawals::<T>::insert(id, WithdrawalOf::<T> { member: member.clone(), asset, amount, payee });
		Self::deposit_event(Event::WithdrawalRequested { id, member, asset, bank, amount });
		Ok(id)
	}

	/// `bank` confirms it paid withdrawal `id` out: burn the held cash and count it.
	pub fn do_confirm_withdrawal(bank: &T::AccountId, id: RequestId) -> DispatchResult {
		let request = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(&Self::bank_of(request.asset)? == bank, Error::<T>::NotTheIssuingBank);
		let mut totals = Cash::<T>::get(request.asset);
		totals.withdrawn = totals.withdrawn.checked_add(request.amount).ok_or(Error::<T>::Overflow)?;
		T::Ledger::burn_held(
			request.asset,
			&HoldReason::Withdrawal.into(),
			&request.member,
			request.amount,
			Precision::Exact,
			Fortitude::Force,
		)?;
		Cash::<T>::insert(request.asset, totals);
		Withdrawals::<T>::remove(id);
		Self::close_request(&request.member);
		Self::deposit_event(Event::WithdrawalConfirmed {
			id,
			member: request.member,
			asset: request.asset,
			amount: request.amount,
		});
		Ok(())
	}

	/// `bank` rejects withdrawal `id`: release the held cash.
	pub fn do_reject_withdrawal(bank: &T::AccountId, id: RequestId) -> DispatchResult {
		let request = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(&Self::bank_of(request.asset)? == bank, Error::<T>::NotTheIssuingBank);
		T::Ledger::release(
			request.asset,
			&HoldReason::Withdrawal.into(),
			&request.member,
			request.amount,
			Precision::Exact,
		)?;
		Withdrawals::<T>::remove(id);
		Self::close_request(&request.member);
		Self::deposit_event(Event::WithdrawalRejected { id, member: request.member });
		Ok(())
	}
}
