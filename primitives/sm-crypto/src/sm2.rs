//! SM2 (GB/T 32918): key pairs, digital signatures with the ZA user identity, and (std) public-key
//! encryption, DER and PEM.
//!
//! On-chain encodings are fixed-size: a public key is its 33-byte SEC1 compressed point, a
//! signature is the 64 bytes `r || s`.

use crate::Error;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sm2::{
	dsa::{signature::Signer, SigningKey},
	elliptic_curve::sec1::ToSec1Point,
};

/// The user identity GB/T 32918 uses when the parties agree on no other.
pub const DEFAULT_ID: &str = "1234567812345678";

/// The largest identity length: its length in bits is encoded in 16 bits (ENTL).
pub const MAX_ID_LEN: usize = (u16::MAX / 8) as usize;

/// `n - 1` for the SM2 group order `n`: the first secret key GB/T 32918 excludes (d ∈ [1, n-2]).
const N_MINUS_ONE: [u8; 32] = [
	0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x72, 0x03, 0xDF,
	0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x22,
];

/// An SM2 public key: a SEC1 compressed point (33 bytes).
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Public(pub [u8; 33]);

/// An SM2 signature: `r || s`, 32 bytes each, big-endian.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Signature(pub [u8; 64]);

impl core::fmt::Debug for Public {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Sm2Public(0x")?;
		self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))?;
		write!(f, ")")
	}
}

impl core::fmt::Debug for Signature {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Sm2Signature(0x")?;
		self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))?;
		write!(f, ")")
	}
}

fn check_id(id: &str) -> Result<(), Error> {
	if id.len() > MAX_ID_LEN {
		return Err(Error::IdentityTooLong);
	}
	Ok(())
}

/// An SM2 secret key. Its memory is wiped when dropped.
#[derive(Clone)]
pub struct SecretKey(sm2::SecretKey);

impl core::fmt::Debug for SecretKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Sm2SecretKey({:?})", self.public())
	}
}

impl SecretKey {
	/// The key with scalar `bytes` (big-endian); it must lie in `[1, n-2]`.
	pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
		if *bytes >= N_MINUS_ONE {
			return Err(Error::InvalidSecretKey);
		}
		sm2::SecretKey::from_bytes(&(*bytes).into()).map(SecretKey).map_err(|_| Error::InvalidSecretKey)
	}

	/// The key from a slice that must be exactly 32 bytes.
	pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
		let array: &[u8; 32] = bytes.try_into().map_err(|_| Error::InvalidSecretKey)?;
		Self::from_bytes(array)
	}

	/// A new random key from the operating system's RNG.
	#[cfg(feature = "std")]
	pub fn generate() -> Self {
		use sm2::elliptic_curve::common::getrandom::{rand_core::TryRng, SysRng};
		loop {
			let mut bytes = [0u8; 32];
			SysRng.try_fill_bytes(&mut bytes).expect("the OS random number generator works; qed");
			if let Ok(key) = Self::from_bytes(&bytes) {
				return key;
			}
		}
	}

	/// The scalar, big-endian.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.0.to_bytes().into()
	}

	/// The public key.
	pub fn public(&self) -> Public {
		let point = self.0.public_key().to_sec1_point(true);
		let mut out = [0u8; 33];
		out.copy_from_slice(point.as_bytes());
		Public(out)
	}

	/// Sign `msg` for the user identity `id` (deterministic: RFC 6979 with SM3).
	pub fn sign_with_id(&self, msg: &[u8], id: &str) -> Result<Signature, Error> {
		check_id(id)?;
		let key = SigningKey::new(id, &self.0).map_err(|_| Error::InvalidSecretKey)?;
		let sig: sm2::dsa::Signature = key.try_sign(msg).map_err(|_| Error::SigningFailed)?;
		Ok(Signature(sig.to_bytes().into()))
	}

	/// Sign `msg` for the default identity [`DEFAULT_ID`].
	pub fn sign(&self, msg: &[u8]) -> Result<Signature, Error> {
		self.sign_with_id(msg, DEFAULT_ID)
	}

	/// The key from PKCS#8 DER.
	#[cfg(feature = "std")]
	pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
		use sm2::pkcs8::DecodePrivateKey;
		let key = sm2::SecretKey::from_pkcs8_der(der).map_err(|_| Error::InvalidEncoding)?;
		Self::from_bytes(&key.to_bytes().into())
	}

	/// The key from a PKCS#8 PEM document (`-----BEGIN PRIVATE KEY-----`).
	#[cfg(feature = "std")]
	pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Error> {
		use sm2::pkcs8::DecodePrivateKey;
		let key = sm2::SecretKey::from_pkcs8_pem(pem).map_err(|_| Error::InvalidEncoding)?;
		Self::from_bytes(&key.to_bytes().into())
	}

	/// The key as PKCS#8 DER.
	#[cfg(feature = "std")]
	pub fn to_pkcs8_der(&self) -> Result<Vec<u8>, Error> {
		use sm2::pkcs8::EncodePrivateKey;
		self.0.to_pkcs8_der().map(|d| d.as_bytes().to_vec()).map_err(|_| Error::InvalidEncoding)
	}

	/// The key as a PKCS#8 PEM document.
	#[cfg(feature = "std")]
	pub fn to_pkcs8_pem(&self) -> Result<String, Error> {
		use sm2::pkcs8::{EncodePrivateKey, LineEnding};
		self.0.to_pkcs8_pem(LineEnding::LF).map(|p| p.to_string()).map_err(|_| Error::InvalidEncoding)
	}

	/// Decrypt an SM2 ciphertext (C1C3C2, GB/T 32918.4) addressed to this key.
	#[cfg(feature = "std")]
	pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
		use sm2::pke::{DecryptingKey, Mode};
		DecryptingKey::new_with_mode(self.0.to_nonzero_scalar(), Mode::C1C3C2)
			.decrypt(ciphertext)
			.map_err(|_| Error::DecryptionFailed)
	}
}

