//! Balance records kept in memory for a batch of calls ([`BatchLedger`]).
//!
//! Inside [`BatchLedger::in_batch`], every balance record the ledger reads comes from storage
//! once and then from memory, every change stays in memory, and the records that changed are
//! written once when the batch succeeds (nothing is written if it fails). An order-book batch
//! whose fills move the same brokers' balances and the same fee and tax accounts hundreds of
//! times so reads and writes each record once.
//!
//! Storage layers cannot take back changes that live in memory, so the batch keeps its own
//! undo log: [`BatchLedger::atomically`] runs a closure in a storage layer and, if it fails,
//! also restores every record it changed in memory. Code that needs all-or-nothing inside a
//! batch uses `atomically` instead of `with_storage_layer`; outside a batch the two are the same.

use crate::{AccountOf, Accounts, AssetId, Config, Instrument, Instruments, Pallet};
use alloc::{
	boxed::Box,
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use core::any::Any;
use qingsuan_primitives::market::BatchLedger;
use sp_runtime::DispatchError;

/// The running batch's cache, of whichever runtime's `Cache<T>` (one per externalities).
struct Slot(Box<dyn Any>);

environmental::environmental!(batch: Slot);

type InstrumentOf<T> = Instrument<<T as frame_system::Config>::AccountId>;
/// A balance record's key: asset, then account.
type Key<T> = (AssetId, <T as frame_system::Config>::AccountId);

/// The records one batch works on.
pub(crate) struct Cache<T: Config> {
	/// Each record read or written so far, as the batch has left it (all zero: no record).
	records: BTreeMap<Key<T>, AccountOf<T>>,
	/// The records the batch changed, to write back at its end.
	dirty: BTreeSet<Key<T>>,
	/// Each change's record as it was before, newest last, to take changes back.
	undo: Vec<(Key<T>, AccountOf<T>)>,
	/// Each instrument looked up so far (`None`: not registered); dropped when the registry
	/// changes it, so the next lookup reads storage again.
	instruments: BTreeMap<AssetId, Option<InstrumentOf<T>>>,
}

impl<T: Config> Default for Cache<T> {
	fn default() -> Self {
		Self { records: BTreeMap::new(), dirty: BTreeSet::new(), undo: Vec::new(), instruments: BTreeMap::new() }
	}
}

impl<T: Config> Cache<T> {
	fn get(&mut self, asset: AssetId, who: &T::AccountId) -> AccountOf<T> {
		self.records
			.entry((asset, who.clone()))
			.or_insert_with(|| Accounts::<T>::get(asset, who).unwrap_or_default())
			.clone()
	}

	fn put(&mut self, asset: AssetId, who: &T::AccountId, account: AccountOf<T>) {
		let key = (asset, who.clone());
		let before = self.get(asset, who);
		self.undo.push((key.clone(), before));
		self.records.insert(key.clone(), account);
		self.dirty.insert(key);
	}

	/// Restore the records changed since the undo log had `mark` entries.
	fn undo_to(&mut self, mark: usize) {
		while self.undo.len() > mark {
			let Some((key, before)) = self.undo.pop() else { break };
			self.records.insert(key, before);
		}
	}

	/// Write each changed record once.
	fn flush(self) {
		let mut records = self.records;
		for key in self.dirty {
			if let Some(account) = records.remove(&key) {
				Pallet::<T>::store_account(key.0, &key.1, account);
			}
		}
	}
}

/// Run `f` on the current batch's cache, if a batch of this runtime is running.
fn with_cache<T: Config, R>(f: impl FnOnce(&mut Cache<T>) -> R) -> Option<R> {
	batch::with(|slot| slot.0.downcast_mut::<Cache<T>>().map(f)).flatten()
}

impl<T: Config> Pallet<T> {
	/// `who`'s balance record of `asset` (all zero if none): the batch's copy inside a batch.
	pub fn account(asset: AssetId, who: &T::AccountId) -> AccountOf<T> {
		with_cache::<T, _>(|c| c.get(asset, who)).unwrap_or_else(|| Accounts::<T>::get(asset, who).unwrap_or_default())
	}

	/// Set `who`'s balance record of `asset`: in the batch's copy inside a batch, else in
	/// storage.
	pub(crate) fn put_account(asset: AssetId, who: &T::AccountId, account: AccountOf<T>) {
		if Self::in_a_batch() {
			with_cache::<T, _>(|c| c.put(asset, who, account));
		} else {
			Self::store_account(asset, who, account);
		}
	}

	/// Store `who`'s balance record of `asset`, removing it when it is all zero.
	fn store_account(asset: AssetId, who: &T::AccountId, account: AccountOf<T>) {
		if account.is_empty() {
			Accounts::<T>::remove(asset, who);
		} else {
			Accounts::<T>::insert(asset, who, account);
		}
	}

	/// The instrument `asset` (read once per batch inside a batch).
	pub(crate) fn instrument(asset: AssetId) -> Option<InstrumentOf<T>> {
		with_cache::<T, _>(|c| c.instruments.entry(asset).or_insert_with(|| Instruments::<T>::get(asset)).clone())
			.unwrap_or_else(|| Instruments::<T>::get(asset))
	}

	/// Whether `asset` is registered.
	pub(crate) fn asset_registered(asset: AssetId) -> bool {
		Self::instrument(asset).is_some()
	}

	/// The registry changed `asset`: a running batch reads it from storage again.
	pub(crate) fn instrument_changed(asset: AssetId) {
		with_cache::<T, _>(|c| c.instruments.remove(&asset));
	}

	/// Whether a batch of this runtime is running.
	pub fn in_a_batch() -> bool {
		with_cache::<T, _>(|_| ()).is_some()
	}
}

impl<T: Config> BatchLedger for Pallet<T> {
	fn in_batch<R>(f: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError> {
		if Self::in_a_batch() {
			return f();
		}
		let mut slot = Slot(Box::new(Cache::<T>::default()));
		let result = batch::using(&mut slot, f);
		if let (Ok(_), Ok(cache)) = (&result, slot.0.downcast::<Cache<T>>()) {
			cache.flush();
		}
		result
	}

	fn atomically<R>(f: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError> {
		let mark = with_cache::<T, _>(|c| c.undo.len());
		let result = frame_support::storage::with_storage_layer(f);
		if let (Err(_), Some(mark)) = (&result, mark) {
			with_cache::<T, _>(|c| c.undo_to(mark));
		}
		result
	}
}
