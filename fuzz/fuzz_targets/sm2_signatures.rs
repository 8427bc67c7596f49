//! SM2 signatures from untrusted bytes: DER, SCALE, and verification of arbitrary
//! (key, signature, message, identity) tuples. Verification answers, it never panics; a
//! forged tuple never verifies against the fixed key; the node's verifier (efficient-sm2's
//! arithmetic behind our checks) answers exactly as the reference (RustCrypto's) does.
#![no_main]

use codec::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use qingsuan_sm_crypto::sm2::{self, Public, SecretKey, Signature};

fuzz_target!(|data: &[u8]| {
	if let Ok(sig) = Signature::from_der(data) {
		let der = sig.to_der().expect("a parsed signature encodes");
		assert_eq!(Signature::from_der(&der), Ok(sig));
	}
	if let Ok(sig) = Signature::decode(&mut &data[..]) {
		assert_eq!(sig.encode()[..], data[..64]);
	}
	if data.len() >= 33 + 64 {
		let (pk, rest) = data.split_at(33);
		let (sig, msg) = rest.split_at(64);
		let public = Public(pk.try_into().expect("33 bytes"));
		let sig = Signature(sig.try_into().expect("64 bytes"));
		assert_eq!(sm2::verify(&public, msg, &sig), sm2::verify_reference(&public, msg, &sig, sm2::DEFAULT_ID));
		// An identity taken from the message, of any length (too long must be an error).
		if let Ok(id) = core::str::from_utf8(msg) {
			let _ = public.verify_with_id(b"m", &sig, id);
		}
		let fixed = SecretKey::from_bytes(&[0x11; 32]).expect("a valid scalar");
		assert!(!sm2::verify(&fixed.public(), msg, &sig) || fixed.sign(msg) == Ok(sig));
		// A genuine signature by the fixed key over the message, and its bytes mutated by the
		// fuzzer's input: both verifiers agree on each.
		if let Ok(genuine) = fixed.sign(msg) {
			let mut mutated = genuine;
			mutated.0[usize::from(pk[0]) % 64] ^= pk[1] | 1;
			for s in [genuine, mutated] {
				assert_eq!(
					sm2::verify(&fixed.public(), msg, &s),
					sm2::verify_reference(&fixed.public(), msg, &s, sm2::DEFAULT_ID)
				);
			}
			assert!(sm2::verify(&fixed.public(), msg, &genuine));
		}
	}
});
