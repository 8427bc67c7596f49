//! `qs-bank` against a `--dev` node: deposits and withdrawals settled through the SQLite
//! ledger, the process killed (`kill -9`) at each step of a request's flow and restarted, a real
//! `kill -9` at an arbitrary moment, rejections (no wire, an envelope the bank cannot open), the
//! reconciliation report and its alert, and the metrics.
//!
//! Afterwards every request was confirmed (or rejected) once on chain, every withdrawal paid
//! once in the ledger, and the chain's cash totals moved by exactly what the ledger holds.

use qingsuan_primitives::DEV_BANK_ENVELOPE_SECRET;
use qingsuan_test_harness::{
	node::{run_binary, serial, target_binary, wait_for, Node, Ports, TempDir},
	runtime::{genesis_config_presets::CNY, RuntimeCall, RuntimeEvent},
	settlement,
	sign::{account_of, signed_extrinsic},
	Chain,
};
use serde_json::Value;
use sp_keyring::Sr25519Keyring::{Alice, Charlie};
use std::{
	io::{Read, Write},
	os::unix::process::ExitStatusExt,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

type SettlementCall = pallet_settlement::Call<qingsuan_test_harness::runtime::Runtime>;
type SettlementEvent = pallet_settlement::Event<qingsuan_test_harness::runtime::Runtime>;

/// The bank client's files and how to start it.
struct Bank {
	url: String,
	dir: PathBuf,
}

/// A running `qs-bank run`, killed when dropped.
struct Running(Child);

impl Drop for Running {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

impl Bank {
	fn new(url: String, dir: &Path) -> Bank {
		std::fs::write(dir.join("bank.key"), "//Charlie").expect("writes the key");
		std::fs::write(dir.join("envelope.key"), hex::encode(DEV_BANK_ENVELOPE_SECRET)).expect("writes the key");
		Bank { url, dir: dir.to_path_buf() }
	}

	fn args(&self) -> Vec<String> {
		let path = |name: &str| self.dir.join(name).display().to_string();
		vec![
			"--url".into(),
			self.url.clone(),
			"--key-file".into(),
			path("bank.key"),
			"--envelope-key-file".into(),
			path("envelope.key"),
			"--db".into(),
			path("client.db"),
			"--ledger".into(),
			path("ledger.db"),
			"--reports".into(),
			path("reports"),
		]
	}

	fn start(&self, kill_at: Option<&str>, extra: &[&str]) -> Running {
		let mut args = self.args();
		args.push("run".into());
		args.extend(extra.iter().map(|s| s.to_string()));
		args.extend(["--poll-ms".into(), "200".into()]);
		let mut cmd = Command::new(target_binary("qs-bank"));
		cmd.args(&args).stdin(Stdio::null()).stdout(Stdio::null());
		let log =
			std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("qs-bank.log")).expect("log");
		cmd.stderr(log);
		match kill_at {
			Some(step) => cmd.env("QS_BANK_KILL_AT", step),
			None => cmd.env_remove("QS_BANK_KILL_AT"),
		};
		Running(cmd.spawn().expect("starts qs-bank"))
	}

	fn command(&self, args: &[&str]) -> std::process::Output {
		let mut all = self.args();
		all.extend(args.iter().map(|s| s.to_string()));
		let all: Vec<&str> = all.iter().map(String::as_str).collect();
		run_binary(&target_binary("qs-bank"), &all, Duration::from_secs(60))
	}

	/// Each request id's state in the client's database.
	fn states(&self) -> Vec<(u64, String)> {
		let out = self.command(&["status"]);
		assert!(out.status.success(), "status: {}", String::from_utf8_lossy(&out.stderr));
		let status: Value = serde_json::from_slice(&out.stdout).expect("JSON");
		status["requests"]
			.as_array()
			.expect("requests")
			.iter()
			.map(|r| (r["id"].as_u64().expect("id"), r["state"].as_str().expect("state").to_string()))
			.collect()
	}

	fn wait_done(&self, ids: &[u64], running: &mut Running) {
		wait_for(&format!("requests {ids:?} to be settled"), Duration::from_secs(90), || {
			if let Ok(Some(status)) = running.0.try_wait() {
				panic!("qs-bank exited with {status}:\n{}", self.log_tail());
			}
			let states = self.states();
			ids.iter().all(|id| states.iter().any(|(i, s)| i == id && s.starts_with("done:"))).then_some(())
		});
	}

	fn log_tail(&self) -> String {
		let log = std::fs::read_to_string(self.dir.join("qs-bank.log")).unwrap_or_default();
		log.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
	}

	/// The shipped ledger's rows of `table`, as (request, amount).
	fn ledger_rows(&self, table: &str) -> Vec<(u64, String)> {
		let db = rusqlite::Connection::open(self.dir.join("ledger.db")).expect("opens the ledger");
		let mut stmt = db.prepare(&format!("SELECT request, amount FROM {table} ORDER BY request")).expect("query");
		stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("a row")).collect()
	}
}

