//! Weights for `pallet_margin`: placeholder until `scripts/benchmark-weights.sh` generates them.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_margin`.
pub trait WeightInfo {
	fn set_parameters() -> Weight;
	fn set_conversion() -> Weight;
	fn open_credit() -> Weight;
	fn renew_credit() -> Weight;
	fn close_credit(p: u32) -> Weight;
	fn fund_pool() -> Weight;
	fn withdraw_pool() -> Weight;
	fn deposit_collateral() -> Weight;
	fn withdraw_collateral(p: u32) -> Weight;
	fn financed_buy(p: u32) -> Weight;
	fn collateral_buy(p: u32) -> Weight;
	fn sell() -> Weight;
	fn repay(p: u32) -> Weight;
	fn report_fill() -> Weight;
	fn report_end() -> Weight;
}

impl WeightInfo for () {
	fn report_fill() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn report_end() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn set_parameters() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn set_conversion() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn open_credit() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn renew_credit() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn close_credit(_p: u32) -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn fund_pool() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn withdraw_pool() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn deposit_collateral() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn withdraw_collateral(_p: u32) -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn financed_buy(_p: u32) -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn collateral_buy(_p: u32) -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn sell() -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
	fn repay(_p: u32) -> Weight { Weight::from_parts(1_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(20, 20)) }
}
