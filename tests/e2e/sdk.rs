//! The SDK (`qingsuan-client`, on subxt) against a `--dev` node: its generated API matches the
//! node's metadata; sr25519, ed25519 and SM2 keys sign transactions the runtime accepts; a
//! subscription to finalized blocks delivers their events; the typed RPC clients read the
//! settlement and order-book methods; failures are errors that name the pallet's error.

use crate::support::{serial, Node, Ports, TempDir};
use qingsuan_client::{
	api::{
		self,
		runtime_types::{pallet_members, qingsuan_primitives::Role, qingsuan_runtime::RuntimeCall},
	},
	keys::{Keypair, Scheme},
	pallet_orderbook_rpc::OrderbookApiClient,
	pallet_settlement_rpc::{codes, SettlementApiClient},
	subxt::utils::{AccountId32, MultiAddress},
	Client, ClientError, Wait,
};
use qingsuan_test_harness::runtime::genesis_config_presets::{CNY, GENESIS_CASH, MOUTAI_MARKET};
use std::time::Duration;

const UNIT: u128 = 1_000_000_000_000;

fn runtime() -> tokio::runtime::Runtime {
	tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
}

/// Make `who` a member broker (sudo, on the dev chain) and give it fees.
async fn onboard(client: &Client, sudo: &Keypair, who: AccountId32) {
	let grant = RuntimeCall::Members(pallet_members::pallet::Call::grant_role { who, role: Role::MemberBroker });
	client.submit(&api::tx().sudo().sudo(grant), sudo, Wait::InBlock).await.expect("sudo grants the role");
	let fund = api::tx().balances().transfer_keep_alive(MultiAddress::Id(who), 100 * UNIT);
	client.submit(&fund, sudo, Wait::InBlock).await.expect("Alice funds it");
}

/// The id of the deposit request `included` made.
fn deposit_id(included: &qingsuan_client::Included) -> u64 {
	included
		.events
		.find_first::<api::settlement::events::DepositRequested>()
		.expect("a DepositRequested event")
		.expect("decodes")
		.id
}

#[test]
fn the_sdk_signs_with_three_schemes_follows_finalized_events_and_reads_typed_rpc() {
	let _serial = serial();
	let dir = TempDir::new("sdk");
	let node = Node::start("sdk", dir.path(), Ports::free(), &["--dev".to_string()]);
	let url = format!("ws://127.0.0.1:{}", node.ports.rpc);
	runtime().block_on(async {
		tokio::time::timeout(Duration::from_secs(240), async {
			let client = Client::connect(&url).await.expect("connects");
			let metadata = client.api().at_current_block().await.expect("best block").metadata();
			assert!(api::is_codegen_valid_for(&metadata), "the SDK's metadata is the node's");
			let mut finalized = client.finalized_blocks().await.expect("subscribes");

			let alice = Keypair::dev("alice").expect("dev key");
			let bank = Keypair::dev("charlie").expect("dev key");
			let ed = Keypair::from_secret(Scheme::Ed25519, "//Qingsuan//ed").expect("a URI");
			let sm2 = Keypair::from_secret(Scheme::Sm2, &"2a".repeat(32)).expect("a secret");
			onboard(&client, &alice, ed.account_id()).await;
			onboard(&client, &alice, sm2.account_id()).await;

			// Each scheme signs a deposit request; the bank confirms each.
			let mut ids = Vec::new();
			for (key, amount) in [(&alice, 1_000_000u128), (&ed, 2_000_000), (&sm2, 3_000_000)] {
				let request = api::tx().settlement().request_deposit(CNY, amount);
				let included = client.submit(&request, key, Wait::InBlock).await.expect("a member asks to deposit");
				let id = deposit_id(&included);
				client
					.submit(&api::tx().settlement().confirm_deposit(id), &bank, Wait::InBlock)
					.await
					.expect("confirms");
				assert!(client.ledger_balance(CNY, &key.account_id(), None).await.expect("reads").0 >= amount);
				ids.push(id);
			}

			// The finalized-block subscription delivers every confirmation's event.
			let mut confirmed = Vec::new();
			while confirmed.len() < ids.len() {
				let block = finalized.next().await.expect("the subscription is open").expect("a finalized block");
				for event in block.events.find::<api::settlement::events::DepositConfirmed>() {
					confirmed.push(event.expect("decodes").id);
				}
			}
			assert_eq!(confirmed, ids);

			// A call that fails in its block is an error naming the pallet's error.
			let unknown = api::tx().settlement().confirm_deposit(9_999);
			match client.submit(&unknown, &bank, Wait::InBlock).await {
				Err(ClientError::Transaction(message)) => assert!(message.contains("UnknownRequest"), "{message}"),
				other => panic!("expected UnknownRequest, got {other:?}"),
			}

			// The typed RPC clients.
			let totals = client.settlement().cash_totals(CNY, None).await.expect("cash totals");
			assert_eq!(totals.deposited, (2 * GENESIS_CASH + 6_000_000).to_string());
			let markets = client.orderbook().markets(None).await.expect("markets");
			assert!(markets.iter().any(|m| m.id == MOUTAI_MARKET));
			let day = client.settlement().today(None).await.expect("today");
			match client.settlement().on_day(day, None, Some(0)).await {
				Err(qingsuan_client::jsonrpsee::core::ClientError::Call(e)) => {
					assert_eq!(e.code(), codes::INVALID_PARAMS)
				},
				other => panic!("a zero limit is invalid params, got {other:?}"),
			}
		})
		.await
		.expect("the SDK test finishes within 240 s");
	});
	drop(node);
}
