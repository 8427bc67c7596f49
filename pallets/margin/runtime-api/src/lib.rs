//! Runtime API of the margin pallet, for the node's `margin_*` RPC methods.

#![cfg_attr(not(feature = "std"), no_std)]
// `decl_runtime_apis!` repeats the API's generic bounds in a where clause of its own.
#![allow(clippy::multiple_bound_locations)]

use codec::Codec;
pub use pallet_margin::{AccountView, MarketHistory, NearLine, PositionView, RiskZone, VarReport};

sp_api::decl_runtime_apis! {
	/// Margin queries. Version 2 added `var`; version 3 asks it for one cash asset and reports
	/// each market's history (version 2's `var` is not called), and `account` shows short sales
	/// and the short fee rate.
	#[api_version(3)]
	pub trait MarginApi<AccountId: Codec> {
		/// The credit account `credit` valued now (before version 3: one rate, no short
		/// sales).
		#[changed_in(3)]
		fn account(credit: AccountId) -> Option<pallet_margin::legacy::AccountViewV2<AccountId>>;
		/// The credit account `credit` valued now: its contract, positions at their marks (with
		/// their financing and short sales), debt with interest charged to today, maintenance
		/// ratio, available margin and zone.
		fn account(credit: AccountId) -> Option<AccountView<AccountId>>;
		/// The credit account of the investor `owner`, if it has one.
		fn credit_account_of(owner: AccountId) -> Option<AccountId>;
		/// `broker`'s VaR report: the historical-simulation one-day 99% VaR of its credit
		/// accounts lending `cash`, over the last `days` days' closes (at most 250), and its
		/// `nearest` accounts nearest their lines.
		#[api_version(3)]
		fn var(broker: AccountId, cash: u32, days: u32, nearest: u32) -> VarReport<AccountId>;
	}
}
