//! Valuing a credit account at the marks: its maintenance ratio and its available margin.

use crate::{Config, Conversions, CreditOf, Held, MarginParameters, Pallet, Valuation};
use alloc::vec::Vec;
use frame_support::traits::tokens::fungibles::Inspect;
use qingsuan_margin_math::{available_margin, value, Contract, Ppm, ShortSale};

impl<T: Config> Pallet<T> {
	/// `credit`'s cash, positions, assets and liabilities at the marks.
	pub fn value(credit: &T::AccountId, info: &CreditOf<T>) -> Valuation {
		let cash_asset = info.contract.cash;
		let cash = T::Ledger::total_balance(cash_asset, credit);
		let positions: Vec<_> = info
			.positions
			.iter()
			.map(|p| {
				let security = p.security;
				let shares = T::Ledger::total_balance(security, credit);
				let rate = Ppm(Conversions::<T>::get(security).map_or(0, |c| c.rate));
				let (market, mark, (floor, ceiling)) = Self::price(security, cash_asset);
				let mark = if p.short.owed > 0 { Self::owed_mark(market, mark) } else { mark };
				Held { security, market, shares, owed: p.short.owed, mark, floor, ceiling, rate }
			})
			.collect();
		let assets = positions.iter().fold(cash, |sum, held| sum.saturating_add(held.worth()));
		let liabilities =
			positions.iter().fold(info.debt.saturating_add(info.interest), |sum, held| sum.saturating_add(held.debt()));
		Valuation { cash, positions, assets, liabilities }
	}

	/// `credit`'s available margin (保证金可用余额), the exchanges' formula: cash, plus the
	/// securities not bought on financing at their conversion rates, plus each financing
	/// contract's and short sale's gain at its security's rate or its loss in full, less the
	/// short proceeds, less each contract's and short sale's initial margin, less interest owed.
	/// Negative when the account is short of margin.
	pub fn available_margin(credit: &T::AccountId, info: &CreditOf<T>) -> i128 {
		Self::margin_of(info, &Self::value(credit, info))
	}

	/// [`Self::available_margin`] of `info` valued as `v`.
	pub fn margin_of(info: &CreditOf<T>, v: &Valuation) -> i128 {
		let parameters = MarginParameters::<T>::get();
		let mut collateral = Vec::with_capacity(v.positions.len());
		let mut contracts = Vec::new();
		let mut shorts = Vec::new();
		let mut cash = v.cash;
		for &Held { security, shares, owed, mark, rate, .. } in &v.positions {
			if owed > 0 {
				// Borrowed shares not sold yet count as if sold at the mark: as cash that is
				// proceeds, so they neither add margin nor take any beyond the short's own.
				let proceeds = info.short(security).proceeds;
				let unsold = value(shares.min(owed), mark);
				cash = cash.saturating_add(unsold);
				collateral.push((value(shares.saturating_sub(owed), mark), rate));
				let proceeds = proceeds.saturating_add(unsold);
				shorts.push(ShortSale { proceeds, quantity: owed, price: mark, conversion: rate });
				continue;
			}
			let financing = info.financing(security);
			let financed_shares = financing.quantity.min(shares);
			collateral.push((value(shares - financed_shares, mark), rate));
			if financing.amount > 0 {
				contracts.push(Contract {
					amount: financing.amount,
					quantity: financed_shares,
					price: mark,
					conversion: rate,
				});
			}
		}
		available_margin(
			cash,
			&collateral,
			&contracts,
			&shorts,
			info.interest,
			Ppm(parameters.financing_margin),
			Ppm(parameters.short_margin),
		)
	}
}

impl<T: Config> Pallet<T> {
	/// `credit` valued now, with interest charged to today (nothing is written): the runtime
	/// API's `account`.
	pub fn account_view(credit: &T::AccountId) -> Option<crate::AccountView<T::AccountId>> {
		let mut info = crate::Credit::<T>::get(credit)?;
		Self::charge_interest(&mut info);
		let v = Self::value(credit, &info);
		let available_margin = Self::margin_of(&info, &v);
		let ratio = v.ratio();
		let zone = Self::zone_of(ratio);
		let risk = crate::Risk::<T>::get(credit).unwrap_or_default();
		let positions = v
			.positions
			.iter()
			.map(|&Held { security, shares, mark, rate, .. }| crate::PositionView {
				security,
				shares,
				mark,
				rate: rate.0,
				financing: info.financing(security),
				short: info.short(security),
			})
			.collect();
		Some(crate::AccountView {
			owner: info.owner.clone(),
			broker: info.broker.clone(),
			contract: info.contract,
			debt: info.debt,
			interest: info.interest,
			cash: v.cash,
			positions,
			assets: v.assets,
			liabilities: v.liabilities,
			ratio: ratio.map(|r| r.0),
			available_margin,
			zone,
			call: risk.call,
			case: risk.case,
			live_orders: info.live_orders,
		})
	}
}
