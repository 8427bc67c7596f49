//! Migrations of the settlement pallet's storage, one module per version step, each a
//! [`VersionedMigration`] the runtime lists in its `Migrations`.

use crate::{Config, Pallet, PendingRequests};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// v0 → v1: each member's waiting deposit and withdrawal requests are counted
/// (`PendingRequests`), for the bound on them.
pub mod v1 {
	use super::*;

	/// The migration's body; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let pending = Pallet::<T>::count_pending_requests();
			let requests: u64 = pending.values().map(|n| u64::from(*n)).sum();
			let members = pending.len() as u64;
			for (member, n) in pending {
				PendingRequests::<T>::insert(member, n);
			}
			// Every request read; a count written per member.
			T::DbWeight::get().reads_writes(requests, members)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::check_pending_requests()
		}
	}

	/// The settlement pallet's storage v0 → v1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
