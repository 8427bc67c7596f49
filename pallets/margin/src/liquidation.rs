//! Working a liquidation case, one step per block, as the validators' off-chain workers submit
//! them (`liquidate`, authorized upkeep).
//!
//! A step is, in this order:
//! 1. **Repay** from the account's free cash (interest, then principal);
//! 2. **Sell** the account's largest free position (at its mark) with a market order in its
//!    book, protected at 2% below the mark (not below the band's floor), in whole lots, as many
//!    as bring the ratio back to the warning line (for a case opened by the ratio: `Instant`,
//!    `Uncured`) or repay the whole debt (for `Expired` and `RevokedBroker`), at most what it
//!    holds free. The fills repay interest, then principal, as any sale of a credit account;
//! 3. **Write off** what is owed once the account holds no shares and has no order open: the
//!    broker's risk reserve pays its financing pool what it can (interest first), and the rest
//!    is recorded against the broker (`Uncovered`), the consortium's to see.
//!
//! The case ends (`LiquidationEnded`) when nothing is owed, or, for a case opened by the ratio,
//! when the ratio is back at the warning line; what is left in the account stays the
//! investor's.

use crate::{
	Amount, AssetId, CaseReason, Config, Credit, CreditOf, Error, Event, InvestorRegistry, LiquidationStep,
	MarginParameters, OrderEntry, OrderType, Pallet, Purpose, Risk, Side, Uncovered, FAILED_STEP_BACKOFF,
	PROTECTION_PPM, RESERVE_DOMAIN,
};
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::tokens::{
		fungibles::{Inspect, Mutate},
		Fortitude, Preservation,
	},
	weights::Weight,
};
use qingsuan_margin_math::{shares_to_sell, value, Bps};
use sp_runtime::ArithmeticError;

impl<T: Config> Pallet<T> {
	/// `broker`'s risk reserve (`SM3("qingsuan/margin/reserve/v1" ‖ SCALE(broker))`): the cash
	/// that covers its credit accounts' bad debt.
	pub fn risk_reserve(broker: &T::AccountId) -> T::AccountId {
		qingsuan_primitives::derived_account(RESERVE_DOMAIN, &[&broker.encode()])
	}

	/// `who`'s free balance of `asset`.
	fn free(asset: AssetId, who: &T::AccountId) -> Amount {
		T::Ledger::reducible_balance(asset, who, Preservation::Expendable, Fortitude::Polite)
	}

	/// The step due for `credit` now, if any: it is being liquidated, owes something, is not
	/// frozen, and has had no step since `Risk.stepped` (one per block; later after a step that
	/// failed). In order: cancel its live orders; repay from its free cash; sell its largest
	/// position that a whole lot of can be sold in an open market; write off what is left once
	/// nothing can be sold (odd lots stay the investor's). While shares are in a market that
	/// does not trade (suspended) or has no price, it waits.
	pub fn due_step(credit: &T::AccountId) -> Option<LiquidationStep> {
		let risk = Risk::<T>::get(credit)?;
		let reason = risk.case?;
		if risk.stepped >= Self::block_u32() || T::Investors::is_frozen(credit) {
			return None;
		}
		let mut info = Credit::<T>::get(credit)?;
		Self::charge_interest(&mut info);
		let owed = info.debt.saturating_add(info.interest);
		if owed == 0 {
			return None;
		}
		if info.live_orders > 0 {
			return Some(LiquidationStep::CancelOrders);
		}
		let cash = Self::free(info.contract.cash, credit);
		if cash > 0 {
			return Some(LiquidationStep::Repay { amount: cash.min(owed) });
		}
		let valuation = Self::value(credit, &info);
		let target = match reason {
			CaseReason::Instant | CaseReason::Uncured => Bps(MarginParameters::<T>::get().warning.into()),
			// Repay it all.
			CaseReason::Expired | CaseReason::RevokedBroker => Bps(0),
		};
		if target.0 > 0 && valuation.ratio().is_some_and(|r| r >= target) {
			// Back at the line: the engine ends the case when it values the account.
			return None;
		}
		let mut waiting = false;
		let mut sellable = false;
		let mut largest: Option<(Amount, LiquidationStep)> = None;
		for held in valuation.positions.iter().filter(|h| h.shares > 0) {
			let terms = held.market.and_then(T::Orders::terms).filter(|t| t.open && held.mark > 0);
			let Some(terms) = terms else {
				// Suspended, or no price: it waits for its market.
				waiting = true;
				continue;
			};
			let lot = terms.lot.max(1);
			let free = Self::free(held.security, credit);
			if free < lot {
				// An odd lot: the book trades whole lots only.
				continue;
			}
			sellable = true;
			let price = terms.protection_price(held.mark, PROTECTION_PPM);
			let shares = shares_to_sell(valuation.assets, valuation.liabilities, price, held.mark, target, lot, free);
			let Ok(quantity) = u64::try_from(shares - shares % lot) else { continue };
			let worth = value(free, held.mark);
			if quantity > 0 && largest.as_ref().is_none_or(|(w, _)| worth > *w) {
				let step = LiquidationStep::Sell { market: held.market?, security: held.security, quantity, price };
				largest = Some((worth, step));
			}
		}
		match largest {
			Some((_, step)) => Some(step),
			// Shares to sell once their market trades, or a sale that would not be needed.
			None if waiting || sellable => None,
			// Nothing left to sell but odd lots.
			None => Some(LiquidationStep::WriteOff),
		}
	}

