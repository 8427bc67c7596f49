//! Migrations of the investors pallet's storage, one module per version step, each a
//! [`VersionedMigration`] the runtime lists in its `Migrations`.

use crate::{Config, InvestorInfo, InvestorStatus, Pallet, Registry};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// v0 → v1: registry entries say whether the account is a credit account
/// (`InvestorInfo::credit_of`); every account before v1 is an ordinary one.
pub mod v1 {
	use super::*;
	use codec::Decode;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// A registry entry as version 0 stored it.
	#[derive(Decode)]
	pub struct InvestorInfoV0<AccountId, BlockNumber> {
		broker: AccountId,
		status: InvestorStatus,
		opened_at: BlockNumber,
	}

	/// The migration's body; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut n = 0u64;
			Registry::<T>::translate::<InvestorInfoV0<T::AccountId, BlockNumberFor<T>>, _>(|_, old| {
				n += 1;
				Some(InvestorInfo { broker: old.broker, status: old.status, opened_at: old.opened_at, credit_of: None })
			});
			T::DbWeight::get().reads_writes(n, n)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The investors pallet's storage v0 → v1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
