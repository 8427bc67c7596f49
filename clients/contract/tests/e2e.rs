//! The README's walk-through "For contract developers", against a `--dev` node: from an empty
//! directory to a deployed escrow that settles a trade, with `qs-contract` only; then what it
//! refuses (a deposit after settlement, a deployment by a key without the Developer role, bad
//! arguments), and a broker reclaiming what a terminated contract held.

use qingsuan_test_harness::node::{run_binary, serial, target_binary, wait_for, Node, Ports, TempDir};
use serde_json::Value;
use std::{
	process::Output,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// Moutai and the renminbi on the dev chain; 100 shares at 1,500 yuan, in fen.
const MOUTAI: &str = "1";
const CNY: &str = "1000";
const AMOUNT: &str = "15000000";

fn qs_contract(url: &str, args: &[&str]) -> Output {
	let mut all = vec!["--url", url];
	all.extend_from_slice(args);
	run_binary(&target_binary("qs-contract"), &all, Duration::from_secs(180))
}

/// Run and expect success: its JSON.
fn ok(url: &str, args: &[&str]) -> Value {
	let out = qs_contract(url, args);
	assert!(
		out.status.success(),
		"qs-contract {args:?} failed: {}\n{}",
		String::from_utf8_lossy(&out.stderr),
		String::from_utf8_lossy(&out.stdout)
	);
	serde_json::from_slice(&out.stdout)
		.unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Run and expect exit `code`: its stderr.
fn fails(url: &str, args: &[&str], code: i32) -> String {
	let out = qs_contract(url, args);
	let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
	assert_eq!(out.status.code(), Some(code), "qs-contract {args:?}: {stderr}");
	stderr
}

fn names(events: &Value) -> Vec<String> {
	events.as_array().expect("a list").iter().map(|e| e["event"].as_str().unwrap_or("?").to_string()).collect()
}

#[test]
fn from_an_empty_directory_to_an_escrow_that_settles() {
	let _serial = serial();
	let dir = TempDir::new("qs-contract");
	let project = dir.path().join("escrow");
	let (src, artifacts) = (project.join("src/DvpEscrow.sol"), project.join("artifacts/DvpEscrow.json"));
	let (src, artifact) = (src.to_str().expect("utf-8"), artifacts.to_str().expect("utf-8"));

	// A project, compiled by the pinned solc (no node needed yet).
	let offline = "ws://127.0.0.1:1";
	let created = ok(offline, &["new", project.to_str().expect("utf-8")]);
	assert!(created["files"].as_array().expect("files").len() >= 5, "{created}");
	let compiled = ok(offline, &["compile", src]);
	assert_eq!(compiled["artifacts"][0].as_str(), Some(artifact), "{compiled}");
	assert!(fails(offline, &["new", project.to_str().expect("utf-8")], 2).contains("not empty"));

	let node = Node::start("contract", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let url = format!("ws://127.0.0.1:{}", node.ports.rpc);
	let url = url.as_str();

	// Ferdie is the dev chain's developer; Alice is a broker, not a developer.
	let refused = fails(url, &["--key", "//Alice", "deploy", artifact], 1);
	assert!(refused.contains("BadOrigin") || refused.contains("fails"), "{refused}");
	let deployed = ok(url, &["--key", "//Ferdie", "deploy", artifact]);
	let escrow = deployed["address"].as_str().expect("an address").to_string();
	let escrow = escrow.as_str();

	// Each party's broker approves the escrow for its side.
	ok(url, &["--key", "//Alice", "approve", escrow, "--asset", MOUTAI, "--limit", "100"]);
	ok(url, &["--key", "//Bob", "approve", escrow, "--asset", CNY, "--limit", AMOUNT]);

	// Alice sells Bob 100 Moutai for 150,000 yuan, within the hour.
	let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs();
	let deadline = (now + 3_600).to_string();
	let opened = ok(
		url,
		&[
			"--key", "//Alice", "call", escrow, artifact, "open", "//Alice", "//Bob", MOUTAI, "100", CNY, AMOUNT,
			&deadline,
		],
	);
	assert_eq!(opened["returned"], "0", "{opened}");
	assert_eq!(names(&opened["events"]), ["DealOpened"]);
	let seller = ok(url, &["--key", "//Alice", "call", escrow, artifact, "deposit", "0"]);
	assert_eq!(names(&seller["events"]), ["Deposited"]);
	let buyer = ok(url, &["--key", "//Bob", "call", escrow, artifact, "deposit", "0"]);
	assert_eq!(names(&buyer["events"]), ["Deposited", "DealSettled"], "{buyer}");

	// The deal reads as settled (status 2); its events, from the chain.
	let deal = ok(url, &["read", escrow, artifact, "deals", "0"]);
	assert_eq!(deal["returned"][9], "2", "{deal}");
	let events = ok(url, &["events", escrow, artifact]);
	assert_eq!(names(&events), ["DealOpened", "Deposited", "Deposited", "DealSettled"]);
	assert_eq!(events[3]["args"]["id"], "0");

	// Settled is final: the dry run refuses, with the contract's error, before anything is signed.
	let closed = fails(url, &["--key", "//Alice", "call", escrow, artifact, "deposit", "0"], 1);
	assert!(closed.contains("DealClosed()"), "{closed}");
	// Bad input: a wrong number of arguments, an unknown function, a malformed address.
	assert!(fails(url, &["--key", "//Alice", "call", escrow, artifact, "deposit"], 2).contains("takes 1 arguments"));
	assert!(fails(url, &["read", escrow, artifact, "steal", "0"], 2).contains("has no function"));
	assert!(fails(url, &["read", "0x12", artifact, "deals", "0"], 2).contains("not a contract address"));

	// A contract that holds some of Alice's shares terminates (the precompile's test fixture
	// retires through revive's System precompile); her broker takes them back, once.
	let probe_artifact = concat!(env!("CARGO_MANIFEST_DIR"), "/../../contracts/artifacts/SettlementProbe.json");
	let probe =
		ok(url, &["--key", "//Ferdie", "deploy", probe_artifact])["address"].as_str().expect("an address").to_string();
	let probe = probe.as_str();
	ok(url, &["--key", "//Alice", "approve", probe, "--asset", MOUTAI, "--limit", "10"]);
	ok(url, &["--key", "//Alice", "call", probe, probe_artifact, "hold", MOUTAI, "//Alice", "10"]);
	let live = fails(url, &["--key", "//Alice", "reclaim", probe, "--asset", MOUTAI], 1);
	assert!(live.contains("ContractStillExists"), "{live}");
	ok(url, &["--key", "//Alice", "call", probe, probe_artifact, "retire"]);
	let not_hers = fails(url, &["--key", "//Bob", "reclaim", probe, "--owner", "//Alice", "--asset", MOUTAI], 1);
	assert!(not_hers.contains("NotAParty"), "{not_hers}");
	let reclaimed = ok(url, &["--key", "//Alice", "reclaim", probe, "--asset", MOUTAI]);
	assert_eq!(reclaimed["amount"], "10", "{reclaimed}");
	let again = fails(url, &["--key", "//Alice", "reclaim", probe, "--asset", MOUTAI], 1);
	assert!(again.contains("NotHeldByContract"), "{again}");

	// The addresses the walk-through passes: Alice's, and the escrow's account.
	let alice = ok(offline, &["address", "//Alice"]);
	assert_eq!(
		alice["address"].as_str().map(str::to_lowercase).as_deref(),
		Some("0x9621dde636de098b43efb0fa9b61facfe328f99d")
	);
	let account = ok(offline, &["address", escrow]);
	assert_eq!(account["account"], deployed["account"]);
}
