//! Runtime API of the settlement pallet, for the node's `settlement_*` RPC methods and for
//! clients that call the runtime directly (banks' daily net reports, regulators' queries).

#![cfg_attr(not(feature = "std"), no_std)]
// `decl_runtime_apis!` repeats the API's generic bounds in a where clause of its own.
#![allow(clippy::multiple_bound_locations)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_settlement::{AssetId, CashTotals, Day, NetPosition, SettlementId};

sp_api::decl_runtime_apis! {
	/// Settlement records and reports. `Record` is the runtime's `SettlementRecord`.
	pub trait SettlementApi<AccountId: Codec, Record: Codec> {
		/// Today's settlement day (days since 1970-01-01 in the business time zone).
		fn today() -> Day;
		/// The settlement (trade or instruction) with this id.
		fn settlement(id: SettlementId) -> Option<Record>;
		/// Up to `limit` settlements of `day`, from id `from` on.
		fn settlements_on(day: Day, from: SettlementId, limit: u32) -> Vec<(SettlementId, Record)>;
		/// Up to `limit` settlements of `day` that `who` took part in, from id `from` on.
		fn settlements_of(who: AccountId, day: Day, from: SettlementId, limit: u32) -> Vec<(SettlementId, Record)>;
		/// Each account's receipts and deliveries per asset over `day`.
		fn net_positions(day: Day) -> Vec<NetPosition<AccountId>>;
		/// Confirmed deposits and withdrawals of a cash asset.
		fn cash_totals(asset: AssetId) -> CashTotals;
	}
}
