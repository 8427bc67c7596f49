//! Market surveillance on a regulator's observer: scripted trading patterns on a dev validator,
//! one per detector that two brokers and an investor can act out on one market, and a clean
//! control investor. The observer's `surveillance_*` RPC must report each pattern's alert about
//! the right account with its evidence, none about the control, the same alerts through the
//! subscription, and the order lifecycles (rejections included). Then the regulator halts and
//! reopens the market, and cannot close it.
//!
//! The thresholds are a test file's (`--surveillance-config`), small enough for short scripts;
//! a quick cancel is one within 5 s here (1 s by default), because a cancel submitted after its
//! order's block lands one or two blocks later. Wash trades (an investor and its own credit
//! account) are covered by the store's scripted tests (`node/surveillance/tests`).

use crate::{
	compliance::limit,
	margin::approved_investor,
	sdk_support::{assert_refused, block_on, dev, events, execute, refused, wait_until},
	support::{serial, TempDir},
};
use qingsuan_client::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_orderbook::types::MarketStatus,
			pallet_orderbook::types::NewOrder,
			qingsuan_matching_engine::types::{OrderType, Side, TimeInForce},
		},
	},
	pallet_settlement_rpc::SettlementApiClient,
	qingsuan_surveillance_rpc::{Alert, AlertKind, LifecycleEvent, SurveillanceApiClient},
	AccountId32, Client, Included,
};
use qingsuan_test_harness::{
	observer::validator_and_observer_with,
	runtime::genesis_config_presets::{MOUTAI_MARKET, MOUTAI_REFERENCE},
};
use std::{collections::BTreeSet, time::Duration};

const R: u64 = MOUTAI_REFERENCE;

const THRESHOLDS: &str = r#"{
	"highFrequencyPerSecond": 5,
	"quickCancelMs": 5000,
	"quickCancelMinCount": 3,
	"spoofMinQuantity": 1000,
	"pushWindowMs": 4000,
	"pushMoveBps": 100,
	"bandHoldMinQuantity": 1000
}"#;

fn ioc(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Ioc, post_only: false }
}

fn placed(included: &Included) -> Vec<u64> {
	events::<api::orderbook::events::OrderPlaced>(included).into_iter().map(|e| e.order_id).collect()
}

fn settled(included: &Included) -> Vec<u64> {
	events::<api::settlement::events::TradeSettled>(included).into_iter().map(|e| e.id).collect()
}

async fn place(
	client: &Client,
	who: &str,
	side: Side,
	quantity: u64,
	kind: OrderType,
	account: Option<AccountId32>,
) -> Included {
	execute(client, &dev(who), &api::tx().orderbook().place_order(MOUTAI_MARKET, side, quantity, kind, account)).await
}

