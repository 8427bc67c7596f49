//! Settlement end to end on a `--dev` node, over JSON-RPC: a bank deposit, a bilateral DvP
//! instruction affirmed by both brokers, the net position report, and a withdrawal whose
//! payee details only the bank's key opens.

use crate::support::{serial, submit_and_wait, wait_for, Node, Ports, TempDir};
use qingsuan_primitives::DEV_BANK_ENVELOPE_SECRET;
use qingsuan_sm_crypto::sm2;
use qingsuan_test_harness::{
	runtime::{
		genesis_config_presets::{CNY, GENESIS_CASH, MOUTAI},
		RuntimeCall, RuntimeEvent,
	},
	settlement,
	sign::{account_of, signed_extrinsic},
	Chain,
};
use sp_keyring::Sr25519Keyring::{self, *};
use std::time::Duration;

type SettlementCall = pallet_settlement::Call<qingsuan_test_harness::runtime::Runtime>;
type SettlementEvent = pallet_settlement::Event<qingsuan_test_harness::runtime::Runtime>;

/// Sign `call` as `who`, submit it, wait for its block; panics unless it succeeded. Returns the
/// settlement pallet's events of that block.
fn execute(chain: &Chain, who: Sr25519Keyring, call: SettlementCall) -> Vec<SettlementEvent> {
	let pair = who.pair();
	let params = chain.tx_params().expect("tx params");
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	let xt = signed_extrinsic(RuntimeCall::Settlement(call.clone()), &pair, nonce, &params);
	let (number, _, events) = submit_and_wait(chain, &xt);
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }))),
		"{call:?} failed in block {number}: {events:?}"
	);
	events.into_iter().filter_map(|e| if let RuntimeEvent::Settlement(e) = e { Some(e) } else { None }).collect()
}

fn position(report: &[serde_json::Value], who: Sr25519Keyring, asset: u32) -> &serde_json::Value {
	let account = who.to_account_id().to_string();
	report
		.iter()
		.find(|p| p["account"] == account.as_str() && p["asset"] == asset)
		.unwrap_or_else(|| panic!("{who:?} has a position in {asset}: {report:?}"))
}

