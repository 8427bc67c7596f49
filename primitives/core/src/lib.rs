//! Types shared by the Qingsuan runtime, node and clients.
//!
//! Everything here is `no_std` and SCALE-encodable, so the runtime, the node and the Rust SDK
//! agree on one definition of an account, an amount or a member role.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::traits::{IdentifyAccount, Verify};

pub mod investors;
pub mod market;
pub mod orders;
pub mod signature;
pub mod upkeep;

/// Height of a block.
pub type BlockNumber = u32;
/// Signature of an extrinsic: ed25519, sr25519, ecdsa or SM2 (see [`signature`]).
pub type Signature = signature::Signature;
/// An account on chain: 32 bytes, derived from the signer's public key.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// An amount of the native fee token, in its smallest unit.
pub type Balance = u128;
/// Count of transactions an account has sent.
pub type Nonce = u32;
/// Hash of a block or of state.
pub type Hash = sp_core::H256;

/// One unit of the native fee token (it has 12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;

/// The SM2 secret of the development chains' clearing bank envelope key: a well-known key, like
/// the `//Alice` keys, that tests and the dev bank client use to open payee envelopes. Never use
/// it on a real chain.
pub const DEV_BANK_ENVELOPE_SECRET: [u8; 32] = *b"qingsuan/dev/bank/envelope/key/1";

/// The SM2 secret of the development chain's attestor (Eve): a well-known key, like the
/// `//Alice` keys, that tests and examples sign claims with. Never use it on a real chain.
pub const DEV_ATTESTOR_SECRET: [u8; 32] = *b"qingsuan/dev/attestor/claims/k01";

/// The account `SM3(domain ‖ parts…)` names: the ids of accounts nobody holds a key for
/// (investor accounts, client-money accounts, credit accounts, a broker's margin pools).
pub fn derived_account<A: codec::Decode>(domain: &[u8], parts: &[&[u8]]) -> A {
	let mut data = alloc::vec::Vec::with_capacity(domain.len() + parts.iter().map(|p| p.len()).sum::<usize>());
	data.extend_from_slice(domain);
	for part in parts {
		data.extend_from_slice(part);
	}
	let mut digest = [0u8; 32];
	qingsuan_sm_crypto::host::sm::sm3(&data, &mut digest);
	A::decode(&mut sp_runtime::traits::TrailingZeroInput::new(&digest))
		.expect("an account id decodes from any bytes followed by zeros (as a pallet id's); qed")
}

/// A role the consortium grants to an account.
///
/// One account may hold several roles (a clearing bank may also be an attestor).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Role {
	/// A member broker: places orders for its clients and settles trades.
	MemberBroker,
	/// A clearing bank: moves cash into and out of the chain.
	ClearingBank,
	/// A regulator: reads everything, writes nothing of the market.
	Regulator,
	/// An attestor: signs KYC and investor-suitability claims.
	Attestor,
	/// A contract developer: uploads and instantiates settlement contracts (code on the chain is
	/// reviewed by the consortium, which grants this role, before it is uploaded).
	Developer,
}

impl Role {
	/// Every role, in encoding order.
	pub const ALL: [Role; 5] =
		[Role::MemberBroker, Role::ClearingBank, Role::Regulator, Role::Attestor, Role::Developer];

	/// The bit this role occupies in a [`Roles`] set.
	pub const fn bit(self) -> u8 {
		1 << (self as u8)
	}
}

/// The set of roles one account holds, stored as a bit set.
#[derive(
	Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Roles(u8);

impl Roles {
	/// Whether `role` is in the set.
	pub const fn contains(self, role: Role) -> bool {
		self.0 & role.bit() != 0
	}

	/// The set with `role` added.
	pub const fn with(self, role: Role) -> Self {
		Roles(self.0 | role.bit())
	}

	/// The set with `role` removed.
	pub const fn without(self, role: Role) -> Self {
		Roles(self.0 & !role.bit())
	}

	/// Whether the set holds no role.
	pub const fn is_empty(self) -> bool {
		self.0 == 0
	}

	/// Whether only bits of known roles are set.
	pub const fn is_valid(self) -> bool {
		let known = Role::MemberBroker.bit()
			| Role::ClearingBank.bit()
			| Role::Regulator.bit()
			| Role::Attestor.bit()
			| Role::Developer.bit();
		self.0 & !known == 0
	}

	/// The roles in the set, in encoding order.
	pub fn iter(self) -> impl Iterator<Item = Role> {
		Role::ALL.into_iter().filter(move |r| self.contains(*r))
	}
}

/// Read access to the member registry, for pallets that check roles without an origin.
pub trait RoleInspect<AccountId> {
	/// Whether `who` holds `role`.
	fn has_role(who: &AccountId, role: Role) -> bool;
}

/// Grants roles where a pallet that only inspects roles must set them up: benchmarks and tests.
pub trait RoleGrant<AccountId> {
	/// Make `who` hold `role` (nothing if it already does).
	fn grant(who: &AccountId, role: Role);
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn roles_set_adds_and_removes_each_role_independently() {
		let mut set = Roles::default();
		assert!(set.is_empty());
		for role in Role::ALL {
			assert!(!set.contains(role));
			set = set.with(role);
			assert!(set.contains(role));
		}
		assert_eq!(set.iter().collect::<Vec<_>>(), Role::ALL.to_vec());
		set = set.without(Role::ClearingBank);
		assert!(!set.contains(Role::ClearingBank));
		assert!(set.contains(Role::Regulator));
		assert!(set.is_valid());
		assert!(!Roles(0x80).is_valid());
	}

	#[test]
	fn role_encoding_is_stable() {
		// Clients and chain specs depend on these indices; changing them is a breaking change.
		assert_eq!(Role::MemberBroker.encode(), vec![0]);
		assert_eq!(Role::ClearingBank.encode(), vec![1]);
		assert_eq!(Role::Regulator.encode(), vec![2]);
		assert_eq!(Role::Attestor.encode(), vec![3]);
	}
}
