//! Migrations of the ledger's storage, one module per version step. Each is a
//! [`VersionedMigration`]: it runs only when the on-chain version is the one it starts from, and
//! sets the next. The runtime lists them in its `Migrations`.

use crate::{AssetClass, CashAssets, Config, Instruments, Pallet};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// v0 → v1: the registered cash assets are listed in `CashAssets`.
pub mod v1 {
	use super::*;

	/// The migration's body; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut read = 0u64;
			let mut cash = alloc::vec::Vec::new();
			for (asset, instrument) in Instruments::<T>::iter() {
				read += 1;
				if instrument.class() == AssetClass::Cash {
					cash.push(asset);
				}
			}
			cash.sort_unstable();
			// More than the bound cannot have been registered by a chain that grew to v0 with the
			// few banks a consortium has; if it were, the list keeps the lowest ids and
			// `try_state` reports the rest.
			cash.truncate(crate::MAX_CASH_ASSETS as usize);
			CashAssets::<T>::put(frame_support::BoundedVec::truncate_from(cash));
			T::DbWeight::get().reads_writes(read, 1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The ledger's storage v0 → v1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
