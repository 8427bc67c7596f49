//! Interoperability with the independent `sm-crypto` crate (a separate big-integer
//! implementation): signatures verify both ways, SM3 and SM4-CBC agree byte for byte.

use num_bigint::BigUint;
use qingsuan_sm_crypto::{sm2, sm3::sm3, sm4};

fn their_keypair() -> (String, String) {
	sm_crypto::sm2::gen_keypair()
}

fn our_secret(sk_hex: &str) -> sm2::SecretKey {
	sm2::SecretKey::from_slice(&hex::decode(sk_hex).expect("hex")).expect("valid key")
}

#[test]
fn their_signatures_verify_with_our_code() {
	for i in 0..16u32 {
		let (sk, pk) = their_keypair();
		let msg = format!("qingsuan interop message {i}").into_bytes();
		let (r, s) = sm_crypto::sm2::Sign::new(&sk).sign(&msg, true);
		let mut rs = [0u8; 64];
		let (rb, sb) = (r.to_bytes_be(), s.to_bytes_be());
		rs[32 - rb.len()..32].copy_from_slice(&rb);
		rs[64 - sb.len()..].copy_from_slice(&sb);

		let mut sec1 = vec![0x04];
		sec1.extend(hex::decode(&pk).expect("hex"));
		let public = sm2::Public::from_sec1(&sec1).expect("their key is on the curve");
		assert_eq!(our_secret(&sk).public(), public);
		assert_eq!(public.verify(&msg, &sm2::Signature(rs)), Ok(()));

		let der = sm_crypto::sm2::Sign::new(&sk).sign_der(&msg, true);
		let from_der = sm2::Signature::from_der(&der).expect("their DER parses");
		assert_eq!(public.verify(&msg, &from_der), Ok(()));
	}
}

#[test]
fn our_signatures_verify_with_their_code() {
	for i in 0..16u32 {
		let (sk, pk) = their_keypair();
		let msg = format!("qingsuan interop message {i}").into_bytes();
		let sig = our_secret(&sk).sign(&msg).expect("sign");
		let (r, s) = (BigUint::from_bytes_be(&sig.0[..32]), BigUint::from_bytes_be(&sig.0[32..]));
		assert!(sm_crypto::sm2::Verify::new(&pk).verify(&msg, (r, s), true));
		assert!(sm_crypto::sm2::Verify::new(&pk).verify_der(&msg, &sig.to_der().expect("der"), true));
		assert!(!sm_crypto::sm2::Verify::new(&pk).verify_der(b"another message", &sig.to_der().expect("der"), true));
	}
}

#[test]
fn sm3_agrees() {
	for len in [0usize, 1, 55, 56, 63, 64, 65, 1000] {
		let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
		assert_eq!(sm3(&data).to_vec(), sm_crypto::sm3::sm3_hash_raw(&data), "length {len}");
	}
}

#[test]
fn sm4_cbc_agrees_both_ways() {
	let key = *b"1234567812345678";
	let iv = *b"8765432187654321";
	for len in [0usize, 1, 15, 16, 17, 100] {
		let data: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
		let ours = sm4::cbc_encrypt(&key, &iv, &data);
		let theirs = sm_crypto::sm4::CryptSM4CBC::new(&key, &iv).encrypt_cbc(&data);
		assert_eq!(ours, theirs, "length {len}");
		assert_eq!(sm4::cbc_decrypt(&key, &iv, &theirs).expect("decrypt"), data);
		assert_eq!(sm_crypto::sm4::CryptSM4CBC::new(&key, &iv).decrypt_cbc(&ours), data);
	}
}
