//! # Qingsuan runtime
//!
//! The FRAME runtime of Qingsuan, a permissioned settlement chain for securities brokerage.
//!
//! - Consensus: Aura block production in 1 s slots, GRANDPA finality; the validator set is
//!   managed by the consortium through `pallet-validator-set` and `pallet-session`.
//! - Governance: the consortium origin is two thirds of the member council
//!   (`pallet-collective` + `pallet-membership`); root (sudo) exists only on the dev chain.
//! - Permissioning: `pallet-node-authorization` (which nodes may connect) and `pallet-members`
//!   (which accounts hold which roles).
//!
//! This file composes the pallets; their configuration is in [`configs`], the runtime APIs in
//! [`apis`], and the genesis presets in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-generated items carry no docs of their own.
#![allow(missing_docs)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Before `apis`: its `define_benchmarks!` defines the macros the benchmark API calls.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod check_caller;
pub mod configs;
pub mod genesis_config_presets;
pub mod migrations;
pub mod weights;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use qingsuan_primitives::{AccountId, Balance, BlockNumber, Hash, Nonce, Signature, UNIT};

/// Opaque types: what the node needs to know about blocks without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The keys a validator registers with `session.set_keys`.
	pub struct SessionKeys {
		/// Block production (sr25519).
		pub aura: Aura,
		/// Finality voting (ed25519).
		pub grandpa: Grandpa,
	}
}

/// The runtime's version; `spec_version` goes up with every change of runtime logic.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("qingsuan"),
	impl_name: Cow::Borrowed("qingsuan"),
	authoring_version: 1,
	spec_version: 115,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	// 3: `margin.openCredit` takes a short fee rate.
	transaction_version: 3,
	system_version: 1,
};

/// Milliseconds between blocks: one Aura slot.
pub const MILLISECS_PER_BLOCK: u64 = 1000;
/// The Aura slot duration. It cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;
/// Blocks per session: the validator set can change once per session. `pallet_session` claims a
/// whole block's weight in the block that rotates, so that block carries no transactions: with
/// 10-block sessions that was a tenth of the chain's capacity and a one-second stall every ten
/// seconds (seen with `scripts/benchmark-block.sh`); a minute costs a sixtieth.
pub const SESSION_PERIOD: BlockNumber = MINUTES;

/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1000;

/// The address format for describing accounts.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// The checks every signed transaction passes, in order.
pub type TxExtension = (
	// Turns an unsigned transaction of a call with `#[pallet::authorize]` (the order book's
	// off-chain upkeep) into an authorized one, or refuses it.
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	// Signers without a role may make almost no call (`check_caller`): refused before any fee.
	check_caller::CheckCaller,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);
/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Migrations to run on runtime upgrade, aside from the pallets' own. Each is versioned: it
/// runs once, when the pallet's on-chain storage version is the one it starts from.
type Migrations = (
	pallet_ledger::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_orderbook::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_orderbook::migrations::v2::MigrateV1ToV2<Runtime>,
	// Before the order book's: its checks read the investors registry.
	pallet_investors::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_orderbook::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_settlement::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_settlement::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_settlement::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_settlement::migrations::v4::MigrateV3ToV4<Runtime>,
	pallet_settlement::migrations::v5::MigrateV4ToV5<Runtime>,
	pallet_margin::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_margin::migrations::v2::MigrateV1ToV2<Runtime>,
	migrations::MapExistingAccounts,
);
/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Consensus. The validator set must come before the session pallet, whose genesis asks it
	// for the first validators; Aura and GRANDPA take their authorities from the session.
	#[runtime::pallet_index(10)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(11)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(12)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(13)]
	pub type Grandpa = pallet_grandpa;

	// Governance and permissioning.
	#[runtime::pallet_index(20)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(21)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(22)]
	pub type NodeAuthorization = pallet_node_authorization;
	#[runtime::pallet_index(23)]
	pub type Members = pallet_members;

	// The market.
	#[runtime::pallet_index(30)]
	pub type Ledger = pallet_ledger;
	#[runtime::pallet_index(31)]
	pub type Settlement = pallet_settlement;
	#[runtime::pallet_index(32)]
	pub type Orderbook = pallet_orderbook;
	#[runtime::pallet_index(33)]
	pub type Investors = pallet_investors;
	#[runtime::pallet_index(34)]
	pub type Compliance = pallet_compliance;
	#[runtime::pallet_index(35)]
	pub type Margin = pallet_margin;

	#[runtime::pallet_index(40)]
	pub type Revive = pallet_revive;

	#[runtime::pallet_index(99)]
	pub type Sudo = pallet_sudo;
}
