//! SM2 keys from untrusted bytes: raw scalars, SEC1 points, SCALE, DER and PEM. Nothing may
//! panic, and every key that parses must survive its own encoding unchanged.
#![no_main]

use codec::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use qingsuan_sm_crypto::sm2::{Public, SecretKey};

fuzz_target!(|data: &[u8]| {
	if let Ok(key) = SecretKey::from_slice(data) {
		assert_eq!(key.to_bytes()[..], data[..]);
	}
	if let Ok(key) = SecretKey::from_pkcs8_der(data) {
		let der = key.to_pkcs8_der().expect("a parsed key encodes");
		assert_eq!(SecretKey::from_pkcs8_der(&der).expect("its own DER parses").to_bytes(), key.to_bytes());
	}
	if let Ok(public) = Public::from_sec1(data) {
		assert_eq!(Public::from_sec1(&public.0), Ok(public));
		let der = public.to_public_key_der().expect("a parsed key encodes");
		assert_eq!(Public::from_public_key_der(&der), Ok(public));
	}
	if let Ok(public) = Public::from_public_key_der(data) {
		let der = public.to_public_key_der().expect("a parsed key encodes");
		assert_eq!(Public::from_public_key_der(&der), Ok(public));
	}
	if let Ok(public) = Public::decode(&mut &data[..]) {
		assert_eq!(public.encode()[..], data[..33]);
		// A SCALE-decoded key is only bytes: using it must fail cleanly if it is not a point.
		let _ = public.to_uncompressed();
	}
	if let Ok(text) = core::str::from_utf8(data) {
		let _ = SecretKey::from_pkcs8_pem(text);
		let _ = Public::from_public_key_pem(text);
	}
});
