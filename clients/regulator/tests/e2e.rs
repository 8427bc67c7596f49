//! `qs-regulator` against an observer node beside a dev validator: it refuses the validator (a
//! node that accepts transactions), follows a trade live, and reports the day's trades, an
//! account's order lifecycle (placed, rested, filled, cancelled, refused), surveillance alerts
//! with their evidence (and live), net positions and cash, and withdrawals' payees opened with
//! the regulator's envelope key, as JSON and CSV; bad input is exit 2.

use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_sm_crypto::sm2;
use qingsuan_test_harness::{
	node::{run_binary, serial, submit_and_wait, target_binary, wait_for, TempDir},
	observer::validator_and_observer_with,
	orderbook::{cancel_order, place_order},
	runtime::{
		genesis_config_presets::{CNY, MOUTAI_MARKET, MOUTAI_REFERENCE},
		Runtime, RuntimeCall, RuntimeEvent,
	},
	settlement,
	sign::{account_of, signed_extrinsic},
	Chain,
};
use serde_json::Value;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use std::{
	io::{BufRead, BufReader},
	process::{Command, Output, Stdio},
	sync::mpsc,
	time::Duration,
};

fn limit(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

/// `who` submits `call`; returns the block's number and events.
fn submit(chain: &Chain, who: Sr25519Keyring, call: RuntimeCall) -> (u32, Vec<RuntimeEvent>) {
	let pair = who.pair();
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	let (number, _, events) =
		submit_and_wait(chain, &signed_extrinsic(call, &pair, nonce, &chain.tx_params().expect("params")));
	(number, events)
}

/// Alice offers 100 Moutai at the reference price; Bob takes them. Returns the trade's block.
fn trade(chain: &Chain) -> u32 {
	submit(chain, Alice, place_order(MOUTAI_MARKET, Side::Sell, 100, limit(MOUTAI_REFERENCE)));
	submit(chain, Bob, place_order(MOUTAI_MARKET, Side::Buy, 100, limit(MOUTAI_REFERENCE))).0
}

fn regulator(url: &str, args: &[&str]) -> Output {
	let mut all = vec!["--url", url];
	all.extend_from_slice(args);
	run_binary(&target_binary("qs-regulator"), &all, Duration::from_secs(120))
}

fn ok(out: &Output) -> String {
	assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
	String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn events_of(steps: &Value) -> Vec<&str> {
	steps.as_array().expect("steps").iter().map(|s| s["event"].as_str().expect("event")).collect()
}

#[test]
fn the_regulator_reads_an_observer_and_refuses_a_validator() {
	let _serial = serial();
	let dir = TempDir::new("qs-regulator");
	// Surveillance thresholds that make every account's first order a high-frequency alert.
	let thresholds = dir.path().join("thresholds.json");
	std::fs::write(&thresholds, r#"{"highFrequencyPerSecond": 1}"#).expect("write the thresholds");
	let thresholds = thresholds.display().to_string();
	let (validator, observer) = validator_and_observer_with(dir.path(), &["--surveillance-config", &thresholds]);
	let (on_validator, url) = (validator.chain(), observer.ws_url());

	// Trading on the validator: a trade; an order placed and cancelled; a refused order.
	let traded = trade(&on_validator);
	let (_, events) =
		submit(&on_validator, Alice, place_order(MOUTAI_MARKET, Side::Sell, 100, limit(MOUTAI_REFERENCE + 100)));
	let order = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Orderbook(pallet_orderbook::Event::OrderPlaced { order_id, .. }) => Some(*order_id),
			_ => None,
		})
		.unwrap_or_else(|| panic!("Alice's second order was placed: {events:?}"));
	submit(&on_validator, Alice, cancel_order(order));
	let (last, _) = submit(&on_validator, Bob, place_order(MOUTAI_MARKET, Side::Buy, 100, limit(MOUTAI_REFERENCE * 2)));
	let on_observer = observer.chain();
	wait_for("the observer to finalize the last block", Duration::from_secs(120), || {
		on_observer.finalized_number().ok().filter(|n| *n >= last)
	});
	wait_for("the observer's trade store to index the trade", Duration::from_secs(60), || {
		let status = on_observer.rpc().call("settlement_storeStatus", serde_json::json!([])).ok()?;
		status["lastBlock"].as_u64().filter(|n| *n >= u64::from(traded))
	});

	// A node that accepts transactions is refused.
	let refused = regulator(&validator.ws_url(), &["check"]);
	assert_eq!(refused.status.code(), Some(2));
	let stderr = String::from_utf8_lossy(&refused.stderr);
	assert!(stderr.contains("not an observer") && stderr.contains("author_submitExtrinsic"), "{stderr}");
	let check: Value = serde_json::from_str(&ok(&regulator(&url, &["check"]))).expect("JSON");
	assert_eq!(check["observer"], true);
	assert!(check["finalized"].as_u64().expect("finalized") >= u64::from(last));

	// The day's trades as CSV: one trade, Bob bought from Alice.
	let csv_path = dir.path().join("trades.csv");
	ok(&regulator(&url, &["trades", "--format", "csv", "--output", &csv_path.display().to_string()]));
	let csv = std::fs::read_to_string(&csv_path).expect("the report");
	let lines: Vec<&str> = csv.lines().collect();
	assert_eq!(lines.len(), 2, "{csv}");
	assert!(lines[0].starts_with("id,block,day,kind,buyer,seller"), "{csv}");
	assert!(lines[1].contains(",trade,") && lines[1].contains(&Bob.to_account_id().to_string()), "{csv}");

	// Alice's lifecycle: her offer placed, rested and filled; the other placed, rested and
	// cancelled. Bob's: his taking order placed and filled, then an order outside the band
	// refused, naming the error.
	let alice: Value =
		serde_json::from_str(&ok(&regulator(&url, &["orders", &Alice.to_account_id().to_string(), "--from", "1"])))
			.expect("JSON");
	assert_eq!(events_of(&alice), ["placed", "rested", "filled", "placed", "rested", "cancelled"], "{alice:#}");
	assert!(alice.as_array().expect("steps").iter().all(|s| s["time"].as_u64() > Some(0)), "{alice:#}");
	let bob: Value =
		serde_json::from_str(&ok(&regulator(&url, &["orders", &Bob.to_account_id().to_string(), "--from", "1"])))
			.expect("JSON");
	assert_eq!(events_of(&bob), ["placed", "filled", "refused"], "{bob:#}");
	let refusal = bob[2]["detail"].as_str().expect("detail");
	assert!(refusal.contains("Orderbook.place_order") && refusal.contains("PriceOutsideBand"), "{refusal}");

	// Alerts: one high-frequency alert each for Alice and Bob (at their first order), as CSV;
	// Bob's alone as JSON; one in full with its evidence; Bob's day from the surveillance store.
	let alerts = ok(&regulator(&url, &["alerts", "--format", "csv"]));
	assert_eq!(alerts.lines().count(), 3, "{alerts}");
	assert!(alerts.starts_with("id,kind,day,block,time,account,counterparty,market,detail,orders,trades"), "{alerts}");
	let bob_id = Bob.to_account_id().to_string();
	let bobs: Value =
		serde_json::from_str(&ok(&regulator(&url, &["alerts", "--account", &bob_id, "--kind", "highFrequency"])))
			.expect("JSON");
	assert_eq!(bobs.as_array().map(Vec::len), Some(1), "{bobs:#}");
	assert_eq!((&bobs[0]["kind"], &bobs[0]["account"]), (&Value::from("highFrequency"), &Value::from(bob_id.clone())));
	let id = bobs[0]["id"].as_u64().expect("an id").to_string();
	let shown: Value = serde_json::from_str(&ok(&regulator(&url, &["alert", &id]))).expect("JSON");
	assert_eq!(shown["orders"][0]["entries"][0]["event"], "placed", "{shown:#}");
	let day = bobs[0]["day"].as_u64().expect("a day").to_string();
	let bob_day: Value =
		serde_json::from_str(&ok(&regulator(&url, &["orders", &bob_id, "--day", &day]))).expect("JSON");
	assert_eq!(events_of(&bob_day), ["placed", "filled", "refused"], "{bob_day:#}");
	assert_eq!(bob_day[2]["detail"], "Orderbook.place_order: Orderbook::PriceOutsideBand", "{bob_day:#}");

	// Net positions as CSV; cash as JSON.
	let net = ok(&regulator(&url, &["net-positions", "--format", "csv"]));
	assert!(net.lines().count() >= 5, "a header and Alice's and Bob's security and cash rows: {net}");
	let cash: Value = serde_json::from_str(&ok(&regulator(&url, &["cash"]))).expect("JSON");
	assert_eq!(cash[0]["currency"], "CNY", "{cash:#}");

	read_withdrawals(&on_validator, &validator.ws_url(), &on_observer, &url, dir.path());

	// Bad input: exit 2, one line.
	for args in [
		&["orders", "not-an-account", "--from", "1"][..],
		&["orders", &Alice.to_account_id().to_string(), "--from", "9", "--to", "3"],
		&["alerts", "--kind", "bogus"],
		&["alert", "999999"],
		&["withdrawals", "--envelope-key-file", "/nonexistent/regulator.key"],
	] {
		let out = regulator(&url, args);
		assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
		assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
	}

	// Following live: the next trade arrives as one JSON line; Bob then sells back to Alice,
	// and the matched-trades alert arrives as one JSON line.
	let (mut trades, trade_lines) = follow(&url, "trades");
	let (mut alerts, alert_lines) = follow(&url, "alerts");
	std::thread::sleep(Duration::from_secs(2));
	trade(&on_validator);
	submit(&on_validator, Alice, place_order(MOUTAI_MARKET, Side::Buy, 100, limit(MOUTAI_REFERENCE)));
	submit(&on_validator, Bob, place_order(MOUTAI_MARKET, Side::Sell, 100, limit(MOUTAI_REFERENCE)));
	let (trade_line, alert_line) =
		(trade_lines.recv_timeout(Duration::from_secs(60)), alert_lines.recv_timeout(Duration::from_secs(60)));
	for follower in [&mut trades, &mut alerts] {
		let _ = follower.kill();
		let _ = follower.wait();
	}
	let followed: Value = serde_json::from_str(&trade_line.expect("a trade line within 60 s")).expect("JSON");
	assert_eq!(followed["buyer"], Bob.to_account_id().to_string());
	assert_eq!(followed["quantity"], "100");
	let alert: Value = serde_json::from_str(&alert_line.expect("an alert line within 60 s")).expect("JSON");
	assert_eq!((&alert["kind"], &alert["account"]), (&Value::from("matchedTrades"), &Value::from(bob_id)), "{alert:#}");
}

type SettlementCall = pallet_settlement::Call<Runtime>;
type SettlementEvent = pallet_settlement::Event<Runtime>;

/// Dave, the dev regulator, registers his SM2 envelope key. From then on a withdrawal sealed to
/// the bank alone is refused, and the SDK seals to both keys. Alice's withdrawals are read by
/// `qs-regulator withdrawals`: the one pending at the head, and with `--from` all three, those
/// Charlie paid out and rejected included, read from the state of the block that recorded them.
fn read_withdrawals(on_validator: &Chain, validator_url: &str, on_observer: &Chain, url: &str, dir: &std::path::Path) {
	let secret = sm2::SecretKey::from_bytes(&[0x42; 32]).expect("a valid scalar");
	let key_file = dir.join("regulator-envelope.key");
	std::fs::write(&key_file, "42".repeat(32)).expect("write the key");
	let key_file = key_file.display().to_string();
	let (_, events) =
		submit(on_validator, Dave, RuntimeCall::Settlement(SettlementCall::set_regulator_key { key: secret.public() }));
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::Settlement(SettlementEvent::RegulatorKeySet { .. }))),
		"{events:?}"
	);
	let bank_key = settlement::bank_key(on_validator, &Charlie.to_account_id(), None).expect("rpc").expect("a key");
	// The SDK reads both keys from the chain, the bank's first.
	let recipients = tokio::runtime::Runtime::new().expect("a runtime").block_on(async {
		let client = qingsuan_client::Client::connect(validator_url).await.expect("connect");
		qingsuan_client::settlement::withdrawal_recipients(&client, CNY, None).await.expect("the keys")
	});
	assert_eq!(recipients, [bank_key, secret.public()]);
	let details = "户名: 甲证券; 账号: 6222 0000 1111 2222";
	let withdraw = |amount: u128, recipients: &[sm2::Public]| {
		let payee =
			settlement::seal_payee(recipients, &Alice.to_account_id(), CNY, amount, details.as_bytes()).expect("seals");
		let call = SettlementCall::request_withdrawal { asset: CNY, amount, payee: payee.try_into().expect("fits") };
		submit(on_validator, Alice, RuntimeCall::Settlement(call)).1
	};
	let refused = withdraw(1_000, &[bank_key]);
	let expected: sp_runtime::DispatchError = pallet_settlement::Error::<Runtime>::EnvelopeNotForRegulator.into();
	assert!(
		refused.iter().any(|e| matches!(e,
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) if *dispatch_error == expected)),
		"{refused:?}"
	);
	let requested = |events: Vec<RuntimeEvent>| {
		events
			.iter()
			.find_map(|e| match e {
				RuntimeEvent::Settlement(SettlementEvent::WithdrawalRequested { id, .. }) => Some(*id),
				_ => None,
			})
			.unwrap_or_else(|| panic!("a withdrawal: {events:?}"))
	};
	let paid = requested(withdraw(1_000, &recipients));
	let pending = requested(withdraw(2_000, &recipients));
	let rejected = requested(withdraw(3_000, &recipients));
	submit(on_validator, Charlie, RuntimeCall::Settlement(SettlementCall::confirm_withdrawal { id: paid }));
	let (last, _) =
		submit(on_validator, Charlie, RuntimeCall::Settlement(SettlementCall::reject_withdrawal { id: rejected }));
	wait_for("the observer to finalize the payout", Duration::from_secs(120), || {
		on_observer.finalized_number().ok().filter(|n| *n >= last)
	});

	let listed: Value =
		serde_json::from_str(&ok(&regulator(url, &["withdrawals", "--envelope-key-file", &key_file]))).expect("JSON");
	let rows = listed.as_array().expect("rows");
	assert_eq!(rows.len(), 1, "{listed:#}");
	assert_eq!(
		(&rows[0]["id"], &rows[0]["amount"], &rows[0]["status"]),
		(&Value::from(pending), &Value::from("2000"), &Value::from("pending"))
	);
	assert_eq!(rows[0]["payee"], details, "{listed:#}");
	let history =
		ok(&regulator(url, &["withdrawals", "--envelope-key-file", &key_file, "--from", "1", "--format", "csv"]));
	let lines: Vec<&str> = history.lines().collect();
	assert_eq!(lines.len(), 4, "{history}");
	assert!(lines[0].starts_with("id,requestedIn,member,asset,amount,status,answeredIn,payee,unreadable"), "{history}");
	assert!(
		lines[1].starts_with(&format!("{paid},")) && lines[1].contains(",confirmed,") && lines[1].contains(details),
		"{history}"
	);
	assert!(
		lines[2].starts_with(&format!("{pending},")) && lines[2].contains(",pending,") && lines[2].contains(details),
		"{history}"
	);
	assert!(lines[3].starts_with(&format!("{rejected},")) && lines[3].contains(",rejected,"), "{history}");
	// Another key opens nothing, and says so.
	let other = dir.join("other.key");
	std::fs::write(&other, "05".repeat(32)).expect("write the key");
	let unread: Value = serde_json::from_str(&ok(&regulator(
		url,
		&["withdrawals", "--envelope-key-file", &other.display().to_string()],
	)))
	.expect("JSON");
	assert_eq!(unread[0]["payee"], Value::Null, "{unread:#}");
	assert!(unread[0]["unreadable"].as_str().is_some_and(|s| s.starts_with("not sealed to this key")), "{unread:#}");
}

/// `qs-regulator <what> --follow`, and the lines it prints.
fn follow(url: &str, what: &str) -> (std::process::Child, mpsc::Receiver<String>) {
	let mut follower = Command::new(target_binary("qs-regulator"))
		.args(["--url", url, what, "--follow"])
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.spawn()
		.expect("starts qs-regulator");
	let stdout = follower.stdout.take().expect("stdout");
	let (tx, rx) = mpsc::channel();
	std::thread::spawn(move || {
		for line in BufReader::new(stdout).lines().map_while(Result::ok) {
			let _ = tx.send(line);
		}
	});
	(follower, rx)
}
