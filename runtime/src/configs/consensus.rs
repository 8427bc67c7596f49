//! Block production (Aura), finality (GRANDPA), sessions and the consortium's validator set.

use crate::{AccountId, Balances, Runtime, RuntimeEvent, SessionKeys, ValidatorSet, SESSION_PERIOD};
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::Void;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

/// The most validators the chain supports.
pub type MaxAuthorities = ConstU32<32>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// Validators are known institutions: equivocation is handled off chain, by the consortium.
	type KeyOwnerProof = Void;
	type EquivocationReportSystem = ();
}

parameter_types! {
	pub const Period: u32 = SESSION_PERIOD;
	pub const Offset: u32 = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	// Validators are admitted by the consortium, not by a deposit.
	type KeyDeposit = ();
}

/// Session keys as registered in `pallet-session`.
pub struct SessionKeysInSession;
impl pallet_validator_set::SessionKeysRegistry<AccountId> for SessionKeysInSession {
	fn has_keys(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(who: &AccountId) {
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::from_raw([0; 32]).into(),
			grandpa: sp_core::ed25519::Public::from_raw([0; 32]).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ConsortiumOrigin = crate::configs::ConsortiumOrigin;
	type SessionKeys = SessionKeysInSession;
	type MinValidators = ConstU32<1>;
	type MaxValidators = MaxAuthorities;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
}
