//! Working a liquidation case, one step per block, as the validators' off-chain workers submit
//! them (`liquidate`, authorized upkeep).
//!
//! A step is, in this order:
//! 1. **Repay** from the account's free cash that is not short proceeds (interest, then
//!    principal);
//! 2. **Buy back** shares it owes: a market order protected at 2% above the mark (not above
//!    the band's top), for what it owes rounded up to a lot, at most what that short's proceeds
//!    and the account's unrestricted cash pay at that price with fees; the shares go back to the
//!    lending pool as they fill. After a buy-back that bought nothing (no offer within its
//!    protection, say at the band's top), the next step sells if it can, then buy-backs are
//!    tried again;
//! 3. **Sell** the account's largest free position (at its mark) with a market order in its
//!    book, protected at 2% below the mark (not below the band's floor), in whole lots, as many
//!    as bring the ratio back to the warning line (for a case opened by the ratio: `Instant`,
//!    `Uncured`) or repay the whole debt (for `Expired` and `RevokedBroker`), at most what it
//!    holds free. The fills repay interest, then principal, as any sale of a credit account;
//! 4. **Write off** what is owed once the account has nothing left to sell or buy back with
//!    (odd lots stay the investor's) and no order open: owed shares at their mark are paid into
//!    the lending pool from the account's cash, then from the broker's risk reserve; the rest
//!    of the account's cash repays, and the reserve pays the financing pool what it can of the
//!    principal and interest left (interest first). What the reserve could not pay is recorded
//!    against the broker (`Uncovered`), the consortium's to see.
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
	traits::tokens::{fungibles::Mutate, Preservation},
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
		if !info.owes() {
			return None;
		}
		if info.live_orders > 0 {
			return Some(LiquidationStep::CancelOrders);
		}
		let owed = info.debt.saturating_add(info.interest);
		let cash = Self::spendable(credit, &info);
		if cash > 0 && owed > 0 {
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
		let mut buy_back = None;
		for held in valuation.positions.iter().filter(|h| h.owed > 0) {
			match Self::buy_back(credit, &info, held) {
				Ok(Some(step)) => {
					buy_back = Some(step);
					break;
				},
				Ok(None) => {},
				Err(()) => waiting = true,
			}
		}
		// Buy-backs first. After one that bought nothing (no offer within its protection, say
		// at the band's top), a sale goes first if it helps: it repays financing, or raises cash
		// a buy-back lacked; a sale that would only add cash beside the owed shares does not.
		let mut repay_only = false;
		if let Some((step, limited)) = buy_back {
			if !risk.unfilled {
				return Some(step);
			}
			if owed == 0 && !limited {
				return Self::retry_buy_back(&risk, step);
			}
			// Not short of cash: sell what repays the financing, no more.
			repay_only = !limited;
		}
		let mut largest: Option<(Amount, LiquidationStep)> = None;
		for held in valuation.positions.iter().filter(|h| h.shares > 0 && h.owed == 0) {
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
			let mut shares =
				shares_to_sell(valuation.assets, valuation.liabilities, price, held.mark, target, lot, free);
			if repay_only {
				shares = shares.min(shares_to_sell(valuation.assets, owed, price, held.mark, Bps(0), lot, free));
			}
			let Ok(quantity) = u64::try_from(shares - shares % lot) else { continue };
			let worth = value(free, held.mark);
			if quantity > 0 && largest.as_ref().is_none_or(|(w, _)| worth > *w) {
				let step = LiquidationStep::Sell { market: held.market?, security: held.security, quantity, price };
				largest = Some((worth, step));
			}
		}
		match (largest, buy_back) {
			(Some((_, step)), _) => Some(step),
			(None, Some((step, _))) => Self::retry_buy_back(&risk, step),
			// Shares to sell once their market trades, or a sale that would not be needed.
			(None, None) if waiting || sellable => None,
			// Nothing left to sell but odd lots.
			(None, None) => Some(LiquidationStep::WriteOff),
		}
	}

	/// A buy-back again after one that bought nothing, once `FAILED_STEP_BACKOFF` blocks have
	/// passed (every block would only repeat an order no offer meets).
	fn retry_buy_back(risk: &crate::RiskState<T::MaxPositions>, step: LiquidationStep) -> Option<LiquidationStep> {
		let due = !risk.unfilled || Self::block_u32() >= risk.stepped.saturating_add(FAILED_STEP_BACKOFF);
		due.then_some(step)
	}

	/// The buy-back of `held`, a security `credit` owes, and whether cash limits it below what
	/// is owed: `Err` while its market does not trade (or has no price), `None` if what may pay
	/// for it (its own short's proceeds and the account's unrestricted cash) cannot pay a lot
	/// at the protection price, fees included.
	fn buy_back(
		credit: &T::AccountId,
		info: &CreditOf<T>,
		held: &crate::Held,
	) -> Result<Option<(LiquidationStep, bool)>, ()> {
		let market = held.market.ok_or(())?;
		let terms = T::Orders::terms(market).filter(|t| t.open && held.mark > 0).ok_or(())?;
		let price = terms.buy_protection_price(held.mark, PROTECTION_PPM);
		let cash = info.short(held.security).proceeds.saturating_add(Self::spendable(credit, info));
		let lot = u64::try_from(terms.lot.max(1)).map_err(|_| ())?;
		let wanted = u64::try_from(held.owed.div_ceil(terms.lot.max(1))).map_err(|_| ())?;
		// The book rounds an order's fees up once, so `n` lots never hold more than `n` times
		// one lot's hold: as many lots as that pays for fit.
		let per_lot = T::Orders::buy_hold(market, lot, price).map_err(|_| ())?.max(1);
		let lots = wanted.min(u64::try_from(cash / per_lot).unwrap_or(u64::MAX));
		let quantity = lots.saturating_mul(lot);
		let step = LiquidationStep::BuyBack { market, security: held.security, quantity, price };
		Ok((quantity > 0).then_some((step, lots < wanted)))
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
		if !matches!(step, LiquidationStep::BuyBack { .. }) {
			Self::set_unfilled(credit, false);
		}
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
				let order = Self::forced(market, security, Side::Sell, quantity, price)?;
				Self::forced_order(credit, info, order, Purpose::Sell).map(|w| used = w)
			},
			LiquidationStep::BuyBack { market, security, quantity, price } => {
				let owed = info.owed(security);
				let order = Self::forced(market, security, Side::Buy, quantity, price)?;
				let placed = Self::forced_order(credit, info, order, Purpose::BuyToReturn).map(|w| used = w);
				// Nothing bought: the next step sells if it can.
				let after = Credit::<T>::get(credit).map_or(0, |i| i.owed(security));
				Self::set_unfilled(credit, placed.is_ok() && after == owed);
				placed
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

	/// A forced market order: `quantity` of `security` in `market`, protected at `price`.
	fn forced(
		market: u32,
		security: AssetId,
		side: Side,
		quantity: u64,
		price: Amount,
	) -> Result<crate::functions::Placement, DispatchError> {
		let protection = u64::try_from(price).map_err(|_| ArithmeticError::Overflow)?;
		Ok(crate::functions::Placement { market, security, side, quantity, kind: OrderType::Market { protection } })
	}

	/// Place `credit`'s forced `order` as its broker would, in a storage layer: whether the
	/// order book took it, and what it cost.
	fn forced_order(
		credit: &T::AccountId,
		info: CreditOf<T>,
		order: crate::functions::Placement,
		purpose: Purpose,
	) -> Result<Weight, DispatchError> {
		let broker = info.broker.clone();
		with_storage_layer(|| Self::place(&broker, credit, info, order, purpose)).map(|(_, w)| w)
	}

	/// Record whether `credit`'s last buy-back filled nothing.
	fn set_unfilled(credit: &T::AccountId, unfilled: bool) {
		Risk::<T>::mutate(credit, |risk| {
			if let Some(risk) = risk {
				risk.unfilled = unfilled;
			}
		});
	}

	/// No step for `credit` before the block after `block`.
	fn set_next_step(credit: &T::AccountId, block: u32) {
		Risk::<T>::mutate(credit, |risk| {
			if let Some(risk) = risk {
				risk.stepped = block;
			}
		});
	}

	/// Write off what `credit` owes: shares owed are paid for at their mark into the lending
	/// pool from its cash, then its broker's risk reserve; its cash left repays; the reserve pays
	/// the financing pool what it can of the rest, interest first. The principal and the shares
	/// leave the broker's loans either way, and what the reserve could not pay is recorded
	/// against the broker.
	fn write_off(credit: &T::AccountId, mut info: CreditOf<T>) -> DispatchResult {
		let cash = info.contract.cash;
		let reserve = Self::risk_reserve(&info.broker);
		let owed: alloc::vec::Vec<_> =
			info.positions.iter().filter(|p| p.short.owed > 0).map(|p| (p.security, p.short.owed)).collect();
		for (security, quantity) in owed {
			let (market, mark, _) = Self::price(security, cash);
			let worth = value(quantity, Self::owed_mark(market, mark));
			let lending = Self::lending_pool(&info.broker);
			let paid = Self::free(cash, credit).min(worth);
			if paid > 0 {
				T::Ledger::transfer(cash, credit, &lending, paid, Preservation::Expendable)?;
			}
			let covered = Self::free(cash, &reserve).min(worth - paid);
			if covered > 0 {
				T::Ledger::transfer(cash, &reserve, &lending, covered, Preservation::Expendable)?;
			}
			// No order is open: every owed share was sold.
			Self::reduce_owed(&mut info, security, quantity, Some(0))?;
			Self::record_uncovered(&info.broker, cash, worth - paid - covered)?;
			Self::deposit_event(Event::SharesWrittenOff {
				credit: credit.clone(),
				broker: info.broker.clone(),
				security,
				quantity,
				value: worth,
				paid,
				covered,
			});
		}
		// What cash is left (proceeds released with the shares) repays first.
		let left = Self::free(cash, credit).min(info.debt.saturating_add(info.interest));
		Self::repay_from(credit, &mut info, left, None)?;
		let (principal, interest) = (info.debt, info.interest);
		if principal.saturating_add(interest) == 0 {
			Self::store(credit, info);
			return Ok(());
		}
		let owed = principal.saturating_add(interest);
		let covered = Self::free(cash, &reserve).min(owed);
		if covered > 0 {
			let pool = Self::financing_pool(&info.broker);
			T::Ledger::transfer(cash, &reserve, &pool, covered, Preservation::Expendable)?;
		}
		Self::reduce_principal(&mut info, principal, None)?;
		info.interest = 0;
		Self::record_uncovered(&info.broker, cash, owed - covered)?;
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

	/// Record `amount` of bad debt the reserve of `broker` could not pay.
	fn record_uncovered(broker: &T::AccountId, cash: AssetId, amount: Amount) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		Uncovered::<T>::try_mutate(broker, cash, |total| {
			*total = total.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
			Ok(())
		})
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
