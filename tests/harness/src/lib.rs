//! # The test harness
//!
//! The end-to-end tests' and the load generator's way to a Qingsuan node, on the runtime's own
//! types: extrinsics are built from `RuntimeCall`, events decoded as `RuntimeEvent`, so it links
//! the runtime. Programs for users (brokers, banks, regulators) use the SDK, `qingsuan-client`,
//! which is built on subxt from the runtime's metadata and links no runtime.
//!
//! - [`RpcClient`]: JSON-RPC over HTTP to a node's RPC port (std only, no async runtime).
//! - [`Chain`]: typed helpers on top of it: chain heads, account nonces and balances, runtime
//!   version, and submitting signed extrinsics.
//! - [`sign`]: building signed extrinsics for the Qingsuan runtime with sr25519/ed25519 keys.
//! - [`settlement`]: sealing and opening withdrawal payee details, settlement reports.
//! - [`observer`]: a dev validator and a regulator's observer node beside it.
//! - [`orderbook`]: order-book calls, depth, open orders and recent trades, ledger balances.
//!

mod chain;
mod error;
pub mod node;
pub mod observer;
pub mod orderbook;
mod rpc;
pub mod settlement;
pub mod sign;

pub use chain::{Chain, Health};
pub use error::ClientError;
pub use rpc::RpcClient;

/// The runtime this SDK speaks to.
pub use qingsuan_runtime as runtime;