/// A cash asset the test registers for the bank while the client runs.
const HKD: u32 = 1_001;

/// Alice's call; panics unless it succeeded; returns the settlement events.
fn as_alice(chain: &Chain, call: SettlementCall) -> Vec<SettlementEvent> {
	as_alice_call(chain, RuntimeCall::Settlement(call))
}

/// Alice's `call` (any pallet's); panics unless it succeeded; returns the settlement events.
fn as_alice_call(chain: &Chain, call: RuntimeCall) -> Vec<SettlementEvent> {
	let pair = Alice.pair();
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	let xt = signed_extrinsic(call, &pair, nonce, &chain.tx_params().expect("params"));
	let (_, _, events) = qingsuan_test_harness::node::submit_and_wait(chain, &xt);
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }))),
		"{events:?}"
	);
	events.into_iter().filter_map(|e| if let RuntimeEvent::Settlement(e) = e { Some(e) } else { None }).collect()
}

fn deposit(chain: &Chain, bank: &Bank, amount: u128, wire: bool) -> u64 {
	deposit_in(chain, bank, CNY, amount, wire)
}

/// Alice's deposit of `amount` of the cash asset `asset`; with `wire`, the back office records
/// its wire in the ledger.
fn deposit_in(chain: &Chain, bank: &Bank, asset: u32, amount: u128, wire: bool) -> u64 {
	let events = as_alice(chain, SettlementCall::request_deposit { asset, amount });
	let Some(SettlementEvent::DepositRequested { id, .. }) = events.first().cloned() else { panic!("{events:?}") };
	if wire {
		let out = bank.command(&[
			"receive",
			"--reference",
			&format!("QS-D{id}"),
			"--member",
			&Alice.to_account_id().to_string(),
			"--asset",
			&asset.to_string(),
			"--amount",
			&amount.to_string(),
		]);
		assert!(out.status.success(), "receive: {}", String::from_utf8_lossy(&out.stderr));
	}
	id
}

/// Alice's withdrawal of `amount`, its payee sealed to `bank_key`; with `corrupt`, the sealed
/// ciphertext is damaged (the chain cannot tell; the bank's key cannot open it).
fn withdraw(chain: &Chain, amount: u128, bank_key: &qingsuan_sm_crypto::sm2::Public, corrupt: bool) -> u64 {
	let mut payee = settlement::seal_payee(
		&[*bank_key],
		&Alice.to_account_id(),
		CNY,
		amount,
		"户名: 甲证券; 账号: 6222 0001".as_bytes(),
	)
	.expect("seals");
	if corrupt {
		*payee.last_mut().expect("a ciphertext") ^= 1;
	}
	let events = as_alice(
		chain,
		SettlementCall::request_withdrawal { asset: CNY, amount, payee: payee.try_into().expect("fits") },
	);
	let Some(SettlementEvent::WithdrawalRequested { id, .. }) = events.first().cloned() else { panic!("{events:?}") };
	id
}

