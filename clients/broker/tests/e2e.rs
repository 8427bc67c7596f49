//! `qs-broker` against a `--dev` node: a CSV batch with good and bad rows (each row's result in
//! the result file, the good orders live on chain), the reads, a cancel, and its exit codes.

use qingsuan_test_harness::{
	node::{run_binary, serial, target_binary, wait_for, Node, Ports, TempDir},
	orderbook,
};
use serde_json::Value;
use sp_keyring::Sr25519Keyring::Alice;
use std::{process::Output, time::Duration};

fn broker(url: &str, args: &[&str]) -> Output {
	let mut all = vec!["--url", url];
	all.extend_from_slice(args);
	run_binary(&target_binary("qs-broker"), &all, Duration::from_secs(120))
}

fn json(out: &Output) -> Value {
	serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
		panic!(
			"not JSON ({e}): {}\nstderr: {}",
			String::from_utf8_lossy(&out.stdout),
			String::from_utf8_lossy(&out.stderr)
		)
	})
}

#[test]
fn a_csv_batch_with_good_and_bad_rows_then_reads_and_a_cancel() {
	let _serial = serial();
	let dir = TempDir::new("qs-broker");
	let node = Node::start("broker", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let url = format!("ws://127.0.0.1:{}", node.ports.rpc);

	let orders = dir.path().join("orders.csv");
	std::fs::write(
		&orders,
		"action,market,side,quantity,price,tif,order\n\
		 place,0,buy,100,150000,gtc,\n\
		 place,0,sell,200,151000,,\n\
		 place,0,hold,100,150000,,\n\
		 place,0,buy,7,150000,,\n\
		 place,0,buy,100,999000,,\n\
		 place,9,buy,100,150000,,\n\
		 cancel,,,,,,999999\n",
	)
	.expect("writes the CSV");
	let results = dir.path().join("results.csv");
	let out = broker(
		&url,
		&["--key", "//Alice", "--json", "batch", orders.to_str().unwrap(), "--results", results.to_str().unwrap()],
	);
	assert_eq!(out.status.code(), Some(1), "some rows failed: {}", String::from_utf8_lossy(&out.stderr));
	let summary = json(&out);
	assert_eq!((summary["rows"].as_u64(), summary["ok"].as_u64()), (Some(7), Some(2)), "{summary}");

	let mut reader = csv::Reader::from_path(&results).expect("the result file");
	let headers = reader.headers().expect("a header").clone();
	let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
	let field = |row: usize, name: &str| {
		let header = headers.iter().position(|h| h == name).expect("the column");
		rows[row][header].to_string()
	};
	let statuses: Vec<String> = (0..rows.len()).map(|i| field(i, "status")).collect();
	assert_eq!(statuses, ["ok", "ok", "invalid", "failed", "failed", "failed", "failed"]);
	assert!(field(2, "error").contains("buy or sell"), "{}", field(2, "error"));
	assert!(field(3, "error").contains("Orderbook::"), "a lot error names the pallet's error: {}", field(3, "error"));
	assert!(field(4, "error").contains("Orderbook::"), "{}", field(4, "error"));
	assert!(field(6, "error").contains("Orderbook::"), "{}", field(6, "error"));
	let (buy, sell): (u64, u64) =
		(field(0, "order").parse().expect("an id"), field(1, "order").parse().expect("an id"));

	// The two good orders rest on chain.
	let live = orderbook::open_orders(&chain, &Alice.to_account_id(), None).expect("rpc");
	let ids: Vec<u64> = live.iter().filter_map(|o| o["id"].as_u64()).collect();
	assert!(ids.contains(&buy) && ids.contains(&sell), "{ids:?}");

	// The reads.
	let orders_out = json(&broker(&url, &["--key", "//Alice", "--json", "orders"]));
	assert_eq!(orders_out.as_array().map(Vec::len), Some(2), "{orders_out}");
	let positions = json(&broker(&url, &["--key", "//Alice", "--json", "positions"]));
	let cny = positions["balances"].as_array().expect("balances").iter().find(|b| b["symbol"] == "CNY").expect("CNY");
	assert_ne!(cny["held"], "0", "the buy holds cash: {positions}");
	let holds = json(&broker(&url, &["--key", "//Alice", "--json", "holds"]));
	assert!(holds["holds"].as_array().is_some_and(|h| h.len() >= 2), "{holds}");
	let watch = broker(&url, &["--json", "watch", "0", "--once"]);
	let snapshot: Value = serde_json::from_slice(&watch.stdout).expect("one JSON line");
	assert_eq!(snapshot["depth"]["bids"][0]["price"], "150000", "{snapshot}");
	let text = broker(&url, &["watch", "0", "--once"]);
	assert!(String::from_utf8_lossy(&text.stdout).contains("150000"));

	// A cancel, then the same cancel again: the chain refuses it (exit 1, one line).
	let cancelled = broker(&url, &["--key", "//Alice", "cancel", &buy.to_string()]);
	assert!(cancelled.status.success(), "{}", String::from_utf8_lossy(&cancelled.stderr));
	let again = broker(&url, &["--key", "//Alice", "cancel", &buy.to_string()]);
	assert_eq!(again.status.code(), Some(1));
	let stderr = String::from_utf8_lossy(&again.stderr);
	assert!(stderr.starts_with("error: ") && stderr.trim_end().lines().count() == 1, "{stderr}");

	// Bad input is exit 2; an unreachable node exit 3; each one line.
	let bad_scheme = broker(&url, &["--key", "//Alice", "--scheme", "rsa", "orders"]);
	assert_eq!(bad_scheme.status.code(), Some(2));
	let no_key = broker(&url, &["cancel", "1"]);
	assert_eq!(no_key.status.code(), Some(2));
	assert!(String::from_utf8_lossy(&no_key.stderr).contains("--key-file"));
	let unreachable = broker("ws://127.0.0.1:1", &["markets"]);
	assert_eq!(unreachable.status.code(), Some(3));
	assert_eq!(String::from_utf8_lossy(&unreachable.stderr).trim_end().lines().count(), 1);
}
