//! One `--dev` node: it produces and finalizes blocks and executes a signed transfer.

use crate::support::{serial, submit_and_wait, wait_for, Node, Ports, TempDir};
use qingsuan_test_harness::{
	runtime::{BalancesCall, RuntimeCall, RuntimeEvent, UNIT},
	sign::{account_of, signed_extrinsic},
};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

#[test]
fn dev_node_produces_and_finalizes_blocks_and_executes_a_transfer() {
	let _serial = serial();
	let dir = TempDir::new("dev");
	let node = Node::start("dev", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();

	wait_for("3 blocks", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 3));
	wait_for("a finalized block", Duration::from_secs(60), || chain.finalized_number().ok().filter(|n| *n >= 1));

	let alice = Sr25519Keyring::Alice.pair();
	let dest_pair = sr25519::Pair::from_string("//QingsuanE2E//dev-transfer", None).expect("valid seed");
	let dest = account_of(&dest_pair);
	assert_eq!(chain.free_balance(&dest, None).expect("balance"), 0);

	let amount = 25 * UNIT;
	let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive { dest: dest.clone().into(), value: amount });
	let params = chain.tx_params().expect("tx params");
	let nonce = chain.next_nonce(&account_of(&alice)).expect("nonce");
	let (number, block, events) = submit_and_wait(&chain, &signed_extrinsic(call, &alice, nonce, &params));
	assert!(
		events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { to, amount: a, .. }) if *to == dest && *a == amount
		)),
		"block {number} has the Transfer event: {events:?}"
	);
	assert_eq!(chain.free_balance(&dest, Some(block)).expect("balance"), amount);

	wait_for("the transfer's block to be finalized", Duration::from_secs(60), || {
		chain.finalized_number().ok().filter(|n| *n >= number)
	});
	assert_eq!(chain.free_balance(&dest, None).expect("balance"), amount);
}
