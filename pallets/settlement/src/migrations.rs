//! Migrations of the settlement pallet's storage, one module per version step, each a
//! [`VersionedMigration`] the runtime lists in its `Migrations`.

use crate::{Config, DayDigests, Pallet, PendingRequests, PurgingRecords, RecordOf, SettlementId};
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

/// The layout of storage v2 that v3 removes: settlement records kept in state, and each day's
/// first id.
// `storage_alias` generates an undocumented prefix type for each alias.
#[allow(missing_docs)]
pub mod v2_layout {
	use super::*;
	use crate::Day;
	use frame_support::{storage_alias, Twox64Concat};

	/// Settlement records by id (storage v2).
	#[storage_alias]
	pub type Settlements<T: Config> = StorageMap<Pallet<T>, Twox64Concat, SettlementId, RecordOf<T>>;

	/// The first settlement id of each day (storage v2).
	#[storage_alias]
	pub type DayStart<T: Config> = StorageMap<Pallet<T>, Twox64Concat, Day, SettlementId>;

	/// Each day's hash chain recomputed from the records in state (in id order), and how many
	/// records it read.
	pub fn digests_of_records<T: Config>() -> (alloc::collections::BTreeMap<Day, crate::DayDigest>, u64) {
		let mut records: alloc::vec::Vec<_> = Settlements::<T>::iter().collect();
		records.sort_by_key(|(id, _)| *id);
		let mut days = alloc::collections::BTreeMap::<Day, crate::DayDigest>::new();
		for (id, record) in &records {
			let d = days.entry(record.day).or_default();
			d.head = crate::chain_next(&d.head, *id, record);
			d.count = d.count.saturating_add(1);
		}
		(days, records.len() as u64)
	}
}

/// v1 → v2: each day's hash chain (`DayDigests`) over the settlement records already kept.
///
/// One block, reading every record: right for the chains that exist before v3 (a load test
/// leaves tens of thousands); v3 then removes the records, a bounded number per block.
pub mod v2 {
	use super::*;

	/// The migration's body; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (days, read) = v2_layout::digests_of_records::<T>();
			let written = days.len() as u64;
			for (day, digest) in days {
				DayDigests::<T>::insert(day, digest);
			}
			T::DbWeight::get().reads_writes(read, written)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (days, _) = v2_layout::digests_of_records::<T>();
			frame_support::ensure!(
				days.into_iter().eq(DayDigests::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>()),
				"a day's hash chain differs from its records"
			);
			Ok(())
		}
	}

	/// The settlement pallet's storage v1 → v2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, InnerMigrateV1ToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v2 → v3: settlement records leave state. Each day's hash chain (v2) already proves them, and
/// the node's trade store serves them from events. The day index goes at once (one entry per
/// day); the records, which can be millions, are removed a bounded number per block in
/// `on_idle` while [`PurgingRecords`] is set, so the upgrade block stays light.
pub mod v3 {
	use super::*;

	/// The migration's body; use [`MigrateV2ToV3`].
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let days = v2_layout::DayStart::<T>::clear(u32::MAX, None).unique;
			let records = v2_layout::Settlements::<T>::iter_keys().next().is_some();
			if records {
				PurgingRecords::<T>::put(true);
			}
			T::DbWeight::get().reads_writes(u64::from(days).saturating_add(1), u64::from(days).saturating_add(1))
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::check_records()
		}
	}

	/// The settlement pallet's storage v2 → v3.
	pub type MigrateV2ToV3<T> =
		VersionedMigration<2, 3, InnerMigrateV2ToV3<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v3 → v4: an instruction's party records who affirmed for it (`Party::affirmed_by`) instead of
/// whether it did, so that an affirmation lapses when an investor moves to another broker. An
/// affirmed party becomes affirmed by the broker that acts for it now (itself for a broker's
/// own account). Pending instructions are few (each expires within `MaxInstructionLifetime`);
/// they are rewritten in the upgrade block.
pub mod v4 {
	use super::*;
	use crate::{InstructionOf, Instructions, Leg, MaxPartiesOf, Party};
	use codec::{Decode, Encode};
	use frame_support::{BoundedVec, Twox64Concat};
	use frame_system::pallet_prelude::BlockNumberFor;
	use qingsuan_primitives::investors::InvestorRegistry;

