//! Runtime API of the settlement pallet, for the node's `settlement_*` RPC methods and for
//! clients that call the runtime directly (banks' daily net reports, regulators' queries).

#![cfg_attr(not(feature = "std"), no_std)]
// `decl_runtime_apis!` repeats the API's generic bounds in a where clause of its own.
#![allow(clippy::multiple_bound_locations)]

use codec::Codec;
pub use pallet_settlement::{AssetId, CashTotals, Day, DayDigest, SettlementId};

sp_api::decl_runtime_apis! {
	/// Settlement state. `Record` is the runtime's `SettlementRecord`. Lists and reports (by day,
	/// by account, net positions) are not here: the node's trade store serves them, indexed,
	/// from finalized events, so no call scans a day.
	pub trait SettlementApi<AccountId: Codec, Record: Codec> {
		/// Today's settlement day (days since 1970-01-01 in the business time zone).
		fn today() -> Day;
		/// The settlement (trade or instruction) with this id.
		fn settlement(id: SettlementId) -> Option<Record>;
		/// `day`'s settlement count and SM3 hash chain (zero and zeros for a day without any).
		fn day_digest(day: Day) -> DayDigest;
		/// Confirmed deposits and withdrawals of a cash asset.
		fn cash_totals(asset: AssetId) -> CashTotals;
	}
}
