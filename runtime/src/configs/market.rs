//! The market: the ledger of securities and cash, and T+0 settlement.

use super::governance::ConsortiumOrigin;
use crate::{AccountId, BlockNumber, Ledger, Members, Runtime, RuntimeEvent, RuntimeHoldReason, Timestamp, DAYS};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use sp_runtime::traits::AccountIdConversion;

parameter_types! {
	/// Collects handling fees on exchange trades.
	pub FeeAccount: AccountId = PalletId(*b"qs/fees_").into_account_truncating();
	/// Collects stamp duty on sales, for the tax authority.
	pub TaxAccount: AccountId = PalletId(*b"qs/stamp").into_account_truncating();
	/// An instruction may stay open for up to a week.
	pub const MaxInstructionLifetime: BlockNumber = 7 * DAYS;
}

impl pallet_ledger::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ConsortiumOrigin = ConsortiumOrigin;
	type Members = Members;
	type WeightInfo = pallet_ledger::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Members;
}

impl pallet_settlement::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Members = Members;
	type MemberOrigin = pallet_members::EnsureMember<Runtime>;
	type BankOrigin = pallet_members::EnsureClearingBank<Runtime>;
	type ConsortiumOrigin = ConsortiumOrigin;
	type UnixTime = Timestamp;
	// Settlement days run midnight to midnight Beijing time (UTC+8).
	type DayOffset = ConstU64<28_800>;
	type FeeAccount = FeeAccount;
	type TaxAccount = TaxAccount;
	type MaxLegs = ConstU32<8>;
	type MaxDuePerBlock = ConstU32<64>;
	type MaxInstructionLifetime = MaxInstructionLifetime;
	type MaxEnvelopeLen = ConstU32<2048>;
	type WeightInfo = pallet_settlement::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

/// Builds the settlement benchmarks' world from the real pallets.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_settlement::benchmarking::BenchmarkHelper<AccountId> for BenchmarkHelper {
	fn grant(who: &AccountId, role: qingsuan_primitives::Role) {
		<Members as qingsuan_primitives::RoleGrant<AccountId>>::grant(who, role);
	}
	fn create_security(asset: u32) {
		let info = pallet_ledger::SecurityInfo {
			code: frame_support::BoundedVec::truncate_from(b"AAPL".to_vec()),
			isin: *b"US0378331005",
			name: frame_support::BoundedVec::truncate_from(b"Benchmark security".to_vec()),
			lot_size: 1,
			tick_size: 1,
		};
		if let Err(e) = Ledger::do_register(asset, pallet_ledger::InstrumentKind::Security(info)) {
			panic!("benchmark set-up: cannot register security {asset}: {e:?}");
		}
	}
	fn set_clock() {
		// 2025-11-23 00:00 UTC: a block of a running chain, not genesis.
		pallet_timestamp::Now::<Runtime>::put(1_763_856_000_000u64);
	}
	fn create_cash(asset: u32, bank: &AccountId) {
		let info = pallet_ledger::CashInfo { currency: *b"CNY", bank: bank.clone() };
		if let Err(e) = Ledger::do_register(asset, pallet_ledger::InstrumentKind::Cash(info)) {
			panic!("benchmark set-up: cannot register cash asset {asset}: {e:?}");
		}
	}
}
