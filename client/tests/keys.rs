//! The SDK's keys sign for the accounts the runtime derives: pinned against Substrate's own key
//! derivation (`sp_keyring`) and the runtime's SM2 account rule.

use qingsuan_client::keys::{Keypair, Scheme};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

#[test]
fn dev_keys_are_substrates() {
	for (name, sr, ed) in [
		("Alice", Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		("Bob", Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		("Charlie", Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
	] {
		let uri = format!("//{name}");
		let sr_key = Keypair::from_secret(Scheme::Sr25519, &uri).expect("a dev URI");
		assert_eq!(sr_key.account_id().0, sr.public().0, "{uri} sr25519");
		let ed_key = Keypair::from_secret(Scheme::Ed25519, &uri).expect("a dev URI");
		assert_eq!(ed_key.account_id().0, ed.public().0, "{uri} ed25519");
	}
	assert_eq!(Keypair::dev("bob").expect("a dev name").account_id().0, Sr25519Keyring::Bob.public().0);
}

#[test]
fn phrases_with_passwords_and_junctions_derive_as_substrate_does() {
	use sp_core::Pair;
	let uri = "bottom drive obey lake curtain smoke basket hold race lonely fit walk//qingsuan//1///secret";
	let ours = Keypair::from_secret(Scheme::Ed25519, uri).expect("a URI");
	let theirs = sp_core::ed25519::Pair::from_string(uri, None).expect("a URI");
	assert_eq!(ours.account_id().0, theirs.public().0);
	let ours = Keypair::from_secret(Scheme::Sr25519, uri).expect("a URI");
	let theirs = sp_core::sr25519::Pair::from_string(uri, None).expect("a URI");
	assert_eq!(ours.account_id().0, theirs.public().0);
}

#[test]
fn signatures_verify_as_the_runtime_verifies_them() {
	use qingsuan_client::Signature;
	use sp_core::{ed25519, sr25519, Pair};
	let payload = b"a signer payload";
	let Signature::Ed25519(sig) = Keypair::from_secret(Scheme::Ed25519, "//Alice").unwrap().sign(payload).unwrap()
	else {
		panic!("an ed25519 signature")
	};
	assert!(sp_core::ed25519::Pair::verify(
		&ed25519::Signature::from_raw(sig),
		payload,
		&Ed25519Keyring::Alice.public()
	));
	let Signature::Sr25519(sig) = Keypair::from_secret(Scheme::Sr25519, "//Alice").unwrap().sign(payload).unwrap()
	else {
		panic!("an sr25519 signature")
	};
	assert!(sp_core::sr25519::Pair::verify(
		&sr25519::Signature::from_raw(sig),
		payload,
		&Sr25519Keyring::Alice.public()
	));
	let sm2_key = Keypair::from_secret(Scheme::Sm2, &"11".repeat(32)).expect("a 32-byte secret");
	let Keypair::Sm2(secret) = &sm2_key else { panic!("an SM2 key") };
	assert_eq!(sm2_key.account_id().0, <[u8; 32]>::from(qingsuan_primitives::signature::sm2_account(&secret.public())));
	let Signature::Sm2(sig) = sm2_key.sign(payload).unwrap() else { panic!("an SM2 signature") };
	assert!(secret.public().verify(payload, &qingsuan_sm_crypto::sm2::Signature(sig.signature)).is_ok());
}
