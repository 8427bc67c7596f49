//! One `--dev` node, through the SDK: it produces and finalizes blocks and executes a signed
//! transfer, whose block the finalized-block subscription then delivers with its event.

use crate::{
	sdk_support::{block_on, dev, event, execute, wait_until},
	support::{serial, Node, Ports, TempDir},
};
use qingsuan_client::{
	api::{self, balances::events::Transfer},
	keys::{Keypair, Scheme},
	subxt::utils::{AccountId32, MultiAddress, H256},
	Client,
};
use qingsuan_test_harness::runtime::UNIT;
use std::time::Duration;

async fn free_balance(client: &Client, who: AccountId32, at: Option<H256>) -> u128 {
	let at = client.at(at).await.expect("a block");
	let entry = at.storage().entry(api::storage().system().account()).expect("an entry");
	match entry.try_fetch((who,)).await.expect("rpc") {
		Some(value) => value.decode().expect("decodes").data.free,
		None => 0,
	}
}

#[test]
fn dev_node_produces_and_finalizes_blocks_and_executes_a_transfer() {
	let _serial = serial();
	let dir = TempDir::new("dev");
	let node = Node::start("dev", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(180), async {
		let connected = Client::connect(&node.ws_url()).await.expect("connects");
		let client = &connected;
		wait_until("3 blocks", Duration::from_secs(60), || async move {
			client.best_block().await.ok().filter(|b| b.0 >= 3)
		})
		.await;
		wait_until("a finalized block", Duration::from_secs(60), || async move {
			client.finalized_block().await.ok().filter(|b| b.0 >= 1)
		})
		.await;
		let mut finalized = client.finalized_blocks().await.expect("subscribes");

		let dest = Keypair::from_secret(Scheme::Sr25519, "//QingsuanE2E//dev-transfer").expect("a URI").account_id();
		assert_eq!(free_balance(client, dest, None).await, 0);
		let amount = 25 * UNIT;
		let transfer = api::tx().balances().transfer_keep_alive(MultiAddress::Id(dest), amount);
		let included = execute(client, &dev("alice"), &transfer).await;
		let t = event::<Transfer>(&included);
		assert_eq!((t.to, t.amount), (dest, amount), "block {} has the Transfer event", included.block_number);
		assert_eq!(free_balance(client, dest, Some(included.block_hash)).await, amount);

		// The subscription delivers the transfer's block once it is finalized, with its event.
		loop {
			let block = finalized.next().await.expect("the subscription is open").expect("a finalized block");
			if block.number >= included.block_number {
				assert_eq!(block.number, included.block_number, "finalized blocks come in order");
				assert_eq!(block.hash, included.block_hash);
				assert!(block.events.find::<Transfer>().any(|e| e.is_ok_and(|e| e.to == dest && e.amount == amount)));
				break;
			}
		}
		assert_eq!(free_balance(client, dest, None).await, amount);
	});
}