	/// A party as v3 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldParty<AccountId> {
		/// The party.
		pub who: AccountId,
		/// Whether it affirmed.
		pub affirmed: bool,
	}

	/// An instruction as v3 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldInstruction<AccountId, BlockNumber, MaxLegs: Get<u32>, MaxParties: Get<u32>> {
		/// The member that created it.
		pub creator: AccountId,
		/// Its legs.
		pub legs: BoundedVec<Leg<AccountId>, MaxLegs>,
		/// Its parties.
		pub parties: BoundedVec<OldParty<AccountId>, MaxParties>,
		/// First block it may settle in.
		pub settle_at: BlockNumber,
		/// Expiry block.
		pub expires_at: BlockNumber,
	}

	/// A v3 instruction of this runtime.
	pub type OldInstructionOf<T> = OldInstruction<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxLegs,
		MaxPartiesOf<T>,
	>;

	/// The v3 layout of `Instructions`, for tests that write it.
	// `storage_alias` generates an undocumented prefix type for each alias.
	#[allow(missing_docs)]
	pub mod v3_layout {
		use super::*;

		/// Pending instructions (storage v3).
		#[frame_support::storage_alias]
		pub type Instructions<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, crate::InstructionId, OldInstructionOf<T>>;
	}

	/// `old` in the v4 layout.
	pub fn upgraded<T: Config>(old: OldInstructionOf<T>) -> InstructionOf<T> {
		let parties = old
			.parties
			.into_iter()
			.map(|p| Party { affirmed_by: p.affirmed.then(|| T::Investors::acting_broker(&p.who)), who: p.who })
			.collect::<alloc::vec::Vec<_>>();
		InstructionOf::<T> {
			creator: old.creator,
			legs: old.legs,
			// As many parties as before: within the bound.
			parties: BoundedVec::truncate_from(parties),
			settle_at: old.settle_at,
			expires_at: old.expires_at,
		}
	}

	/// The migration's body; use [`MigrateV3ToV4`].
	pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut n, mut parties) = (0u64, 0u64);
			Instructions::<T>::translate::<OldInstructionOf<T>, _>(|_, old| {
				n = n.saturating_add(1);
				parties = parties.saturating_add(old.parties.len() as u64);
				Some(upgraded::<T>(old))
			});
			// Each instruction, and each party's registry entry.
			T::DbWeight::get().reads_writes(n.saturating_add(parties), n)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The settlement pallet's storage v3 → v4.
	pub type MigrateV3ToV4<T> =
		VersionedMigration<3, 4, InnerMigrateV3ToV4<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v4 → v5: every contract with an allowance or a hold is bound to the instance there now
/// (`ContractInstances`), or, if its contract terminated before the upgrade, to no instance
/// that can exist (all zeros), so that its owners' brokers may reclaim and a contract created
/// again at its address is refused.
pub mod v5 {
	use super::*;
	use crate::{ContractAllowances, ContractHolds, ContractInstance, ContractInstances, DeployedContracts as _};
	use alloc::collections::btree_set::BTreeSet;

	/// What a contract that terminated before the upgrade is bound to.
	pub const GONE: ContractInstance = [0; 32];

	/// The migration's body; use [`MigrateV4ToV5`].
	pub struct InnerMigrateV4ToV5<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV4ToV5<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			let mut contracts = BTreeSet::new();
			for (_, contract, _) in ContractAllowances::<T>::iter_keys() {
				entries = entries.saturating_add(1);
				contracts.insert(contract);
			}
			for (contract, _, _) in ContractHolds::<T>::iter_keys() {
				entries = entries.saturating_add(1);
				contracts.insert(contract);
			}
			let n = contracts.len() as u64;
			for contract in contracts {
				let instance = T::Contracts::instance(&contract).unwrap_or(GONE);
				ContractInstances::<T>::insert(contract, instance);
			}
			// Every entry read; per contract, its instance read and its binding written.
			T::DbWeight::get().reads_writes(entries.saturating_add(n), n)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::check_contract_holds()
		}
	}

	/// The settlement pallet's storage v4 → v5.
	pub type MigrateV4ToV5<T> =
		VersionedMigration<4, 5, InnerMigrateV4ToV5<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
