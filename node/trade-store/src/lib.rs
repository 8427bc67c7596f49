//! The node's trade store: every settlement of the finalized chain, indexed for the queries
//! brokers, banks and regulators make, on the node's own key-value database.
//!
//! The runtime keeps what consensus needs; history belongs to the node. An indexer in the node
//! reads each finalized block's settlement events and hands them to [`TradeStore::index_block`],
//! which writes, in one atomic batch with the block as the store's new head:
//!
//! - each settlement record by id;
//! - the ids of each day, of each (day, account) that took part, and of each market (security
//!   and cash pair), as append-only paged lists ([`list`]);
//! - each (day, account, asset)'s received and delivered totals, and the list of those keys.
//!
//! Every query is a key lookup or a bounded walk of one list: its cost grows with the page it
//! returns (at most [`MAX_PAGE`] items), never with the day, the account's history or the chain.
//! The database is anything with point reads and atomic batch writes ([`Kv`]): the node gives it
//! its `AuxStore` (the same database as its blocks), tests and benchmarks a [`MemoryKv`].

pub mod kv;
pub mod list;
pub mod store;

pub use kv::{Batch, Kv, MemoryKv, Read};
pub use store::{Status, TradeStore, MAX_PAGE};

/// What a store operation can fail with (this store's, and the surveillance store's on the same
/// interface; callers name the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
	/// The database failed.
	Backend(String),
	/// A stored value does not decode: the database is damaged or from another version.
	Corrupt(String),
	/// A block was handed to the store out of order.
	OutOfOrder {
		/// The block the store expected next.
		expected: u32,
		/// The block it was given.
		got: u32,
	},
}

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Error::Backend(e) => write!(f, "database: {e}"),
			Error::Corrupt(e) => write!(f, "stored value does not decode: {e}"),
			Error::OutOfOrder { expected, got } => write!(f, "expected block {expected}, got {got}"),
		}
	}
}

impl std::error::Error for Error {}
