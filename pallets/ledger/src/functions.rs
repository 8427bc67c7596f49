//! The logic behind the ledger's calls: registering and changing instruments, issuing and
//! retiring securities.

use crate::{
	Amount, AssetClass, AssetId, CashAssets, Config, Error, Event, InstrumentInspect, InstrumentKind, InstrumentStatus,
	Instruments, IsinIndex, Pallet, TotalIssuance,
};
use frame_support::traits::tokens::{Fortitude, Precision, Preservation};
use frame_support::{ensure, pallet_prelude::*, traits::tokens::fungibles::Mutate};
use qingsuan_primitives::{Role, RoleInspect};

impl<T: Config> Pallet<T> {
	/// Validate and register an instrument (status `Trading`).
	pub fn do_register(asset: AssetId, kind: InstrumentKind<T::AccountId>) -> DispatchResult {
		ensure!(!Instruments::<T>::contains_key(asset), Error::<T>::InstrumentExists);
		match &kind {
			InstrumentKind::Security(info) => {
				ensure!(!info.code.is_empty(), Error::<T>::EmptyCode);
				ensure!(!info.name.is_empty() && core::str::from_utf8(&info.name).is_ok(), Error::<T>::InvalidName);
				ensure!(info.lot_size > 0 && info.tick_size > 0, Error::<T>::ZeroTradingUnit);
				ensure!(crate::types::isin_is_valid(&info.isin), Error::<T>::InvalidIsin);
				ensure!(!IsinIndex::<T>::contains_key(info.isin), Error::<T>::IsinTaken);
				IsinIndex::<T>::insert(info.isin, asset);
			},
			InstrumentKind::Cash(info) => {
				ensure!(info.currency.iter().all(u8::is_ascii_uppercase), Error::<T>::InvalidCurrency);
				ensure!(T::Members::has_role(&info.bank, Role::ClearingBank), Error::<T>::NotAClearingBank);
				CashAssets::<T>::try_append(asset).map_err(|()| Error::<T>::TooManyCashAssets)?;
			},
		}
		let instrument = crate::Instrument { kind, status: InstrumentStatus::Trading };
		let class = instrument.class();
		Instruments::<T>::insert(asset, instrument);
		Self::instrument_changed(asset);
		Self::deposit_event(Event::InstrumentCreated { asset, class });
		Ok(())
	}

	/// Change an instrument's status; a delisted instrument stays delisted.
	pub fn do_set_status(asset: AssetId, status: InstrumentStatus) -> DispatchResult {
		Instruments::<T>::try_mutate(asset, |i| {
			let i = i.as_mut().ok_or(Error::<T>::UnknownInstrument)?;
			ensure!(i.status != InstrumentStatus::Delisted, Error::<T>::Delisted);
			i.status = status;
			Ok::<_, DispatchError>(())
		})?;
		Self::instrument_changed(asset);
		Self::deposit_event(Event::StatusChanged { asset, status });
		Ok(())
	}

	/// Change a security's lot and tick size.
	pub fn do_set_trading_units(asset: AssetId, lot_size: Amount, tick_size: Amount) -> DispatchResult {
		ensure!(lot_size > 0 && tick_size > 0, Error::<T>::ZeroTradingUnit);
		Instruments::<T>::try_mutate(asset, |i| {
			let i = i.as_mut().ok_or(Error::<T>::UnknownInstrument)?;
			let InstrumentKind::Security(info) = &mut i.kind else { return Err(Error::<T>::NotASecurity.into()) };
			info.lot_size = lot_size;
			info.tick_size = tick_size;
			Ok::<_, DispatchError>(())
		})?;
		Self::instrument_changed(asset);
		Self::deposit_event(Event::TradingUnitsChanged { asset, lot_size, tick_size });
		Ok(())
	}

	/// Ensure `asset` is a registered security.
	fn ensure_security(asset: AssetId) -> DispatchResult {
		match Self::class(asset) {
			None => Err(Error::<T>::UnknownInstrument.into()),
			Some(AssetClass::Cash) => Err(Error::<T>::NotASecurity.into()),
			Some(AssetClass::Security) => Ok(()),
		}
	}

	/// Credit `amount` of the security `asset` to the member `to`.
	pub fn do_issue(asset: AssetId, to: &T::AccountId, amount: Amount) -> DispatchResult {
		Self::ensure_security(asset)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let member = |who: &T::AccountId| T::Members::has_role(who, Role::MemberBroker);
		let eligible = member(to)
			|| <T::Investors as qingsuan_primitives::investors::InvestorRegistry<T::AccountId>>::broker_of(to)
				.is_some_and(|broker| member(&broker));
		ensure!(eligible, Error::<T>::NotAMember);
		<Self as Mutate<T::AccountId>>::mint_into(asset, to, amount)?;
		Self::deposit_event(Event::Issued { asset, to: to.clone(), amount });
		Ok(())
	}

	/// Remove `amount` of the security `asset` from `from`'s free balance.
	pub fn do_retire(asset: AssetId, from: &T::AccountId, amount: Amount) -> DispatchResult {
		Self::ensure_security(asset)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(Self::account(asset, from).free >= amount, Error::<T>::InsufficientBalance);
		<Self as Mutate<T::AccountId>>::burn_from(
			asset,
			from,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Self::deposit_event(Event::Retired { asset, from: from.clone(), amount });
		Ok(())
	}

	/// Total issuance of `asset`.
	pub fn issuance(asset: AssetId) -> Amount {
		TotalIssuance::<T>::get(asset)
	}
}

impl<T: Config> InstrumentInspect<T::AccountId> for Pallet<T> {
	fn class(asset: AssetId) -> Option<AssetClass> {
		Self::instrument(asset).map(|i| i.class())
	}

	fn status(asset: AssetId) -> Option<InstrumentStatus> {
		Self::instrument(asset).map(|i| i.status)
	}

	fn class_and_status(asset: AssetId) -> Option<(AssetClass, InstrumentStatus)> {
		Self::instrument(asset).map(|i| (i.class(), i.status))
	}

	fn cash_assets() -> alloc::vec::Vec<AssetId> {
		CashAssets::<T>::get().into_inner()
	}

	fn issuing_bank(asset: AssetId) -> Option<T::AccountId> {
		match Self::instrument(asset)?.kind {
			InstrumentKind::Cash(info) => Some(info.bank),
			InstrumentKind::Security(_) => None,
		}
	}
}
