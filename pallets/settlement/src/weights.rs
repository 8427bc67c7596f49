//! Weights for `pallet_settlement`. Replaced by `bash scripts/benchmark-weights.sh`.

#![allow(missing_docs)]
use frame_support::weights::Weight;

/// Weight functions needed for `pallet_settlement`.
pub trait WeightInfo {
	fn settle_trade() -> Weight;
	fn create_instruction(l: u32) -> Weight;
	fn affirm_instruction(l: u32) -> Weight;
	fn reject_instruction(l: u32) -> Weight;
	fn execute_instruction(l: u32) -> Weight;
	fn process_due(n: u32) -> Weight;
	fn set_fee_schedule() -> Weight;
	fn set_bank_key() -> Weight;
	fn request_deposit() -> Weight;
	fn confirm_deposit() -> Weight;
	fn reject_deposit() -> Weight;
	fn request_withdrawal() -> Weight;
	fn confirm_withdrawal() -> Weight;
	fn reject_withdrawal() -> Weight;
}

impl WeightInfo for () {
	fn settle_trade() -> Weight { Weight::zero() }
	fn create_instruction(_l: u32) -> Weight { Weight::zero() }
	fn affirm_instruction(_l: u32) -> Weight { Weight::zero() }
	fn reject_instruction(_l: u32) -> Weight { Weight::zero() }
	fn execute_instruction(_l: u32) -> Weight { Weight::zero() }
	fn process_due(_n: u32) -> Weight { Weight::zero() }
	fn set_fee_schedule() -> Weight { Weight::zero() }
	fn set_bank_key() -> Weight { Weight::zero() }
	fn request_deposit() -> Weight { Weight::zero() }
	fn confirm_deposit() -> Weight { Weight::zero() }
	fn reject_deposit() -> Weight { Weight::zero() }
	fn request_withdrawal() -> Weight { Weight::zero() }
	fn confirm_withdrawal() -> Weight { Weight::zero() }
	fn reject_withdrawal() -> Weight { Weight::zero() }
}

/// Bootstrap weights until `benchmark pallet` generates this file.
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn settle_trade() -> Weight { Weight::zero() }
	fn create_instruction(_l: u32) -> Weight { Weight::zero() }
	fn affirm_instruction(_l: u32) -> Weight { Weight::zero() }
	fn reject_instruction(_l: u32) -> Weight { Weight::zero() }
	fn execute_instruction(_l: u32) -> Weight { Weight::zero() }
	fn process_due(_n: u32) -> Weight { Weight::zero() }
	fn set_fee_schedule() -> Weight { Weight::zero() }
	fn set_bank_key() -> Weight { Weight::zero() }
	fn request_deposit() -> Weight { Weight::zero() }
	fn confirm_deposit() -> Weight { Weight::zero() }
	fn reject_deposit() -> Weight { Weight::zero() }
	fn request_withdrawal() -> Weight { Weight::zero() }
	fn confirm_withdrawal() -> Weight { Weight::zero() }
	fn reject_withdrawal() -> Weight { Weight::zero() }
}