	/// Take the step due for `credit`. Returns it, and what its orders cost (nothing for a
	/// repayment or a write-off). A sale or a cancellation the order book refuses (say, the
	/// owner's claims no longer let it trade) changes nothing but the account's next step, 10
	/// blocks later (`LiquidationStepFailed`).
	pub fn do_liquidate(credit: &T::AccountId) -> Result<(LiquidationStep, Weight), DispatchError> {
		let step = Self::due_step(credit).ok_or(Error::<T>::NoStepDue)?;
		let now = Self::block_u32();
		Self::set_next_step(credit, now);
		let mut info = Credit::<T>::get(credit).ok_or(Error::<T>::UnknownCredit)?;
		Self::accrue(credit, &mut info);
		let mut used = Weight::zero();
		let outcome = match step {
			LiquidationStep::CancelOrders => {
				Credit::<T>::insert(credit, &info);
				with_storage_layer(|| T::Orders::cancel_all(credit)).map(|(_, w)| used = w)
			},
			LiquidationStep::Repay { amount } => {
				Self::repay_from(credit, &mut info, amount, None)?;
				Self::store(credit, info);
				Ok(())
			},
			LiquidationStep::Sell { market, security, quantity, price } => {
				let protection = u64::try_from(price).map_err(|_| ArithmeticError::Overflow)?;
				let order = crate::functions::Placement {
					market,
					security,
					side: Side::Sell,
					quantity,
					kind: OrderType::Market { protection },
				};
				let broker = info.broker.clone();
				with_storage_layer(|| Self::place(&broker, credit, info, order, Purpose::Sell)).map(|(_, w)| used = w)
			},
			LiquidationStep::WriteOff => {
				Self::write_off(credit, info)?;
				Ok(())
			},
		};
		if let Err(error) = outcome {
			Self::set_next_step(credit, now.saturating_add(FAILED_STEP_BACKOFF - 1));
			Self::deposit_event(Event::LiquidationStepFailed { credit: credit.clone(), step, error });
			return Ok((step, used));
		}
		Self::deposit_event(Event::LiquidationStepped { credit: credit.clone(), step });
		Ok((step, used))
	}

	/// No step for `credit` before the block after `block`.
	fn set_next_step(credit: &T::AccountId, block: u32) {
		Risk::<T>::mutate(credit, |risk| {
			if let Some(risk) = risk {
				risk.stepped = block;
			}
		});
	}

	/// Write off what `credit` owes: its broker's risk reserve pays the financing pool what it
	/// can, interest first; the principal leaves the broker's loans either way, and what the
	/// reserve could not pay is recorded against the broker.
	fn write_off(credit: &T::AccountId, mut info: CreditOf<T>) -> DispatchResult {
		let (principal, interest) = (info.debt, info.interest);
		let owed = principal.saturating_add(interest);
		let cash = info.contract.cash;
		let reserve = Self::risk_reserve(&info.broker);
		let covered = Self::free(cash, &reserve).min(owed);
		if covered > 0 {
			let pool = Self::financing_pool(&info.broker);
			T::Ledger::transfer(cash, &reserve, &pool, covered, Preservation::Expendable)?;
		}
		Self::reduce_principal(&mut info, principal, None)?;
		info.interest = 0;
		let uncovered = owed - covered;
		if uncovered > 0 {
			Uncovered::<T>::try_mutate(&info.broker, cash, |total| {
				*total = total.checked_add(uncovered).ok_or(ArithmeticError::Overflow)?;
				Ok::<_, DispatchError>(())
			})?;
		}
		Self::deposit_event(Event::BadDebt {
			credit: credit.clone(),
			broker: info.broker.clone(),
			principal,
			interest,
			covered,
		});
		Self::store(credit, info);
		Ok(())
	}

	/// `broker` moves its own cash into its risk reserve.
	pub fn do_fund_reserve(broker: &T::AccountId, cash: AssetId, amount: Amount) -> DispatchResult {
		Self::ensure_cash(cash, amount)?;
		Self::move_free(cash, broker, &Self::risk_reserve(broker), amount, Error::<T>::InsufficientBalance)?;
		Self::deposit_event(Event::ReserveFunded { broker: broker.clone(), cash, amount });
		Ok(())
	}

	/// `broker` takes cash back from its risk reserve. (A reserve taken back before a write-off
	/// leaves that bad debt recorded against the broker in `Uncovered`.)
	pub fn do_withdraw_reserve(broker: &T::AccountId, cash: AssetId, amount: Amount) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::move_free(cash, &Self::risk_reserve(broker), broker, amount, Error::<T>::InsufficientBalance)?;
		Self::deposit_event(Event::ReserveWithdrawn { broker: broker.clone(), cash, amount });
		Ok(())
	}
}
