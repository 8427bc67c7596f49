//! `efficient-sm2` 0.2.5 as the node's SM2 verifier (issue 13 adopts it for native
//! verification if it passes our vectors, interop, property and fuzz checks): what it gets wrong
//! on its own, and that behind our checks (`sm2::Public::verify_digest`, `sm2::verify`) it
//! answers as RustCrypto's verifier and our reference path do.
//!
//! Its `verify_digest` skips steps B1 and B2 (r and s in [1, n-1]): a signature whose `s` (or
//! `r`) has `n` added still verifies, so signatures become malleable, where RustCrypto's
//! verifier refuses them.

use ::sm2::{
	dsa::{signature::hazmat::PrehashVerifier, Signature as RcSignature, VerifyingKey},
	elliptic_curve::{ops::Reduce, point::AffineCoordinates, sec1::ToSec1Point, PrimeField},
	FieldBytes, ProjectivePoint, Scalar,
};
use proptest::prelude::*;
use qingsuan_sm_crypto::sm2;

/// The order of SM2's base point.
const N: [u8; 32] = hex_literal("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

const fn hex_literal(s: &str) -> [u8; 32] {
	let b = s.as_bytes();
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		let hi = (b[2 * i] as char).to_digit(16).expect("hex") as u8;
		let lo = (b[2 * i + 1] as char).to_digit(16).expect("hex") as u8;
		out[i] = hi << 4 | lo;
		i += 1;
	}
	out
}

/// `a + b` as 256-bit big-endian integers (no reduction); `None` on overflow.
fn add_be(a: &[u8; 32], b: &[u8; 32]) -> Option<[u8; 32]> {
	let mut out = [0u8; 32];
	let mut carry = 0u16;
	for i in (0..32).rev() {
		let v = u16::from(a[i]) + u16::from(b[i]) + carry;
		out[i] = v as u8;
		carry = v >> 8;
	}
	(carry == 0).then_some(out)
}

fn secret(seed: [u8; 32]) -> sm2::SecretKey {
	sm2::SecretKey::from_bytes(&seed).unwrap_or_else(|_| sm2::SecretKey::from_bytes(&[7; 32]).expect("valid"))
}

/// The key in efficient-sm2's form (uncompressed), decompressed and checked by RustCrypto.
fn efficient_key(public: &sm2::Public) -> Option<efficient_sm2::PublicKey> {
	let key = ::sm2::PublicKey::from_sec1_bytes(&public.0).ok()?;
	let point = key.as_affine().to_sec1_point(false);
	Some(efficient_sm2::PublicKey::from_slice(&point.as_bytes()[1..]))
}

/// efficient-sm2's own verification of a digest.
fn efficient_raw(key: &efficient_sm2::PublicKey, e: &[u8; 32], sig: &[u8; 64]) -> bool {
	efficient_sm2::Signature::from_slice(sig).and_then(|s| s.verify_digest(key, e)).is_ok()
}

/// RustCrypto's verifier on a digest.
fn reference(public: &sm2::Public, e: &[u8; 32], sig: &[u8; 64]) -> bool {
	let Ok(key) = VerifyingKey::from_sec1_bytes(sm2::DEFAULT_ID, &public.0) else { return false };
	RcSignature::from_slice(sig).is_ok_and(|s| key.verify_prehash(e, &s).is_ok())
}

/// A signature `(r, s)` with `s = 1` on a digest chosen to fit it: from `s = (1+d)^-1 (k - r d)`,
/// `r = (k - (1+d)) d^-1`, then `e = r - x(kG)`. Returns the key, the digest and `r ‖ s`.
fn signature_with_s_one(d: u64, k: u64) -> (sm2::Public, [u8; 32], [u8; 64]) {
	let (d, k) = (Scalar::from(d), Scalar::from(k));
	let secret = sm2::SecretKey::from_bytes(&d.to_repr().into()).expect("a valid scalar");
	let r = (k - (Scalar::ONE + d)) * d.invert().unwrap();
	let x = <Scalar as Reduce<FieldBytes>>::reduce(&(ProjectivePoint::GENERATOR * k).to_affine().x());
	let e = r - x;
	let mut sig = [0u8; 64];
	sig[..32].copy_from_slice(&r.to_repr());
	sig[32..].copy_from_slice(&Scalar::ONE.to_repr());
	(secret.public(), e.to_repr().into(), sig)
}

#[test]
fn efficient_sm2_accepts_s_plus_n_where_the_standard_refuses_it() {
	let (public, e, sig) = signature_with_s_one(0x1234_5678, 0x9abc_def0);
	let key = efficient_key(&public).expect("a valid key");
	// The genuine signature: every verifier accepts it.
	assert!(reference(&public, &e, &sig));
	assert!(efficient_raw(&key, &e, &sig));
	assert!(public.verify_digest(&e, &sm2::Signature(sig)).is_ok());
	// s + n: the same signature in another encoding.
	let mut malleated = sig;
	let s: [u8; 32] = sig[32..].try_into().expect("32 bytes");
	malleated[32..].copy_from_slice(&add_be(&s, &N).expect("1 + n < 2^256"));
	assert!(!reference(&public, &e, &malleated), "RustCrypto refuses s >= n");
	assert!(efficient_raw(&key, &e, &malleated), "efficient-sm2 0.2.5 alone accepts it: not adoptable as is");
	assert!(public.verify_digest(&e, &sm2::Signature(malleated)).is_err(), "behind our checks it is refused");
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

	/// Behind our checks, efficient-sm2 answers as RustCrypto's verifier and our reference path
	/// do, for genuine signatures, signatures of another message, random `r ‖ s`, and `s` with
	/// `n` added.
	#[test]
	fn native_verification_agrees_with_the_reference(
		seed in any::<[u8; 32]>(),
		msg in proptest::collection::vec(any::<u8>(), 0..200),
		junk in any::<[u8; 64]>(),
	) {
		let key = secret(seed);
		let public = key.public();
		let e = public.message_digest(&msg, sm2::DEFAULT_ID).expect("a digest");
		let genuine = key.sign(&msg).expect("sign");
		let other = key.sign(b"another message").expect("sign");
		let mut plus_n = genuine;
		if let Some(s) = add_be(&genuine.0[32..].try_into().expect("32"), &N) {
			plus_n.0[32..].copy_from_slice(&s);
		}
		for sig in [genuine, other, sm2::Signature(junk), plus_n] {
			let expected = sm2::verify_reference(&public, &msg, &sig, sm2::DEFAULT_ID);
			prop_assert_eq!(reference(&public, &e, &sig.0), expected);
			prop_assert_eq!(public.verify(&msg, &sig).is_ok(), expected);
			// Again, with the key prepared by the call before.
			prop_assert_eq!(public.verify(&msg, &sig).is_ok(), expected);
			prop_assert_eq!(public.verify_digest(&e, &sig).is_ok(), expected);
		}
		prop_assert!(public.verify(&msg, &genuine).is_ok());
	}
}
