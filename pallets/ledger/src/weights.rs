//! Weights for `pallet_ledger`. Replaced by `bash scripts/benchmark-weights.sh`.

#![allow(missing_docs)]
use frame_support::weights::Weight;

/// Weight functions needed for `pallet_ledger`.
pub trait WeightInfo {
	fn create_security() -> Weight;
	fn create_cash_asset() -> Weight;
	fn set_status() -> Weight;
	fn set_trading_units() -> Weight;
	fn issue() -> Weight;
	fn retire() -> Weight;
}

impl WeightInfo for () {
	fn create_security() -> Weight { Weight::zero() }
	fn create_cash_asset() -> Weight { Weight::zero() }
	fn set_status() -> Weight { Weight::zero() }
	fn set_trading_units() -> Weight { Weight::zero() }
	fn issue() -> Weight { Weight::zero() }
	fn retire() -> Weight { Weight::zero() }
}

/// Bootstrap weights until `benchmark pallet` generates this file.
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn create_security() -> Weight { Weight::zero() }
	fn create_cash_asset() -> Weight { Weight::zero() }
	fn set_status() -> Weight { Weight::zero() }
	fn set_trading_units() -> Weight { Weight::zero() }
	fn issue() -> Weight { Weight::zero() }
	fn retire() -> Weight { Weight::zero() }
}
