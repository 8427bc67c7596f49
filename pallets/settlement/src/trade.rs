//! Delivery versus payment of one exchange trade.

use crate::{Amount, Config, Error, Event, Fees, Pallet, SettleTrade, Settled, TradeOutcome, TradeRecord, TradeSpec};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{fungibles::MutateHold, Fortitude, Precision, Restriction},
};
use qingsuan_primitives::market::{AssetClass, BatchLedger, InstrumentInspect, InstrumentStatus};
use sp_runtime::ArithmeticError;

/// What a trade costs each side, before anything moves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TradeCosts {
	/// `quantity * price`.
	pub cash_amount: Amount,
	/// The buyer's handling fee.
	pub buyer_fee: Amount,
	/// The seller's handling fee.
	pub seller_handling: Amount,
	/// The seller's stamp duty.
	pub stamp_duty: Amount,
}

impl TradeCosts {
	/// Fees and taxes the seller pays out of its proceeds.
	pub fn seller_fee(&self) -> Amount {
		// Each is at most `cash_amount` (a Perbill of it), and `costs` checked their sum.
		self.seller_handling.saturating_add(self.stamp_duty)
	}
}

/// The cash amount and fees of `quantity` at `price` under `fees`, all checked.
pub fn trade_costs(quantity: Amount, price: Amount, fees: &crate::FeeSchedule) -> Result<TradeCosts, DispatchError> {
	let cash_amount = quantity.checked_mul(price).ok_or(ArithmeticError::Overflow)?;
	let handling = fees.handling.mul_ceil(cash_amount);
	let stamp_duty = fees.stamp_duty.mul_ceil(cash_amount);
	let seller_fee = handling.checked_add(stamp_duty).ok_or(ArithmeticError::Overflow)?;
	cash_amount.checked_add(handling).ok_or(ArithmeticError::Overflow)?;
	ensure!(seller_fee <= cash_amount, DispatchError::Other("fees exceed the proceeds"));
	Ok(TradeCosts { cash_amount, buyer_fee: handling, seller_handling: handling, stamp_duty })
}

impl<T: Config> Pallet<T> {
	/// Ensure `asset` is a trading instrument of `class`.
	pub(crate) fn ensure_tradable(asset: u32, class: AssetClass) -> DispatchResult {
		let (found, status) = T::Instruments::class_and_status(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(found == class, if class == AssetClass::Cash { Error::<T>::NotCash } else { Error::<T>::NotASecurity });
		ensure!(status == InstrumentStatus::Trading, Error::<T>::InstrumentNotTrading);
		Ok(())
	}

	/// The costs of `quantity` at `price` under the current fee schedule, with this pallet's
	/// error for fees that exceed the proceeds.
	fn costs(quantity: Amount, price: Amount) -> Result<TradeCosts, DispatchError> {
		trade_costs(quantity, price, &Fees::<T>::get()).map_err(|e| match e {
			DispatchError::Other(_) => Error::<T>::FeeExceedsProceeds.into(),
			e => e,
		})
	}

	/// Settle `t` in its own storage layer: on error nothing has changed.
	pub fn do_settle_trade(t: TradeSpec<T::AccountId, T::RuntimeHoldReason>) -> Result<TradeOutcome, DispatchError> {
		T::Ledger::atomically(|| Self::settle_trade_inner(t))
	}

	fn settle_trade_inner(t: TradeSpec<T::AccountId, T::RuntimeHoldReason>) -> Result<TradeOutcome, DispatchError> {
		ensure!(t.quantity > 0 && t.price > 0, Error::<T>::ZeroAmount);
		Self::ensure_tradable(t.security, AssetClass::Security)?;
		Self::ensure_tradable(t.cash, AssetClass::Cash)?;
		let mut costs = Self::costs(t.quantity, t.price)?;
		if let Some(cap) = t.buyer_fee_cap {
			costs.buyer_fee = costs.buyer_fee.min(cap.mul_ceil(costs.cash_amount));
		}
		let seller_fee = costs.seller_fee();

		let move_held = |asset, reason: &T::RuntimeHoldReason, from: &T::AccountId, to: &T::AccountId, amount| {
			T::Ledger::transfer_on_hold(
				asset,
				reason,
				from,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
		};
		// Delivery...
		move_held(t.security, &t.seller_hold, &t.seller, &t.buyer, t.quantity)
			.map_err(|_| Error::<T>::SecuritiesUnavailable)?;
		// ...versus payment: the seller's proceeds net of its fees, then the fees.
		let proceeds = costs.cash_amount.saturating_sub(seller_fee);
		let fee_account = T::FeeAccount::get();
		let handling = costs.buyer_fee.saturating_add(costs.seller_handling);
		for (to, amount) in [(&t.seller, proceeds), (&fee_account, handling), (&T::TaxAccount::get(), costs.stamp_duty)]
		{
			if amount > 0 {
				move_held(t.cash, &t.buyer_hold, &t.buyer, to, amount).map_err(|_| Error::<T>::CashUnavailable)?;
			}
		}

		let record = TradeRecord {
			buyer: t.buyer.clone(),
			seller: t.seller.clone(),
			security: t.security,
			cash: t.cash,
			quantity: t.quantity,
			price: t.price,
			cash_amount: costs.cash_amount,
			buyer_fee: costs.buyer_fee,
			seller_fee,
			stamp_duty: costs.stamp_duty,
		};
		let id = Self::record_settlement(Settled::Trade(record));
		Self::deposit_event(Event::TradeSettled {
			id,
			buyer: t.buyer,
			seller: t.seller,
			security: t.security,
			cash: t.cash,
			quantity: t.quantity,
			price: t.price,
			cash_amount: costs.cash_amount,
			buyer_fee: costs.buyer_fee,
			seller_fee,
			stamp_duty: costs.stamp_duty,
		});
		Ok(TradeOutcome { id, cash_amount: costs.cash_amount, buyer_fee: costs.buyer_fee, seller_fee })
	}
}

impl<T: Config> SettleTrade<T::AccountId, T::RuntimeHoldReason> for Pallet<T> {
	fn settle_trade(trade: TradeSpec<T::AccountId, T::RuntimeHoldReason>) -> Result<TradeOutcome, DispatchError> {
		Self::do_settle_trade(trade)
	}

	fn buyer_cost(quantity: Amount, price: Amount) -> Result<Amount, DispatchError> {
		let costs = Self::costs(quantity, price)?;
		Ok(costs.cash_amount.saturating_add(costs.buyer_fee))
	}

	fn buyer_fee_rate() -> sp_runtime::Perbill {
		Fees::<T>::get().handling
	}
}