fn cash_totals(chain: &Chain) -> (u128, u128) {
	let t = chain.rpc().call("settlement_cashTotals", serde_json::json!([CNY])).expect("rpc");
	let field = |n: &str| t[n].as_str().expect("a decimal string").parse::<u128>().expect("a number");
	(field("deposited"), field("withdrawn"))
}

fn metrics(port: u16) -> String {
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the metrics port answers");
	stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
	write!(stream, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").expect("request");
	let mut body = String::new();
	let _ = stream.read_to_string(&mut body);
	body
}

#[test]
fn deposits_and_withdrawals_survive_kill_9_at_every_step_and_reconcile() {
	let _serial = serial();
	let dir = TempDir::new("qs-bank");
	let node = Node::start("bank", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let bank = Bank::new(format!("ws://127.0.0.1:{}", node.ports.rpc), dir.path());
	let bank_key = settlement::bank_key(&chain, &Charlie.to_account_id(), None).expect("rpc").expect("a key");

	// First start: the client takes its baseline, then is stopped.
	let mut first = bank.start(None, &[]);
	wait_for("the client's first round", Duration::from_secs(60), || {
		assert!(first.0.try_wait().expect("polls").is_none(), "qs-bank exited:\n{}", bank.log_tail());
		let out = bank.command(&["status"]);
		let status: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
		status["cursor"].as_u64()
	});
	drop(first);
	let (base_deposited, base_withdrawn) = cash_totals(&chain);

	// Kill at each step of the flow, then restart: nothing lost, nothing twice.
	let mut deposits = Vec::new();
	let mut withdrawals = Vec::new();
	for (round, step) in qs_bank::killpoint::STEPS.iter().enumerate() {
		let d = deposit(&chain, &bank, 1_000_000 + round as u128, true);
		let w = withdraw(&chain, 10_000 + round as u128, &bank_key, false);
		let mut killed = bank.start(Some(step), &[]);
		let deadline = Instant::now() + Duration::from_secs(90);
		let status = loop {
			if let Some(status) = killed.0.try_wait().expect("polls") {
				break status;
			}
			assert!(Instant::now() < deadline, "qs-bank did not reach {step}:\n{}", bank.log_tail());
			std::thread::sleep(Duration::from_millis(100));
		};
		assert_eq!(status.signal(), Some(9), "killed at {step} by SIGKILL, got {status}:\n{}", bank.log_tail());
		let mut restarted = bank.start(None, &[]);
		bank.wait_done(&[d, w], &mut restarted);
		drop(restarted);
		deposits.push((d, 1_000_000 + round as u128));
		withdrawals.push((w, 10_000 + round as u128));
	}

	// A real kill -9 at an arbitrary moment while three deposits are being settled.
	let batch: Vec<(u64, u128)> = (0..3).map(|i| (deposit(&chain, &bank, 500_000 + i, true), 500_000 + i)).collect();
	let mut running = bank.start(None, &[]);
	std::thread::sleep(Duration::from_millis(1_500));
	let _ = Command::new("kill").args(["-9", &running.0.id().to_string()]).status();
	let _ = running.0.wait();
	let mut running = bank.start(None, &[]);
	bank.wait_done(&batch.iter().map(|(id, _)| *id).collect::<Vec<_>>(), &mut running);
	drop(running);
	deposits.extend(batch);

	// Rejections: a deposit whose wire never comes, a withdrawal whose payee details are damaged.
	let unwired = deposit(&chain, &bank, 777, false);
	let unopenable = withdraw(&chain, 555, &bank_key, true);
	let prometheus = qingsuan_test_harness::node::free_port();
	let mut running = bank.start(None, &["--deposit-wait-secs", "2", "--prometheus-port", &prometheus.to_string()]);
	bank.wait_done(&[unwired, unopenable], &mut running);
	let states = bank.states();
	let state = |id: u64| states.iter().find(|(i, _)| *i == id).map(|(_, s)| s.clone()).expect("known");
	assert_eq!(state(unwired), "done:rejected");
	assert_eq!(state(unopenable), "done:rejected");
	// A cash asset registered for the bank while the client runs (HKD) is served from the
	// client's next round: a deposit in it is confirmed.
	let create =
		pallet_ledger::Call::create_cash_asset { asset: HKD, currency: *b"HKD", bank: Charlie.to_account_id() };
	let sudo = pallet_sudo::Call::sudo { call: Box::new(RuntimeCall::Ledger(create)) };
	as_alice_call(&chain, RuntimeCall::Sudo(sudo));
	let hkd = deposit_in(&chain, &bank, HKD, 300_000, true);
	bank.wait_done(&[hkd], &mut running);
	let states = bank.states();
	let state = |id: u64| states.iter().find(|(i, _)| *i == id).map(|(_, s)| s.clone()).expect("known");
	assert_eq!(state(hkd), "done:confirmed");
	let scraped = metrics(prometheus);
	assert!(scraped.contains("qs_bank_requests_done_total"), "{scraped}");
	assert!(scraped.contains("qs_bank_cursor_block"), "{scraped}");
	drop(running);

	// Every deposit credited once and confirmed once; every withdrawal paid once.
	let credits = bank.ledger_rows("credits");
	let mut credited: Vec<(u64, String)> = deposits.iter().map(|(id, a)| (*id, a.to_string())).collect();
	credited.push((hkd, "300000".into()));
	credited.sort();
	assert_eq!(credits, credited);
	let payments = bank.ledger_rows("payments");
	assert_eq!(payments, withdrawals.iter().map(|(id, a)| (*id, a.to_string())).collect::<Vec<_>>());
	let (deposited, withdrawn) = cash_totals(&chain);
	assert_eq!(deposited - base_deposited, deposits.iter().map(|(_, a)| a).sum::<u128>());
	assert_eq!(withdrawn - base_withdrawn, withdrawals.iter().map(|(_, a)| a).sum::<u128>());
	for (id, _) in deposits.iter().chain(&withdrawals) {
		assert_eq!(state(*id), "done:confirmed", "request {id}");
	}

	// Reconciliation agrees; a ledger row the chain never saw is an alert.
	let out = bank.command(&["reconcile"]);
	assert!(out.status.success(), "reconcile: {}", String::from_utf8_lossy(&out.stderr));
	let reports: Value = serde_json::from_slice(&out.stdout).expect("JSON");
	let assets: Vec<(u64, &str)> = reports
		.as_array()
		.expect("one report per asset")
		.iter()
		.map(|r| (r["asset"].as_u64().expect("asset"), r["status"].as_str().expect("status")))
		.collect();
	assert_eq!(assets, vec![(u64::from(CNY), "ok"), (u64::from(HKD), "ok")], "{reports}");
	let db = rusqlite::Connection::open(dir.path().join("ledger.db")).expect("ledger");
	db.execute(
		"INSERT INTO credits (request, reference, member, asset, amount) VALUES (999999, 'X', 'x', ?1, '5')",
		[CNY],
	)
	.expect("tampers");
	let out = bank.command(&["--log-format", "json", "reconcile"]);
	assert_eq!(out.status.code(), Some(1), "a difference is exit 1");
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("\"alert\":\"reconciliation_mismatch\""), "{stderr}");
	let day = reports[0]["day"].as_u64().expect("day");
	let report: Value = serde_json::from_str(
		&std::fs::read_to_string(dir.path().join(format!("reports/reconciliation-{day}-{CNY}.json"))).expect("report"),
	)
	.expect("JSON");
	assert_eq!(report["status"], "mismatch");
	assert_eq!(report["difference"][0], -5);
}
