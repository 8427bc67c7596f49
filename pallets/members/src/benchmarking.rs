//! Benchmarks of the members pallet (FRAME benchmarking v2).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn grant_role() -> Result<(), BenchmarkError> {
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("who", 0, 0);
		// Worst case: the account already holds other roles, so its set is read and rewritten.
		Pallet::<T>::do_grant_role(&who, Role::Attestor)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Role::ClearingBank);

		assert!(Pallet::<T>::has_role(&who, Role::ClearingBank));
		Ok(())
	}

	#[benchmark]
	fn revoke_role() -> Result<(), BenchmarkError> {
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("who", 0, 0);
		Pallet::<T>::do_grant_role(&who, Role::Attestor)?;
		Pallet::<T>::do_grant_role(&who, Role::ClearingBank)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Role::ClearingBank);

		assert!(!Pallet::<T>::has_role(&who, Role::ClearingBank));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
