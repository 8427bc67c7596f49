//! Settlement end to end on a `--dev` node, through the SDK: a bank deposit, a bilateral DvP
//! instruction affirmed by both brokers, the net position report, and a withdrawal whose
//! payee details only the bank's key opens.

use crate::{
	sdk_support::{block_on, dev, event, events, execute, wait_until},
	support::{serial, Node, Ports, TempDir},
};
use qingsuan_client::{
	api::{
		self,
		runtime_types::{bounded_collections::bounded_vec::BoundedVec, pallet_settlement::types::Leg},
		settlement::events as ev,
	},
	jsonrpsee::core::ClientError as RpcError,
	pallet_settlement_rpc::{codes, NetPosition, Settled, SettlementApiClient},
	settlement::{open_payee, seal_payee, withdrawal_recipients},
	AccountId32, Client,
};
use qingsuan_primitives::DEV_BANK_ENVELOPE_SECRET;
use qingsuan_sm_crypto::sm2;
use qingsuan_test_harness::runtime::genesis_config_presets::{CNY, GENESIS_CASH, MOUTAI};
use std::time::Duration;

fn position(report: &[NetPosition<AccountId32>], who: &AccountId32, asset: u32) -> String {
	report
		.iter()
		.find(|p| &p.account == who && p.asset == asset)
		.unwrap_or_else(|| panic!("{who} has a position in {asset}: {report:?}"))
		.net
		.clone()
}

#[test]
fn deposit_dvp_instruction_net_report_and_sealed_withdrawal() {
	let _serial = serial();
	let dir = TempDir::new("settlement");
	let node = Node::start("settlement", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(300), async {
		let client = Client::connect(&node.ws_url()).await.expect("connects");
		let rpc = client.settlement();
		let (alice, bob, bank) = (dev("alice"), dev("bob"), dev("charlie"));
		let (a, b) = (alice.account_id(), bob.account_id());

		// 1. Alice asks to deposit 50,000.00 yuan; Charlie, the dev chain's clearing bank, confirms.
		let requested = execute(&client, &alice, &api::tx().settlement().request_deposit(CNY, 5_000_000)).await;
		let id = event::<ev::DepositRequested>(&requested).id;
		let confirmed = execute(&client, &bank, &api::tx().settlement().confirm_deposit(id)).await;
		let c = event::<ev::DepositConfirmed>(&confirmed);
		assert_eq!((c.id, c.member, c.asset, c.amount), (id, a, CNY, 5_000_000));

		// 2. Bob buys 1,000 Moutai from Alice at 1,700.00 yuan, free of the order book: a DvP
		//    instruction both affirm. The second affirmation settles it in its block.
		let legs = BoundedVec(vec![
			Leg { from: a, to: b, asset: MOUTAI, amount: 1_000 },
			Leg { from: b, to: a, asset: CNY, amount: 170_000_000 },
		]);
		let created = execute(&client, &bob, &api::tx().settlement().create_instruction(legs, None, 10_000)).await;
		let id = event::<ev::InstructionCreated>(&created).id;
		execute(&client, &alice, &api::tx().settlement().affirm_instruction(id)).await;
		let settled = execute(&client, &bob, &api::tx().settlement().affirm_instruction(id)).await;
		assert!(events::<ev::InstructionSettled>(&settled).iter().any(|e| e.id == id));

		// 3. The day's net report over RPC, from the node's trade store once it has indexed the
		//    settling block (finalized): Alice delivered 1,000 Moutai and received the cash, Bob
		//    the reverse; each asset nets to zero.
		let settled_in = settled.block_number;
		wait_until("the trade store to index the settling block", Duration::from_secs(60), || async move {
			let status = rpc.store_status().await.ok()?;
			status.last_block.filter(|n| u64::from(*n) >= settled_in)
		})
		.await;
		let report = rpc.net_positions(None, None, None).await.expect("net report");
		assert_eq!(position(&report, &a, MOUTAI), "-1000");
		assert_eq!(position(&report, &b, MOUTAI), "1000");
		assert_eq!(position(&report, &a, CNY), "170000000");
		assert_eq!(position(&report, &b, CNY), "-170000000");
		let day = rpc.today(None).await.expect("today");
		let records = rpc.of_account(a, day, None, None).await.expect("records");
		assert_eq!(records.len(), 1);
		assert!(matches!(records[0].settled, Settled::Instruction { instruction, .. } if instruction == id));
		// The store's records chain to the day's hash chain on chain.
		let digest = rpc.day_digest(day, None).await.expect("rpc");
		assert_eq!(digest.chain, digest.store, "{digest:?}");
		assert_eq!(digest.chain.count, 1, "{digest:?}");
		assert_eq!(rpc.store_status().await.expect("rpc").mismatched_day, None);

		// 4. Alice withdraws 10,000.00 yuan to her bank account, sealed to the bank's key (the
		// only recipient: no regulator key is registered on the dev chain).
		let recipients = withdrawal_recipients(&client, CNY, None).await.expect("the keys");
		assert_eq!(recipients.len(), 1, "the bank's key alone");
		let details = "户名: 甲证券; 账号: 6222 0000 1111 2222".as_bytes();
		let payee = seal_payee(&recipients, &a, CNY, 1_000_000, details).expect("seals");
		let requested =
			execute(&client, &alice, &api::tx().settlement().request_withdrawal(CNY, 1_000_000, BoundedVec(payee)))
				.await;
		let id = event::<ev::WithdrawalRequested>(&requested).id;
		// The bank reads the request and opens the details with its key; anyone else cannot.
		let at = client.at(None).await.expect("best block");
		let pending = at.storage().entry(api::storage().settlement().withdrawals()).expect("an entry");
		let request = pending.try_fetch((id,)).await.expect("rpc").expect("pending").decode().expect("decodes");
		let bank_secret = sm2::SecretKey::from_bytes(&DEV_BANK_ENVELOPE_SECRET).expect("valid key");
		let opened = open_payee(&bank_secret, &request.member, request.asset, request.amount, &request.payee.0);
		assert_eq!(opened.expect("the bank opens it"), details);
		let stranger = sm2::SecretKey::from_bytes(&[5; 32]).expect("valid key");
		assert!(open_payee(&stranger, &request.member, request.asset, request.amount, &request.payee.0).is_err());
		let confirmed = execute(&client, &bank, &api::tx().settlement().confirm_withdrawal(id)).await;
		assert_eq!(event::<ev::WithdrawalConfirmed>(&confirmed).id, id);

		// The bank's totals: genesis deposits of both brokers, Alice's deposit, her withdrawal.
		let totals = rpc.cash_totals(CNY, None).await.expect("rpc");
		assert_eq!(totals.deposited, (2 * GENESIS_CASH + 5_000_000).to_string());
		assert_eq!(totals.withdrawn, "1000000");
		// Bad input over RPC is an error with its documented code, not a panic.
		match rpc.on_day(day, Some(0), Some(0)).await {
			Err(RpcError::Call(e)) => assert_eq!(e.code(), codes::INVALID_PARAMS),
			other => panic!("a zero limit is invalid params, got {other:?}"),
		}
	});
}
