//! `qingsuan-node`: the Qingsuan blockchain node.

// `sc_cli::Error` and `sc_service::Error` are large by design, and every command returns them.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
mod sm2_key;
mod surveillance;
mod trade_indexer;

fn main() {
	let args: Vec<String> = std::env::args().collect();
	if sm2_key::is_sm2_key_command(&args) {
		if let Err(e) = sm2_key::run(&args) {
			eprintln!("Error: {e}");
			std::process::exit(1);
		}
		return;
	}
	if let Err(e) = command::run() {
		// One line naming the problem, and a non-zero exit; never a panic trace.
		eprintln!("Error: {}", command::describe_error(&e));
		std::process::exit(1);
	}
}
