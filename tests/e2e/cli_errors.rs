//! Bad command lines and bad inputs: a one-line error, a non-zero exit, no panic.

use crate::support::{free_port, run_node_command, serial, TempDir};
use std::{net::TcpListener, time::Duration};

/// Assert the command failed cleanly with an error line mentioning `needle`.
fn assert_clean_failure(args: &[&str], needle: &str) {
	let out = run_node_command(args, Duration::from_secs(60));
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(!out.status.success(), "{args:?} should fail; stderr:\n{stderr}");
	assert!(
		!stderr.contains("panicked") && !stderr.contains("Backtrace") && !stderr.contains("RUST_BACKTRACE"),
		"{args:?} must not panic; stderr:\n{stderr}"
	);
	let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("Error: ")).collect();
	assert_eq!(errors.len(), 1, "{args:?} should print exactly one error line; stderr:\n{stderr}");
	assert!(
		errors[0].to_lowercase().contains(&needle.to_lowercase()),
		"{args:?}: error line '{}' should mention '{needle}'",
		errors[0]
	);
}

#[test]
fn unknown_chain_is_a_clean_error() {
	let dir = TempDir::new("badchain");
	let base = dir.path().display().to_string();
	assert_clean_failure(&["--chain", "no-such-chain", "--base-path", &base], "no-such-chain");
}

#[test]
fn corrupt_chain_spec_is_a_clean_error() {
	let dir = TempDir::new("corruptspec");
	let spec = dir.path().join("corrupt.json");
	std::fs::write(&spec, b"{ \"name\": \"half a spec\", \"genesis\": ").expect("can write");
	let base = dir.path().join("db").display().to_string();
	let spec = spec.display().to_string();
	assert_clean_failure(&["--chain", &spec, "--base-path", &base], "cannot load chain spec");
}

#[test]
fn rpc_port_in_use_is_a_clean_error() {
	let _serial = serial();
	let dir = TempDir::new("portinuse");
	let taken = TcpListener::bind("127.0.0.1:0").expect("can bind");
	let port = taken.local_addr().expect("bound").port().to_string();
	let base = dir.path().display().to_string();
	let p2p = format!("/ip4/127.0.0.1/tcp/{}", free_port());
	let prometheus = free_port().to_string();
	assert_clean_failure(
		&["--dev", "--base-path", &base, "--rpc-port", &port, "--listen-addr", &p2p, "--prometheus-port", &prometheus],
		&port,
	);
}

#[test]
fn unknown_flag_is_a_clean_error() {
	let out = run_node_command(&["--no-such-flag"], Duration::from_secs(30));
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(!out.status.success());
	assert!(stderr.contains("--no-such-flag"), "stderr:\n{stderr}");
	assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
}

/// `--help` states this node's own defaults: the single-state pool and GRANDPA votes for the
/// best block; a bad value for either is a clean error.
#[test]
fn help_shows_the_pool_cache_and_finality_defaults_and_bad_values_fail_cleanly() {
	let out = run_node_command(&["--help"], Duration::from_secs(30));
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert!(out.status.success(), "--help succeeds");
	// The flag's help: its lines up to the next option.
	let line_of = |flag: &str| {
		let start = stdout.find(&format!("{flag} ")).unwrap_or_else(|| panic!("{flag} in --help:\n{stdout}"));
		let mut lines = stdout[start..].lines();
		let first = lines.next().unwrap_or_default().to_string();
		// Options are indented by at most 6 spaces, their descriptions by 10.
		let description = |l: &&str| l.trim().is_empty() || l.len() - l.trim_start().len() >= 10;
		lines.take_while(description).fold(first, |acc, l| acc + "\n" + l)
	};
	assert!(line_of("--pool-type").contains("[default: single-state]"), "{}", line_of("--pool-type"));
	assert!(line_of("--finality-vote-lag").contains("[default: 0]"), "{}", line_of("--finality-vote-lag"));
	assert!(line_of("--trie-cache-size").contains("[default: 268435456]"), "{}", line_of("--trie-cache-size"));
	for args in [["--finality-vote-lag", "-1"], ["--pool-type", "no-such-pool"]] {
		let out = run_node_command(&args, Duration::from_secs(30));
		let stderr = String::from_utf8_lossy(&out.stderr);
		assert!(!out.status.success(), "{args:?} fails");
		assert!(stderr.contains(args[1]) && !stderr.contains("panicked"), "{args:?}: {stderr}");
	}
}

/// `--observer` with a flag that would make the node an authority, or with pruning that drops
/// state or blocks, is refused before anything starts.
#[test]
fn an_observer_that_would_author_or_prune_is_a_clean_error() {
	for flag in ["--validator", "--alice", "--dev", "--force-authoring"] {
		let out = run_node_command(&["--observer", flag], Duration::from_secs(30));
		let stderr = String::from_utf8_lossy(&out.stderr);
		assert!(!out.status.success(), "--observer {flag} fails");
		assert!(stderr.contains("--observer") && stderr.contains(flag), "--observer {flag}: {stderr}");
		assert!(!stderr.contains("panicked"), "{stderr}");
	}
	let dir = TempDir::new("observerpruning");
	let base = dir.path().display().to_string();
	assert_clean_failure(
		&["--observer", "--chain", "dev", "--base-path", &base, "--state-pruning", "256"],
		"drop --state-pruning",
	);
	assert_clean_failure(
		&["--observer", "--chain", "dev", "--base-path", &base, "--blocks-pruning", "archive-canonical"],
		"drop --blocks-pruning",
	);
}

#[test]
fn a_surveillance_config_that_does_not_read_or_parse_is_a_clean_error() {
	let dir = TempDir::new("surveillanceconfig");
	let base = dir.path().display().to_string();
	let missing = dir.path().join("missing.json").display().to_string();
	assert_clean_failure(&["--chain", "dev", "--base-path", &base, "--surveillance-config", &missing], "missing.json");
	for (name, text, expected) in [
		("misspelt.json", r#"{"highFrequencyPerSec": 10}"#, "unknown field `highFrequencyPerSec`"),
		("zero.json", r#"{"pushWindowMs": 0}"#, "pushWindowMs must be at least 1"),
		("broken.json", "{", "EOF while parsing"),
	] {
		let path = dir.path().join(name);
		std::fs::write(&path, text).expect("write");
		let path = path.display().to_string();
		assert_clean_failure(&["--chain", "dev", "--base-path", &base, "--surveillance-config", &path], expected);
	}
}