impl Public {
	/// The key from SEC1 bytes, compressed (33) or uncompressed (65).
	pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
		let key = sm2::PublicKey::from_sec1_bytes(bytes).map_err(|_| Error::InvalidPublicKey)?;
		let point = key.to_sec1_point(true);
		let mut out = [0u8; 33];
		out.copy_from_slice(point.as_bytes());
		Ok(Public(out))
	}

	/// The uncompressed SEC1 form: `0x04 || x || y`.
	pub fn to_uncompressed(&self) -> Result<[u8; 65], Error> {
		let key = self.point()?;
		let point = key.to_sec1_point(false);
		let mut out = [0u8; 65];
		out.copy_from_slice(point.as_bytes());
		Ok(out)
	}

	/// The curve point: decompressed and checked to be on the curve.
	fn point(&self) -> Result<sm2::PublicKey, Error> {
		sm2::PublicKey::from_sec1_bytes(&self.0).map_err(|_| Error::InvalidPublicKey)
	}

	/// Verify `sig` over `msg` for the user identity `id`.
	pub fn verify_with_id(&self, msg: &[u8], sig: &Signature, id: &str) -> Result<(), Error> {
		check_id(id)?;
		// The node's path for the identity every account and attestation uses: the key
		// prepared once (decompressed, its ZA), then the digest and the curve equation.
		#[cfg(feature = "std")]
		if id == DEFAULT_ID {
			let key = prepared::get(self)?;
			let sig = sig.scalars()?;
			return answer(verify_curve(&key.xy, &digest_with_za(&key.za, msg), &sig));
		}
		let key = self.point()?;
		let sig = sig.scalars()?;
		answer(verify_digest(&key, &message_digest(&key, id, msg)?, &sig))
	}

	/// The digest an SM2 signature by this key over `msg` for identity `id` signs:
	/// `SM3(ZA ‖ msg)` (GB/T 32918.2; for pre-hashed signing and for other verifiers).
	pub fn message_digest(&self, msg: &[u8], id: &str) -> Result<[u8; 32], Error> {
		check_id(id)?;
		let key = self.point()?;
		message_digest(&key, id, msg)
	}

	/// Verify `sig` over a digest `e` that [`Self::message_digest`] (or a signer's HSM) made.
	pub fn verify_digest(&self, e: &[u8; 32], sig: &Signature) -> Result<(), Error> {
		let key = self.point()?;
		let sig = sig.scalars()?;
		answer(verify_digest(&key, e, &sig))
	}

	/// Verify `sig` over `msg` for the default identity [`DEFAULT_ID`].
	pub fn verify(&self, msg: &[u8], sig: &Signature) -> Result<(), Error> {
		self.verify_with_id(msg, sig, DEFAULT_ID)
	}

	/// The key from SubjectPublicKeyInfo DER.
	#[cfg(feature = "std")]
	pub fn from_public_key_der(der: &[u8]) -> Result<Self, Error> {
		use sm2::pkcs8::DecodePublicKey;
		let key = sm2::PublicKey::from_public_key_der(der).map_err(|_| Error::InvalidEncoding)?;
		Self::from_sec1(key.to_sec1_point(true).as_bytes())
	}

	/// The key from a PEM document (`-----BEGIN PUBLIC KEY-----`).
	#[cfg(feature = "std")]
	pub fn from_public_key_pem(pem: &str) -> Result<Self, Error> {
		use sm2::pkcs8::DecodePublicKey;
		let key = sm2::PublicKey::from_public_key_pem(pem).map_err(|_| Error::InvalidEncoding)?;
		Self::from_sec1(key.to_sec1_point(true).as_bytes())
	}

	/// The key as SubjectPublicKeyInfo DER.
	#[cfg(feature = "std")]
	pub fn to_public_key_der(&self) -> Result<Vec<u8>, Error> {
		use sm2::pkcs8::EncodePublicKey;
		let key = self.point()?;
		key.to_public_key_der().map(|d| d.as_bytes().to_vec()).map_err(|_| Error::InvalidEncoding)
	}

	/// The key as a PEM document.
	#[cfg(feature = "std")]
	pub fn to_public_key_pem(&self) -> Result<String, Error> {
		use sm2::pkcs8::{EncodePublicKey, LineEnding};
		let key = self.point()?;
		key.to_public_key_pem(LineEnding::LF).map_err(|_| Error::InvalidEncoding)
	}

	/// Encrypt `msg` to this key (SM2 public-key encryption, C1C3C2).
	#[cfg(feature = "std")]
	pub fn encrypt(&self, msg: &[u8]) -> Result<Vec<u8>, Error> {
		use sm2::{
			elliptic_curve::common::getrandom::SysRng,
			pke::{EncryptingKey, Mode},
		};
		let key = self.point()?;
		EncryptingKey::new_with_mode(key, Mode::C1C3C2).encrypt(&mut SysRng, msg).map_err(|_| Error::EncryptionFailed)
	}
}

