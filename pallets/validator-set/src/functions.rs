//! The logic behind the validator set pallet's calls, its session manager, and its invariants.

use crate::{Config, Error, Event, Pallet, PendingChange, SessionKeysRegistry, Validators};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Add `who` to the approved set and mark the set changed.
	pub fn do_add_validator(who: T::AccountId) -> DispatchResult {
		ensure!(T::SessionKeys::has_keys(&who), Error::<T>::NoSessionKeys);
		Validators::<T>::try_mutate(|set| -> DispatchResult {
			ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
			set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Ok(())
		})?;
		PendingChange::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(())
	}

	/// Remove `who` from the approved set and mark the set changed.
	pub fn do_remove_validator(who: T::AccountId) -> DispatchResult {
		Validators::<T>::try_mutate(|set| -> DispatchResult {
			let index = set.iter().position(|v| *v == who).ok_or(Error::<T>::NotValidator)?;
			ensure!(set.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
			set.remove(index);
			Ok(())
		})?;
		PendingChange::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(())
	}

	/// The set to plan for session `index`, if it changed since the last plan.
	fn planned_set(index: u32) -> Option<Vec<T::AccountId>> {
		if !PendingChange::<T>::take() {
			return None;
		}
		let set = Validators::<T>::get().into_inner();
		Self::deposit_event(Event::ValidatorSetQueued { session: index, count: set.len() as u32 });
		Some(set)
	}

	/// Check every invariant of the pallet's storage.
	///
	/// # Invariants
	///
	/// - [`Self::check_no_duplicates`]
	/// - [`Self::check_size`]
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::check_no_duplicates()?;
		Self::check_size()
	}

	/// No account is in the set twice.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_no_duplicates() -> Result<(), sp_runtime::TryRuntimeError> {
		let set = Validators::<T>::get();
		for (i, v) in set.iter().enumerate() {
			ensure!(!set.iter().skip(i + 1).any(|w| w == v), "a validator is listed twice");
		}
		Ok(())
	}

	/// The set holds between `MinValidators` and `MaxValidators` validators (or none, before
	/// genesis configured any).
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_size() -> Result<(), sp_runtime::TryRuntimeError> {
		let len = Validators::<T>::decode_len().unwrap_or(0) as u32;
		ensure!(len == 0 || len >= T::MinValidators::get(), "fewer validators than MinValidators");
		ensure!(len <= T::MaxValidators::get(), "more validators than MaxValidators");
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		Self::planned_set(new_index)
	}

	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		let set = Validators::<T>::get().into_inner();
		(!set.is_empty()).then_some(set)
	}

	fn end_session(_end_index: u32) {}

	fn start_session(_start_index: u32) {}
}
