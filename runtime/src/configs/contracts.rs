//! Contracts: pallet-revive, configured for a permissioned chain (docs/contracts-design.md §1).
//!
//! - Code is uploaded and instantiated by accounts holding `Role::Developer` only; any account
//!   with a role may call a contract (`check_caller`).
//! - Every account is mapped to its Ethereum address when it is created (`AutoMap`, through
//!   `frame_system`'s `OnNewAccount`), so no account needs a mapping call; accounts created
//!   before contracts existed are mapped by [`crate::migrations::MapExistingAccounts`].
//! - Solidity compiled by solc runs on revive's EVM interpreter (`AllowEVMBytecode`); debug
//!   settings are off.
//! - Contract calls are native transactions, paid with the chain's own fee model (`FeeInfo =
//!   ()`). Ethereum-signed transactions are refused: their signers are unmapped fallback accounts
//!   that hold no role, so [`callable`] keeps `eth_transact` and its kin, and dispatching as a
//!   fallback account, out of the chain.

use crate::{
	AccountId, Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Timestamp, UNIT,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU32, ConstU64, Contains},
};
use pallet_revive::Call as ReviveCall;
use sp_runtime::Perbill;

/// The deposit for `items` storage items and `bytes` bytes a contract keeps on chain, in the
/// native token (the same scale as revive's reference runtimes: 0.2 UNIT an item, 10⁻⁵ UNIT a
/// byte).
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	items as Balance * (UNIT / 5) + bytes as Balance * (UNIT / 100_000)
}

parameter_types! {
	pub const DepositPerItem: Balance = deposit(1, 0);
	pub const DepositPerChildTrieItem: Balance = deposit(1, 0) / 100;
	pub const DepositPerByte: Balance = deposit(0, 1);
	pub const CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
}

/// The chain id contracts read with `block.chainid` (0x5153, "QS").
pub const CHAIN_ID: u64 = 0x5153;

#[derive_impl(pallet_revive::config_preludes::TestDefaultConfig)]
impl pallet_revive::Config for Runtime {
	type Time = Timestamp;
	type Balance = Balance;
	type Currency = Balances;
	type AddressMapper = pallet_revive::AccountId32Mapper<Self>;
	type AutoMap = ConstBool<true>;
	type AllowEVMBytecode = ConstBool<true>;
	type DebugEnabled = ConstBool<false>;
	type UploadOrigin = pallet_members::EnsureDeveloper<Runtime>;
	type InstantiateOrigin = pallet_members::EnsureDeveloper<Runtime>;
	type DepositPerItem = DepositPerItem;
	type DepositPerChildTrieItem = DepositPerChildTrieItem;
	type DepositPerByte = DepositPerByte;
	type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
	/// `UNIT` is 10¹²; Ethereum's wei scale is 10¹⁸.
	type NativeToEthRatio = ConstU32<1_000_000>;
	type ChainId = ConstU64<CHAIN_ID>;
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, crate::Aura>;
	type FeeInfo = ();
	/// The settlement precompile at `0x…0900_0000` (`contracts/sdk/ISettlement.sol`).
	type Precompiles = (pallet_settlement_precompile::SettlementPrecompile<Runtime>,);
	type WeightInfo = pallet_revive::weights::SubstrateWeight<Self>;
}

/// Whether `call` may be dispatched at all on this chain. Everything may, except the contract
/// calls that only Ethereum-signed transactions or unmapped fallback accounts use:
/// - `eth_transact` (the wrapper of an Ethereum-signed transaction) and the calls it becomes
///   (`eth_call`, `eth_instantiate_with_code`, `eth_substrate_call`): their signer is a fallback
///   account with no role, outside the member registry and `check_caller`;
/// - `dispatch_as_fallback_account`: it would let a member act as an account that holds no
///   role.
///
/// `map_account` and `unmap_account` stay (revive refuses them itself while `AutoMap` is on).
pub fn callable(call: &RuntimeCall) -> bool {
	!matches!(
		call,
		RuntimeCall::Revive(
			ReviveCall::eth_transact { .. }
				| ReviveCall::eth_call { .. }
				| ReviveCall::eth_instantiate_with_code { .. }
				| ReviveCall::eth_substrate_call { .. }
				| ReviveCall::dispatch_as_fallback_account { .. }
		)
	)
}

/// The runtime's base call filter: [`callable`].
pub struct BaseCallFilter;

impl Contains<RuntimeCall> for BaseCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		callable(call)
	}
}

/// The Ethereum address of a native account, as contracts see it (`msg.sender`).
pub fn address_of(who: &AccountId) -> sp_core::H160 {
	<pallet_revive::AccountId32Mapper<Runtime> as pallet_revive::AddressMapper<Runtime>>::to_address(who)
}

/// The contract instance at an account now: pallet-revive's contract information at its
/// address, identified by a hash of its child-trie id, which revive derives from the address
/// and the deployer's nonce, so a contract created again at the address of one that terminated
/// (CREATE2) is another instance. The settlement pallet binds approvals, allowances and holds to
/// the instance they were given to; what a terminated instance held is reclaimed by its owners'
/// brokers (`Settlement::reclaim_contract_hold`).
pub struct LiveContracts;
impl pallet_settlement::DeployedContracts<AccountId> for LiveContracts {
	fn instance(who: &AccountId) -> Option<pallet_settlement::ContractInstance> {
		pallet_revive::AccountInfo::<Runtime>::load_contract(&address_of(who))
			.map(|info| sp_io::hashing::blake2_256(&info.trie_id))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create(who: &AccountId) -> pallet_settlement::ContractInstance {
		let address = address_of(who);
		if let Ok(info) = pallet_revive::ContractInfo::<Runtime>::new(&address, 0, sp_core::H256::zero()) {
			pallet_revive::AccountInfo::<Runtime>::insert_contract(&address, info);
		}
		Self::instance(who).unwrap_or_default()
	}
}
