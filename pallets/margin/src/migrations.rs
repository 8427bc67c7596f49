//! Migrations of the margin pallet's storage, one module per version step. Each is a
//! [`VersionedMigration`]: it runs only when the on-chain version is the one it starts from, and
//! sets the next. The runtime lists them in its `Migrations`.

use crate::{
	Calendar, Cases, Config, Dirty, DirtyCursor, Marks, OrderEntry, Pallet, Pass, Risk, RiskDay, Triggers, Watched,
};
use frame_support::{
	migrations::VersionedMigration,
	traits::{tokens::fungibles::Inspect, Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// The layouts of storage v1 (and v0) that v2 changed: a position without short sales, and
/// triggers without a direction. The v1 migration reads and writes credit accounts in them.
pub mod layout_v1 {
	#![allow(missing_docs)]
	use crate::{Amount, AssetId, CaseReason, Day, Financing, Pallet, RiskZone};
	use alloc::vec::Vec;
	use codec::{Decode, Encode};
	use frame_support::Blake2_128Concat;

	/// A v1 contract (one rate).
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct Contract {
		pub cash: AssetId,
		pub line: Amount,
		pub rate: u32,
		pub opened: Day,
		pub expires: Day,
	}

	/// A v1 position.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct Position {
		/// The security.
		pub security: AssetId,
		/// Its financing contract.
		pub financing: Financing,
		/// Orders in it.
		pub orders: u32,
	}

	/// A v1 credit account record.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct CreditInfo<AccountId> {
		/// Owner.
		pub owner: AccountId,
		/// Broker.
		pub broker: AccountId,
		/// Contract.
		pub contract: Contract,
		/// Principal.
		pub debt: Amount,
		/// Interest.
		pub interest: Amount,
		/// Charged to.
		pub charged_to: Day,
		/// Positions (a `BoundedVec` encodes as a `Vec`).
		pub positions: Vec<Position>,
		/// Live orders.
		pub live_orders: u32,
	}

	/// A v1 risk record.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct RiskState {
		/// Zone.
		pub zone: RiskZone,
		/// Call deadline.
		pub call: Option<Day>,
		/// Case.
		pub case: Option<CaseReason>,
		/// Triggers `(market, price)`, all falling.
		pub triggers: Vec<(u32, Amount)>,
		/// Stepped.
		pub stepped: u32,
	}

	/// `Credit` in the v1 layout.
	#[allow(missing_docs)]
	#[frame_support::storage_alias]
	pub type Credit<T: crate::Config> = StorageMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		CreditInfo<<T as frame_system::Config>::AccountId>,
	>;
}

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
			for (credit, mut info) in layout_v1::Credit::<T>::iter() {
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
					layout_v1::Credit::<T>::insert(&credit, info);
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

/// v1 → v2: short sales. Every contract gains a short fee rate (its financing rate), every
/// position an empty short (nothing owed), every filed trigger is a falling one (no account
/// owed shares before v2); the markets with closes are tracked (v1 kept closes for the watched
/// markets only, and deleted them when unwatched).
pub mod v2 {
	use super::*;
	use crate::{Contract, CreditInfo, Filed, Position, RiskState, Short};
	use frame_support::BoundedVec;

	/// The migration's body; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut n = 0u64;
			crate::Credit::<T>::translate::<layout_v1::CreditInfo<T::AccountId>, _>(|_, old| {
				n += 1;
				let positions = old
					.positions
					.into_iter()
					.map(|p| Position {
						security: p.security,
						financing: p.financing,
						orders: p.orders,
						short: Short::default(),
					})
					.collect::<alloc::vec::Vec<_>>();
				Some(CreditInfo {
					owner: old.owner,
					broker: old.broker,
					contract: Contract {
						cash: old.contract.cash,
						line: old.contract.line,
						rate: old.contract.rate,
						short_rate: old.contract.rate,
						opened: old.contract.opened,
						expires: old.contract.expires,
					},
					debt: old.debt,
					interest: old.interest,
					charged_to: old.charged_to,
					positions: BoundedVec::truncate_from(positions),
					live_orders: old.live_orders,
				})
			});
			Risk::<T>::translate::<layout_v1::RiskState, _>(|_, old| {
				n += 1;
				let triggers = old.triggers.into_iter().map(|(market, price)| Filed { market, price, rising: false });
				Some(RiskState {
					zone: old.zone,
					call: old.call,
					case: old.case,
					triggers: BoundedVec::truncate_from(triggers.collect()),
					stepped: old.stepped,
					unfilled: false,
				})
			});
			let tracked: alloc::vec::Vec<u32> = crate::Closes::<T>::iter_keys().collect();
			n += tracked.len() as u64 + 1;
			crate::Tracked::<T>::put(BoundedVec::truncate_from(tracked));
			T::DbWeight::get().reads_writes(n, n)
		}
	}

	/// The margin pallet's storage v1 → v2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, InnerMigrateV1ToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
