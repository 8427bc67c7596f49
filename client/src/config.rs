//! How subxt speaks to Qingsuan: the runtime's account, address and signature types and its
//! transaction extensions.

use subxt::{
	config::{Config, DefaultTransactionExtensions, SubstrateConfig},
	ext::{scale_decode::DecodeAsType, scale_encode::EncodeAsType},
	utils::{AccountId32, MultiAddress},
};

/// Qingsuan's chain configuration for subxt: 32-byte account ids, `MultiAddress<AccountId, ()>`
/// addresses, the runtime's [`Signature`] (sr25519, ed25519, ECDSA or SM2), blake2-256 hashes.
///
/// The runtime's transaction extensions are Substrate's (spec and transaction version, genesis,
/// era, nonce, weight, payment), `AuthorizeCall` and `CheckNonZeroSender` (which add nothing to
/// a transaction) and Qingsuan's `CheckCaller` (which adds nothing either): subxt's defaults
/// encode them all.
#[derive(Debug, Clone, Default)]
pub struct QingsuanConfig(SubstrateConfig);

impl Config for QingsuanConfig {
	type AccountId = AccountId32;
	type Address = MultiAddress<AccountId32, ()>;
	type Signature = Signature;
	type AssetId = u32;
	type Hasher = <SubstrateConfig as Config>::Hasher;
	type Header = <SubstrateConfig as Config>::Header;
	type TransactionExtensions = DefaultTransactionExtensions<QingsuanConfig>;

	fn genesis_hash(&self) -> Option<subxt::config::HashFor<Self>> {
		self.0.genesis_hash()
	}

	fn metadata_for_spec_version(&self, spec_version: u32) -> Option<subxt::ArcMetadata> {
		self.0.metadata_for_spec_version(spec_version)
	}

	fn set_metadata_for_spec_version(&self, spec_version: u32, metadata: subxt::ArcMetadata) {
		self.0.set_metadata_for_spec_version(spec_version, metadata);
	}

	fn spec_and_transaction_version_for_block_number(&self, block_number: u64) -> Option<(u32, u32)> {
		self.0.spec_and_transaction_version_for_block_number(block_number)
	}
}

/// A transaction signature as the runtime takes it (`qingsuan_primitives::Signature`): the
/// variants and their order are the runtime's.
#[derive(Clone, Debug, PartialEq, Eq, EncodeAsType, DecodeAsType)]
#[encode_as_type(crate_path = "subxt::ext::scale_encode")]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub enum Signature {
	/// An ed25519 signature.
	Ed25519([u8; 64]),
	/// An sr25519 signature.
	Sr25519([u8; 64]),
	/// A recoverable secp256k1 ECDSA signature.
	Ecdsa([u8; 65]),
	/// An SM2 signature (GB/T 32918.2, default identity) with the public key that made it: the
	/// account is derived from the key ([`crate::keys::sm2_account`]).
	Sm2(Sm2Signature),
}

/// An SM2 signature and its signer's compressed public key.
#[derive(Clone, Debug, PartialEq, Eq, EncodeAsType, DecodeAsType)]
#[encode_as_type(crate_path = "subxt::ext::scale_encode")]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub struct Sm2Signature {
	/// The compressed SEC1 public key.
	pub public: [u8; 33],
	/// `r ‖ s`.
	pub signature: [u8; 64],
}