impl Signature {
	/// `r` and `s`, each checked to be in `[1, n-1]` (GB/T 32918.2 steps B1–B2).
	fn scalars(&self) -> Result<sm2::dsa::Signature, Error> {
		sm2::dsa::Signature::from_slice(&self.0).map_err(|_| Error::InvalidSignature)
	}

	/// The signature from ASN.1 DER (`SEQUENCE { r INTEGER, s INTEGER }`).
	#[cfg(feature = "std")]
	pub fn from_der(der: &[u8]) -> Result<Self, Error> {
		let sig = sm2::dsa::Signature::from_der(der).map_err(|_| Error::InvalidSignature)?;
		Ok(Signature(sig.to_bytes().into()))
	}

	/// The signature as ASN.1 DER.
	#[cfg(feature = "std")]
	pub fn to_der(&self) -> Result<Vec<u8>, Error> {
		let sig = self.scalars()?;
		Ok(sig.to_der().as_bytes().to_vec())
	}
}

/// A verifier's yes or no as the public API's result.
fn answer(valid: bool) -> Result<(), Error> {
	if valid {
		Ok(())
	} else {
		Err(Error::BadSignature)
	}
}

/// Verify `sig` by `public` over `msg` for [`DEFAULT_ID`]; `false` for any malformed input.
pub fn verify(public: &Public, msg: &[u8], sig: &Signature) -> bool {
	public.verify(msg, sig).is_ok()
}

