//! The logic behind the members pallet's calls, and its invariants.

use crate::{Config, Error, Event, MemberRoles, Pallet, Role, RoleCount, RoleInspect, Roles};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The roles `who` holds (empty if none).
	pub fn roles_of(who: &T::AccountId) -> Roles {
		MemberRoles::<T>::get(who).unwrap_or_default()
	}

	/// Give `who` the role `role`, and count it.
	pub fn do_grant_role(who: &T::AccountId, role: Role) -> DispatchResult {
		let roles = Self::roles_of(who);
		ensure!(!roles.contains(role), Error::<T>::RoleAlreadyGranted);
		let count = RoleCount::<T>::get(role);
		ensure!(count < T::MaxMembersPerRole::get(), Error::<T>::TooManyMembers);

		MemberRoles::<T>::insert(who, roles.with(role));
		// Cannot overflow: `count < MaxMembersPerRole <= u32::MAX`.
		RoleCount::<T>::insert(role, count.saturating_add(1));
		Self::deposit_event(Event::RoleGranted { who: who.clone(), role });
		Ok(())
	}

	/// Take the role `role` from `who`; the account's entry goes when its last role does.
	pub fn do_revoke_role(who: &T::AccountId, role: Role) -> DispatchResult {
		let roles = Self::roles_of(who);
		ensure!(roles.contains(role), Error::<T>::RoleNotGranted);

		let remaining = roles.without(role);
		if remaining.is_empty() {
			MemberRoles::<T>::remove(who);
		} else {
			MemberRoles::<T>::insert(who, remaining);
		}
		// The account held the role, so the count is at least 1.
		RoleCount::<T>::mutate(role, |c| *c = c.saturating_sub(1));
		Self::deposit_event(Event::RoleRevoked { who: who.clone(), role });
		Ok(())
	}

	/// Check every invariant of the pallet's storage.
	///
	/// # Invariants
	///
	/// - [`Self::check_no_empty_entries`]
	/// - [`Self::check_role_counts`]
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::check_no_empty_entries()?;
		Self::check_role_counts()
	}

	/// Every stored role set is non-empty and holds only known roles.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_no_empty_entries() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, roles) in MemberRoles::<T>::iter() {
			ensure!(!roles.is_empty(), "an account is stored with no role");
			ensure!(roles.is_valid(), "an account holds an unknown role bit");
		}
		Ok(())
	}

	/// `RoleCount[r]` is the number of accounts holding `r`, and at most `MaxMembersPerRole`.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_role_counts() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut counted = [0u32; Role::ALL.len()];
		for (_, roles) in MemberRoles::<T>::iter() {
			for role in roles.iter() {
				counted[role as usize] = counted[role as usize].saturating_add(1);
			}
		}
		for role in Role::ALL {
			let stored = RoleCount::<T>::get(role);
			ensure!(stored == counted[role as usize], "RoleCount differs from the role sets");
			ensure!(stored <= T::MaxMembersPerRole::get(), "more members than MaxMembersPerRole");
		}
		Ok(())
	}
}

impl<T: Config> RoleInspect<T::AccountId> for Pallet<T> {
	fn has_role(who: &T::AccountId, role: Role) -> bool {
		Self::roles_of(who).contains(role)
	}
}

impl<T: Config> qingsuan_primitives::RoleGrant<T::AccountId> for Pallet<T> {
	fn grant(who: &T::AccountId, role: Role) {
		// The only failures are "already granted" (fine) and "too many members" (the caller's
		// set-up is then wrong, and its own checks fail loudly).
		let _ = Self::do_grant_role(who, role);
	}
}
