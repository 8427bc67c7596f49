//! SM2 signatures from untrusted bytes: DER, SCALE, and verification of arbitrary
//! (key, signature, message, identity) tuples. Verification answers, it never panics; a
//! forged tuple never verifies against the fixed key.
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
		let _ = sm2::verify(&public, msg, &sig);
		// An identity taken from the message, of any length (too long must be an error).
		if let Ok(id) = core::str::from_utf8(msg) {
			let _ = public.verify_with_id(b"m", &sig, id);
		}
		let fixed = SecretKey::from_bytes(&[0x11; 32]).expect("a valid scalar");
		assert!(!sm2::verify(&fixed.public(), msg, &sig) || fixed.sign(msg) == Ok(sig));
	}
});
