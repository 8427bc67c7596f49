//! Benchmarks of the ledger pallet (FRAME benchmarking v2).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{traits::EnsureOrigin, BoundedVec};
use qingsuan_primitives::{Role, RoleGrant};

/// What the runtime provides so the benchmarks can build their world.
pub trait BenchmarkHelper<AccountId> {
	/// Give `who` `role`.
	fn grant(who: &AccountId, role: Role);
	/// An investor account of the member broker `broker`, where the runtime has them (the
	/// costliest account to issue to); `broker` itself where it does not.
	fn investor_of(broker: &AccountId) -> AccountId;
}

/// A runtime without investor accounts: roles from any [`RoleGrant`].
pub struct Roles<R>(core::marker::PhantomData<R>);
impl<AccountId: Clone, R: RoleGrant<AccountId>> BenchmarkHelper<AccountId> for Roles<R> {
	fn grant(who: &AccountId, role: Role) {
		R::grant(who, role)
	}
	fn investor_of(broker: &AccountId) -> AccountId {
		broker.clone()
	}
}

/// A valid ISIN that neither a genesis preset nor the settlement benchmarks use (Microsoft).
const ISIN: Isin = *b"US5949181045";

fn origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

fn security() -> SecurityInfo {
	SecurityInfo {
		code: BoundedVec::truncate_from(b"601318601318".to_vec()),
		isin: ISIN,
		name: BoundedVec::truncate_from(alloc::vec![b'x'; 64]),
		lot_size: 100,
		tick_size: 1,
	}
}

/// A fresh security with `amount` issued to a member, and the member.
fn funded_security<T: Config>(amount: Amount) -> Result<(AssetId, T::AccountId), BenchmarkError> {
	let asset = 900_000;
	Pallet::<T>::do_register(asset, InstrumentKind::Security(security()))?;
	let who: T::AccountId = account("member", 0, 0);
	T::BenchmarkHelper::grant(&who, Role::MemberBroker);
	Pallet::<T>::do_issue(asset, &who, amount)?;
	Ok((asset, who))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_security() -> Result<(), BenchmarkError> {
		let o = origin::<T>()?;
		let info = security();
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, 900_000, info.code, info.isin, info.name, 100, 1);
		assert!(Instruments::<T>::contains_key(900_000));
		Ok(())
	}

	#[benchmark]
	fn create_cash_asset() -> Result<(), BenchmarkError> {
		let o = origin::<T>()?;
		let bank: T::AccountId = account("bank", 0, 0);
		T::BenchmarkHelper::grant(&bank, Role::ClearingBank);
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, 900_001, *b"USD", bank);
		assert!(Instruments::<T>::contains_key(900_001));
		Ok(())
	}

	#[benchmark]
	fn set_status() -> Result<(), BenchmarkError> {
		let o = origin::<T>()?;
		Pallet::<T>::do_register(900_000, InstrumentKind::Security(security()))?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, 900_000, InstrumentStatus::Halted);
		assert_eq!(<Pallet<T> as InstrumentInspect<T::AccountId>>::status(900_000), Some(InstrumentStatus::Halted));
		Ok(())
	}

	#[benchmark]
	fn set_trading_units() -> Result<(), BenchmarkError> {
		let o = origin::<T>()?;
		Pallet::<T>::do_register(900_000, InstrumentKind::Security(security()))?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, 900_000, 10, 5);
		Ok(())
	}

	/// Issue to an investor of a member broker: its membership and its broker's are read.
	#[benchmark]
	fn issue() -> Result<(), BenchmarkError> {
		let o = origin::<T>()?;
		let (asset, broker) = funded_security::<T>(1)?;
		let who = T::BenchmarkHelper::investor_of(&broker);
		// Its balance record exists: the issue adds to it.
		Pallet::<T>::do_issue(asset, &who, 1)?;
		let before = Pallet::<T>::account(asset, &who).free;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, asset, who.clone(), 1_000);
		assert_eq!(Pallet::<T>::account(asset, &who).free, before + 1_000);
		Ok(())
	}

	#[benchmark]
	fn retire() -> Result<(), BenchmarkError> {
		let o = origin::<T>()?;
		let (asset, who) = funded_security::<T>(1_000)?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, asset, who.clone(), 400);
		assert_eq!(Pallet::<T>::account(asset, &who).free, 600);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
