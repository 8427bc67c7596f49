//! Who may sign what: a transaction extension that refuses, at the pool and in blocks, a
//! signed transaction whose signer has no business making its call.
//!
//! On a permissioned chain an account without a role (a key someone funded, a member whose
//! roles were revoked) should not be able to fill blocks: before this check any funded account
//! could call anything and pay for it. The pallets still check each call's origin at dispatch;
//! this check only decides which signers may have their transactions included at all:
//!
//! - an account holding a role in `pallet_members` (broker, bank, regulator, attestor): any
//!   call (the call's own origin check then applies, and the fee is charged);
//! - a council member: the council's and its membership's calls;
//! - the sudo key (dev and test chains): `sudo` calls;
//! - a validator: `session` calls (its keys);
//! - anyone with live orders: `cancel_order` and `cancel_orders` (a revoked member takes its
//!   orders off the book);
//! - nobody else: nothing. Unsigned and authorized transactions (the order book's upkeep) are
//!   not signed and not affected.
//!
//! A call the runtime's base filter refuses (Ethereum-signed contract calls,
//! `configs::contracts::callable`) is refused here for everyone, so that it never pays a fee to
//! fail at dispatch.
//!
//! Contracts: any account with a role may call one; uploading and instantiating code need
//! `Role::Developer`, which the contracts pallet checks itself.

use crate::{AccountId, Runtime, RuntimeCall, RuntimeOrigin};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{pallet_prelude::TransactionSource, traits::OriginTrait};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, TransactionExtension},
	transaction_validity::InvalidTransaction,
	Weight,
};

/// The `InvalidTransaction::Custom` code of a signer that may not make its call.
pub const NOT_PERMITTED: u8 = 41;

/// Whether `who` may sign `call` (see the module's documentation).
pub fn may_call(who: &AccountId, call: &RuntimeCall) -> bool {
	if !crate::configs::contracts::callable(call) {
		return false;
	}
	if pallet_members::MemberRoles::<Runtime>::contains_key(who) {
		return true;
	}
	match call {
		RuntimeCall::Council(_) | RuntimeCall::CouncilMembership(_) => {
			pallet_collective::Members::<Runtime, crate::configs::CouncilCollective>::get().contains(who)
		},
		RuntimeCall::Sudo(_) => pallet_sudo::Key::<Runtime>::get().as_ref() == Some(who),
		RuntimeCall::Session(_) => pallet_validator_set::Validators::<Runtime>::get().contains(who),
		RuntimeCall::Orderbook(
			pallet_orderbook::Call::cancel_order { .. } | pallet_orderbook::Call::cancel_orders { .. },
		) => pallet_orderbook::AccountOrders::<Runtime>::iter_key_prefix(who).next().is_some(),
		_ => false,
	}
}

/// Refuses a signed transaction whose signer [`may_call`] refuses, with
/// `InvalidTransaction::Custom(NOT_PERMITTED)`.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, Default, TypeInfo)]
pub struct CheckCaller;

impl core::fmt::Debug for CheckCaller {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckCaller")
	}
}

impl TransactionExtension<RuntimeCall> for CheckCaller {
	const IDENTIFIER: &'static str = "CheckCaller";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _: &RuntimeCall) -> Weight {
		// At most the roles and one of the council, sudo key, validators or orders: two reads.
		<Runtime as frame_system::Config>::DbWeight::get().reads(2)
	}

	fn validate(
		&self,
		origin: RuntimeOrigin,
		call: &RuntimeCall,
		_info: &DispatchInfoOf<RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> sp_runtime::traits::ValidateResult<Self::Val, RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			if !may_call(who, call) {
				return Err(InvalidTransaction::Custom(NOT_PERMITTED).into());
			}
		}
		Ok((Default::default(), (), origin))
	}

	impl_tx_ext_default!(RuntimeCall; prepare);
}