/// `SM3(ZA || msg)`: the digest GB/T 32918.2 signs.
fn message_digest(key: &sm2::PublicKey, id: &str, msg: &[u8]) -> Result<[u8; 32], Error> {
	Ok(digest_with_za(&za(key, id)?, msg))
}

/// `SM3(ZA || msg)` for a known `ZA`.
fn digest_with_za(za: &[u8; 32], msg: &[u8]) -> [u8; 32] {
	let mut e = crate::sm3::Hasher::new();
	e.update(za);
	e.update(msg);
	e.finalize()
}

/// `ZA = SM3(ENTL || ID || a || b || xG || yG || xA || yA)`: the signer's identity and key.
fn za(key: &sm2::PublicKey, id: &str) -> Result<[u8; 32], Error> {
	use primeorder::PrimeCurveParams;
	use sm2::elliptic_curve::sec1::Coordinates;
	let entl = u16::try_from(id.len() * 8).map_err(|_| Error::IdentityTooLong)?;
	let point = key.as_affine().to_sec1_point(false);
	let Coordinates::Uncompressed { x, y } = point.coordinates() else {
		return Err(Error::InvalidPublicKey);
	};
	let mut za = crate::sm3::Hasher::new();
	za.update(&entl.to_be_bytes());
	za.update(id.as_bytes());
	za.update(&sm2::Sm2::EQUATION_A.to_bytes());
	za.update(&sm2::Sm2::EQUATION_B.to_bytes());
	za.update(&sm2::Sm2::GENERATOR.0.to_bytes());
	za.update(&sm2::Sm2::GENERATOR.1.to_bytes());
	za.update(x);
	za.update(y);
	Ok(za.finalize())
}

/// GB/T 32918.2 verification, steps B5–B7, of the digest `e` (B1–B2, `r` and `s` in
/// `[1, n-1]`, hold for every parsed signature), on RustCrypto's arithmetic: the runtime's own
/// (no_std) path, and the reference the native path is tested and fuzzed against.
///
/// Everything here is public, so it runs in variable time: `[s]G` from the crate's precomputed
/// generator table (std) and `[t]P` by wNAF. The signing side stays constant-time.
fn verify_digest_reference(key: &sm2::PublicKey, e: &[u8; 32], sig: &sm2::dsa::Signature) -> bool {
	use sm2::{
		elliptic_curve::{
			ops::{MulByGeneratorVartime, Reduce},
			point::AffineCoordinates,
			Group,
		},
		FieldBytes, ProjectivePoint, Scalar,
	};
	let (r, s) = (*sig.r(), *sig.s());
	let e = <Scalar as Reduce<FieldBytes>>::reduce(&(*e).into());
	// B5: t = r + s mod n, and t ≠ 0.
	let t = r + s;
	if bool::from(t.is_zero()) {
		return false;
	}
	// B6: (x1, y1) = [s]G + [t]P, not the point at infinity.
	let point = ProjectivePoint::mul_by_generator_vartime(&s) + key.to_projective().mul_vartime(&t);
	if bool::from(point.is_identity()) {
		return false;
	}
	// B7: r = e + x1 mod n.
	r == e + <Scalar as Reduce<FieldBytes>>::reduce(&point.to_affine().x())
}

