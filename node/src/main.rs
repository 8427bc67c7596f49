//! `qingsuan-node`: the Qingsuan blockchain node.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;

fn main() {
	if let Err(e) = command::run() {
		// One line naming the problem, and a non-zero exit; never a panic trace.
		eprintln!("Error: {}", command::describe_error(&e));
		std::process::exit(1);
	}
}
