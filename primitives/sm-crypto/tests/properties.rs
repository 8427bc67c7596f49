//! Property tests: round trips, and that wrong keys, messages, identities and tampered bytes are
//! always refused (never accepted, never a panic).

use codec::{Decode, Encode};
use proptest::prelude::*;
use qingsuan_sm_crypto::{envelope::Envelope, sm2, sm4, Error};

fn secret(seed: [u8; 32]) -> sm2::SecretKey {
	// Almost every 32-byte string is a valid scalar; map the rare invalid one to a fixed key.
	sm2::SecretKey::from_bytes(&seed).unwrap_or_else(|_| sm2::SecretKey::from_bytes(&[7; 32]).expect("valid"))
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

	#[test]
	fn sign_verify_round_trip(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..300)) {
		let key = secret(seed);
		let sig = key.sign(&msg).expect("signing succeeds");
		prop_assert_eq!(key.public().verify(&msg, &sig), Ok(()));
		prop_assert_eq!(sm2::Signature::decode(&mut &sig.encode()[..]).expect("decodes"), sig);
		prop_assert_eq!(sm2::Signature::from_der(&sig.to_der().expect("der")).expect("parses"), sig);
	}

	#[test]
	fn wrong_key_message_or_id_is_refused(
		a in any::<[u8; 32]>(),
		b in any::<[u8; 32]>(),
		msg in proptest::collection::vec(any::<u8>(), 1..200),
		flip in any::<prop::sample::Index>(),
	) {
		prop_assume!(a != b);
		let (ka, kb) = (secret(a), secret(b));
		prop_assume!(ka.public() != kb.public());
		let sig = ka.sign(&msg).expect("sign");
		prop_assert_eq!(kb.public().verify(&msg, &sig), Err(Error::BadSignature));
		let mut other = msg.clone();
		let i = flip.index(other.len());
		other[i] ^= 1;
		prop_assert_eq!(ka.public().verify(&other, &sig), Err(Error::BadSignature));
		prop_assert!(ka.public().verify_with_id(&msg, &sig, "another-id").is_err());
		let mut bad = sig;
		bad.0[i % 64] ^= 0x80;
		prop_assert!(ka.public().verify(&msg, &bad).is_err());
	}

	/// Our variable-time verifier answers exactly as RustCrypto's own (constant-time) one does,
	/// for genuine signatures, signatures of another message, and random `r || s`.
	#[test]
	fn fast_verify_agrees_with_reference(
		seed in any::<[u8; 32]>(),
		msg in proptest::collection::vec(any::<u8>(), 0..200),
		junk in any::<[u8; 64]>(),
		id in "[ -~]{0,40}",
	) {
		use ::sm2::dsa::{signature::Verifier, VerifyingKey};
		let key = secret(seed);
		let public = key.public();
		let reference = VerifyingKey::from_sec1_bytes(&id, &public.0).expect("a valid key");
		let genuine = key.sign_with_id(&msg, &id).expect("sign");
		let other = key.sign_with_id(b"another message", &id).expect("sign");
		for sig in [genuine, other, sm2::Signature(junk)] {
			let expected = ::sm2::dsa::Signature::from_slice(&sig.0)
				.map(|s| reference.verify(&msg, &s).is_ok())
				.unwrap_or(false);
			prop_assert_eq!(public.verify_with_id(&msg, &sig, &id).is_ok(), expected);
		}
		prop_assert_eq!(public.verify_with_id(&msg, &genuine, &id), Ok(()));
	}

	#[test]
	fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
		let _ = sm2::Public::from_sec1(&bytes);
		let _ = sm2::Signature::from_der(&bytes);
		let _ = sm2::SecretKey::from_slice(&bytes);
		let _ = sm2::SecretKey::from_pkcs8_der(&bytes);
		let _ = sm2::Public::from_public_key_der(&bytes);
		let _ = Envelope::decode(&mut &bytes[..]);
		if bytes.len() >= 97 {
			let pk = sm2::Public(bytes[..33].try_into().expect("33"));
			let sig = sm2::Signature(bytes[33..97].try_into().expect("64"));
			prop_assert!(!sm2::verify(&pk, b"msg", &sig));
		}
	}

	#[test]
	fn gcm_detects_any_changed_byte(
		key in any::<[u8; 16]>(),
		nonce in any::<[u8; 12]>(),
		msg in proptest::collection::vec(any::<u8>(), 0..100),
		at in any::<prop::sample::Index>(),
	) {
		let sealed = sm4::gcm_seal(&key, &nonce, b"aad", &msg).expect("seal");
		prop_assert_eq!(sm4::gcm_open(&key, &nonce, b"aad", &sealed).expect("open"), msg);
		let mut tampered = sealed.clone();
		let i = at.index(tampered.len());
		tampered[i] ^= 1;
		prop_assert_eq!(sm4::gcm_open(&key, &nonce, b"aad", &tampered), Err(Error::DecryptionFailed));
		prop_assert_eq!(sm4::gcm_open(&key, &nonce, b"aaD", &sealed), Err(Error::DecryptionFailed));
	}

	#[test]
	fn cbc_round_trip(key in any::<[u8; 16]>(), iv in any::<[u8; 16]>(), msg in proptest::collection::vec(any::<u8>(), 0..100)) {
		let ct = sm4::cbc_encrypt(&key, &iv, &msg);
		prop_assert_eq!(ct.len() % 16, 0);
		prop_assert_eq!(sm4::cbc_decrypt(&key, &iv, &ct).expect("decrypt"), msg);
	}
}

