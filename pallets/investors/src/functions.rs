//! The logic behind the investors pallet's calls, its registry for other pallets, and its
//! invariants.

use crate::{
	Amount, AssetId, Config, CreditAccountOf, CreditAccounts, Error, Event, InvestorCount, InvestorInfo, InvestorOf,
	InvestorRegistry, InvestorStatus, OpenOrders, Pallet, PendingTransfers, Registry, CLIENT_MONEY_DOMAIN,
	CREDIT_DOMAIN, INVESTOR_DOMAIN,
};
use codec::Encode;
use frame_support::traits::{OnKilledAccount, OnNewAccount};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{
		fungibles::{Inspect, Mutate},
		Fortitude, Preservation,
	},
};
use qingsuan_primitives::{
	investors::{OrdersEnd, Standing},
	market::{AssetClass, InstrumentInspect, InstrumentStatus},
	Role, RoleInspect,
};

impl<T: Config> Pallet<T> {
	/// The id of the investor account `broker` opens with `commitment`
	/// (`SM3("qingsuan/investor/v1" ‖ SCALE(broker) ‖ commitment)`).
	pub fn investor_account(broker: &T::AccountId, commitment: &[u8; 32]) -> T::AccountId {
		qingsuan_primitives::derived_account(INVESTOR_DOMAIN, &[&broker.encode(), commitment])
	}

	/// `broker`'s client-money account (`SM3("qingsuan/client-money/v1" ‖ SCALE(broker))`).
	pub fn client_money_account(broker: &T::AccountId) -> T::AccountId {
		qingsuan_primitives::derived_account(CLIENT_MONEY_DOMAIN, &[&broker.encode()])
	}

	/// The credit account of the investor `owner` (`SM3("qingsuan/credit/v1" ‖ SCALE(owner))`).
	pub fn credit_account(owner: &T::AccountId) -> T::AccountId {
		qingsuan_primitives::derived_account(CREDIT_DOMAIN, &[&owner.encode()])
	}

	/// Open the credit account of the ordinary investor account `owner`, under its broker.
	pub fn do_open_credit(owner: &T::AccountId) -> Result<T::AccountId, DispatchError> {
		let info = Registry::<T>::get(owner).ok_or(Error::<T>::UnknownInvestor)?;
		ensure!(info.credit_of.is_none(), Error::<T>::CreditAccount);
		ensure!(info.status == InvestorStatus::Active, Error::<T>::InvestorFrozen);
		ensure!(!CreditAccountOf::<T>::contains_key(owner), Error::<T>::HasCreditAccount);
		ensure!(!PendingTransfers::<T>::contains_key(owner), Error::<T>::TransferPending);
		let credit = Self::credit_account(owner);
		ensure!(!Registry::<T>::contains_key(&credit), Error::<T>::AlreadyOpen);
		let count = InvestorCount::<T>::get(&info.broker).checked_add(1).ok_or(Error::<T>::TooManyInvestors)?;
		let opened_at = frame_system::Pallet::<T>::block_number();
		Registry::<T>::insert(
			&credit,
			InvestorInfo {
				broker: info.broker.clone(),
				status: InvestorStatus::Active,
				opened_at,
				credit_of: Some(owner.clone()),
			},
		);
		CreditAccountOf::<T>::insert(owner, &credit);
		InvestorCount::<T>::insert(&info.broker, count);
		T::OnOpen::on_new_account(&credit);
		Self::deposit_event(Event::CreditAccountOpened {
			credit: credit.clone(),
			owner: owner.clone(),
			broker: info.broker,
		});
		Ok(credit)
	}

	/// Close the credit account `credit`.
	pub fn do_close_credit(credit: &T::AccountId) -> DispatchResult {
		let info = Registry::<T>::get(credit).ok_or(Error::<T>::UnknownInvestor)?;
		let owner = info.credit_of.ok_or(Error::<T>::UnknownInvestor)?;
		Registry::<T>::remove(credit);
		CreditAccountOf::<T>::remove(&owner);
		T::OnClose::on_killed_account(credit);
		let count = InvestorCount::<T>::get(&info.broker).saturating_sub(1);
		if count == 0 {
			InvestorCount::<T>::remove(&info.broker);
		} else {
			InvestorCount::<T>::insert(&info.broker, count);
		}
		Self::deposit_event(Event::CreditAccountClosed { credit: credit.clone(), owner });
		Ok(())
	}

