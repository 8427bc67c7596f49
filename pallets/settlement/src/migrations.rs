//! Migrations of the settlement pallet's storage, one module per version step, each a
//! [`VersionedMigration`] the runtime lists in its `Migrations`.

use crate::{Config, DayDigests, Pallet, PendingRequests};
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

/// v1 → v2: each day's hash chain (`DayDigests`) over the settlement records already kept.
///
/// One block, reading every record: right for the chains that exist today (a load test leaves
/// tens of thousands); a chain with millions of records needs it as a multi-block migration,
/// which the move of records out of state (docs/trade-path-design.md §8) brings.
pub mod v2 {
	use super::*;

	/// The migration's body; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (days, read) = Pallet::<T>::digests_of_records();
			let written = days.len() as u64;
			for (day, digest) in days {
				DayDigests::<T>::insert(day, digest);
			}
			T::DbWeight::get().reads_writes(read, written)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::check_records()
		}
	}

	/// The settlement pallet's storage v1 → v2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, InnerMigrateV1ToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
