//! A regulator's observer node (`--observer`) beside a dev validator: admitted through node
//! authorization, it follows finality, never authors although a validator's keys are in its
//! keystore, serves every read (blocks, events, state at a height, `settlement_*`,
//! `orderbook_*`, `margin_*`) and no method that writes: its `rpc_methods` is the validator's
//! less exactly the removed list (plus the archive's and surveillance's reads), and each removed
//! method answers "method not found".

use crate::{
	compliance::limit,
	sdk_support::{block_on, dev, event, execute, wait_until},
	support::{serial, TempDir},
};
use qingsuan_client::{
	api::{self, runtime_types::qingsuan_matching_engine::types::Side},
	jsonrpsee::{
		core::{client::ClientT, ClientError as RpcError},
		rpc_params,
	},
	pallet_margin_rpc::MarginApiClient,
	pallet_orderbook_rpc::OrderbookApiClient,
	pallet_settlement_rpc::SettlementApiClient,
	Client,
};
use qingsuan_test_harness::{
	observer::validator_and_observer,
	runtime::genesis_config_presets::{MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
};
use std::{collections::BTreeSet, time::Duration};

/// The methods an observer does not serve (the node's `rpc::OBSERVER_REMOVED`).
const REMOVED: [&str; 19] = [
	"author_submitExtrinsic",
	"author_submitAndWatchExtrinsic",
	"author_unwatchExtrinsic",
	"author_insertKey",
	"author_rotateKeys",
	"author_rotateKeysWithOwner",
	"author_removeExtrinsic",
	"author_hasKey",
	"author_hasSessionKeys",
	"transaction_v1_broadcast",
	"transaction_v1_stop",
	"transactionWatch_v1_submitAndWatch",
	"transactionWatch_v1_unwatch",
	"offchain_localStorageSet",
	"offchain_localStorageClear",
	"system_addReservedPeer",
	"system_removeReservedPeer",
	"system_addLogFilter",
	"system_resetLogFilter",
];

async fn methods(client: &Client) -> BTreeSet<String> {
	let listed: serde_json::Value = client.rpc().request("rpc_methods", rpc_params![]).await.expect("rpc_methods");
	listed["methods"]
		.as_array()
		.expect("a list of methods")
		.iter()
		.map(|m| m.as_str().expect("a name").to_string())
		.collect()
}

#[test]
fn an_observer_follows_finality_serves_every_read_and_no_write() {
	let _serial = serial();
	let dir = TempDir::new("observer");
	let (validator, observer) = validator_and_observer(dir.path());
	block_on(Duration::from_secs(300), async {
		let on_validator = &Client::connect(&validator.ws_url()).await.expect("connects");
		let on_observer = &Client::connect(&observer.ws_url()).await.expect("connects");
		let alice = dev("alice");

		// A trade on the validator: Alice sells 100 Moutai to Bob.
		let offer = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Sell, 100, limit(MOUTAI_REFERENCE), None);
		execute(on_validator, &alice, &offer).await;
		let bid = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Buy, 100, limit(MOUTAI_REFERENCE), None);
		let traded = execute(on_validator, &dev("bob"), &bid).await;
		let trade = event::<api::settlement::events::TradeSettled>(&traded);
		let (number, hash) = (traded.block_number, traded.block_hash);

		// The observer follows finality past the trade's block, and has the block, its events and
		// the state at its height.
		wait_until("the observer to finalize the trade's block", Duration::from_secs(120), || async move {
			on_observer.finalized_block().await.ok().filter(|(n, _)| *n >= number)
		})
		.await;
		let events = on_observer.events(hash).await.expect("the observer has the block's events");
		let seen = events.find_first::<api::settlement::events::TradeSettled>().expect("one").expect("decodes");
		assert_eq!((seen.buyer, seen.seller), (trade.buyer, trade.seller));
		let bob = dev("bob").account_id();
		let at_trade = on_observer.ledger_balance(MOUTAI, &bob, Some(hash)).await.expect("state at the trade");
		assert_eq!(at_trade, on_validator.ledger_balance(MOUTAI, &bob, Some(hash)).await.expect("state"));
		// Genesis state too: an archive keeps every height.
		let genesis = on_observer.api().genesis_hash();
		assert!(on_observer.ledger_balance(MOUTAI, &bob, Some(genesis)).await.expect("genesis state").0 < at_trade.0);

		// Our own reads.
		let day = on_observer.settlement().today(None).await.expect("settlement_today");
		wait_until("the observer's trade store to index the trade", Duration::from_secs(60), || async move {
			let status = on_observer.settlement().store_status().await.ok()?;
			status.last_block.filter(|n| u64::from(*n) >= number)
		})
		.await;
		let records = on_observer.settlement().of_account(bob, day, None, None).await.expect("settlement_ofAccount");
		assert_eq!(records.len(), 1, "{records:?}");
		let markets = on_observer.orderbook().markets(None).await.expect("orderbook_markets");
		assert!(markets.iter().any(|m| m.id == MOUTAI_MARKET));
		assert_eq!(on_observer.margin().credit_account_of(bob, None).await.expect("margin_creditAccountOf"), None);

		// No write method: the observer lists the validator's methods less exactly the removed
		// ones (and adds the archive's), and each removed one is "method not found".
		let (v, o) = (methods(on_validator).await, methods(on_observer).await);
		let missing: BTreeSet<&str> = v.difference(&o).map(String::as_str).collect();
		assert_eq!(missing, REMOVED.into_iter().collect(), "methods the observer lacks");
		// It adds the archive's methods, and surveillance's (always on on an observer).
		let added = |m: &&String| m.starts_with("archive_v1_") || m.starts_with("surveillance_");
		assert!(o.difference(&v).all(|m| added(&m)), "{:?}", o.difference(&v).collect::<Vec<_>>());
		assert!(o.contains("surveillance_alerts") && o.contains("surveillance_subscribeAlerts"), "{o:?}");
		for method in REMOVED {
			match on_observer.rpc().request::<serde_json::Value, _>(method, rpc_params![]).await {
				Err(RpcError::Call(e)) => assert_eq!(e.code(), -32601, "{method}: {e}"),
				other => panic!("{method}: expected method not found, got {other:?}"),
			}
		}

		// A full node, which authored nothing with the keys it was given.
		let roles: serde_json::Value =
			on_observer.rpc().request("system_nodeRoles", rpc_params![]).await.expect("system_nodeRoles");
		assert_eq!(roles, serde_json::json!(["Full"]));
		let log = observer.log();
		assert!(!log.contains("Prepared block") && !log.contains("Starting consensus session"), "{log}");
		assert!(log.contains("Observer"), "{log}");
	});
}