	/// `investor`'s entry, if `broker` is its broker.
	fn investor_of(broker: &T::AccountId, investor: &T::AccountId) -> Result<InvestorOf<T>, DispatchError> {
		let info = Registry::<T>::get(investor).ok_or(Error::<T>::UnknownInvestor)?;
		ensure!(&info.broker == broker, Error::<T>::NotYourInvestor);
		Ok(info)
	}

	/// `asset` is a cash asset in trading and `amount` is not zero.
	fn ensure_cash(asset: AssetId, amount: Amount) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(
			T::Instruments::class_and_status(asset) == Some((AssetClass::Cash, InstrumentStatus::Trading)),
			Error::<T>::NotTradingCash
		);
		Ok(())
	}

	/// Move `amount` of `asset` from `from`'s free balance to `to`.
	fn move_cash(asset: AssetId, from: &T::AccountId, to: &T::AccountId, amount: Amount) -> DispatchResult {
		let free = T::Ledger::reducible_balance(asset, from, Preservation::Expendable, Fortitude::Polite);
		ensure!(free >= amount, Error::<T>::InsufficientBalance);
		T::Ledger::transfer(asset, from, to, amount, Preservation::Expendable)?;
		Ok(())
	}

	/// Open the investor account `broker` commits to with `commitment`.
	pub fn do_open_investor(broker: &T::AccountId, commitment: &[u8; 32]) -> Result<T::AccountId, DispatchError> {
		let investor = Self::investor_account(broker, commitment);
		ensure!(!Registry::<T>::contains_key(&investor), Error::<T>::AlreadyOpen);
		let count = InvestorCount::<T>::get(broker).checked_add(1).ok_or(Error::<T>::TooManyInvestors)?;
		let opened_at = frame_system::Pallet::<T>::block_number();
		Registry::<T>::insert(
			&investor,
			InvestorInfo { broker: broker.clone(), status: InvestorStatus::Active, opened_at, credit_of: None },
		);
		InvestorCount::<T>::insert(broker, count);
		T::OnOpen::on_new_account(&investor);
		Self::deposit_event(Event::InvestorOpened { investor: investor.clone(), broker: broker.clone() });
		Ok(investor)
	}

	/// `broker` moves its own cash into its client-money account.
	pub fn do_fund_client_money(broker: &T::AccountId, asset: AssetId, amount: Amount) -> DispatchResult {
		Self::ensure_cash(asset, amount)?;
		Self::move_cash(asset, broker, &Self::client_money_account(broker), amount)?;
		Self::deposit_event(Event::ClientMoneyFunded { broker: broker.clone(), asset, amount });
		Ok(())
	}

	/// `broker` may move `amount` of cash `asset` to or from `investor`: its own investor, not
	/// frozen, a trading cash asset, a non-zero amount. Returns the broker's client-money account.
	fn ensure_cash_move(
		broker: &T::AccountId,
		investor: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> Result<T::AccountId, DispatchError> {
		let info = Self::investor_of(broker, investor)?;
		ensure!(info.status == InvestorStatus::Active, Error::<T>::InvestorFrozen);
		ensure!(info.credit_of.is_none(), Error::<T>::CreditAccount);
		Self::ensure_cash(asset, amount)?;
		Ok(Self::client_money_account(broker))
	}

	/// `broker` moves cash from its client-money account to its investor.
	pub fn do_allocate_cash(
		broker: &T::AccountId,
		investor: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> DispatchResult {
		let pool = Self::ensure_cash_move(broker, investor, asset, amount)?;
		Self::move_cash(asset, &pool, investor, amount)?;
		Self::deposit_event(Event::CashAllocated { investor: investor.clone(), broker: broker.clone(), asset, amount });
		Ok(())
	}

	/// `broker` moves cash from its investor back to its client-money account.
	pub fn do_return_cash(
		broker: &T::AccountId,
		investor: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> DispatchResult {
		let pool = Self::ensure_cash_move(broker, investor, asset, amount)?;
		Self::move_cash(asset, investor, &pool, amount)?;
		Self::deposit_event(Event::CashReturned { investor: investor.clone(), broker: broker.clone(), asset, amount });
		Ok(())
	}

	/// Move `investor` from status `from` to `to`, or fail with `error` if it is not in `from`.
	fn change_status(
		investor: &T::AccountId,
		from: InvestorStatus,
		to: InvestorStatus,
		error: Error<T>,
	) -> DispatchResult {
		Registry::<T>::try_mutate(investor, |info| {
			let info = info.as_mut().ok_or(Error::<T>::UnknownInvestor)?;
			ensure!(info.status == from, error);
			info.status = to;
			Ok(())
		})
	}

	/// A regulator freezes `investor`, and its credit account if it has one that is not frozen
	/// yet (frozen with its owner), and cancels what it can of their open orders.
	pub fn do_freeze(regulator: &T::AccountId, investor: &T::AccountId) -> DispatchResult {
		Self::change_status(investor, InvestorStatus::Active, InvestorStatus::Frozen, Error::<T>::InvestorFrozen)?;
		let credit = CreditAccountOf::<T>::get(investor)
			.filter(|c| Registry::<T>::get(c).is_some_and(|i| i.status == InvestorStatus::Active));
		if let Some(credit) = &credit {
			Self::change_status(
				credit,
				InvestorStatus::Active,
				InvestorStatus::FrozenWithOwner,
				Error::<T>::InvestorFrozen,
			)?;
		}
		for account in core::iter::once(investor).chain(credit.as_ref()) {
			let orders_cancelled = T::OpenOrders::cancel_open_orders(account, OrdersEnd::Frozen)?;
			Self::deposit_event(Event::InvestorFrozen {
				investor: account.clone(),
				by: regulator.clone(),
				orders_cancelled,
			});
		}
		Ok(())
	}

	/// A regulator lifts the freeze of `investor`, and of its credit account if it was frozen
	/// with it (a credit account a regulator froze on its own stays frozen). A credit account
	/// stays frozen while its owner is.
	pub fn do_unfreeze(regulator: &T::AccountId, investor: &T::AccountId) -> DispatchResult {
		let info = Registry::<T>::get(investor).ok_or(Error::<T>::UnknownInvestor)?;
		if let Some(owner) = &info.credit_of {
			ensure!(!Self::is_frozen(owner), Error::<T>::InvestorFrozen);
		}
		// A credit account frozen with its owner thaws only with it.
		ensure!(info.status != InvestorStatus::FrozenWithOwner, Error::<T>::InvestorFrozen);
		Self::change_status(investor, InvestorStatus::Frozen, InvestorStatus::Active, Error::<T>::NotFrozen)?;
		let credit = CreditAccountOf::<T>::get(investor)
			.filter(|c| Registry::<T>::get(c).is_some_and(|i| i.status == InvestorStatus::FrozenWithOwner));
		if let Some(credit) = &credit {
			Self::change_status(
				credit,
				InvestorStatus::FrozenWithOwner,
				InvestorStatus::Active,
				Error::<T>::NotFrozen,
			)?;
		}
		for account in core::iter::once(investor).chain(credit.as_ref()) {
			Self::deposit_event(Event::InvestorUnfrozen { investor: account.clone(), by: regulator.clone() });
		}
		Ok(())
	}

	/// `investor` takes no part in transfers: neither a credit account nor the owner of one.
	fn ensure_transferable(investor: &T::AccountId, info: &InvestorOf<T>) -> DispatchResult {
		ensure!(info.credit_of.is_none() && !CreditAccountOf::<T>::contains_key(investor), Error::<T>::CreditAccount);
		Ok(())
	}

	/// Broker `to` asks to take over `investor`.
	pub fn do_request_transfer(to: &T::AccountId, investor: &T::AccountId) -> DispatchResult {
		let info = Registry::<T>::get(investor).ok_or(Error::<T>::UnknownInvestor)?;
		ensure!(&info.broker != to, Error::<T>::SameBroker);
		ensure!(info.status == InvestorStatus::Active, Error::<T>::InvestorFrozen);
		Self::ensure_transferable(investor, &info)?;
		ensure!(!PendingTransfers::<T>::contains_key(investor), Error::<T>::TransferPending);
		PendingTransfers::<T>::insert(investor, to);
		Self::deposit_event(Event::TransferRequested { investor: investor.clone(), from: info.broker, to: to.clone() });
		Ok(())
	}

	/// `investor`'s broker `from` approves its transfer; returns how many cash assets were
	/// checked for the investor's cash.
	pub fn do_approve_transfer(from: &T::AccountId, investor: &T::AccountId) -> Result<u32, DispatchError> {
		let mut info = Self::investor_of(from, investor)?;
		let to = PendingTransfers::<T>::get(investor).ok_or(Error::<T>::NoTransferPending)?;
		ensure!(info.status == InvestorStatus::Active, Error::<T>::InvestorFrozen);
		Self::ensure_transferable(investor, &info)?;
		ensure!(T::Members::has_role(&to, Role::MemberBroker), Error::<T>::NotABroker);
		ensure!(!T::OpenOrders::has_open_orders(investor), Error::<T>::HasOpenOrders);
		let cash = T::Instruments::cash_assets();
		for asset in &cash {
			ensure!(T::Ledger::total_balance(*asset, investor) == 0, Error::<T>::HoldsCash);
		}
		Self::reassign(investor, &mut info, &to)?;
		Self::deposit_event(Event::InvestorTransferred { investor: investor.clone(), from: from.clone(), to });
		Ok(cash.len() as u32)
	}

	/// Make `to` the broker of `investor` (whose entry is `info`), count it, and drop any
	/// transfer asked for it.
	fn reassign(investor: &T::AccountId, info: &mut InvestorOf<T>, to: &T::AccountId) -> DispatchResult {
		let to_count = InvestorCount::<T>::get(to).checked_add(1).ok_or(Error::<T>::TooManyInvestors)?;
		// The current broker has this investor, so its count is at least 1.
		let from_count = InvestorCount::<T>::get(&info.broker).saturating_sub(1);
		if from_count == 0 {
			InvestorCount::<T>::remove(&info.broker);
		} else {
			InvestorCount::<T>::insert(&info.broker, from_count);
		}
		InvestorCount::<T>::insert(to, to_count);
		info.broker = to.clone();
		Registry::<T>::insert(investor, &*info);
		PendingTransfers::<T>::remove(investor);
		Ok(())
	}

	/// The consortium moves `investor`, whose broker is no longer a member, to the member `to`,
	/// once its open orders are cancelled. Returns how many cash assets were looked at (zero if
	/// orders remain and it is not moved yet).
	pub fn do_force_transfer(investor: &T::AccountId, to: &T::AccountId) -> Result<u32, DispatchError> {
		let mut info = Registry::<T>::get(investor).ok_or(Error::<T>::UnknownInvestor)?;
		ensure!(!T::Members::has_role(&info.broker, Role::MemberBroker), Error::<T>::BrokerStillMember);
		ensure!(&info.broker != to, Error::<T>::SameBroker);
		Self::ensure_transferable(investor, &info)?;
		ensure!(T::Members::has_role(to, Role::MemberBroker), Error::<T>::NotABroker);
		let orders_cancelled = T::OpenOrders::cancel_open_orders(investor, OrdersEnd::ByConsortium)?;
		if T::OpenOrders::has_open_orders(investor) {
			Self::deposit_event(Event::ForcedTransferPending { investor: investor.clone(), orders_cancelled });
			return Ok(0);
		}
		let assets = T::Instruments::cash_assets();
		let cash = assets
			.iter()
			.map(|asset| (*asset, T::Ledger::total_balance(*asset, investor)))
			.filter(|(_, amount)| *amount > 0)
			.collect();
		let from = info.broker.clone();
		Self::reassign(investor, &mut info, to)?;
		Self::deposit_event(Event::TransferForced { investor: investor.clone(), from, to: to.clone(), cash });
		Ok(assets.len() as u32)
	}

	/// `by` (the investor's broker, or the one that asked) withdraws the transfer asked for it.
	pub fn do_cancel_transfer(by: &T::AccountId, investor: &T::AccountId) -> DispatchResult {
		let info = Registry::<T>::get(investor).ok_or(Error::<T>::UnknownInvestor)?;
		let to = PendingTransfers::<T>::get(investor).ok_or(Error::<T>::NoTransferPending)?;
		ensure!(&info.broker == by || &to == by, Error::<T>::NotYourInvestor);
		PendingTransfers::<T>::remove(investor);
		Self::deposit_event(Event::TransferCancelled { investor: investor.clone(), to, by: by.clone() });
		Ok(())
	}

	/// Check every invariant of the pallet's storage.
	///
	/// # Invariants
	///
	/// - [`Self::check_counts`]
	/// - [`Self::check_pending_transfers`]
	/// - [`Self::check_no_roles`]
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::check_counts()?;
		Self::check_pending_transfers()?;
		Self::check_credit_accounts()?;
		Self::check_no_roles()
	}

	/// Every credit account belongs to an ordinary investor account of the same broker, which
	/// names it in `CreditAccountOf`, under its derived id; every `CreditAccountOf` entry names
	/// such an account; no credit account is active while its owner is frozen.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_credit_accounts() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut credits = 0usize;
		for (account, info) in Registry::<T>::iter() {
			let Some(owner) = info.credit_of else { continue };
			credits += 1;
			let owner_info = Registry::<T>::get(&owner).ok_or("a credit account of an unknown owner")?;
			ensure!(owner_info.credit_of.is_none(), "a credit account of a credit account");
			ensure!(owner_info.broker == info.broker, "a credit account under another broker than its owner");
			ensure!(
				CreditAccountOf::<T>::get(&owner) == Some(account.clone()),
				"CreditAccountOf misses a credit account"
			);
			ensure!(account == Self::credit_account(&owner), "a credit account under another id than its owner's");
			ensure!(
				owner_info.status == InvestorStatus::Active || info.status.is_frozen(),
				"an active credit account of a frozen owner"
			);
			ensure!(
				info.status != InvestorStatus::FrozenWithOwner || owner_info.status.is_frozen(),
				"a credit account frozen with an owner that is not frozen"
			);
			ensure!(!PendingTransfers::<T>::contains_key(&account), "a transfer of a credit account");
		}
		ensure!(CreditAccountOf::<T>::iter().count() == credits, "CreditAccountOf names an account that is not credit");
		Ok(())
	}

	/// `InvestorCount[b]` is the number of investors whose broker is `b`, and no zero count is
	/// stored.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_counts() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut counted = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (_, info) in Registry::<T>::iter() {
			let n = counted.entry(info.broker).or_default();
			*n = n.saturating_add(1);
		}
		let mut stored = 0usize;
		for (broker, n) in InvestorCount::<T>::iter() {
			stored += 1;
			ensure!(n > 0, "a zero investor count is stored");
			ensure!(counted.get(&broker) == Some(&n), "InvestorCount differs from the investors");
		}
		ensure!(stored == counted.len(), "a broker with investors has no count");
		Ok(())
	}

	/// Every pending transfer is of a known investor, to another broker.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_pending_transfers() -> Result<(), sp_runtime::TryRuntimeError> {
		for (investor, to) in PendingTransfers::<T>::iter() {
			let info = Registry::<T>::get(&investor).ok_or("a transfer of an unknown investor")?;
			ensure!(info.broker != to, "a transfer to the investor's own broker");
		}
		Ok(())
	}

	/// No investor account, and no client-money account of a broker with investors, holds a
	/// role: nothing signs for them, their brokers act for them.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_no_roles() -> Result<(), sp_runtime::TryRuntimeError> {
		for (investor, info) in Registry::<T>::iter() {
			for account in [investor, Self::client_money_account(&info.broker)] {
				ensure!(
					!Role::ALL.iter().any(|r| T::Members::has_role(&account, *r)),
					"an investor account holds a role"
				);
			}
		}
		Ok(())
	}
}

impl<T: Config> InvestorRegistry<T::AccountId> for Pallet<T> {
	fn standing(account: &T::AccountId) -> Option<Standing<T::AccountId>> {
		Registry::<T>::get(account).map(|i| Standing {
			frozen: i.status.is_frozen(),
			broker: i.broker,
			credit_of: i.credit_of,
		})
	}
}

impl<T: Config> CreditAccounts<T::AccountId> for Pallet<T> {
	fn open_credit(owner: &T::AccountId) -> Result<T::AccountId, DispatchError> {
		Self::do_open_credit(owner)
	}

	fn close_credit(credit: &T::AccountId) -> Result<(), DispatchError> {
		Self::do_close_credit(credit)
	}
}
