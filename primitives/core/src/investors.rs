//! Investor accounts, as other pallets see them: which broker acts for an account, and whether
//! a regulator froze it. The investors pallet implements [`InvestorRegistry`]; the order book
//! implements [`OpenOrders`] so that freezing an investor cancels its orders.

use sp_runtime::{DispatchError, Weight};

/// An investor account's broker and whether a regulator froze it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Standing<AccountId> {
	/// The broker that acts for it.
	pub broker: AccountId,
	/// Frozen by a regulator: its orders are refused and cancelled.
	pub frozen: bool,
}

/// Who acts for an account on the market.
pub trait InvestorRegistry<AccountId> {
	/// The broker and status of an investor account (one storage read); `None` for any account
	/// that is not an investor's (a broker's own account, a bank's, a fee account).
	fn standing(account: &AccountId) -> Option<Standing<AccountId>>;

	/// The broker an investor account is opened with; `None` for any account that is not an
	/// investor's.
	fn broker_of(account: &AccountId) -> Option<AccountId> {
		Self::standing(account).map(|s| s.broker)
	}

	/// Whether a regulator froze `account` (its orders are refused and cancelled).
	fn is_frozen(account: &AccountId) -> bool {
		Self::standing(account).is_some_and(|s| s.frozen)
	}

	/// Whether `broker` may act for `account`: its own account, or one of its investors'.
	fn acts_for(broker: &AccountId, account: &AccountId) -> bool
	where
		AccountId: PartialEq,
	{
		match Self::broker_of(account) {
			Some(b) => &b == broker,
			None => account == broker,
		}
	}
}

/// No investor accounts: every account acts for itself, none is frozen.
impl<AccountId> InvestorRegistry<AccountId> for () {
	fn standing(_: &AccountId) -> Option<Standing<AccountId>> {
		None
	}
}

/// An account's open orders, for the pallets that must know of them or end them.
pub trait OpenOrders<AccountId> {
	/// Whether `who` has any order open (resting, sweeping or a waiting stop): one read.
	fn has_open_orders(who: &AccountId) -> bool;
	/// Cancel open orders of `who`, at most as many as one call may (`cancel_weight` is its
	/// cost); returns how many were cancelled. Orders left open are cancelled by matching when
	/// it meets them, if the account may no longer trade.
	fn cancel_open_orders(who: &AccountId) -> Result<u32, DispatchError>;
	/// The most `cancel_open_orders` may cost.
	fn cancel_weight() -> Weight;
}

/// No order book: nobody has open orders.
impl<AccountId> OpenOrders<AccountId> for () {
	fn has_open_orders(_: &AccountId) -> bool {
		false
	}
	fn cancel_open_orders(_: &AccountId) -> Result<u32, DispatchError> {
		Ok(0)
	}
	fn cancel_weight() -> Weight {
		Weight::zero()
	}
}
