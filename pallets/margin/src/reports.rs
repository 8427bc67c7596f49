//! What the order book reports of the margin pallet's orders: a financed buy's shares join its
//! financing contract and its unspent loan is repaid when it ends; a sell's proceeds repay
//! interest, then principal, as each fill settles; a short sale's proceeds are kept
//! (restricted) and its unsold shares go back to the lending pool when it ends; a buy to
//! return spends the proceeds first and its shares go back to the pool as they fill.

use crate::WeightInfo;
use crate::{Amount, Config, Credit, EntryOrders, OrderId, OrderReports, Pallet, Purpose};
use frame_support::weights::Weight;
use sp_runtime::{ArithmeticError, DispatchError};

impl<T: Config> OrderReports<T::AccountId> for Pallet<T> {
	fn on_fill(
		order: OrderId,
		_account: &T::AccountId,
		quantity: u64,
		cash_amount: Amount,
		fee: Amount,
	) -> Result<(), DispatchError> {
		let Some(entry) = EntryOrders::<T>::get(order) else { return Ok(()) };
		let (credit, security) = (&entry.credit, entry.security);
		if entry.purpose == Purpose::CollateralBuy {
			// Its cash became shares at the trade's price, not the mark: value it again.
			crate::Dirty::<T>::insert(credit, ());
			return Ok(());
		}
		let mut info = Credit::<T>::get(credit).ok_or(ArithmeticError::Underflow)?;
		let financing = info.position_mut(security).map(|p| &mut p.financing);
		match entry.purpose {
			// A contract repaid in full meanwhile: the shares are ordinary collateral.
			Purpose::FinancedBuy { .. } => {
				if let Some(f) = financing.filter(|f| f.amount > 0) {
					f.quantity = f.quantity.saturating_add(quantity.into());
				}
			},
			Purpose::CollateralBuy => {},
			Purpose::ShortSell => {
				if let Some(position) = info.position_mut(security) {
					let net = cash_amount.saturating_sub(fee);
					position.short.proceeds = position.short.proceeds.saturating_add(net);
					position.short.sold = position.short.sold.saturating_add(cash_amount);
				}
			},
			Purpose::BuyToReturn => {
				if let Some(position) = info.position_mut(security) {
					let paid = cash_amount.saturating_add(fee);
					position.short.proceeds = position.short.proceeds.saturating_sub(paid);
				}
				Self::return_free_shares(credit, &mut info, security, false)?;
			},
			Purpose::Sell => {
				if let Some(f) = financing {
					f.quantity = f.quantity.saturating_sub(quantity.into());
				}
				Self::accrue(credit, &mut info);
				let proceeds = cash_amount.saturating_sub(fee);
				let owed = info.interest.saturating_add(info.debt);
				Self::repay_from(credit, &mut info, proceeds.min(owed), Some(security))?;
			},
		}
		Self::store(credit, info);
		Ok(())
	}

	fn on_end(order: OrderId, _account: &T::AccountId, released: Amount) -> Result<(), DispatchError> {
		let Some(entry) = EntryOrders::<T>::take(order) else { return Ok(()) };
		let credit = &entry.credit;
		let mut info = Credit::<T>::get(credit).ok_or(ArithmeticError::Underflow)?;
		// Interest up to today on the principal as it stood, before any of it is repaid.
		Self::accrue(credit, &mut info);
		info.live_orders = info.live_orders.saturating_sub(1);
		if let Some(position) = info.position_mut(entry.security) {
			position.orders = position.orders.saturating_sub(1);
		}
		if entry.purpose == Purpose::ShortSell {
			// What it did not sell was borrowed: back to the pool.
			Self::return_free_shares(credit, &mut info, entry.security, true)?;
		}
		if let Purpose::FinancedBuy { lent } = entry.purpose {
			// What it held was all lent: what it did not spend goes straight back.
			let unspent = released.min(lent).min(info.debt);
			if unspent > 0 {
				let pool = Self::financing_pool(&info.broker);
				Self::move_free(info.contract.cash, credit, &pool, unspent, crate::Error::<T>::InsufficientBalance)?;
				Self::reduce_principal(&mut info, unspent, Some(entry.security))?;
				Self::deposit_event(crate::Event::Repaid { credit: credit.clone(), interest: 0, principal: unspent });
			}
		}
		Self::store(credit, info);
		Ok(())
	}

	/// The heaviest of a sell's fill (it repays), a buy to return's fill (it returns shares) and
	/// a financed buy's end (it repays).
	fn report_weight() -> Weight {
		T::WeightInfo::report_fill().max(T::WeightInfo::report_return()).max(T::WeightInfo::report_end())
	}
}
