//! FRAME's `fungibles` traits over the ledger's storage.
//!
//! There is no minimum balance, so every `Preservation` and `Fortitude` means the same here: the
//! free balance is what can be spent or held, the held balance what can be moved on hold.

use crate::{Amount, AssetId, Config, Error, Pallet, TotalIssuance};
use frame_support::traits::tokens::{
	fungibles::{self, Dust},
	DepositConsequence, Fortitude, Precision, Preservation, Provenance, Restriction, WithdrawConsequence,
};
use sp_runtime::{ArithmeticError, DispatchError, DispatchResult, TokenError};

impl<T: Config> fungibles::Inspect<T::AccountId> for Pallet<T> {
	type AssetId = AssetId;
	type Balance = Amount;

	fn total_issuance(asset: AssetId) -> Amount {
		TotalIssuance::<T>::get(asset)
	}

	fn minimum_balance(_asset: AssetId) -> Amount {
		0
	}

	fn total_balance(asset: AssetId, who: &T::AccountId) -> Amount {
		Self::account(asset, who).total()
	}

	fn balance(asset: AssetId, who: &T::AccountId) -> Amount {
		Self::account(asset, who).free
	}

	fn reducible_balance(asset: AssetId, who: &T::AccountId, _: Preservation, _: Fortitude) -> Amount {
		Self::account(asset, who).free
	}

	fn can_deposit(asset: AssetId, who: &T::AccountId, amount: Amount, provenance: Provenance) -> DepositConsequence {
		if !Self::asset_registered(asset) {
			return DepositConsequence::UnknownAsset;
		}
		// An amount that already exists (a transfer, a release) is part of the issuance, and so is
		// every account's total: the deposit cannot overflow. Only minting can.
		if provenance == Provenance::Minted
			&& (TotalIssuance::<T>::get(asset).checked_add(amount).is_none()
				|| Self::account(asset, who).total().checked_add(amount).is_none())
		{
			return DepositConsequence::Overflow;
		}
		DepositConsequence::Success
	}

	fn can_withdraw(asset: AssetId, who: &T::AccountId, amount: Amount) -> WithdrawConsequence<Amount> {
		if !Self::asset_registered(asset) {
			return WithdrawConsequence::UnknownAsset;
		}
		if Self::account(asset, who).free < amount {
			return WithdrawConsequence::BalanceLow;
		}
		if TotalIssuance::<T>::get(asset).checked_sub(amount).is_none() {
			return WithdrawConsequence::Underflow;
		}
		WithdrawConsequence::Success
	}

	fn asset_exists(asset: AssetId) -> bool {
		Self::asset_registered(asset)
	}
}

impl<T: Config> fungibles::Unbalanced<T::AccountId> for Pallet<T> {
	fn handle_dust(_dust: Dust<T::AccountId, Self>) {
		// No minimum balance, so no balance change ever leaves dust.
	}

	fn write_balance(asset: AssetId, who: &T::AccountId, amount: Amount) -> Result<Option<Amount>, DispatchError> {
		if !Self::asset_registered(asset) {
			return Err(TokenError::UnknownAsset.into());
		}
		let mut account = Self::account(asset, who);
		account.free = amount;
		Self::put_account(asset, who, account);
		Ok(None)
	}

	fn set_total_issuance(asset: AssetId, amount: Amount) {
		// Only registered assets have an issuance (minting zero of an unknown asset reaches here
		// without touching a balance).
		if Self::asset_registered(asset) {
			TotalIssuance::<T>::insert(asset, amount);
		}
	}
}

impl<T: Config> fungibles::Mutate<T::AccountId> for Pallet<T> {}

impl<T: Config> fungibles::InspectHold<T::AccountId> for Pallet<T> {
	type Reason = T::RuntimeHoldReason;

	fn total_balance_on_hold(asset: AssetId, who: &T::AccountId) -> Amount {
		Self::account(asset, who).held()
	}

	fn balance_on_hold(asset: AssetId, reason: &Self::Reason, who: &T::AccountId) -> Amount {
		Self::account(asset, who).held_for(reason)
	}

	fn hold_available(asset: AssetId, reason: &Self::Reason, who: &T::AccountId) -> bool {
		let account = Self::account(asset, who);
		account.holds.iter().any(|h| &h.reason == reason) || !account.holds.is_full()
	}
}

impl<T: Config> fungibles::hold::Unbalanced<T::AccountId> for Pallet<T> {
	fn set_balance_on_hold(
		asset: AssetId,
		reason: &Self::Reason,
		who: &T::AccountId,
		amount: Amount,
	) -> DispatchResult {
		if !Self::asset_registered(asset) {
			return Err(TokenError::UnknownAsset.into());
		}
		let mut account = Self::account(asset, who);
		account.set_hold(*reason, amount).map_err(|_| Error::<T>::TooManyHolds)?;
		Self::put_account(asset, who, account);
		Ok(())
	}
}

impl<T: Config> fungibles::MutateHold<T::AccountId> for Pallet<T> {
	/// The same semantics as the trait's default, in one read and one write per account: every
	/// settlement leg goes through here. Nothing is written unless the whole move succeeds.
	fn transfer_on_hold(
		asset: AssetId,
		reason: &T::RuntimeHoldReason,
		source: &T::AccountId,
		dest: &T::AccountId,
		amount: Amount,
		precision: Precision,
		mode: Restriction,
		_force: Fortitude,
	) -> Result<Amount, DispatchError> {
		if !Self::asset_registered(asset) {
			return Err(TokenError::UnknownAsset.into());
		}
		let mut from = Self::account(asset, source);
		let have = from.held_for(reason);
		let amount = match precision {
			Precision::BestEffort => amount.min(have),
			Precision::Exact if amount <= have => amount,
			Precision::Exact => return Err(TokenError::FundsUnavailable.into()),
		};
		// `amount <= have`, so this cannot underflow.
		from.set_hold(*reason, have.saturating_sub(amount)).map_err(|_| Error::<T>::TooManyHolds)?;
		// The amount already exists (it is part of the issuance, as is every account's total),
		// so crediting it cannot overflow; checked all the same.
		let credit = |to: &mut crate::AccountOf<T>| -> DispatchResult {
			match mode {
				Restriction::Free => to.free = to.free.checked_add(amount).ok_or(ArithmeticError::Overflow)?,
				Restriction::OnHold => {
					let held = to.held_for(reason).checked_add(amount).ok_or(ArithmeticError::Overflow)?;
					to.set_hold(*reason, held).map_err(|_| TokenError::CannotCreateHold)?;
				},
			}
			Ok(())
		};
		if source == dest {
			credit(&mut from)?;
			Self::put_account(asset, source, from);
		} else {
			let mut to = Self::account(asset, dest);
			credit(&mut to)?;
			Self::put_account(asset, source, from);
			Self::put_account(asset, dest, to);
		}
		Ok(amount)
	}
}
