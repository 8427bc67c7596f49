//! Envelopes and ciphertexts from untrusted bytes: SCALE-decoded envelopes, SM2 ciphertexts,
//! SM4-GCM and SM4-CBC ciphertexts. Opening with a key that did not seal them fails with an
//! error, never a panic and never a plaintext.
#![no_main]

use codec::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use qingsuan_sm_crypto::{envelope::Envelope, sm2::SecretKey, sm4};

fuzz_target!(|data: &[u8]| {
	let key = SecretKey::from_bytes(&[0x11; 32]).expect("a valid scalar");
	if let Ok(envelope) = Envelope::decode(&mut &data[..]) {
		let _ = envelope.encode();
		assert!(envelope.open(&key).is_err(), "a forged envelope opened");
	}
	let _ = key.decrypt(data);
	let _ = sm4::gcm_open(&[7; 16], &[9; 12], b"aad", data);
	let _ = sm4::cbc_decrypt(&[7; 16], &[9; 16], data);
});
