//! Runtime-level migrations: those that span pallets.

use crate::Runtime;
use frame_support::{
	traits::{OnRuntimeUpgrade, PalletInfoAccess},
	weights::Weight,
};
use pallet_revive::AddressMapper;

type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

/// Maps every account that existed before contracts did to its Ethereum address, so that a
/// contract can name it (`AutoMap` maps accounts only as they are created): balance holders and
/// investor accounts.
///
/// It runs when revive holds no mapping at all: the upgrade that adds contracts to a running
/// chain. A chain started with contracts mapped its genesis accounts as they were created, so
/// the migration costs it one read. Accounts are few on a permissioned chain (institutions and
/// their investors), so one block maps them all.
pub struct MapExistingAccounts;

impl MapExistingAccounts {
	/// Whether revive has mapped any account yet.
	fn any_mapped() -> bool {
		let prefix = frame_support::storage::storage_prefix(crate::Revive::name().as_bytes(), b"OriginalAccount");
		sp_io::storage::next_key(&prefix).is_some_and(|key| key.starts_with(&prefix))
	}

	/// Every account: those of the balances pallet, and investor accounts (which hold no
	/// native token, so `frame_system` does not know them).
	fn accounts() -> impl Iterator<Item = crate::AccountId> {
		frame_system::Account::<Runtime>::iter_keys().chain(pallet_investors::Registry::<Runtime>::iter_keys())
	}

	/// The accounts that exist and are not mapped.
	#[cfg(any(test, feature = "try-runtime"))]
	fn unmapped() -> impl Iterator<Item = crate::AccountId> {
		Self::accounts().filter(|who| !Mapper::is_mapped(who))
	}
}

impl OnRuntimeUpgrade for MapExistingAccounts {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if Self::any_mapped() {
			return db.reads(1);
		}
		let (mut read, mut mapped) = (1u64, 0u64);
		for who in Self::accounts() {
			read += 2;
			// Fails only for an account already mapped, which the check above rules out.
			if !Mapper::is_mapped(&who) && Mapper::map_no_deposit_unchecked(&who).is_ok() {
				mapped += 1;
			}
		}
		log::info!(target: "runtime::migrations", "mapped {mapped} existing accounts to contract addresses");
		db.reads_writes(read, mapped)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		match Self::unmapped().next() {
			Some(_) => Err("an account existing after the upgrade has no contract address mapping".into()),
			None => Ok(()),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::AccountId;
	use sp_runtime::BuildStorage;

	fn account(n: u8) -> AccountId {
		AccountId::new([n; 32])
	}

	#[test]
	fn maps_every_existing_account_once_and_is_then_a_single_read() {
		let mut ext: sp_io::TestExternalities =
			frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap().into();
		ext.execute_with(|| {
			// Accounts created before contracts: written straight to storage, so that no
			// `OnNewAccount` maps them.
			for n in 1..=3 {
				frame_system::Account::<Runtime>::insert(account(n), frame_system::AccountInfo::default());
			}
			// An investor account: in the investors' registry only.
			let investor = pallet_investors::InvestorInfo {
				broker: account(1),
				status: pallet_investors::InvestorStatus::Active,
				opened_at: 0,
				credit_of: None,
			};
			pallet_investors::Registry::<Runtime>::insert(account(4), investor);
			assert_eq!(MapExistingAccounts::unmapped().count(), 4);
			let weight = MapExistingAccounts::on_runtime_upgrade();
			assert_eq!(MapExistingAccounts::unmapped().count(), 0);
			let db = <Runtime as frame_system::Config>::DbWeight::get();
			assert_eq!(weight, db.reads_writes(9, 4));
			for n in 1..=4 {
				let address = crate::configs::contracts::address_of(&account(n));
				assert_eq!(Mapper::to_account_id(&address), account(n));
			}
			// A later account unmapped by some path is not the migration's business any more.
			frame_system::Account::<Runtime>::insert(account(5), frame_system::AccountInfo::default());
			assert_eq!(MapExistingAccounts::on_runtime_upgrade(), db.reads(1));
		});
	}
}
