//! The ledger's invariants, checked by `try_state` and at the end of every test.

use crate::{Accounts, Amount, CashAssets, Config, InstrumentKind, Instruments, IsinIndex, Pallet, TotalIssuance};
use alloc::collections::btree_map::BTreeMap;
use frame_support::ensure;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check every invariant of the ledger.
	///
	/// # Invariants
	///
	/// - [`Self::check_accounts`]
	/// - [`Self::check_issuance`]
	/// - [`Self::check_isin_index`]
	/// - [`Self::check_cash_assets`]
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_accounts()?;
		Self::check_issuance()?;
		Self::check_isin_index()?;
		Self::check_cash_assets()
	}

	/// Every balance record is of a registered asset, is not all zero, and has at most one hold
	/// per reason, none of them zero.
	pub fn check_accounts() -> Result<(), TryRuntimeError> {
		for (asset, _, account) in Accounts::<T>::iter() {
			ensure!(Instruments::<T>::contains_key(asset), "a balance of an unregistered asset");
			ensure!(!account.is_empty(), "an all-zero balance record is stored");
			for (i, hold) in account.holds.iter().enumerate() {
				ensure!(hold.amount > 0, "a zero hold is stored");
				ensure!(!account.holds.iter().skip(i + 1).any(|h| h.reason == hold.reason), "two holds for one reason");
			}
		}
		Ok(())
	}

	/// For each asset, total issuance equals the sum of every account's free and held balance.
	pub fn check_issuance() -> Result<(), TryRuntimeError> {
		let mut sums: BTreeMap<u32, Amount> = BTreeMap::new();
		for (asset, _, account) in Accounts::<T>::iter() {
			let sum = sums.entry(asset).or_default();
			*sum = sum
				.checked_add(account.free)
				.and_then(|s| account.holds.iter().try_fold(s, |s, h| s.checked_add(h.amount)))
				.ok_or("balances of one asset overflow u128")?;
		}
		for (asset, issuance) in TotalIssuance::<T>::iter() {
			ensure!(Instruments::<T>::contains_key(asset), "issuance of an unregistered asset");
			ensure!(sums.remove(&asset).unwrap_or(0) == issuance, "issuance differs from the sum of balances");
		}
		ensure!(sums.values().all(|s| *s == 0), "balances of an asset with no issuance record");
		Ok(())
	}

	/// The ISIN index names exactly the registered securities.
	pub fn check_isin_index() -> Result<(), TryRuntimeError> {
		let mut securities = 0usize;
		for (asset, instrument) in Instruments::<T>::iter() {
			if let InstrumentKind::Security(info) = instrument.kind {
				securities += 1;
				ensure!(IsinIndex::<T>::get(info.isin) == Some(asset), "a security missing from the ISIN index");
			}
		}
		ensure!(IsinIndex::<T>::iter().count() == securities, "the ISIN index names an unknown security");
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// `CashAssets` lists every registered cash asset once, and nothing else.
	pub fn check_cash_assets() -> Result<(), TryRuntimeError> {
		let listed = CashAssets::<T>::get();
		let mut sorted = listed.clone().into_inner();
		sorted.sort_unstable();
		sorted.dedup();
		ensure!(sorted.len() == listed.len(), "a cash asset is listed twice");
		let mut cash: alloc::vec::Vec<u32> =
			Instruments::<T>::iter().filter(|(_, i)| i.class() == crate::AssetClass::Cash).map(|(id, _)| id).collect();
		cash.sort_unstable();
		ensure!(cash == sorted, "CashAssets differs from the registered cash assets");
		Ok(())
	}
}

impl<T: Config> qingsuan_primitives::market::LedgerAudit<T::AccountId, T::RuntimeHoldReason> for Pallet<T> {
	fn holds_for(reason: &T::RuntimeHoldReason) -> alloc::vec::Vec<(u32, T::AccountId, Amount)> {
		Accounts::<T>::iter()
			.filter_map(|(asset, who, account)| {
				let held = account.held_for(reason);
				(held > 0).then_some((asset, who, held))
			})
			.collect()
	}

	fn assets_of(class: crate::AssetClass) -> alloc::vec::Vec<u32> {
		Instruments::<T>::iter().filter(|(_, i)| i.class() == class).map(|(id, _)| id).collect()
	}
}
