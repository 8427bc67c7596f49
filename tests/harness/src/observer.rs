//! A dev validator and a regulator's observer node (`--observer`) beside it, admitted through
//! node authorization, with a validator's keys in its keystore (which it must never use).

use crate::{
	node::{run_node_command, submit_and_wait, wait_for, Node, Ports},
	runtime::{RuntimeCall, RuntimeEvent},
	sign::{account_of, signed_extrinsic},
};
use sp_core::OpaquePeerId;
use sp_keyring::Sr25519Keyring::{Alice, Ferdie};
use std::{path::Path, time::Duration};

/// The dev chain's well-known node: `--node-key` 0x00..01.
pub const VALIDATOR_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
/// Its PeerId.
pub const VALIDATOR_PEER: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
/// The observer's node key (0x00..05).
pub const OBSERVER_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000005";
/// Its `PeerId::to_bytes()` (12D3KooWSuTq6MG9gPt7qZqLFKkYrfxMewTZhj9nmRHJkPwzWDG2).
pub const OBSERVER_PEER: &str = "002408011220fde4fba030ad002f7c2f7d4c331f49d13fb0ec747eceebec634f1ff4cbca9def";

fn dev_chain(extra: &[&str]) -> Vec<String> {
	["--chain", "dev"].iter().chain(extra).map(|s| s.to_string()).collect()
}

/// Start a dev validator (Alice, the dev chain's well-known node) under `dir/validator`, admit
/// the observer's node (sudo `nodeAuthorization.addWellKnownNode`), put Alice's Aura and GRANDPA
/// keys into the observer's keystore, and start the observer under `dir/observer`.
pub fn validator_and_observer(dir: &Path) -> (Node, Node) {
	validator_and_observer_with(dir, &[])
}

/// As [`validator_and_observer`], with more arguments for the observer (surveillance
/// thresholds, say).
pub fn validator_and_observer_with(dir: &Path, observer_args: &[&str]) -> (Node, Node) {
	let validator_ports = Ports::free();
	let validator = Node::start(
		"validator",
		&dir.join("validator"),
		validator_ports,
		&dev_chain(&["--validator", "--alice", "--node-key", VALIDATOR_KEY]),
	);
	let chain = validator.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let admit = RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_well_known_node {
		node: OpaquePeerId(hex::decode(OBSERVER_PEER).expect("hex")),
		owner: Ferdie.to_account_id().into(),
	});
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(admit) });
	let pair = Alice.pair();
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	let (_, _, events) =
		submit_and_wait(&chain, &signed_extrinsic(sudo, &pair, nonce, &chain.tx_params().expect("params")));
	assert!(
		events
			.iter()
			.any(|e| matches!(e, RuntimeEvent::NodeAuthorization(pallet_node_authorization::Event::NodeAdded { .. }))),
		"sudo admitted the observer: {events:?}"
	);

	let base = dir.join("observer");
	let path = base.display().to_string();
	for (scheme, key_type) in [("sr25519", "aura"), ("ed25519", "gran")] {
		let args = [
			"key",
			"insert",
			"--chain",
			"dev",
			"--base-path",
			&path,
			"--scheme",
			scheme,
			"--suri",
			"//Alice",
			"--key-type",
			key_type,
		];
		let out = run_node_command(&args, Duration::from_secs(30));
		assert!(out.status.success(), "key insert: {}", String::from_utf8_lossy(&out.stderr));
	}
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{VALIDATOR_PEER}", validator_ports.p2p);
	let observer = Node::start(
		"observer",
		&base,
		Ports::free(),
		&dev_chain(
			&[&["--observer", "--node-key", OBSERVER_KEY, "--bootnodes", &bootnode][..], observer_args].concat(),
		),
	);
	(validator, observer)
}
