//! Market surveillance for regulators, on the node's own key-value database.
//!
//! The node hands each finalized block, as plain data ([`BlockInput`]: the order book's events
//! in order, with the facts the detectors need from state), to [`Surveillance::index_block`].
//! In one atomic batch with the block as the store's new head, it writes:
//!
//! - each order's record and lifecycle (placed, replaced, filled, cancelled, expired), and each
//!   account's lifecycle of the day, rejections included;
//! - each account's counts of the day;
//! - the detectors' bounded working state ([`window`]);
//! - the alerts the block raised ([`AlertKind`]), indexed by day, by (day, account) and by
//!   (day, kind).
//!
//! Thresholds are [`Config`]; defaults follow the SSE and SZSE abnormal-trading rules. Every
//! query is a key lookup or a bounded walk of one list.

pub mod detect;
pub mod keys;
pub mod store;
pub mod types;
pub mod window;

pub use qingsuan_surveillance_rpc::config::Config;
pub mod server;
pub use qingsuan_trade_store::{Error, Kv, MemoryKv, Read};
pub use store::{Status, Surveillance, MAX_PAGE};
pub use types::*;
