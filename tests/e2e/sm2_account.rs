//! An SM2 account end to end: created with the CLI, funded, refused until it holds a role, then
//! signing a transfer a dev node executes; bad SM2 signatures are refused at the pool and change
//! nothing.

use crate::support::{run_node_command, serial, submit_and_wait, wait_for, Node, Ports, TempDir};
use qingsuan_primitives::signature::{Signature, Sm2Signature};
use qingsuan_sm_crypto::sm2;
use qingsuan_test_harness::{
	runtime::{BalancesCall, RuntimeCall, RuntimeEvent, UncheckedExtrinsic, UNIT},
	sign::{account_of, signed_extrinsic, signed_extrinsic_sm2, signed_extrinsic_with, TxParams},
	Chain, ClientError,
};
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

/// Run `qingsuan-node key …` and return its stdout.
fn key_cli(args: &[&str]) -> String {
	let out = run_node_command(args, Duration::from_secs(30));
	assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
	String::from_utf8(out.stdout).expect("utf-8 output")
}

fn transfer(dest: &qingsuan_test_harness::runtime::AccountId, value: u128) -> RuntimeCall {
	RuntimeCall::Balances(BalancesCall::transfer_keep_alive { dest: dest.clone().into(), value })
}

/// Submit `xt`, wait for its block, and check it succeeded; returns the block's events.
fn included_ok(chain: &Chain, xt: &UncheckedExtrinsic) -> Vec<RuntimeEvent> {
	let (_, _, events) = submit_and_wait(chain, xt);
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }))),
		"{events:?}"
	);
	events
}

fn assert_bad_proof(result: Result<H256, ClientError>, what: &str) {
	match result {
		Err(ClientError::Rpc { message, .. }) => {
			assert!(message.to_lowercase().contains("bad signature"), "{what}: {message}")
		},
		other => panic!("{what}: expected BadProof from the pool, got {other:?}"),
	}
}

#[test]
fn sm2_key_cli_generates_inspects_signs_and_verifies() {
	let generated: serde_json::Value =
		serde_json::from_str(&key_cli(&["key", "generate", "--scheme", "sm2", "--output-type", "json"])).expect("json");
	let secret = generated["secretKey"].as_str().expect("secret");
	let inspected: serde_json::Value =
		serde_json::from_str(&key_cli(&["key", "inspect", "--scheme", "sm2", secret, "--output-type", "json"]))
			.expect("json");
	assert_eq!(inspected["accountId"], generated["accountId"]);
	assert_eq!(inspected["publicKey"], generated["publicKey"]);

	let sig = key_cli(&["key", "sign", "--scheme", "sm2", "--secret", secret, "--message", "清算 T+0"]);
	let public = generated["publicKey"].as_str().expect("public");
	let ok = key_cli(&["key", "verify", "--scheme", "sm2", sig.trim(), public, "--message", "清算 T+0"]);
	assert!(ok.contains("verifies"));
	let bad = run_node_command(
		&["key", "verify", "--scheme", "sm2", sig.trim(), public, "--message", "清算 T+1"],
		Duration::from_secs(30),
	);
	assert!(!bad.status.success(), "a changed message does not verify");
	let bad_key = run_node_command(&["key", "inspect", "--scheme", "sm2", "0x1234"], Duration::from_secs(30));
	assert!(!bad_key.status.success());
	assert!(String::from_utf8_lossy(&bad_key.stderr).starts_with("Error: "));
}

