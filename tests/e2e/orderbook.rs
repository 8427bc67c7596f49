//! The order book end to end on a `--dev` node, over JSON-RPC: two brokers cross, both see the
//! trade and their new balances in a finalized block; a market order larger than one call's
//! matching budget is finished by the validator's off-chain worker.

use crate::support::{serial, submit_and_wait, wait_for, Node, Ports, TempDir};
use pallet_orderbook::{NewOrder, OrderType, Side, TimeInForce};
use qingsuan_test_harness::{
	orderbook,
	runtime::{
		genesis_config_presets::{CNY, GENESIS_CASH, GENESIS_SHARES, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
		RuntimeCall, RuntimeEvent,
	},
	settlement,
	sign::{account_of, signed_extrinsic},
	Chain,
};
use sp_keyring::Sr25519Keyring::{self, *};
use std::time::Duration;

type OrderbookEvent = pallet_orderbook::Event<qingsuan_test_harness::runtime::Runtime>;

/// Sign `call` as `who`, submit it, wait for its block; panics unless it succeeded. Returns the
/// block number and the order book's events of that block.
fn execute(chain: &Chain, who: Sr25519Keyring, call: RuntimeCall) -> (u32, Vec<OrderbookEvent>) {
	let pair = who.pair();
	let params = chain.tx_params().expect("tx params");
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	let xt = signed_extrinsic(call.clone(), &pair, nonce, &params);
	let (number, _, events) = submit_and_wait(chain, &xt);
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }))),
		"{call:?} failed in block {number}: {events:?}"
	);
	(
		number,
		events.into_iter().filter_map(|e| if let RuntimeEvent::Orderbook(e) = e { Some(e) } else { None }).collect(),
	)
}

fn limit(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

#[test]
fn two_brokers_cross_and_the_worker_finishes_a_sweep() {
	let _serial = serial();
	let dir = TempDir::new("orderbook");
	let node = Node::start("orderbook", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());

	// 1. Alice offers 300 Moutai at 1,500.00 yuan; Bob buys 200 up to 1,501.00.
	let (_, events) =
		execute(&chain, Alice, orderbook::place_order(MOUTAI_MARKET, Side::Sell, 300, limit(MOUTAI_REFERENCE)));
	assert!(events.iter().any(|e| matches!(e, OrderbookEvent::OrderRested { remaining: 300, .. })), "{events:?}");
	let (block, events) =
		execute(&chain, Bob, orderbook::place_order(MOUTAI_MARKET, Side::Buy, 200, limit(MOUTAI_REFERENCE + 100)));
	let filled = events.iter().find_map(|e| match e {
		OrderbookEvent::OrderFilled { price, quantity, maker, taker, .. } => {
			Some((*price, *quantity, maker.clone(), taker.clone()))
		},
		_ => None,
	});
	assert_eq!(filled, Some((MOUTAI_REFERENCE, 200, alice.clone(), bob.clone())));

	// 2. Once that block is final, both see the trade and their balances there.
	let (finalized, _) = wait_for("the trade's block to be finalized", Duration::from_secs(60), || {
		chain.finalized().ok().filter(|(_, n)| *n >= block)
	});
	// The node's trade store indexes finalized blocks; recent trades come from it.
	wait_for("the trade store to index the trade's block", Duration::from_secs(30), || {
		settlement::indexed_block(&chain).ok().flatten().filter(|n| *n >= block)
	});
	let trades = orderbook::recent_trades(&chain, MOUTAI_MARKET, 10).expect("rpc");
	assert_eq!(trades.len(), 1);
	assert_eq!(trades[0]["quantity"], "200");
	assert_eq!(trades[0]["price"], MOUTAI_REFERENCE.to_string());
	assert_eq!(trades[0]["buyer"], bob.to_string());
	assert_eq!(trades[0]["seller"], alice.to_string());
	let cash = 200 * u128::from(MOUTAI_REFERENCE);
	let fee = sp_runtime::Perbill::from_parts(34_100).mul_ceil(cash);
	let stamp = sp_runtime::Perbill::from_parts(500_000).mul_ceil(cash);
	assert_eq!(
		orderbook::ledger_balance(&chain, MOUTAI, &bob, Some(finalized)).expect("rpc"),
		(GENESIS_SHARES + 200, 0)
	);
	assert_eq!(
		orderbook::ledger_balance(&chain, CNY, &bob, Some(finalized)).expect("rpc"),
		(GENESIS_CASH - cash - fee, 0)
	);
	assert_eq!(
		orderbook::ledger_balance(&chain, MOUTAI, &alice, Some(finalized)).expect("rpc"),
		(GENESIS_SHARES - 300, 100),
		"100 still offered, held"
	);
	assert_eq!(
		orderbook::ledger_balance(&chain, CNY, &alice, Some(finalized)).expect("rpc"),
		(GENESIS_CASH + cash - fee - stamp, 0)
	);
	let open = orderbook::open_orders(&chain, &alice, Some(finalized)).expect("rpc");
	assert_eq!(open.len(), 1);
	assert_eq!(open[0]["remaining"], "100");
	let depth = orderbook::depth(&chain, MOUTAI_MARKET, 5, Some(finalized)).expect("rpc");
	assert_eq!(depth["asks"][0]["quantity"], "100");
	assert_eq!(depth["lastPrice"], MOUTAI_REFERENCE.to_string());

	// 3. Alice offers 70 more lots, one tick apart, in two batches; Bob's market order for all
	//    of them needs more fills than one call makes (64): the rest becomes the market's sweep,
	//    which the dev validator's off-chain worker continues with an authorized upkeep.
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
		execute(&chain, Alice, orderbook::place_orders(orders).expect("fits a batch"));
	}
	let market = OrderType::Market { protection: MOUTAI_REFERENCE + 1_000 };
	let (block, events) = execute(&chain, Bob, orderbook::place_order(MOUTAI_MARKET, Side::Buy, 7_100, market));
	assert!(events.iter().any(|e| matches!(e, OrderbookEvent::SweepPending { .. })), "{events:?}");
	let swept = wait_for("the off-chain worker to finish the sweep", Duration::from_secs(60), || {
		let depth = orderbook::depth(&chain, MOUTAI_MARKET, 5, None).ok()?;
		depth["sweep"].is_null().then_some(depth)
	});
	assert!(swept["asks"].as_array().is_some_and(|a| a.is_empty()), "{swept}");
	let (shares, _) = orderbook::ledger_balance(&chain, MOUTAI, &bob, None).expect("rpc");
	assert_eq!(shares, GENESIS_SHARES + 200 + 7_100);
	// The upkeep came as an unsigned, authorized transaction after Bob's block.
	let upkeep =
		(block + 1..=chain.best_number().expect("rpc")).any(|n| {
			let hash = chain.block_hash(n).ok().flatten().expect("a block");
			chain.events(hash).expect("events").iter().any(
				|e| matches!(e, RuntimeEvent::Orderbook(OrderbookEvent::OrderFilled { taker, .. }) if *taker == bob),
			)
		});
	assert!(upkeep, "fills after Bob's block");
	// Bad input over RPC is an error, not a panic.
	assert!(chain.rpc().call("orderbook_depth", serde_json::json!([99, 5])).is_err());
	assert!(chain.rpc().call("orderbook_recentTrades", serde_json::json!([MOUTAI_MARKET, 0])).is_err());
}
