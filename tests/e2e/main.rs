//! End-to-end tests: real `qingsuan-node` processes on 127.0.0.1, driven over JSON-RPC.
//!
//! Every node gets free ports and its own temporary directory; both are cleaned up when the
//! test ends, and every wait is bounded.

mod cli_errors;
mod compliance;
mod dev_node;
mod local_network;
mod margin;
mod observer;
mod orderbook;
mod sdk;
mod sdk_support;
mod settlement;
mod sm2_account;
mod surveillance;
/// Real nodes on free ports in temporary directories (the harness's).
mod support {
	pub use qingsuan_test_harness::node::*;
}
