//! Valuing a credit account at the marks: its maintenance ratio and its available margin.

use crate::{Config, Conversions, CreditOf, MarginParameters, OrderEntry, Pallet, Valuation};
use alloc::vec::Vec;
use frame_support::traits::tokens::fungibles::Inspect;
use qingsuan_margin_math::{available_margin, value, Contract, Ppm};
use qingsuan_primitives::market::{Amount, AssetId};

impl<T: Config> Pallet<T> {
	/// The mark of `security` in `cash`: its market's last trade price within the day's band;
	/// zero if no market trades it (it then counts for nothing).
	pub fn mark(security: AssetId, cash: AssetId) -> Amount {
		T::Orders::market_of(security, cash).and_then(T::Orders::terms).map_or(0, |t| t.mark())
	}

	/// `credit`'s cash, positions, assets and liabilities at the marks.
	pub fn value(credit: &T::AccountId, info: &CreditOf<T>) -> Valuation {
		let cash_asset = info.contract.cash;
		let cash = T::Ledger::total_balance(cash_asset, credit);
		let positions: Vec<_> = info
			.positions
			.iter()
			.map(|p| p.security)
			.map(|security| {
				let shares = T::Ledger::total_balance(security, credit);
				let rate = Conversions::<T>::get(security).map_or(0, |c| c.rate);
				(security, shares, Self::mark(security, cash_asset), Ppm(rate))
			})
			.collect();
		let assets = positions.iter().fold(cash, |sum, (_, shares, mark, _)| sum.saturating_add(value(*shares, *mark)));
		Valuation { cash, positions, assets, liabilities: info.debt.saturating_add(info.interest) }
	}

	/// `credit`'s available margin (保证金可用余额), the exchanges' formula: cash, plus the
	/// securities not bought on financing at their conversion rates, plus each financing
	/// contract's gain at its security's rate or its loss in full, less each contract's initial
	/// margin, less interest owed. Negative when the account is short of margin.
	pub fn available_margin(credit: &T::AccountId, info: &CreditOf<T>) -> i128 {
		Self::margin_of(info, &Self::value(credit, info))
	}

	/// [`Self::available_margin`] of `info` valued as `v`.
	pub fn margin_of(info: &CreditOf<T>, v: &Valuation) -> i128 {
		let parameters = MarginParameters::<T>::get();
		let mut collateral = Vec::with_capacity(v.positions.len());
		let mut contracts = Vec::new();
		for &(security, shares, mark, rate) in &v.positions {
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
			v.cash,
			&collateral,
			&contracts,
			&[],
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
		let zone = match ratio.map(|r| qingsuan_margin_math::zone(Some(r), &MarginParameters::<T>::get().lines())) {
			None => crate::RiskZone::NoDebt,
			Some(qingsuan_margin_math::Zone::Safe) => crate::RiskZone::Safe,
			Some(qingsuan_margin_math::Zone::Warning) => crate::RiskZone::Warning,
			Some(qingsuan_margin_math::Zone::Call) => crate::RiskZone::BelowCall,
			Some(qingsuan_margin_math::Zone::Instant) => crate::RiskZone::BelowInstant,
		};
		let positions = v
			.positions
			.iter()
			.map(|&(security, shares, mark, rate)| crate::PositionView {
				security,
				shares,
				mark,
				rate: rate.0,
				financing: info.financing(security),
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
			live_orders: info.live_orders,
		})
	}
}
