//! Migrations of the margin pallet's storage, one module per version step. Each is a
//! [`VersionedMigration`]: it runs only when the on-chain version is the one it starts from, and
//! sets the next. The runtime lists them in its `Migrations`.

use crate::{
	Calendar, Cases, Config, Credit, Dirty, DirtyCursor, Marks, OrderEntry, Pallet, Pass, Risk, RiskDay, Triggers,
	Watched,
};
use frame_support::{
	migrations::VersionedMigration,
	traits::{tokens::fungibles::Inspect, Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// v0 → v1: the risk engine. Whatever risk state a chain holds is cleared (a chain that ran an
/// early build of the engine at version 0 may hold records in an older layout), then every
/// credit account's positions are counted in the watched markets (`Watched`, `Marks`), a
/// position no market prices in the contract's cash is dropped if it holds nothing, every
/// account is marked changed so the engine values it (and opens any case due) and files its
/// triggers in the next blocks, and the engine's day is today (the first close is tomorrow's,
/// not one in the middle of today).
pub mod v1 {
	use super::*;

	/// The migration's body; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (1u64, 1u64);
			let cleared = [
				Marks::<T>::clear(u32::MAX, None).unique,
				Risk::<T>::clear(u32::MAX, None).unique,
				Triggers::<T>::clear(u32::MAX, None).unique,
				Cases::<T>::clear(u32::MAX, None).unique,
				Dirty::<T>::clear(u32::MAX, None).unique,
				crate::Closes::<T>::clear(u32::MAX, None).unique,
			];
			writes += u64::from(cleared.iter().sum::<u32>());
			Watched::<T>::kill();
			Pass::<T>::kill();
			DirtyCursor::<T>::kill();
			crate::Tracked::<T>::kill();
			writes += 4;
			for (credit, mut info) in Credit::<T>::iter() {
				let cash = info.contract.cash;
				let before = info.positions.len();
				info.positions.retain(|p| {
					T::Orders::market_of(p.security, cash).is_some()
						|| p.financing.amount > 0
						|| p.orders > 0 || T::Ledger::total_balance(p.security, &credit) > 0
				});
				reads += 1 + 2 * before as u64;
				for position in info.positions.iter() {
					if let Some(market) = T::Orders::market_of(position.security, cash) {
						if let Err(e) = Pallet::<T>::watch(market) {
							log::warn!(target: "runtime::margin", "market {market} not watched: {e:?}");
						}
						reads += 2;
						writes += 2;
					}
				}
				if info.positions.len() != before {
					Credit::<T>::insert(&credit, info);
					writes += 1;
				}
				Dirty::<T>::insert(&credit, ());
				writes += 1;
			}
			RiskDay::<T>::put(T::Calendar::today());
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}

	/// The margin pallet's storage v0 → v1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
