//! The account signature of Qingsuan: `MultiSignature`'s variants with their indices
//! (Ed25519 0, Sr25519 1, Ecdsa 2), and SM2 (3).
//!
//! Account ids stay 32 bytes, so generic Substrate clients keep working for the first three
//! schemes. An SM2 signature carries its signer's public key (33 bytes compressed): an SM2 key
//! does not fit in an account id and cannot be recovered from a signature. The account of an
//! SM2 key is `blake2_256("qingsuan/sm2" || compressed public key)`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use qingsuan_sm_crypto::{host::sm, sm2};
use scale_info::TypeInfo;
use sp_core::{ecdsa, ed25519, sr25519};
use sp_runtime::{
	traits::{IdentifyAccount, Lazy, Verify},
	AccountId32,
};

/// The prefix hashed with an SM2 public key into its account id.
pub const SM2_ACCOUNT_DOMAIN: &[u8] = b"qingsuan/sm2";

/// The account id of an SM2 public key.
pub fn sm2_account(public: &sm2::Public) -> AccountId32 {
	let mut preimage = [0u8; 12 + 33];
	preimage[..12].copy_from_slice(SM2_ACCOUNT_DOMAIN);
	preimage[12..].copy_from_slice(&public.0);
	sp_io::hashing::blake2_256(&preimage).into()
}

/// An SM2 signature with the public key that made it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Sm2Signature {
	/// The signer's compressed public key.
	pub public: sm2::Public,
	/// `r || s`, over the signed payload, for the default identity `"1234567812345678"`.
	pub signature: sm2::Signature,
}

/// A signature of any scheme an account may use.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum Signature {
	/// An Ed25519 signature.
	#[codec(index = 0)]
	Ed25519(ed25519::Signature),
	/// An Sr25519 signature.
	#[codec(index = 1)]
	Sr25519(sr25519::Signature),
	/// An ECDSA (secp256k1) signature, recoverable.
	#[codec(index = 2)]
	Ecdsa(ecdsa::Signature),
	/// An SM2 signature with its public key.
	#[codec(index = 3)]
	Sm2(Sm2Signature),
}

/// The public key behind an account, of any scheme.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum Signer {
	/// An Ed25519 key.
	#[codec(index = 0)]
	Ed25519(ed25519::Public),
	/// An Sr25519 key.
	#[codec(index = 1)]
	Sr25519(sr25519::Public),
	/// An ECDSA (secp256k1) key, compressed.
	#[codec(index = 2)]
	Ecdsa(ecdsa::Public),
	/// An SM2 key, compressed.
	#[codec(index = 3)]
	Sm2(sm2::Public),
}

impl IdentifyAccount for Signer {
	type AccountId = AccountId32;

	fn into_account(self) -> AccountId32 {
		match self {
			Signer::Ed25519(who) => <[u8; 32]>::from(who).into(),
			Signer::Sr25519(who) => <[u8; 32]>::from(who).into(),
			Signer::Ecdsa(who) => sp_io::hashing::blake2_256(who.as_ref()).into(),
			Signer::Sm2(who) => sm2_account(&who),
		}
	}
}

impl Verify for Signature {
	type Signer = Signer;

	fn verify<L: Lazy<[u8]>>(&self, mut msg: L, signer: &AccountId32) -> bool {
		let who: [u8; 32] = *signer.as_ref();
		match self {
			Signature::Ed25519(sig) => sig.verify(msg, &who.into()),
			Signature::Sr25519(sig) => sig.verify(msg, &who.into()),
			Signature::Ecdsa(sig) => {
				let m = sp_io::hashing::blake2_256(msg.get());
				sp_io::crypto::secp256k1_ecdsa_recover_compressed(sig.as_ref(), &m)
					.is_ok_and(|pubkey| sp_io::hashing::blake2_256(&pubkey) == who)
			},
			Signature::Sm2(s) => {
				sm2_account(&s.public) == *signer && sm::sm2_verify(&s.signature.0, msg.get(), &s.public.0)
			},
		}
	}
}

impl From<ed25519::Signature> for Signature {
	fn from(s: ed25519::Signature) -> Self {
		Signature::Ed25519(s)
	}
}
impl From<sr25519::Signature> for Signature {
	fn from(s: sr25519::Signature) -> Self {
		Signature::Sr25519(s)
	}
}
impl From<ecdsa::Signature> for Signature {
	fn from(s: ecdsa::Signature) -> Self {
		Signature::Ecdsa(s)
	}
}
impl From<Sm2Signature> for Signature {
	fn from(s: Sm2Signature) -> Self {
		Signature::Sm2(s)
	}
}
impl From<ed25519::Public> for Signer {
	fn from(p: ed25519::Public) -> Self {
		Signer::Ed25519(p)
	}
}
impl From<sr25519::Public> for Signer {
	fn from(p: sr25519::Public) -> Self {
		Signer::Sr25519(p)
	}
}
impl From<ecdsa::Public> for Signer {
	fn from(p: ecdsa::Public) -> Self {
		Signer::Ecdsa(p)
	}
}
impl From<sm2::Public> for Signer {
	fn from(p: sm2::Public) -> Self {
		Signer::Sm2(p)
	}
}
