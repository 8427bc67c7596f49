//! `qs-bank`: the clearing bank's settlement client. See `docs/clients-design.md` for its state
//! machine and restart safety, and the README's "For clearing banks" for how to run it.

pub mod adapter;
pub mod killpoint;
pub mod metrics;
pub mod reconcile;
pub mod service;
pub mod sqlite_ledger;
pub mod store;
