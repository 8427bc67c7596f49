//! The order book for other pallets ([`OrderEntry`]): market terms, and placing an order for
//! an account with every check `place_order` makes, without a dispatch. Orders placed this way
//! are reported (`OrderInfo::reported`): their fills and their end go to `Config::Reports`.

use crate::{
	functions::Session, CancelReason, Config, Error, MarketOf, MarketStatus, Markets, NewOrder, NextOrderId,
	OrderEntry, Pallet,
};
use frame_support::{traits::Get, weights::Weight};
use qingsuan_matching_engine::{OrderId, Side};
use qingsuan_primitives::{
	market::{Amount, AssetId, BatchLedger},
	orders::{EntryOrder, MarketTerms},
};
use sp_runtime::DispatchError;

use crate::WeightInfo;

impl<T: Config> OrderEntry<T::AccountId> for Pallet<T> {
	fn terms(market: u32) -> Option<MarketTerms> {
		let m = Markets::<T>::get(market)?;
		let (low, high) = m.band_limits();
		Some(MarketTerms {
			security: m.security,
			cash: m.cash,
			lot: Amount::from(m.lot),
			tick: Amount::from(m.tick),
			band: (Amount::from(low), Amount::from(high)),
			reference: Amount::from(m.reference_price),
			last_price: m.last_price.map(Amount::from),
			open: m.status == MarketStatus::Open,
		})
	}

	fn market_of(security: AssetId, cash: AssetId) -> Option<u32> {
		MarketOf::<T>::get((security, cash))
	}

	fn next_order_id() -> OrderId {
		NextOrderId::<T>::get()
	}

	fn buy_hold(market: u32, quantity: u64, limit: Amount) -> Result<Amount, DispatchError> {
		let m = Markets::<T>::get(market).ok_or(Error::<T>::UnknownMarket)?;
		let limit = limit.try_into().map_err(|_| Error::<T>::PriceOutsideBand)?;
		Self::required_hold(&m, Side::Buy, quantity, limit)
	}

	fn place(order: EntryOrder<T::AccountId>) -> Result<(OrderId, Weight), DispatchError> {
		let mut session = Session::<T>::new();
		let new = NewOrder {
			market: order.market,
			side: order.side,
			quantity: order.quantity,
			kind: order.kind,
			account: Some(order.account),
		};
		let id = T::Ledger::in_batch(|| {
			let id = Self::place_entry(&mut session, &order.broker, new)?;
			session.commit()?;
			Ok::<_, DispatchError>(id)
		})?;
		let used = T::WeightInfo::place_order(session.steps_used(), session.book_orders())
			.saturating_add(Self::reports_weight(session.reports()));
		Ok((id, used))
	}

	fn cancel_all(account: &T::AccountId) -> Result<(u32, Weight), DispatchError> {
		let mut session = Session::<T>::new();
		let cancelled = T::Ledger::in_batch(|| {
			let n = Self::do_cancel_account_orders(&mut session, account, CancelReason::Liquidation)?;
			session.commit()?;
			Ok::<_, DispatchError>(n)
		})?;
		let used = T::WeightInfo::cancel_account_orders(cancelled, session.book_orders())
			.saturating_add(Self::reports_weight(session.reports()));
		Ok((cancelled, used))
	}

	fn cancel_all_weight() -> Weight {
		let batch = T::MaxBatch::get();
		T::WeightInfo::cancel_account_orders(batch, T::MaxOrdersPerMarket::get().saturating_mul(batch))
			.saturating_add(Self::reports_weight(batch))
	}

	/// The market's sweep may end (a report) before the order is placed.
	fn place_weight() -> Weight {
		let fills = T::MaxFillsPerCall::get();
		T::WeightInfo::place_order(fills, T::MaxOrdersPerMarket::get())
			.saturating_add(Self::reports_weight(Self::max_reports(fills, 1)))
	}
}