#[test]
fn deposit_dvp_instruction_net_report_and_sealed_withdrawal() {
	let _serial = serial();
	let dir = TempDir::new("settlement");
	let node = Node::start("settlement", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let (alice, bob, bank) = (Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id());

	// 1. Alice asks to deposit 50,000.00 yuan; Charlie, the dev chain's clearing bank, confirms.
	let events = execute(&chain, Alice, SettlementCall::request_deposit { asset: CNY, amount: 5_000_000 });
	let Some(SettlementEvent::DepositRequested { id, .. }) = events.first().cloned() else {
		panic!("DepositRequested: {events:?}")
	};
	let events = execute(&chain, Charlie, SettlementCall::confirm_deposit { id });
	assert!(events.contains(&SettlementEvent::DepositConfirmed {
		id,
		member: alice.clone(),
		asset: CNY,
		amount: 5_000_000
	}));

	// 2. Bob buys 1,000 Moutai from Alice at 1,700.00 yuan, free of the order book: a DvP
	//    instruction both affirm. The second affirmation settles it in its block.
	let legs = vec![
		pallet_settlement::Leg { from: alice.clone(), to: bob.clone(), asset: MOUTAI, amount: 1_000 },
		pallet_settlement::Leg { from: bob.clone(), to: alice.clone(), asset: CNY, amount: 170_000_000 },
	]
	.try_into()
	.expect("two legs");
	let events = execute(&chain, Bob, SettlementCall::create_instruction { legs, settle_at: None, expires_at: 10_000 });
	let Some(SettlementEvent::InstructionCreated { id, .. }) = events.first().cloned() else {
		panic!("InstructionCreated: {events:?}")
	};
	execute(&chain, Alice, SettlementCall::affirm_instruction { id });
	let events = execute(&chain, Bob, SettlementCall::affirm_instruction { id });
	assert!(
		events.iter().any(|e| matches!(e, SettlementEvent::InstructionSettled { id: i, .. } if *i == id)),
		"{events:?}"
	);

	// 3. The day's net report over RPC, from the node's trade store once it has indexed the
	//    settling block (finalized): Alice delivered 1,000 Moutai and received the cash, Bob the
	//    reverse; each asset nets to zero.
	let settled_in = chain.best_number().expect("rpc");
	wait_for("the trade store to index the settling block", Duration::from_secs(60), || {
		settlement::indexed_block(&chain).ok().flatten().filter(|n| *n >= settled_in)
	});
	let report = settlement::net_positions(&chain, None).expect("net report");
	assert_eq!(position(&report, Alice, MOUTAI)["net"], "-1000");
	assert_eq!(position(&report, Bob, MOUTAI)["net"], "1000");
	assert_eq!(position(&report, Alice, CNY)["net"], "170000000");
	assert_eq!(position(&report, Bob, CNY)["net"], "-170000000");
	let day = settlement::today(&chain).expect("today");
	let alice_records = settlement::settlements_of(&chain, &alice, day).expect("records");
	assert_eq!(alice_records.len(), 1);
	assert_eq!(alice_records[0]["settled"]["kind"], "instruction");
	// The store's records chain to the day's hash chain on chain.
	let digest = settlement::day_digest(&chain, day).expect("rpc");
	assert_eq!(digest["chain"], digest["store"], "{digest}");
	assert_eq!(digest["chain"]["count"], 1, "{digest}");
	assert!(settlement::store_status(&chain).expect("rpc")["mismatchedDay"].is_null());

	// 4. Alice withdraws 10,000.00 yuan to her bank account, sealed to the bank's key.
	let bank_key = settlement::bank_key(&chain, &bank, None).expect("rpc").expect("the dev bank has a key");
	let details = "户名: 甲证券; 账号: 6222 0000 1111 2222".as_bytes();
	let payee = settlement::seal_payee(&bank_key, &alice, CNY, 1_000_000, details).expect("seals");
	let events = execute(
		&chain,
		Alice,
		SettlementCall::request_withdrawal {
			asset: CNY,
			amount: 1_000_000,
			payee: payee.try_into().expect("fits MaxEnvelopeLen"),
		},
	);
	let Some(SettlementEvent::WithdrawalRequested { id, .. }) = events.first().cloned() else {
		panic!("WithdrawalRequested: {events:?}")
	};
	// The bank reads the request and opens the details with its key; anyone else cannot.
	let request = settlement::withdrawal(&chain, id, None).expect("rpc").expect("pending");
	let bank_secret = sm2::SecretKey::from_bytes(&DEV_BANK_ENVELOPE_SECRET).expect("valid key");
	assert_eq!(settlement::open_payee(&bank_secret, &request).expect("the bank opens it"), details);
	let stranger = sm2::SecretKey::from_bytes(&[5; 32]).expect("valid key");
	assert!(settlement::open_payee(&stranger, &request).is_err());
	let events = execute(&chain, Charlie, SettlementCall::confirm_withdrawal { id });
	assert!(events.iter().any(|e| matches!(e, SettlementEvent::WithdrawalConfirmed { .. })));

	// The bank's totals: genesis deposits of both brokers, Alice's deposit, Alice's withdrawal.
	let totals = chain.rpc().call("settlement_cashTotals", serde_json::json!([CNY])).expect("rpc");
	assert_eq!(totals["deposited"], (2 * GENESIS_CASH + 5_000_000).to_string());
	assert_eq!(totals["withdrawn"], "1000000");
	// Bad input over RPC is an error, not a panic.
	assert!(chain.rpc().call("settlement_onDay", serde_json::json!([day, 0, 0])).is_err());
}
