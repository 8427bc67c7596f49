//! Runtime API of the order-book pallet, for the node's `orderbook_*` RPC methods.

#![cfg_attr(not(feature = "std"), no_std)]
// `decl_runtime_apis!` repeats the API's generic bounds in a where clause of its own.
#![allow(clippy::multiple_bound_locations)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_orderbook::{Depth, MarketId, MarketInfo, OrderId};

sp_api::decl_runtime_apis! {
	/// Order-book queries. `Order` is the runtime's `OrderInfo`. Trades are not here: the node's
	/// trade store serves them from finalized events.
	pub trait OrderbookApi<AccountId: Codec, Order: Codec> {
		/// Every market.
		fn markets() -> Vec<(MarketId, MarketInfo)>;
		/// The market `id`.
		fn market(id: MarketId) -> Option<MarketInfo>;
		/// The best `levels` price levels of each side of `market`.
		fn depth(market: MarketId, levels: u32) -> Option<Depth>;
		/// The live order `id` (resting, sweeping, or a stop waiting for its trigger).
		fn order(id: OrderId) -> Option<Order>;
		/// The live orders of `who`.
		fn open_orders(who: AccountId) -> Vec<(OrderId, Order)>;
	}
}
