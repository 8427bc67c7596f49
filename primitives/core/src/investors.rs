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
	/// For a credit account (信用证券账户, margin trading), the investor account it belongs
	/// to: the owner's claims are its claims. `None` for an ordinary investor account.
	pub credit_of: Option<AccountId>,
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

	/// The broker that acts for `account`: its broker if it is an investor's, else the account
	/// itself (a broker's own account).
	fn acting_broker(account: &AccountId) -> AccountId
	where
		AccountId: Clone,
	{
		Self::broker_of(account).unwrap_or_else(|| account.clone())
	}

	/// Whether `broker` may act for `account`: its own account, or one of its investors'.
	fn acts_for(broker: &AccountId, account: &AccountId) -> bool
	where
		AccountId: PartialEq + Clone,
	{
		&Self::acting_broker(account) == broker
	}
}

/// No investor accounts: every account acts for itself, none is frozen.
impl<AccountId> InvestorRegistry<AccountId> for () {
	fn standing(_: &AccountId) -> Option<Standing<AccountId>> {
		None
	}
}

/// Opening and closing credit accounts (信用证券账户): investor accounts of a second kind, one
/// per investor, that the margin pallet lends into. The investors pallet implements it.
pub trait CreditAccounts<AccountId> {
	/// Open the credit account of the investor `owner` under the same broker, and return its
	/// id. Fails if `owner` is not an ordinary investor account, or already has one.
	fn open_credit(owner: &AccountId) -> Result<AccountId, DispatchError>;
	/// Close the credit account `credit` (its balances and debts are the caller's to have
	/// cleared first).
	fn close_credit(credit: &AccountId) -> Result<(), DispatchError>;
}

/// Whether an investor is approved for margin trading (a valid `Margin` claim from an attestor
/// the chain trusts for it). The compliance pallet implements it.
pub trait MarginApproval<AccountId> {
	/// Whether `who` may open or renew a credit account now.
	fn is_approved(who: &AccountId) -> bool;
}

/// Everyone is approved (a runtime without compliance).
impl<AccountId> MarginApproval<AccountId> for () {
	fn is_approved(_: &AccountId) -> bool {
		true
	}
}

/// Why an account's open orders are ended by another pallet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OrdersEnd {
	/// A regulator froze the account.
	Frozen,
	/// The consortium moved the account from its revoked broker.
	ByConsortium,
}

/// An account's open orders, for the pallets that must know of them or end them.
pub trait OpenOrders<AccountId> {
	/// Whether `who` has any order open (resting, sweeping or a waiting stop): one read.
	fn has_open_orders(who: &AccountId) -> bool;
	/// Cancel open orders of `who`, at most as many as one call may (`cancel_weight` is its
	/// cost); returns how many were cancelled. Orders left open are cancelled by matching when
	/// it meets them, if the account may no longer trade.
	fn cancel_open_orders(who: &AccountId, why: OrdersEnd) -> Result<u32, DispatchError>;
	/// The most `cancel_open_orders` may cost.
	fn cancel_weight() -> Weight;
}

/// No order book: nobody has open orders.
impl<AccountId> OpenOrders<AccountId> for () {
	fn has_open_orders(_: &AccountId) -> bool {
		false
	}
	fn cancel_open_orders(_: &AccountId, _: OrdersEnd) -> Result<u32, DispatchError> {
		Ok(0)
	}
	fn cancel_weight() -> Weight {
		Weight::zero()
	}
}

/// An investor registry for pallets' mock runtimes (`u64` accounts): a thread-local list of
/// `(investor, broker, frozen)` that each test's externalities set up with [`mock::set_investors`].
#[cfg(feature = "std")]
pub mod mock {
	use super::{InvestorRegistry, Standing};
	use std::{cell::RefCell, vec::Vec};

	std::thread_local! {
		static ACCOUNTS: RefCell<Vec<(u64, u64, bool)>> = const { RefCell::new(Vec::new()) };
		static CREDIT: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
	}

	/// Reads the thread's list.
	pub struct MockInvestors;
	impl InvestorRegistry<u64> for MockInvestors {
		fn standing(account: &u64) -> Option<Standing<u64>> {
			ACCOUNTS.with_borrow(|a| {
				a.iter().find(|(x, _, _)| x == account).map(|&(_, broker, frozen)| Standing {
					broker,
					frozen,
					credit_of: CREDIT.with_borrow(|c| c.iter().find(|(x, _)| x == account).map(|(_, owner)| *owner)),
				})
			})
		}
	}

	/// Open the credit account of `owner` (an investor already listed): the account
	/// `owner + CREDIT_OFFSET`, under the same broker.
	pub fn open_credit(owner: u64) -> Option<u64> {
		let broker = MockInvestors::standing(&owner).filter(|s| s.credit_of.is_none())?.broker;
		let credit = owner.wrapping_add(CREDIT_OFFSET);
		if CREDIT.with_borrow(|c| c.iter().any(|(x, _)| *x == credit)) {
			return None;
		}
		open_investor(credit, broker);
		CREDIT.with_borrow_mut(|c| c.push((credit, owner)));
		Some(credit)
	}

	/// Close the credit account `credit`.
	pub fn close_credit(credit: u64) -> bool {
		let found = CREDIT.with_borrow_mut(|c| {
			let before = c.len();
			c.retain(|(x, _)| *x != credit);
			c.len() != before
		});
		if found {
			ACCOUNTS.with_borrow_mut(|a| a.retain(|(x, _, _)| *x != credit));
		}
		found
	}

	/// What a mock credit account's id adds to its owner's.
	pub const CREDIT_OFFSET: u64 = 1 << 40;

	/// The list as a [`super::CreditAccounts`].
	pub struct MockCredit;
	impl super::CreditAccounts<u64> for MockCredit {
		fn open_credit(owner: &u64) -> Result<u64, sp_runtime::DispatchError> {
			open_credit(*owner).ok_or(sp_runtime::DispatchError::Other("not an ordinary investor, or has one"))
		}
		fn close_credit(credit: &u64) -> Result<(), sp_runtime::DispatchError> {
			close_credit(*credit).then_some(()).ok_or(sp_runtime::DispatchError::Other("no such credit account"))
		}
	}

	/// Replace the list with `accounts` (`(investor, broker)`, none frozen).
	pub fn set_investors(accounts: &[(u64, u64)]) {
		CREDIT.with_borrow_mut(|c| c.clear());
		ACCOUNTS
			.with_borrow_mut(|a| *a = accounts.iter().map(|&(investor, broker)| (investor, broker, false)).collect());
	}

	/// Open `investor` under `broker`.
	pub fn open_investor(investor: u64, broker: u64) {
		ACCOUNTS.with_borrow_mut(|a| a.push((investor, broker, false)));
	}

	/// Open the `i`th investor of `broker` under an account derived from both (benchmarks).
	pub fn open_numbered(broker: u64, i: u32) -> u64 {
		let investor = broker.wrapping_mul(31).wrapping_add(1_000_003u64.wrapping_mul(u64::from(i) + 1));
		open_investor(investor, broker);
		investor
	}

	/// Freeze or unfreeze `investor`.
	pub fn set_frozen(investor: u64, frozen: bool) {
		ACCOUNTS.with_borrow_mut(|a| a.iter_mut().filter(|(x, _, _)| *x == investor).for_each(|e| e.2 = frozen));
	}

	/// Move `investor` to `broker`.
	pub fn set_broker(investor: u64, broker: u64) {
		ACCOUNTS.with_borrow_mut(|a| a.iter_mut().filter(|(x, _, _)| *x == investor).for_each(|e| e.1 = broker));
	}
}
