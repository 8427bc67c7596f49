//! The market: the ledger of securities and cash, and T+0 settlement.

use super::governance::ConsortiumOrigin;
use crate::{
	AccountId, BlockNumber, Compliance, Investors, Ledger, Margin, Members, Orderbook, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, Settlement, Timestamp, TxExtension, UncheckedExtrinsic, DAYS,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
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
	type Investors = Investors;
	type WeightInfo = pallet_ledger::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

impl pallet_investors::Config for Runtime {
	/// Investor accounts get their contract addresses when opened (`configs::contracts`).
	type OnOpen = pallet_revive::AutoMapper<Runtime>;
	type OnClose = pallet_revive::AutoMapper<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Members = Members;
	type OpenOrders = Orderbook;
	type BrokerOrigin = pallet_members::EnsureMember<Runtime>;
	type RegulatorOrigin = pallet_members::EnsureRegulator<Runtime>;
	type ConsortiumOrigin = ConsortiumOrigin;
	type MaxCashAssets = ConstU32<{ pallet_ledger::MAX_CASH_ASSETS }>;
	type WeightInfo = pallet_investors::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

impl pallet_compliance::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Instruments = Ledger;
	type Investors = Investors;
	type Members = Members;
	type Time = Timestamp;
	type ConsortiumOrigin = ConsortiumOrigin;
	type AttestorOrigin = pallet_members::EnsureAttestor<Runtime>;
	type MaxTrusted = ConstU32<8>;
	// One claim per kind from two attestors, nearly: 9 kinds.
	type MaxClaims = ConstU32<16>;
	// Three years, in milliseconds: suitability assessments and identity checks are renewed
	// within that.
	type MaxClaimLifetime = ConstU64<{ 3 * 365 * 86_400_000 }>;
	type WeightInfo = pallet_compliance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

impl pallet_settlement::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Members = Members;
	type Investors = Investors;
	// Instruction legs pass the same rules as orders.
	type Compliance = Compliance;
	// A terminated contract's holds are reclaimed by its owners' brokers.
	type Contracts = crate::configs::contracts::LiveContracts;
	type Prices = Orderbook;
	type MemberOrigin = pallet_members::EnsureMember<Runtime>;
	type BankOrigin = pallet_members::EnsureClearingBank<Runtime>;
	type RegulatorOrigin = pallet_members::EnsureRegulator<Runtime>;
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
	type MaxPendingRequests = ConstU32<32>;
	type WeightInfo = pallet_settlement::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

parameter_types! {
	/// Upkeep from validators' off-chain workers goes before members' transactions: a sweep
	/// holds its market until it is done.
	pub const UpkeepPriority: sp_runtime::transaction_validity::TransactionPriority =
		sp_runtime::transaction_validity::TransactionPriority::MAX / 2;
}

/// The keys whose order-book upkeep is accepted: the block authors of the current session.
pub struct AuraAuthorities;
impl frame_support::traits::Get<alloc::vec::Vec<AuraId>> for AuraAuthorities {
	fn get() -> alloc::vec::Vec<AuraId> {
		pallet_aura::Authorities::<Runtime>::get().into_inner()
	}
}

impl pallet_orderbook::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Settlement = Settlement;
	// Investor suitability before every order; margin checks join it as a pair.
	type PreTrade = Compliance;
	// A credit account's orders, placed by the margin pallet, report their fills and ends to it.
	type Reports = Margin;
	type MemberOrigin = pallet_members::EnsureMember<Runtime>;
	type Members = Members;
	type Investors = Investors;
	type ConsortiumOrigin = ConsortiumOrigin;
	type RegulatorOrigin = pallet_members::EnsureRegulator<Runtime>;
	type MaxFillsPerCall = ConstU32<64>;
	type MaxOrdersPerMarket = ConstU32<2_048>;
	// An eighth of a book each (a broker's investors share its part): no member can lock the
	// others out of a market.
	type MaxOrdersPerBroker = ConstU32<256>;
	type MaxStopsPerAccount = ConstU32<64>;
	type MaxBatch = ConstU32<64>;
	type WorkerId = AuraId;
	type WorkerSignature = sp_consensus_aura::sr25519::AuthoritySignature;
	type Workers = AuraAuthorities;
	type UpkeepLifetime = ConstU32<5>;
	type UpkeepPriority = UpkeepPriority;
	type WeightInfo = pallet_orderbook::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

impl pallet_margin::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Investors = Investors;
	// A valid `Margin` claim from an attestor trusted for it.
	type Approval = Compliance;
	type Orders = Orderbook;
	type Calendar = Settlement;
	type Members = Members;
	type BrokerOrigin = pallet_members::EnsureMember<Runtime>;
	type ConsortiumOrigin = ConsortiumOrigin;
	type MaxPositions = ConstU32<16>;
	// Six months (the exchanges' longest contract term), in settlement days.
	type MaxTermDays = ConstU32<183>;
	// Markets whose marks are kept: each costs one read and one write per block.
	type MaxWatchedMarkets = ConstU32<128>;
	// Valuations at the start of each block: at most 16 × check_account (5.5 ms with 16
	// positions each, RocksDB weights), under a fifth of the block.
	type MaxRiskChecksPerBlock = ConstU32<16>;
	// Liquidation steps are upkeep like the order book's, signed with the same keys.
	type WorkerId = AuraId;
	type WorkerSignature = sp_consensus_aura::sr25519::AuthoritySignature;
	type Workers = AuraAuthorities;
	type UpkeepLifetime = ConstU32<5>;
	type UpkeepPriority = UpkeepPriority;
	type WeightInfo = pallet_margin::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// The off-chain worker's upkeep: a general transaction that [`frame_system::AuthorizeCall`]
/// authorizes; the other extensions see no signer (no nonce, no fee).
impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			crate::check_caller::CheckCaller,
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		)
	}
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
			isin: pallet_ledger::numbered_isin(asset),
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
	fn make_investor(broker: &AccountId, i: u32) -> AccountId {
		Self::investor_with_profile(broker, i)
	}
	fn open_market(security: u32, cash: u32) {
		let band = sp_runtime::Percent::from_percent(10);
		let stp = pallet_orderbook::SelfTradePrevention::CancelNewest;
		if let Err(e) = Orderbook::do_create_market(security, cash, 1, 1, 1_000, band, stp) {
			panic!("benchmark set-up: cannot open a market of {security}: {e:?}");
		}
	}
	fn full_profile(who: &AccountId) {
		pallet_compliance::benchmarking::full_profile::<Runtime>(who);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_orderbook::benchmarking::BenchmarkHelper<AccountId, AuraId> for BenchmarkHelper {
	fn make_member(who: &AccountId) {
		<Members as qingsuan_primitives::RoleGrant<AccountId>>::grant(who, qingsuan_primitives::Role::MemberBroker);
	}
	fn create_instruments(security: u32, cash: u32) {
		use pallet_settlement::benchmarking::BenchmarkHelper as _;
		Self::set_clock();
		<Self as pallet_orderbook::benchmarking::BenchmarkHelper<AccountId, AuraId>>::create_security(security);
		let bank: AccountId = frame_benchmarking::account("bank", 0, 0);
		Self::grant(&bank, qingsuan_primitives::Role::ClearingBank);
		Self::create_cash(cash, &bank);
	}
	fn create_security(security: u32) {
		let info = pallet_ledger::SecurityInfo {
			code: frame_support::BoundedVec::truncate_from(b"MSFT".to_vec()),
			isin: pallet_ledger::numbered_isin(security),
			name: frame_support::BoundedVec::truncate_from(b"Benchmark security".to_vec()),
			lot_size: 100,
			tick_size: 1,
		};
		if let Err(e) = Ledger::do_register(security, pallet_ledger::InstrumentKind::Security(info)) {
			panic!("benchmark set-up: cannot register security {security}: {e:?}");
		}
	}
	fn fund(who: &AccountId, asset: u32, amount: u128) {
		use frame_support::traits::tokens::fungibles::Mutate;
		if let Err(e) = <Ledger as Mutate<AccountId>>::mint_into(asset, who, amount) {
			panic!("benchmark set-up: cannot fund: {e:?}");
		}
	}
	fn add_worker(worker: &AuraId) {
		pallet_aura::Authorities::<Runtime>::mutate(|a| {
			let _ = a.try_push(worker.clone());
		});
	}
	fn make_investor(broker: &AccountId, i: u32) -> AccountId {
		Self::investor_with_profile(broker, i)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper {
	/// Open the `i`th investor of `broker`, with a full claims profile.
	fn investor_with_profile(broker: &AccountId, i: u32) -> AccountId {
		let mut commitment = [0u8; 32];
		commitment[..4].copy_from_slice(&i.to_le_bytes());
		let investor = match Investors::do_open_investor(broker, &commitment) {
			Ok(investor) => investor,
			Err(e) => panic!("benchmark set-up: cannot open investor {i}: {e:?}"),
		};
		pallet_compliance::benchmarking::full_profile::<Runtime>(&investor);
		investor
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_investors::benchmarking::BenchmarkHelper<AccountId> for BenchmarkHelper {
	fn make_broker(who: &AccountId) {
		<Members as qingsuan_primitives::RoleGrant<AccountId>>::grant(who, qingsuan_primitives::Role::MemberBroker);
	}
	fn cash() -> u32 {
		crate::genesis_config_presets::CNY
	}
	fn fund(who: &AccountId, asset: u32, amount: u128) {
		<Self as pallet_orderbook::benchmarking::BenchmarkHelper<AccountId, AuraId>>::fund(who, asset, amount);
	}
	fn create_cash(asset: u32) {
		use pallet_settlement::benchmarking::BenchmarkHelper as Settlement;
		let bank: AccountId = frame_benchmarking::account("bank", 0, 0);
		<Self as Settlement<AccountId>>::grant(&bank, qingsuan_primitives::Role::ClearingBank);
		<Self as Settlement<AccountId>>::create_cash(asset, &bank);
	}
	fn revoke_broker(who: &AccountId) {
		if let Err(e) = Members::do_revoke_role(who, qingsuan_primitives::Role::MemberBroker) {
			panic!("benchmark set-up: cannot revoke a broker: {e:?}");
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compliance::benchmarking::BenchmarkHelper<AccountId> for BenchmarkHelper {
	fn make_attestor(who: &AccountId) {
		<Members as qingsuan_primitives::RoleGrant<AccountId>>::grant(who, qingsuan_primitives::Role::Attestor);
	}
	fn security() -> u32 {
		crate::genesis_config_presets::MOUTAI
	}
	fn set_time(ms: u64) {
		pallet_timestamp::Now::<Runtime>::put(ms);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_ledger::benchmarking::BenchmarkHelper<AccountId> for BenchmarkHelper {
	fn grant(who: &AccountId, role: qingsuan_primitives::Role) {
		<Members as qingsuan_primitives::RoleGrant<AccountId>>::grant(who, role);
	}
	fn investor_of(broker: &AccountId) -> AccountId {
		match Investors::do_open_investor(broker, &[0x1e; 32]) {
			Ok(investor) => investor,
			Err(e) => panic!("benchmark set-up: cannot open an investor: {e:?}"),
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_margin::benchmarking::BenchmarkHelper<AccountId, AuraId> for BenchmarkHelper {
	fn broker() -> AccountId {
		let broker: AccountId = frame_benchmarking::account("margin-broker", 0, 0);
		<Members as qingsuan_primitives::RoleGrant<AccountId>>::grant(&broker, qingsuan_primitives::Role::MemberBroker);
		broker
	}
	fn cash() -> u32 {
		crate::genesis_config_presets::CNY
	}
	fn security(i: u32) -> (u32, u32) {
		let cash = crate::genesis_config_presets::CNY;
		let security = 930_000 + i;
		if let Some(market) = pallet_orderbook::MarketOf::<Runtime>::get((security, cash)) {
			return (security, market);
		}
		<Self as pallet_orderbook::benchmarking::BenchmarkHelper<AccountId, AuraId>>::create_security(security);
		let band = sp_runtime::Percent::from_percent(10);
		let stp = pallet_orderbook::SelfTradePrevention::CancelNewest;
		match Orderbook::do_create_market(security, cash, 1, 100, 100_000, band, stp) {
			Ok(market) => (security, market),
			Err(e) => panic!("benchmark set-up: cannot open a market of {security}: {e:?}"),
		}
	}
	fn investor(broker: &AccountId, i: u32) -> AccountId {
		Self::investor_with_profile(broker, i)
	}
	fn fund(who: &AccountId, asset: u32, amount: u128) {
		<Self as pallet_orderbook::benchmarking::BenchmarkHelper<AccountId, AuraId>>::fund(who, asset, amount);
	}
	fn set_clock() {
		<Self as pallet_settlement::benchmarking::BenchmarkHelper<AccountId>>::set_clock();
	}
	fn add_worker(worker: &AuraId) {
		pallet_aura::Authorities::<Runtime>::mutate(|a| {
			let _ = a.try_push(worker.clone());
		});
	}
}