#[test]
fn envelope_opens_for_each_recipient_and_detects_tampering_anywhere() {
	let keys: Vec<_> = (1..=3u8).map(|i| secret([i; 32])).collect();
	let publics: Vec<_> = keys.iter().map(|k| k.public()).collect();
	let payload = b"bank account 6222 0212 3456 7890, Industrial and Commercial Bank of China".to_vec();
	let env = Envelope::seal(&publics, b"withdrawal #42", &payload).expect("seal");
	for k in &keys {
		assert_eq!(env.open(k).expect("a recipient opens it"), payload);
	}
	assert_eq!(env.open(&secret([9; 32])), Err(Error::NotARecipient));

	let encoded = env.encode();
	for i in 0..encoded.len() {
		let mut bytes = encoded.clone();
		bytes[i] ^= 0x01;
		let Ok(tampered) = Envelope::decode(&mut &bytes[..]) else { continue };
		for k in &keys {
			if let Ok(opened) = tampered.open(k) {
				panic!("byte {i} changed and recipient still opened it: {opened:?}");
			}
		}
	}
	assert!(Envelope::seal(&[], b"", b"x").is_err(), "an envelope needs a recipient");
	assert!(Envelope::seal(&[publics[0], publics[0]], b"", b"x").is_err(), "no duplicate recipients");
}

#[test]
fn pem_and_der_round_trip() {
	let key = secret([5; 32]);
	let pem = key.to_pkcs8_pem().expect("pem");
	assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
	assert_eq!(sm2::SecretKey::from_pkcs8_pem(&pem).expect("parse").to_bytes(), key.to_bytes());
	let der = key.to_pkcs8_der().expect("der");
	assert_eq!(sm2::SecretKey::from_pkcs8_der(&der).expect("parse").to_bytes(), key.to_bytes());

	let public = key.public();
	let pem = public.to_public_key_pem().expect("pem");
	assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
	assert_eq!(sm2::Public::from_public_key_pem(&pem).expect("parse"), public);
	let der = public.to_public_key_der().expect("der");
	assert_eq!(sm2::Public::from_public_key_der(&der).expect("parse"), public);
}

#[test]
fn secret_key_range_is_enforced() {
	assert_eq!(sm2::SecretKey::from_bytes(&[0; 32]).map(|_| ()), Err(Error::InvalidSecretKey));
	assert_eq!(sm2::SecretKey::from_bytes(&[0xff; 32]).map(|_| ()), Err(Error::InvalidSecretKey));
	let n_minus_one = hex::decode("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122").expect("hex");
	assert!(sm2::SecretKey::from_slice(&n_minus_one).is_err(), "d = n-1 is excluded");
	let mut n_minus_two = n_minus_one.clone();
	n_minus_two[31] -= 1;
	assert!(sm2::SecretKey::from_slice(&n_minus_two).is_ok(), "d = n-2 is the largest key");
	assert!(sm2::SecretKey::from_slice(&[1; 31]).is_err(), "31 bytes are refused");
	assert_eq!(
		sm2::SecretKey::from_bytes(&[1; 32]).expect("valid").sign_with_id(b"m", &"x".repeat(8192)).map(|_| ()),
		Err(Error::IdentityTooLong)
	);
}
