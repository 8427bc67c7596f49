//! Migrations of the settlement pallet's storage, one module per version step, each a
//! [`VersionedMigration`] the runtime lists in its `Migrations`.

use crate::{Config, Deposits, Pallet, PendingRequests, Withdrawals};
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
			let mut requests = 0u64;
			let members =
				Deposits::<T>::iter().map(|(_, d)| d.member).chain(Withdrawals::<T>::iter().map(|(_, w)| w.member));
			for member in members {
				requests += 1;
				PendingRequests::<T>::mutate(&member, |n| *n = n.saturating_add(1));
			}
			// Per request: the request and the count read, the count written.
			T::DbWeight::get().reads_writes(2 * requests, requests)
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