fn kinds(alerts: &[Alert<AccountId32>], who: &AccountId32) -> BTreeSet<String> {
	alerts
		.iter()
		.filter(|a| &a.account == who || a.counterparty.as_ref() == Some(who))
		.map(|a| format!("{:?}", a.kind))
		.collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
	names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn scripted_patterns_raise_their_alerts_on_the_observer_and_the_control_raises_none() {
	let _serial = serial();
	let dir = TempDir::new("surveillance");
	let config = dir.path().join("thresholds.json");
	std::fs::write(&config, THRESHOLDS).expect("write the thresholds");
	let config = config.display().to_string();
	let (_validator, observer) = validator_and_observer_with(dir.path(), &["--surveillance-config", &config]);
	let validator = &_validator;
	block_on(Duration::from_secs(420), async {
		let chain = &Client::connect(&validator.ws_url()).await.expect("connects");
		let watch = &Client::connect(&observer.ws_url()).await.expect("connects");
		let rpc = watch.surveillance();
		let status = rpc.status().await.expect("surveillance_status");
		assert_eq!(status.config.high_frequency_per_second, 5, "the observer runs with the test's thresholds");
		let mut subscription = rpc.subscribe_alerts().await.expect("surveillance_subscribeAlerts");
		let first_day = chain.settlement().today(None).await.expect("settlement_today");
		let (alice, bob) = (dev("alice").account_id(), dev("bob").account_id());

		// Control: Alice's investor Carol buys 100 from Alice, and cancels a bid after 7 s.
		let carol = approved_investor(chain, [0xCA; 32], 50_000_000).await;
		place(chain, "alice", Side::Sell, 100, limit(R), None).await;
		place(chain, "alice", Side::Buy, 100, ioc(R), Some(carol)).await;
		let carol_bid = placed(&place(chain, "alice", Side::Buy, 100, limit(R - 1_000), Some(carol)).await)[0];
		tokio::time::sleep(Duration::from_secs(7)).await;
		execute(chain, &dev("alice"), &api::tx().orderbook().cancel_order(carol_bid)).await;

		// High frequency and quick cancels: Alice places six bids in one block and cancels them
		// in the next ones.
		let bids = (0..6)
			.map(|i| NewOrder {
				market: MOUTAI_MARKET,
				side: Side::Buy,
				quantity: 100,
				kind: limit(R - 2_000 - i),
				account: None,
			})
			.collect();
		let burst = placed(&execute(chain, &dev("alice"), &api::tx().orderbook().place_orders(BoundedVec(bids))).await);
		assert_eq!(burst.len(), 6);
		execute(chain, &dev("alice"), &api::tx().orderbook().cancel_orders(BoundedVec(burst.clone()))).await;

		// Matched trades: Alice sells to Bob, and Bob to Alice. Spoofing: meanwhile Bob bids
		// 1,000 near the best bid, sells into Alice's bid, and cancels his.
		place(chain, "alice", Side::Sell, 100, limit(R), None).await;
		let there = settled(&place(chain, "bob", Side::Buy, 100, ioc(R), None).await);
		place(chain, "alice", Side::Buy, 100, limit(R + 100), None).await;
		let large = placed(&place(chain, "bob", Side::Buy, 1_000, limit(R), None).await)[0];
		let back = settled(&place(chain, "bob", Side::Sell, 100, ioc(R + 100), None).await);
		execute(chain, &dev("bob"), &api::tx().orderbook().cancel_order(large)).await;

		// Price pushing: Bob lifts three of Alice's asks in one block, 153 bps up.
		let asks = [800, 1_600, 2_400].map(|up| NewOrder {
			market: MOUTAI_MARKET,
			side: Side::Sell,
			quantity: 100,
			kind: limit(R + up),
			account: None,
		});
		execute(chain, &dev("alice"), &api::tx().orderbook().place_orders(BoundedVec(asks.into()))).await;
		let pushed = settled(&place(chain, "bob", Side::Buy, 300, ioc(R + 2_400), None).await);
		assert_eq!(pushed.len(), 3);

		// A bid outside the band is refused; Bob bids 1,000 at the upper limit (+10%): a band
		// hold.
		let outside = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Buy, 100, limit(R * 111 / 100), None);
		assert_refused(chain, &dev("bob"), &outside, "Orderbook::PriceOutsideBand").await;
		let band = place(chain, "bob", Side::Buy, 1_000, limit(R * 110 / 100), None).await;
		let (held, last) = (placed(&band)[0], band.block_number);

		// The observer's surveillance reaches that block and the price window closes.
		let last_day = chain.settlement().today(None).await.expect("settlement_today");
		let all = || async {
			let mut alerts = vec![];
			for day in first_day..=last_day {
				alerts.extend(rpc.alerts(day, None, None, None, None).await.expect("surveillance_alerts"));
			}
			alerts
		};
		wait_until("surveillance to take the script's blocks", Duration::from_secs(120), || async {
			let status = rpc.status().await.ok()?;
			let done = status.last.is_some_and(|n| u64::from(n) >= last);
			let alerts = all().await;
			(done && alerts.iter().any(|a| a.kind == AlertKind::PricePushing)).then_some(())
		})
		.await;
		let alerts = all().await;

		assert_eq!(kinds(&alerts, &alice), set(&["HighFrequency", "QuickCancel", "MatchedTrades"]), "{alerts:#?}");
		assert_eq!(
			kinds(&alerts, &bob),
			set(&["MatchedTrades", "Spoofing", "PricePushing", "BandHold"]),
			"{alerts:#?}"
		);
		assert!(kinds(&alerts, &carol).is_empty(), "the control: {alerts:#?}");
		assert_eq!(alerts.len(), 6, "{alerts:#?}");
		let find = |kind: AlertKind| alerts.iter().find(|a| a.kind == kind).expect("raised");
		// Evidence as of the threshold: the burst's first five orders; the first four cancels
		// (the fourth brought Alice's cancels to 4 of her 7 orders, past 50%).
		assert_eq!(find(AlertKind::HighFrequency).orders, burst[..5]);
		assert_eq!(find(AlertKind::QuickCancel).orders, burst[..4]);
		let matched = find(AlertKind::MatchedTrades);
		assert_eq!((&matched.account, matched.counterparty.as_ref()), (&bob, Some(&alice)));
		assert_eq!(matched.trades, [there.clone(), back.clone()].concat());
		let spoof = find(AlertKind::Spoofing);
		assert_eq!((spoof.orders.clone(), spoof.trades.clone()), (vec![large], back.clone()));
		let push = find(AlertKind::PricePushing);
		assert!(pushed.iter().all(|t| push.trades.contains(t)), "{push:?}");
		assert_eq!(find(AlertKind::BandHold).orders, vec![held]);

		// Queries by account and kind agree.
		let day = find(AlertKind::BandHold).day;
		let bobs = rpc.alerts(day, Some(bob), Some(AlertKind::BandHold), None, None).await.expect("by account");
		assert_eq!(bobs.iter().map(|a| a.id).collect::<Vec<_>>(), vec![find(AlertKind::BandHold).id]);

		// The subscription delivered the same alerts.
		let mut delivered = BTreeSet::new();
		while delivered.len() < alerts.len() {
			let next = tokio::time::timeout(Duration::from_secs(30), subscription.next()).await;
			let alert = next.expect("an alert in time").expect("the subscription is open").expect("decodes");
			delivered.insert(alert.id);
		}
		assert_eq!(delivered, alerts.iter().map(|a| a.id).collect());

		// Lifecycles: Bob's large bid, and Bob's day with its refusal.
		let order = rpc.order(large).await.expect("surveillance_order").expect("known");
		let events: Vec<&LifecycleEvent<AccountId32>> = order.entries.iter().map(|e| &e.event).collect();
		assert!(
			matches!(events[..], [LifecycleEvent::Placed { quantity: 1_000, .. }, LifecycleEvent::Cancelled { ref reason, .. }] if reason == "ByOwner"),
			"{events:?}"
		);
		let bob_day = rpc.account_day(bob, day, None, None).await.expect("surveillance_accountDay");
		assert!(
			bob_day.entries.iter().any(|e| matches!(&e.event, LifecycleEvent::Rejected { call, error }
				if call == "Orderbook.place_order" && error == "Orderbook::PriceOutsideBand")),
			"{bob_day:#?}"
		);
		let carol_day = rpc.account_day(carol, day, None, None).await.expect("surveillance_accountDay");
		assert_eq!((carol_day.orders, carol_day.cancels, carol_day.quick_cancels), (2, 1, 0), "{carol_day:#?}");

		// The regulator (Dave on the dev chain) halts the market: orders are refused, resting
		// ones stay. It reopens it; closing one is the consortium's alone.
		let status = |s| api::tx().orderbook().set_market_status(MOUTAI_MARKET, s);
		execute(chain, &dev("dave"), &status(MarketStatus::Halted)).await;
		let order = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Sell, 100, limit(R), None);
		assert_refused(chain, &dev("alice"), &order, "Orderbook::MarketNotOpen").await;
		assert_refused(chain, &dev("dave"), &status(MarketStatus::Closed), "Orderbook::RegulatorCannotClose").await;
		let not_a_regulator = refused(chain, &dev("bob"), &status(MarketStatus::Open)).await;
		assert!(not_a_regulator.to_lowercase().contains("origin"), "a broker is refused: {not_a_regulator}");
		execute(chain, &dev("dave"), &status(MarketStatus::Open)).await;
		execute(chain, &dev("alice"), &order).await;
	});
}
