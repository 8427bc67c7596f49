//! Origin checks for the roles of the member registry.
//!
//! `EnsureMember<T>` and its siblings succeed for a signed origin whose account holds the role,
//! with that account as the success value, so a call reads
//! `let broker = T::BrokerOrigin::ensure_origin(origin)?;`.

use crate::{Config, Pallet, Role, RoleInspect};
use core::marker::PhantomData;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;

/// Succeeds for a signed origin whose account holds the role `R::get()`.
pub struct EnsureRole<T, R>(PhantomData<(T, R)>);

impl<T: Config, R: Get<Role>> EnsureOrigin<T::RuntimeOrigin> for EnsureRole<T, R> {
	type Success = T::AccountId;

	fn try_origin(o: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let caller: Result<RawOrigin<T::AccountId>, T::RuntimeOrigin> = o.clone().into();
		match caller {
			Ok(RawOrigin::Signed(who)) if Pallet::<T>::has_role(&who, R::get()) => Ok(who),
			_ => Err(o),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let who: T::AccountId = frame_benchmarking::account("member", 0, 0);
		if !Pallet::<T>::has_role(&who, R::get()) {
			Pallet::<T>::do_grant_role(&who, R::get()).map_err(|_| ())?;
		}
		Ok(RawOrigin::Signed(who).into())
	}
}

/// The role a member broker holds.
pub struct MemberBrokerRole;
impl Get<Role> for MemberBrokerRole {
	fn get() -> Role {
		Role::MemberBroker
	}
}
/// The role a clearing bank holds.
pub struct ClearingBankRole;
impl Get<Role> for ClearingBankRole {
	fn get() -> Role {
		Role::ClearingBank
	}
}
/// The role a regulator holds.
pub struct RegulatorRole;
impl Get<Role> for RegulatorRole {
	fn get() -> Role {
		Role::Regulator
	}
}
/// The role an attestor holds.
pub struct AttestorRole;
impl Get<Role> for AttestorRole {
	fn get() -> Role {
		Role::Attestor
	}
}

/// The role a contract developer holds.
pub struct DeveloperRole;
impl Get<Role> for DeveloperRole {
	fn get() -> Role {
		Role::Developer
	}
}

/// A signed origin of a member broker.
pub type EnsureMember<T> = EnsureRole<T, MemberBrokerRole>;
/// A signed origin of a clearing bank.
pub type EnsureClearingBank<T> = EnsureRole<T, ClearingBankRole>;
/// A signed origin of a regulator.
pub type EnsureRegulator<T> = EnsureRole<T, RegulatorRole>;
/// A signed origin of an attestor.
pub type EnsureAttestor<T> = EnsureRole<T, AttestorRole>;
/// A signed origin of a contract developer.
pub type EnsureDeveloper<T> = EnsureRole<T, DeveloperRole>;

/// Succeeds for a signed origin whose account holds any role (an institution of the
/// consortium), with that account as the success value.
pub struct EnsureAnyRole<T>(PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureAnyRole<T> {
	type Success = T::AccountId;

	fn try_origin(o: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let caller: Result<RawOrigin<T::AccountId>, T::RuntimeOrigin> = o.clone().into();
		match caller {
			Ok(RawOrigin::Signed(who)) if crate::MemberRoles::<T>::contains_key(&who) => Ok(who),
			_ => Err(o),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		EnsureMember::<T>::try_successful_origin()
	}
}
