//! Benchmarks of the investors pallet (FRAME benchmarking v2).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{tokens::fungibles::Inspect, EnsureOrigin, Get};
use frame_system::RawOrigin;
use qingsuan_primitives::market::InstrumentInspect;

/// What the runtime provides so the benchmarks can build their world.
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` a member broker.
	fn make_broker(who: &AccountId);
	/// A cash asset in trading.
	fn cash() -> AssetId;
	/// Credit `amount` of `asset` to `who`.
	fn fund(who: &AccountId, asset: AssetId, amount: Amount);
	/// Register one more cash asset in trading.
	fn create_cash(asset: AssetId);
	/// Revoke `who`'s membership as a broker.
	fn revoke_broker(who: &AccountId);
}

const AMOUNT: Amount = 1_000_000;

fn broker<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::BenchmarkHelper::make_broker(&who);
	T::BenchmarkHelper::fund(&who, T::BenchmarkHelper::cash(), AMOUNT * 10);
	who
}

/// A broker, one investor of it, and cash in the broker's client-money account.
fn investor<T: Config>() -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	let b = broker::<T>("broker");
	let investor = Pallet::<T>::do_open_investor(&b, &[7; 32])?;
	Pallet::<T>::do_fund_client_money(&b, T::BenchmarkHelper::cash(), AMOUNT * 2)?;
	Ok((b, investor))
}

fn regulator<T: Config>() -> Result<(T::RuntimeOrigin, T::AccountId), BenchmarkError> {
	let origin = T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let who = T::RegulatorOrigin::ensure_origin(origin.clone()).map_err(|_| BenchmarkError::Weightless)?;
	Ok((origin, who))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open_investor() {
		let b = broker::<T>("broker");
		#[extrinsic_call]
		_(RawOrigin::Signed(b.clone()), [7; 32]);
		assert_eq!(InvestorCount::<T>::get(&b), 1);
	}

	#[benchmark]
	fn fund_client_money() {
		let b = broker::<T>("broker");
		let cash = T::BenchmarkHelper::cash();
		#[extrinsic_call]
		_(RawOrigin::Signed(b.clone()), cash, AMOUNT);
		assert_eq!(T::Ledger::balance(cash, &Pallet::<T>::client_money_account(&b)), AMOUNT);
	}

	#[benchmark]
	fn allocate_cash() -> Result<(), BenchmarkError> {
		let (b, investor) = investor::<T>()?;
		let cash = T::BenchmarkHelper::cash();
		#[extrinsic_call]
		_(RawOrigin::Signed(b), investor.clone(), cash, AMOUNT);
		assert_eq!(T::Ledger::balance(cash, &investor), AMOUNT);
		Ok(())
	}

	#[benchmark]
	fn return_cash() -> Result<(), BenchmarkError> {
		let (b, investor) = investor::<T>()?;
		let cash = T::BenchmarkHelper::cash();
		Pallet::<T>::do_allocate_cash(&b, &investor, cash, AMOUNT)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(b), investor.clone(), cash, AMOUNT);
		assert_eq!(T::Ledger::balance(cash, &investor), 0);
		Ok(())
	}

	/// The freeze itself, of an investor with a credit account (both are frozen); cancelling
	/// the orders is the order book's weight, added to this.
	#[benchmark]
	fn freeze() -> Result<(), BenchmarkError> {
		let (_, investor) = investor::<T>()?;
		let credit = Pallet::<T>::do_open_credit(&investor)?;
		let (origin, _) = regulator::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, investor.clone());
		assert!(Pallet::<T>::is_frozen(&investor) && Pallet::<T>::is_frozen(&credit));
		Ok(())
	}

	#[benchmark]
	fn unfreeze() -> Result<(), BenchmarkError> {
		let (_, investor) = investor::<T>()?;
		let credit = Pallet::<T>::do_open_credit(&investor)?;
		let (origin, who) = regulator::<T>()?;
		Pallet::<T>::do_freeze(&who, &investor)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, investor.clone());
		assert!(!Pallet::<T>::is_frozen(&investor) && !Pallet::<T>::is_frozen(&credit));
		Ok(())
	}

	#[benchmark]
	fn request_transfer() -> Result<(), BenchmarkError> {
		let (_, investor) = investor::<T>()?;
		let to = broker::<T>("new broker");
		#[extrinsic_call]
		_(RawOrigin::Signed(to.clone()), investor.clone());
		assert_eq!(PendingTransfers::<T>::get(&investor), Some(to));
		Ok(())
	}

	/// With `c` cash assets to check for the investor's cash.
	#[benchmark]
	fn approve_transfer(c: Linear<1, { T::MaxCashAssets::get() }>) -> Result<(), BenchmarkError> {
		let (from, investor) = investor::<T>()?;
		let to = broker::<T>("new broker");
		Pallet::<T>::do_request_transfer(&to, &investor)?;
		let mut next = 990_000;
		while (T::Instruments::cash_assets().len() as u32) < c {
			T::BenchmarkHelper::create_cash(next);
			next += 1;
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(from), investor.clone());
		assert_eq!(Pallet::<T>::broker_of(&investor), Some(to));
		Ok(())
	}

	/// With `c` cash assets, the investor holding each (the event lists them), and a transfer
	/// request to drop. Cancelling its open orders is the order book's `cancel_weight`, added
	/// to this.
	#[benchmark]
	fn force_transfer(c: Linear<1, { T::MaxCashAssets::get() }>) -> Result<(), BenchmarkError> {
		let (from, investor) = investor::<T>()?;
		let mut next = 990_000;
		while (T::Instruments::cash_assets().len() as u32) < c {
			T::BenchmarkHelper::create_cash(next);
			next += 1;
		}
		for asset in T::Instruments::cash_assets() {
			T::BenchmarkHelper::fund(&investor, asset, AMOUNT);
		}
		let asking = broker::<T>("asking broker");
		Pallet::<T>::do_request_transfer(&asking, &investor)?;
		T::BenchmarkHelper::revoke_broker(&from);
		let to = broker::<T>("new broker");
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, investor.clone(), to.clone());
		assert_eq!(Pallet::<T>::broker_of(&investor), Some(to));
		assert!(!PendingTransfers::<T>::contains_key(&investor));
		Ok(())
	}

	#[benchmark]
	fn cancel_transfer() -> Result<(), BenchmarkError> {
		let (from, investor) = investor::<T>()?;
		let to = broker::<T>("new broker");
		Pallet::<T>::do_request_transfer(&to, &investor)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(from), investor.clone());
		assert!(!PendingTransfers::<T>::contains_key(&investor));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