/// GB/T 32918.2 steps B5–B7 natively (the node's host function): B5 here, B6–B7 by
/// `efficient-sm2` 0.2.5, whose curve arithmetic verifies about twice as fast as RustCrypto's.
/// That crate alone skips B1–B2 (it accepts `s + n` for `s`, making signatures malleable) and
/// B5, so it only ever sees a parsed signature (B1–B2 hold) with `r + s ≠ 0`, and a key
/// RustCrypto decompressed and checked. One difference remains: for a valid signature whose
/// `x1` lies in `[n, p)` (probability about 2^-128) it answers `false` where the standard
/// accepts; never the other way round. `tests/efficient_sm2.rs`, the property test against
/// RustCrypto and the `sm2_signatures` fuzz target check the rest.
#[cfg(feature = "std")]
fn verify_digest(key: &sm2::PublicKey, e: &[u8; 32], sig: &sm2::dsa::Signature) -> bool {
	verify_curve(&prepared::uncompressed(key), e, sig)
}

/// B5–B7 on the key's uncompressed coordinates `x ‖ y` (see [`verify_digest`]).
#[cfg(feature = "std")]
fn verify_curve(xy: &[u8; 64], e: &[u8; 32], sig: &sm2::dsa::Signature) -> bool {
	if bool::from((*sig.r() + *sig.s()).is_zero()) {
		return false;
	}
	let key = efficient_sm2::PublicKey::from_slice(xy);
	efficient_sm2::Signature::from_slice(&sig.to_bytes()).and_then(|s| s.verify_digest(&key, e)).is_ok()
}

/// Keys prepared for verification in the node: decompressed (a square root) and their `ZA` for
/// [`DEFAULT_ID`] (two SM3 blocks), the work of a verification besides the curve equation. The
/// node verifies the same members' keys over and over, so they are kept, at most
/// [`prepared::CAPACITY`] (the set is emptied when full: a bound, not an eviction policy).
#[cfg(feature = "std")]
mod prepared {
	use super::{Error, Public, DEFAULT_ID};
	use sm2::elliptic_curve::sec1::ToSec1Point;
	use std::{collections::HashMap, sync::Mutex};

	/// The most keys kept (about 100 bytes each).
	pub const CAPACITY: usize = 4_096;

	/// A key ready to verify with: `x ‖ y`, and `ZA` for [`DEFAULT_ID`].
	#[derive(Clone, Copy)]
	pub struct Prepared {
		pub xy: [u8; 64],
		pub za: [u8; 32],
	}

	static KEYS: Mutex<Option<HashMap<[u8; 33], Prepared>>> = Mutex::new(None);

	/// `key`'s coordinates `x ‖ y`.
	pub fn uncompressed(key: &sm2::PublicKey) -> [u8; 64] {
		let point = key.as_affine().to_sec1_point(false);
		let mut xy = [0u8; 64];
		xy.copy_from_slice(&point.as_bytes()[1..]);
		xy
	}

	/// `public` prepared, from the set or computed (and kept); an invalid key is an error and
	/// is not kept.
	pub fn get(public: &Public) -> Result<Prepared, Error> {
		let lock = || KEYS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if let Some(p) = lock().as_ref().and_then(|keys| keys.get(&public.0).copied()) {
			return Ok(p);
		}
		let key = public.point()?;
		let p = Prepared { xy: uncompressed(&key), za: super::za(&key, DEFAULT_ID)? };
		let mut keys = lock();
		let keys = keys.get_or_insert_with(HashMap::new);
		if keys.len() >= CAPACITY {
			keys.clear();
		}
		keys.insert(public.0, p);
		Ok(p)
	}
}

/// GB/T 32918.2 steps B5–B7 in the runtime: RustCrypto's arithmetic.
#[cfg(not(feature = "std"))]
fn verify_digest(key: &sm2::PublicKey, e: &[u8; 32], sig: &sm2::dsa::Signature) -> bool {
	verify_digest_reference(key, e, sig)
}

/// Verify `sig` by `public` over `msg` for identity `id` on RustCrypto's arithmetic alone, as the
/// runtime does without the host function: the reference [`verify`] is tested against.
pub fn verify_reference(public: &Public, msg: &[u8], sig: &Signature, id: &str) -> bool {
	let check = || -> Result<bool, Error> {
		check_id(id)?;
		let key = public.point()?;
		let sig = sig.scalars()?;
		Ok(verify_digest_reference(&key, &message_digest(&key, id, msg)?, &sig))
	};
	check().unwrap_or(false)
}