#[test]
fn sm2_account_is_funded_and_signs_a_transfer_and_bad_signatures_are_refused() {
	let _serial = serial();
	let generated: serde_json::Value =
		serde_json::from_str(&key_cli(&["key", "generate", "--scheme", "sm2", "--output-type", "json"])).expect("json");
	let secret_hex = generated["secretKey"].as_str().expect("secret").trim_start_matches("0x").to_string();
	let key = sm2::SecretKey::from_slice(&hex::decode(secret_hex).expect("hex")).expect("valid key");
	let account = qingsuan_test_harness::sign::sm2_account_of(&key);
	assert_eq!(format!("0x{}", hex::encode(<[u8; 32]>::from(account.clone()))), generated["accountId"]);

	let dir = TempDir::new("sm2");
	let node = Node::start("sm2", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let params = chain.tx_params().expect("params");

	// Fund the SM2 account from Alice.
	let alice = Sr25519Keyring::Alice.pair();
	let nonce = chain.next_nonce(&account_of(&alice)).expect("nonce");
	included_ok(&chain, &signed_extrinsic(transfer(&account, 100 * UNIT), &alice, nonce, &params));
	assert_eq!(chain.free_balance(&account, None).expect("balance"), 100 * UNIT);

	// Funded but without a role, it may not sign a transfer: refused at the pool, nothing
	// charged (the runtime's `check_caller`).
	let refused =
		signed_extrinsic_sm2(transfer(&Sr25519Keyring::Ferdie.to_account_id(), UNIT), &key, 0, &params).expect("sign");
	match chain.submit(&refused) {
		Err(ClientError::Rpc { message, .. }) => assert!(message.contains("Custom error: 41"), "{message}"),
		other => panic!("a signer without a role: expected Custom(41) from the pool, got {other:?}"),
	}
	assert_eq!(chain.free_balance(&account, None).expect("balance"), 100 * UNIT);

	// The consortium (sudo, on the dev chain) makes it a member broker.
	let grant = RuntimeCall::Members(pallet_members::Call::grant_role {
		who: account.clone(),
		role: qingsuan_primitives::Role::MemberBroker,
	});
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(grant) });
	included_ok(&chain, &signed_extrinsic(sudo, &alice, nonce + 1, &params));

	// The SM2 account signs a transfer.
	let dest = Sr25519Keyring::Ferdie.to_account_id();
	let dest_before = chain.free_balance(&dest, None).expect("balance");
	let xt = signed_extrinsic_sm2(transfer(&dest, 7 * UNIT), &key, 0, &params).expect("sign");
	let events = included_ok(&chain, &xt);
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, amount, .. }) if *from == account && *amount == 7 * UNIT
	)));
	assert_eq!(chain.free_balance(&dest, None).expect("balance"), dest_before + 7 * UNIT);

	// Bad signatures: refused at the pool with BadProof, nothing charged or changed.
	let balance = chain.free_balance(&account, None).expect("balance");
	let nonce = chain.next_nonce(&account).expect("nonce");
	let public = key.public();
	let other = sm2::SecretKey::from_bytes(&[42; 32]).expect("valid key");

	let flipped = signed_extrinsic_with(transfer(&dest, UNIT), nonce, &params, account.clone(), |payload| {
		let mut signature = key.sign(payload).expect("sign");
		signature.0[17] ^= 0x01;
		Signature::Sm2(Sm2Signature { public, signature })
	});
	assert_bad_proof(chain.submit(&flipped), "a signature with one flipped bit");

	let by_other_key = signed_extrinsic_with(transfer(&dest, UNIT), nonce, &params, account.clone(), |payload| {
		Signature::Sm2(Sm2Signature { public, signature: other.sign(payload).expect("sign") })
	});
	assert_bad_proof(chain.submit(&by_other_key), "a signature by another key");

	let claims_other_key = signed_extrinsic_with(transfer(&dest, UNIT), nonce, &params, account.clone(), |payload| {
		Signature::Sm2(Sm2Signature { public: other.public(), signature: other.sign(payload).expect("sign") })
	});
	assert_bad_proof(chain.submit(&claims_other_key), "another key's valid signature for this account");

	let other_chain = TxParams { genesis_hash: H256::repeat_byte(7), ..params };
	let for_other_chain = signed_extrinsic_sm2(transfer(&dest, UNIT), &key, nonce, &other_chain).expect("sign");
	assert_bad_proof(chain.submit(&for_other_chain), "a signature made for another chain");

	// Two more blocks, then nothing has moved.
	let now = chain.best_number().expect("best");
	wait_for("two more blocks", Duration::from_secs(30), || chain.best_number().ok().filter(|n| *n >= now + 2));
	assert_eq!(chain.free_balance(&account, None).expect("balance"), balance);
	assert_eq!(chain.next_nonce(&account).expect("nonce"), nonce);
}

/// Run `qingsuan-node key …`, expecting it to exit 0; returns stdout and stderr together.
fn key_help(args: &[&str]) -> String {
	let out = run_node_command(args, Duration::from_secs(30));
	let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
	assert!(out.status.success(), "{args:?} exited {:?}: {text}", out.status.code());
	text
}

#[test]
fn key_help_lists_every_subcommand_and_exits_zero() {
	// The key commands list SM2 signing and verifying beside Substrate's.
	let help = key_help(&["key", "--help"]);
	for sub in ["generate", "inspect", "insert", "generate-node-key", "inspect-node-key", "sign", "verify"] {
		assert!(help.contains(sub), "`key --help` lists {sub}: {help}");
	}
	// Each one's help, with or without the scheme, is help (exit 0), not an error.
	for args in [
		&["key", "sign", "--help"][..],
		&["key", "verify", "--help"],
		&["key", "sign", "--scheme", "sm2", "--help"],
		&["key", "verify", "--scheme", "sm2", "--help"],
		&["key", "generate", "--scheme", "sm2", "--help"],
	] {
		let text = key_help(args);
		assert!(!text.contains("Error"), "{args:?}: {text}");
		assert!(text.contains("--scheme"), "{args:?}: {text}");
	}
	assert!(key_help(&["key", "sign", "--help"]).contains("UTF-8"));
	// Another scheme is one clear line and a non-zero exit.
	let out = run_node_command(
		&["key", "verify", "--scheme", "ed25519", "00", "00", "--message", "x"],
		Duration::from_secs(30),
	);
	assert!(!out.status.success());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("--scheme sm2"), "{err}");
}
