//! The margin pallet's invariants, checked by `try_state` and after every test scenario.

use crate::{Borrowed, Config, Credit, EntryOrders, InvestorRegistry, Lent, MarginParameters, Pallet};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{tokens::fungibles::Inspect, Get},
};
use qingsuan_primitives::market::{Amount, AssetId};

impl<T: Config> Pallet<T> {
	/// Check every invariant of the pallet's storage.
	///
	/// # Invariants
	///
	/// - The parameters are valid.
	/// - Each credit account is its owner's credit account in the investors registry, under its
	///   broker; its positions are distinct and at most `MaxPositions`; its contract's term is at
	///   most `MaxTermDays`.
	/// - Its principal is the sum of its positions' financing contracts; a contract of no
	///   principal counts no shares.
	/// - `Lent[broker][cash]` is the sum of the principal of the broker's credit accounts in
	///   `cash`, and no zero is stored.
	/// - A position owes principal or shares, not both; a short with nothing owed has no
	///   proceeds and no sale value; an account holds no free share of a security it owes (they
	///   go back at once), and its short proceeds are covered by its cash; `Borrowed[broker][security]` is the sum of the shares the
	///   broker's credit accounts owe of it, and no zero is stored.
	/// - Its `live_orders` counts its entries in `EntryOrders`, and each position's `orders`
	///   those in its security; every entry is of a credit account.
	/// - Each watched market is listed once, has its mark, and counts the credit accounts'
	///   positions in its security; no mark is kept for a market not watched.
	/// - Each account's filed triggers are exactly its entries in `Triggers` (falling) and
	///   `TriggersAbove` (rising); only credit accounts have risk records; an account being
	///   liquidated files none.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(MarginParameters::<T>::get().are_valid(), "invalid margin parameters");
		let mut orders = BTreeMap::<T::AccountId, u32>::new();
		let mut by_security = BTreeMap::<(T::AccountId, AssetId), u32>::new();
		for (_, entry) in EntryOrders::<T>::iter() {
			ensure!(Credit::<T>::contains_key(&entry.credit), "an order of an unknown credit account");
			*by_security.entry((entry.credit.clone(), entry.security)).or_default() += 1;
			*orders.entry(entry.credit).or_default() += 1;
		}
		let mut lent = BTreeMap::<(T::AccountId, AssetId), Amount>::new();
		let mut borrowed = BTreeMap::<(T::AccountId, AssetId), Amount>::new();
		for (credit, info) in Credit::<T>::iter() {
			let standing = T::Investors::standing(&credit).ok_or("a credit account the registry does not know")?;
			ensure!(standing.credit_of.as_ref() == Some(&info.owner), "a credit account of another owner");
			ensure!(standing.broker == info.broker, "a credit account under another broker");
			let positions = &info.positions;
			ensure!(positions.iter().enumerate().all(|(i, s)| !positions[..i].contains(s)), "a position listed twice");
			ensure!(
				info.contract.expires.saturating_sub(info.contract.opened) <= T::MaxTermDays::get(),
				"a contract longer than MaxTermDays"
			);
			let mut financed: Amount = 0;
			for position in positions.iter() {
				ensure!(
					position.financing.amount > 0 || position.financing.quantity == 0,
					"shares of a financing contract of nothing"
				);
				financed = financed.saturating_add(position.financing.amount);
				let short = position.short;
				ensure!(position.financing.amount == 0 || short.owed == 0, "a position both financed and owed");
				ensure!(
					short.owed == 0 || Pallet::<T>::free(position.security, &credit) == 0,
					"a free share of a security owed"
				);
				ensure!(short.owed > 0 || (short.proceeds == 0 && short.sold == 0), "short proceeds of nothing owed");
				if short.owed > 0 {
					let sum = borrowed.entry((info.broker.clone(), position.security)).or_default();
					*sum = sum.saturating_add(short.owed);
				}
			}
			ensure!(financed == info.debt, "the principal differs from the financing contracts");
			ensure!(
				info.restricted() <= T::Ledger::total_balance(info.contract.cash, &credit),
				"short proceeds the account's cash does not cover"
			);
			ensure!(orders.get(&credit).copied().unwrap_or(0) == info.live_orders, "live_orders miscounted");
			for position in positions.iter() {
				let n = by_security.get(&(credit.clone(), position.security)).copied().unwrap_or(0);
				ensure!(n == position.orders, "a position's orders miscounted");
			}
			let sum = lent.entry((info.broker.clone(), info.contract.cash)).or_default();
			*sum = sum.saturating_add(info.debt);
		}
		Self::check_watched()?;
		Self::check_triggers()?;
		for (broker, cash, amount) in Lent::<T>::iter() {
			ensure!(amount > 0, "a zero loan total is stored");
			ensure!(lent.get(&(broker, cash)) == Some(&amount), "Lent differs from the accounts' principal");
		}
		ensure!(
			lent.values().filter(|a| **a > 0).count() == Lent::<T>::iter().count(),
			"a broker's loans are not totalled in Lent"
		);
		for (broker, security, quantity) in Borrowed::<T>::iter() {
			ensure!(quantity > 0, "a zero share loan total is stored");
			ensure!(borrowed.get(&(broker, security)) == Some(&quantity), "Borrowed differs from the shares owed");
		}
		ensure!(borrowed.len() == Borrowed::<T>::iter().count(), "a broker's share loans are not totalled in Borrowed");
		Ok(())
	}

	/// The watched markets against the credit accounts' positions.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_watched() -> Result<(), sp_runtime::TryRuntimeError> {
		use crate::{Marks, OrderEntry, Watched};
		let mut positions = BTreeMap::<u32, u32>::new();
		for (_, info) in Credit::<T>::iter() {
			// A position no market prices (taken before the risk engine) counts for nothing.
			let markets = info.positions.iter().filter_map(|p| T::Orders::market_of(p.security, info.contract.cash));
			for market in markets {
				*positions.entry(market).or_default() += 1;
			}
		}
		let watched = Watched::<T>::get();
		ensure!(watched.iter().enumerate().all(|(i, m)| !watched[..i].contains(m)), "a market watched twice");
		ensure!(watched.len() == positions.len(), "the watched markets differ from the positions' markets");
		for market in watched.iter() {
			let mark = Marks::<T>::get(market).ok_or("a watched market without a mark")?;
			ensure!(positions.get(market) == Some(&mark.positions), "a watched market's positions miscounted");
		}
		ensure!(Marks::<T>::iter_keys().all(|m| watched.contains(&m)), "a mark kept for a market not watched");
		let tracked = crate::Tracked::<T>::get();
		ensure!(tracked.iter().enumerate().all(|(i, m)| !tracked[..i].contains(m)), "a market tracked twice");
		ensure!(crate::Closes::<T>::iter_keys().all(|m| tracked.contains(&m)), "closes kept for a market not tracked");
		Ok(())
	}

	/// The trigger index against the accounts' risk records.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_triggers() -> Result<(), sp_runtime::TryRuntimeError> {
		use crate::{
			risk::{ascending, descending},
			Risk, Triggers, TriggersAbove,
		};
		let mut filed = 0usize;
		for (credit, risk) in Risk::<T>::iter() {
			ensure!(Credit::<T>::contains_key(&credit), "a risk record of no credit account");
			ensure!(risk.case.is_none() || risk.triggers.is_empty(), "an account in liquidation files triggers");
			for t in risk.triggers.iter() {
				let indexed = match t.rising {
					false => Triggers::<T>::contains_key((t.market, descending(t.price), &credit)),
					true => TriggersAbove::<T>::contains_key((t.market, ascending(t.price), &credit)),
				};
				ensure!(indexed, "a trigger not indexed");
			}
			filed += risk.triggers.len();
		}
		let indexed = Triggers::<T>::iter_keys().count() + TriggersAbove::<T>::iter_keys().count();
		ensure!(indexed == filed, "an indexed trigger no account filed");
		Ok(())
	}
}
