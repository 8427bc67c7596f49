//! Runtime API of the settlement pallet, for the node's `settlement_*` RPC methods and for
//! clients that call the runtime directly (banks' daily net reports, regulators' queries).

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet_settlement::{AssetId, CashTotals, Day, DayDigest, SettlementId};

sp_api::decl_runtime_apis! {
	/// Settlement state. Records, lists and reports (by id, by day, by account, net positions)
	/// are not here: settlement records are events, not state, and the node's trade store serves
	/// them, indexed, from finalized blocks; each day's hash chain here proves them.
	pub trait SettlementApi {
		/// Today's settlement day (days since 1970-01-01 in the business time zone).
		fn today() -> Day;
		/// `day`'s settlement count and SM3 hash chain (zero and zeros for a day without any).
		fn day_digest(day: Day) -> DayDigest;
		/// Confirmed deposits and withdrawals of a cash asset.
		fn cash_totals(asset: AssetId) -> CashTotals;
	}
}
