//! Runtime API of the margin pallet, for the node's `margin_*` RPC methods.

#![cfg_attr(not(feature = "std"), no_std)]
// `decl_runtime_apis!` repeats the API's generic bounds in a where clause of its own.
#![allow(clippy::multiple_bound_locations)]

use codec::Codec;
pub use pallet_margin::{AccountView, PositionView, RiskZone};

sp_api::decl_runtime_apis! {
	/// Margin queries.
	pub trait MarginApi<AccountId: Codec> {
		/// The credit account `credit` valued now: its contract, positions at their marks, debt
		/// with interest charged to today, maintenance ratio, available margin and zone.
		fn account(credit: AccountId) -> Option<AccountView<AccountId>>;
		/// The credit account of the investor `owner`, if it has one.
		fn credit_account_of(owner: AccountId) -> Option<AccountId>;
	}
}
