//! The order book end to end on a `--dev` node, through the SDK: two brokers cross, both see the
//! trade and their new balances in a finalized block; a market order larger than one call's
//! matching budget is finished by the validator's off-chain worker.

use crate::{
	sdk_support::{block_on, dev, events, execute, wait_until},
	support::{serial, Node, Ports, TempDir},
};
use qingsuan_client::{
	api::{
		self,
		orderbook::events as ev,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_orderbook::types::NewOrder,
			qingsuan_matching_engine::types::{OrderType, Side, TimeInForce},
		},
	},
	jsonrpsee::core::ClientError as RpcError,
	pallet_orderbook_rpc::{codes, OrderbookApiClient},
	pallet_settlement_rpc::SettlementApiClient,
	Client,
};
use qingsuan_test_harness::runtime::genesis_config_presets::{
	CNY, GENESIS_CASH, GENESIS_SHARES, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE,
};
use std::time::Duration;

fn limit(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

fn invalid_params<T: std::fmt::Debug>(result: Result<T, RpcError>) {
	match result {
		Err(RpcError::Call(e)) => assert_eq!(e.code(), codes::INVALID_PARAMS),
		other => panic!("expected invalid params, got {other:?}"),
	}
}

#[test]
fn two_brokers_cross_and_the_worker_finishes_a_sweep() {
	let _serial = serial();
	let dir = TempDir::new("orderbook");
	let node = Node::start("orderbook", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(300), async {
		let connected = Client::connect(&node.ws_url()).await.expect("connects");
		let client = &connected;
		let (alice_key, bob_key) = (dev("alice"), dev("bob"));
		let (alice, bob) = (alice_key.account_id(), bob_key.account_id());
		let book = client.orderbook();

		// 1. Alice offers 300 Moutai at 1,500.00 yuan; Bob buys 200 up to 1,501.00.
		let offer = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Sell, 300, limit(MOUTAI_REFERENCE), None);
		let offered = execute(client, &alice_key, &offer).await;
		assert!(events::<ev::OrderRested>(&offered).iter().any(|e| e.remaining == 300));
		let bid = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Buy, 200, limit(MOUTAI_REFERENCE + 100), None);
		let crossed = execute(client, &bob_key, &bid).await;
		let fills: Vec<_> =
			events::<ev::OrderFilled>(&crossed).into_iter().map(|f| (f.price, f.quantity, f.maker, f.taker)).collect();
		assert_eq!(fills, vec![(MOUTAI_REFERENCE, 200, alice, bob)]);
		let block = crossed.block_number;

		// 2. Once that block is final, both see the trade and their balances there.
		let (_, finalized) = wait_until("the trade's block to be finalized", Duration::from_secs(60), || async move {
			client.finalized_block().await.ok().filter(|(n, _)| *n >= block)
		})
		.await;
		// The node's trade store indexes finalized blocks; recent trades come from it.
		wait_until("the trade store to index the trade's block", Duration::from_secs(30), || async move {
			let status = client.settlement().store_status().await.ok()?;
			status.last_block.filter(|n| u64::from(*n) >= block)
		})
		.await;
		let trades = book.recent_trades(MOUTAI_MARKET, Some(10), None).await.expect("rpc");
		assert_eq!(trades.len(), 1);
		assert_eq!((trades[0].quantity.as_str(), trades[0].price.clone()), ("200", MOUTAI_REFERENCE.to_string()));
		assert_eq!((trades[0].buyer, trades[0].seller), (bob, alice));
		let cash = 200 * u128::from(MOUTAI_REFERENCE);
		// The dev chain's handling fee (34,100 parts per billion) and stamp duty (0.05%), each
		// rounded up to the fen.
		let (fee, stamp) = ((cash * 34_100).div_ceil(1_000_000_000), (cash * 5).div_ceil(10_000));
		let balance =
			|asset, who| async move { client.ledger_balance(asset, &who, Some(finalized)).await.expect("rpc") };
		assert_eq!(balance(MOUTAI, bob).await, (GENESIS_SHARES + 200, 0));
		assert_eq!(balance(CNY, bob).await, (GENESIS_CASH - cash - fee, 0));
		assert_eq!(balance(MOUTAI, alice).await, (GENESIS_SHARES - 300, 100), "100 still offered, held");
		assert_eq!(balance(CNY, alice).await, (GENESIS_CASH + cash - fee - stamp, 0));
		let open = book.open_orders(alice, Some(finalized)).await.expect("rpc");
		assert_eq!(open.len(), 1);
		assert_eq!(open[0].remaining, "100");
		let depth = book.depth(MOUTAI_MARKET, Some(5), Some(finalized)).await.expect("rpc");
		assert_eq!(depth.asks[0].quantity, "100");
		assert_eq!(depth.last_price, Some(MOUTAI_REFERENCE.to_string()));

		// 3. Alice offers 70 more lots, one tick apart, in two batches; Bob's market order for
		//    all of them needs more fills than one call makes (64): the rest becomes the
		//    market's sweep, which the dev validator's off-chain worker continues with an
		//    authorized upkeep.
		for range in [0u64..40, 40..70] {
			let orders = range
				.map(|i| NewOrder {
					market: MOUTAI_MARKET,
					side: Side::Sell,
					quantity: 100,
					kind: limit(MOUTAI_REFERENCE + 1 + i),
					account: None,
				})
				.collect();
			execute(client, &alice_key, &api::tx().orderbook().place_orders(BoundedVec(orders))).await;
		}
		let market = OrderType::Market { protection: MOUTAI_REFERENCE + 1_000 };
		let swept_by = execute(
			client,
			&bob_key,
			&api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Buy, 7_100, market, None),
		)
		.await;
		assert!(!events::<ev::SweepPending>(&swept_by).is_empty(), "the order left a sweep");
		let swept = wait_until("the off-chain worker to finish the sweep", Duration::from_secs(60), || async move {
			let depth = client.orderbook().depth(MOUTAI_MARKET, Some(5), None).await.ok()?;
			depth.sweep.is_none().then_some(depth)
		})
		.await;
		assert!(swept.asks.is_empty(), "{swept:?}");
		assert_eq!(client.ledger_balance(MOUTAI, &bob, None).await.expect("rpc").0, GENESIS_SHARES + 200 + 7_100);
		// The upkeep came as an unsigned, authorized transaction after Bob's block.
		let (best, _) = client.best_block().await.expect("rpc");
		let mut upkeep = false;
		for n in swept_by.block_number + 1..=best {
			let at = client.api().at_block(n).await.expect("a block");
			let block_events = at.events().fetch().await.expect("events");
			upkeep |= block_events.find::<ev::OrderFilled>().any(|f| f.is_ok_and(|f| f.taker == bob));
		}
		assert!(upkeep, "fills after Bob's block");
		// Bad input over RPC is an error with its documented code, not a panic.
		invalid_params(book.depth(99, Some(5), None).await);
		invalid_params(book.recent_trades(MOUTAI_MARKET, Some(0), None).await);
	});
}
