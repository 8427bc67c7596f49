//! # Qingsuan matching engine
//!
//! ## Overview
//!
//! A deterministic price-time priority order book for one market, with no FRAME and no `std` in
//! it: the order-book pallet runs it on chain, its off-chain worker runs it to find work, and the
//! benchmarks run it natively. The same requests in the same order give the same fills, removals
//! and book on every platform: there is no floating point, no randomness, and nothing iterates a
//! hash map.
//!
//! ### Terminology
//!
//! - **Level**: the orders resting at one price, oldest first.
//! - **Taker / maker**: the incoming order / the resting order it trades with. Trades are at the
//!   maker's price.
//! - **Step**: one fill, or one removal of an expired or self-trading resting order. A request's
//!   steps are bounded by the caller's budget.
//!
//! ## Interface
//!
//! - [`Book::place`]: limit orders (good till cancelled, good till date, immediate or cancel,
//!   fill or kill, post-only) and market orders with a protection price.
//! - [`Book::cancel`], [`Book::reduce`] (keeps priority), [`Book::replace`] (keeps priority only
//!   when the price is unchanged and the quantity does not grow), [`Book::expire`].
//! - Queries: [`Book::get`], [`Book::depth`], [`Book::orders`], [`Book::expired`].
//! - [`Book::check_invariants`] for tests and the pallet's `try_state`.
//!
//! Self-trade prevention is per market: cancel the newest (incoming) or the oldest (resting)
//! order. Prices must be multiples of the market's tick and quantities of its lot.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod book;
#[cfg(feature = "codec")]
mod encoding;
#[cfg(feature = "reference")]
pub mod reference;
mod types;

pub use book::{Book, IdHasher, LevelView};
#[cfg(feature = "codec")]
pub use encoding::max_encoded_len;
pub use types::*;
