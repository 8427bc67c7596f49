//! The logic behind the margin pallet's calls.

use crate::{
	Amount, AssetId, Borrowed, Calendar, Config, Contract, Conversion, Conversions, Credit, CreditAccounts, CreditInfo,
	CreditOf, EntryOrderInfo, EntryOrders, Error, Event, InstrumentInspect, InvestorRegistry, Lent, MarginApproval,
	MarginParameters, OrderEntry, OrderId, OrderType, Pallet, Parameters, Purpose, Side, Valuation,
	FINANCING_POOL_DOMAIN, LENDING_POOL_DOMAIN,
};
use codec::Encode;
use frame_support::weights::Weight;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{
		fungibles::{Inspect, Mutate},
		Fortitude, Preservation,
	},
};
use qingsuan_margin_math::{daily_interest, Ppm};
use qingsuan_primitives::{
	market::{AssetClass, InstrumentStatus},
	orders::{EntryOrder, MarketTerms},
};
use sp_runtime::ArithmeticError;

/// An order of a credit account, as the margin pallet places it.
pub(crate) struct Placement {
	pub(crate) market: u32,
	pub(crate) security: AssetId,
	pub(crate) side: Side,
	pub(crate) quantity: u64,
	pub(crate) kind: OrderType,
}

impl<T: Config> Pallet<T> {
	/// `broker`'s financing pool (`SM3("qingsuan/margin/financing/v1" ‖ SCALE(broker))`): the
	/// cash it lends.
	pub fn financing_pool(broker: &T::AccountId) -> T::AccountId {
		qingsuan_primitives::derived_account(FINANCING_POOL_DOMAIN, &[&broker.encode()])
	}

	/// `broker`'s lending pool (`SM3("qingsuan/margin/lending/v1" ‖ SCALE(broker))`, 融券专用证券
	/// 账户): the shares it lends.
	pub fn lending_pool(broker: &T::AccountId) -> T::AccountId {
		qingsuan_primitives::derived_account(LENDING_POOL_DOMAIN, &[&broker.encode()])
	}

	/// Set the lines and margin ratios.
	pub fn do_set_parameters(parameters: Parameters) -> DispatchResult {
		ensure!(parameters.are_valid(), Error::<T>::InvalidParameters);
		MarginParameters::<T>::put(parameters);
		// The triggers were filed against the old lines.
		Self::request_pass(false);
		Self::deposit_event(Event::ParametersSet { parameters });
		Ok(())
	}

	/// Set or remove a security's conversion rate.
	pub fn do_set_conversion(security: AssetId, conversion: Option<Conversion>) -> DispatchResult {
		ensure!(T::Instruments::class(security) == Some(AssetClass::Security), Error::<T>::NotASecurity);
		match conversion {
			Some(c) => {
				ensure!(Ppm(c.rate) <= c.category.cap(), Error::<T>::AboveCap);
				Conversions::<T>::insert(security, c);
			},
			None => Conversions::<T>::remove(security),
		}
		Self::deposit_event(Event::ConversionSet { security, conversion });
		Ok(())
	}

	/// A term of 1 to `MaxTermDays` days from today: the first day it no longer lends.
	fn expiry(term_days: u32) -> Result<crate::Day, DispatchError> {
		ensure!((1..=T::MaxTermDays::get()).contains(&term_days), Error::<T>::InvalidTerm);
		Ok(T::Calendar::today().checked_add(term_days).ok_or(ArithmeticError::Overflow)?)
	}

	/// Open `owner`'s credit account.
	pub fn do_open_credit(
		broker: &T::AccountId,
		owner: &T::AccountId,
		cash: AssetId,
		line: Amount,
		(rate, short_rate): (u32, u32),
		term_days: u32,
	) -> Result<T::AccountId, DispatchError> {
		ensure!(T::Investors::broker_of(owner).as_ref() == Some(broker), Error::<T>::NotYourAccount);
		ensure!(T::Approval::is_approved(owner), Error::<T>::NotApproved);
		ensure!(
			T::Instruments::class_and_status(cash) == Some((AssetClass::Cash, InstrumentStatus::Trading)),
			Error::<T>::WrongCash
		);
		let expires = Self::expiry(term_days)?;
		let credit = T::Investors::open_credit(owner)?;
		let today = T::Calendar::today();
		let contract = Contract { cash, line, rate, short_rate, opened: today, expires };
		Credit::<T>::insert(
			&credit,
			CreditInfo {
				owner: owner.clone(),
				broker: broker.clone(),
				contract,
				debt: 0,
				interest: 0,
				charged_to: today,
				positions: Default::default(),
				live_orders: 0,
			},
		);
		Self::deposit_event(Event::CreditOpened {
			credit: credit.clone(),
			owner: owner.clone(),
			broker: broker.clone(),
			contract,
		});
		Ok(credit)
	}

	/// `credit` is not frozen (a freeze of its owner freezes it too): what it holds stays.
	fn ensure_not_frozen(credit: &T::AccountId) -> DispatchResult {
		ensure!(!T::Investors::is_frozen(credit), Error::<T>::AccountFrozen);
		Ok(())
	}

	/// What every movement of `credit`'s assets starts from: `broker`'s record of it (interest
	/// charged to today), a non-zero amount or quantity, and no freeze.
	fn active_credit(
		broker: &T::AccountId,
		credit: &T::AccountId,
		amount: Amount,
	) -> Result<CreditOf<T>, DispatchError> {
		let info = Self::credit_of(broker, credit)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::ensure_not_frozen(credit)?;
		Ok(info)
	}

	/// `credit`'s record, if `broker` is its broker, with its interest charged to today.
	pub(crate) fn credit_of(broker: &T::AccountId, credit: &T::AccountId) -> Result<CreditOf<T>, DispatchError> {
		let mut info = Credit::<T>::get(credit).ok_or(Error::<T>::UnknownCredit)?;
		ensure!(&info.broker == broker, Error::<T>::NotYourAccount);
		Self::accrue(credit, &mut info);
		Ok(info)
	}

	/// Charge `info`'s interest and fees for the settlement days since it was last charged:
	/// `rate / 360` per day of the principal and `short_rate / 360` of the owed shares' sale
	/// value, each rounded up to the smallest unit. Returns the amount.
	pub(crate) fn charge_interest(info: &mut CreditOf<T>) -> Amount {
		let today = T::Calendar::today();
		if today <= info.charged_to {
			return 0;
		}
		let days = Amount::from(today - info.charged_to);
		let financing = daily_interest(info.debt, Ppm(info.contract.rate));
		let short = daily_interest(info.short_value(), Ppm(info.contract.short_rate));
		let amount = financing.saturating_add(short).saturating_mul(days);
		info.interest = info.interest.saturating_add(amount);
		info.charged_to = today;
		amount
	}

	/// [`Self::charge_interest`], with its event.
	pub(crate) fn accrue(credit: &T::AccountId, info: &mut CreditOf<T>) {
		let amount = Self::charge_interest(info);
		if amount > 0 {
			let to = info.charged_to;
			Self::deposit_event(Event::InterestCharged { credit: credit.clone(), amount, to });
		}
	}

	/// Renew `credit`'s contract for `term_days` from today.
	pub fn do_renew_credit(broker: &T::AccountId, credit: &T::AccountId, term_days: u32) -> DispatchResult {
		let mut info = Self::credit_of(broker, credit)?;
		ensure!(T::Approval::is_approved(&info.owner), Error::<T>::NotApproved);
		let today = T::Calendar::today();
		ensure!(today < info.contract.expires, Error::<T>::ContractExpired);
		info.contract.expires = Self::expiry(term_days)?;
		info.contract.opened = today;
		let expires = info.contract.expires;
		// Interest was charged: valued again.
		Self::store(credit, info);
		Self::deposit_event(Event::CreditRenewed { credit: credit.clone(), expires });
		Ok(())
	}

	/// Close `credit`.
	pub fn do_close_credit(broker: &T::AccountId, credit: &T::AccountId) -> DispatchResult {
		let info = Self::credit_of(broker, credit)?;
		ensure!(!info.owes(), Error::<T>::DebtOutstanding);
		ensure!(info.live_orders == 0, Error::<T>::OrdersOpen);
		let assets = core::iter::once(info.contract.cash).chain(info.positions.iter().map(|p| p.security));
		for asset in assets {
			ensure!(T::Ledger::total_balance(asset, credit) == 0, Error::<T>::BalancesLeft);
		}
		T::Investors::close_credit(credit)?;
		for position in info.positions.iter() {
			if let Some(market) = T::Orders::market_of(position.security, info.contract.cash) {
				Self::unwatch(market);
			}
		}
		Credit::<T>::remove(credit);
		Self::forget(credit);
		Self::deposit_event(Event::CreditClosed { credit: credit.clone() });
		Ok(())
	}

	/// Write `credit`'s changed record; the risk engine values it at the start of the next
	/// block.
	pub(crate) fn store(credit: &T::AccountId, info: CreditOf<T>) {
		Credit::<T>::insert(credit, info);
		crate::Dirty::<T>::insert(credit, ());
	}

	/// `credit` is not being liquidated: it may borrow, buy and withdraw.
	fn ensure_not_liquidating(credit: &T::AccountId) -> DispatchResult {
		ensure!(!Self::in_liquidation(credit), Error::<T>::InLiquidation);
		Ok(())
	}

	/// `asset` is a cash asset in trading, `amount` is not zero.
	pub(crate) fn ensure_cash(asset: AssetId, amount: Amount) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(
			T::Instruments::class_and_status(asset) == Some((AssetClass::Cash, InstrumentStatus::Trading)),
			Error::<T>::WrongCash
		);
		Ok(())
	}

	/// Move `amount` of `asset` from `from`'s free balance to `to`, or fail with `short`.
	pub(crate) fn move_free(
		asset: AssetId,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: Amount,
		short: Error<T>,
	) -> DispatchResult {
		ensure!(Self::free(asset, from) >= amount, short);
		T::Ledger::transfer(asset, from, to, amount, Preservation::Expendable)?;
		Ok(())
	}

	/// `who`'s free balance of `asset`.
	pub(crate) fn free(asset: AssetId, who: &T::AccountId) -> Amount {
		T::Ledger::reducible_balance(asset, who, Preservation::Expendable, Fortitude::Polite)
	}

	/// `credit`'s free cash that is not short proceeds: what it may withdraw, repay with or buy
	/// with.
	pub(crate) fn spendable(credit: &T::AccountId, info: &CreditOf<T>) -> Amount {
		Self::free(info.contract.cash, credit).saturating_sub(info.restricted())
	}

	/// Return to the lending pool the free shares `credit` holds of `security`, up to what it
	/// owes: shares a short sale did not sell (`unsold`), or shares bought or deposited to
	/// return sold ones. When nothing is left owed, its short proceeds become the investor's.
	/// The caller writes `info` back.
	pub(crate) fn return_free_shares(
		credit: &T::AccountId,
		info: &mut CreditOf<T>,
		security: AssetId,
		unsold: bool,
	) -> DispatchResult {
		let owed = info.owed(security);
		if owed == 0 {
			return Ok(());
		}
		let quantity = Self::free(security, credit).min(owed);
		if quantity == 0 {
			return Ok(());
		}
		let broker = info.broker.clone();
		T::Ledger::transfer(security, credit, &Self::lending_pool(&broker), quantity, Preservation::Expendable)?;
		// What it still holds of an owed security is borrowed and not sold yet.
		let sold = (!unsold).then(|| T::Ledger::total_balance(security, credit));
		let released = Self::reduce_owed(info, security, quantity, sold)?;
		Self::deposit_event(Event::SharesReturned { credit: credit.clone(), security, quantity, released });
		Ok(())
	}

	/// Take `quantity` shares of `security` (already back in the pool, or written off) off what
	/// `info` and its broker owe. Shares that had been sold (`sold: Some(unsold)`, with
	/// `unsold` the borrowed shares still held) take their part of the sale value with them;
	/// unsold ones (`None`) had none. The proceeds are released when nothing is left owed.
	/// Returns the proceeds released.
	pub(crate) fn reduce_owed(
		info: &mut CreditOf<T>,
		security: AssetId,
		quantity: Amount,
		sold: Option<Amount>,
	) -> Result<Amount, DispatchError> {
		let broker = info.broker.clone();
		let short = &mut info.position_mut(security).ok_or(ArithmeticError::Underflow)?.short;
		let left = short.owed.checked_sub(quantity).ok_or(ArithmeticError::Underflow)?;
		if let Some(unsold) = sold {
			// The sale value of the sold shares still owed, in proportion.
			let was = short.owed.saturating_sub(unsold);
			short.sold = qingsuan_margin_math::mul_div_floor(short.sold, was.saturating_sub(quantity), was.max(1));
		}
		short.owed = left;
		let released = if left == 0 {
			short.sold = 0;
			core::mem::take(&mut short.proceeds)
		} else {
			0
		};
		Borrowed::<T>::try_mutate_exists(&broker, security, |lent| {
			let rest = lent.unwrap_or(0).checked_sub(quantity).ok_or(ArithmeticError::Underflow)?;
			*lent = (rest > 0).then_some(rest);
			Ok::<_, DispatchError>(())
		})?;
		Ok(released)
	}

	/// `broker` moves shares of its own into its lending pool.
	pub fn do_fund_lending(broker: &T::AccountId, security: AssetId, quantity: Amount) -> DispatchResult {
		ensure!(quantity > 0, Error::<T>::ZeroAmount);
		ensure!(T::Instruments::class(security) == Some(AssetClass::Security), Error::<T>::NotASecurity);
		Self::move_free(security, broker, &Self::lending_pool(broker), quantity, Error::<T>::InsufficientBalance)?;
		Self::deposit_event(Event::LendingFunded { broker: broker.clone(), security, quantity });
		Ok(())
	}

	/// `broker` takes back shares its lending pool holds (those lent are not there).
	pub fn do_withdraw_lending(broker: &T::AccountId, security: AssetId, quantity: Amount) -> DispatchResult {
		ensure!(quantity > 0, Error::<T>::ZeroAmount);
		Self::move_free(security, &Self::lending_pool(broker), broker, quantity, Error::<T>::LendingShort)?;
		Self::deposit_event(Event::LendingWithdrawn { broker: broker.clone(), security, quantity });
		Ok(())
	}

	/// `broker` funds its financing pool.
	pub fn do_fund_pool(broker: &T::AccountId, cash: AssetId, amount: Amount) -> DispatchResult {
		Self::ensure_cash(cash, amount)?;
		Self::move_free(cash, broker, &Self::financing_pool(broker), amount, Error::<T>::InsufficientBalance)?;
		Self::deposit_event(Event::PoolFunded { broker: broker.clone(), cash, amount });
		Ok(())
	}

	/// `broker` takes cash back from its financing pool.
	pub fn do_withdraw_pool(broker: &T::AccountId, cash: AssetId, amount: Amount) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::move_free(cash, &Self::financing_pool(broker), broker, amount, Error::<T>::PoolShort)?;
		Self::deposit_event(Event::PoolWithdrawn { broker: broker.clone(), cash, amount });
		Ok(())
	}

	/// Add `security` to `credit`'s positions (`info`). When they are full, the positions the
	/// account no longer holds anything of (no shares, no financing, no order) make room.
	/// Its market in the contract's cash is watched for its mark from then on; a security no
	/// market trades in that cash cannot be valued, so it is not taken.
	fn add_position(credit: &T::AccountId, info: &mut CreditOf<T>, security: AssetId) -> DispatchResult {
		if info.holds(security) {
			return Ok(());
		}
		let cash = info.contract.cash;
		let market = T::Orders::market_of(security, cash).ok_or(Error::<T>::UnknownMarket)?;
		if info.positions.is_full() {
			let mut dropped = alloc::vec::Vec::new();
			info.positions.retain(|p| {
				let keep = p.owes() || p.orders > 0 || T::Ledger::total_balance(p.security, credit) > 0;
				if !keep {
					dropped.push(p.security);
				}
				keep
			});
			// Rarely more than one: the risk engine drops empty positions when it values the
			// account.
			for gone in dropped {
				if let Some(m) = T::Orders::market_of(gone, cash) {
					Self::unwatch(m);
				}
			}
		}
		info.positions.try_push(crate::Position::new(security)).map_err(|_| Error::<T>::TooManyPositions)?;
		Self::watch(market)
	}

	/// `asset` may be collateral in `info`'s account: its contract's cash, or a security with
	/// a conversion rate.
	fn ensure_collateral(info: &CreditOf<T>, asset: AssetId) -> DispatchResult {
		ensure!(asset == info.contract.cash || Conversions::<T>::contains_key(asset), Error::<T>::NotCollateral);
		Ok(())
	}

	/// Move collateral from `credit`'s owner into it.
	pub fn do_deposit_collateral(
		broker: &T::AccountId,
		credit: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> DispatchResult {
		let mut info = Self::active_credit(broker, credit, amount)?;
		Self::ensure_collateral(&info, asset)?;
		// Shares of a security sold short go back at once, never beside an open order in it.
		let open = info.positions.iter().any(|p| p.security == asset && p.short.owed > 0 && p.orders > 0);
		ensure!(!open, Error::<T>::OrdersOpen);
		if asset != info.contract.cash {
			Self::add_position(credit, &mut info, asset)?;
		}
		Self::move_free(asset, &info.owner, credit, amount, Error::<T>::InsufficientBalance)?;
		Self::deposit_event(Event::CollateralDeposited { credit: credit.clone(), asset, amount });
		// Shares of a security it owes go straight back to the pool (直接还券).
		Self::return_free_shares(credit, &mut info, asset, false)?;
		Self::store(credit, info);
		Ok(())
	}

	/// Move collateral from `credit` back to its owner, keeping the ratio at or above the
	/// withdrawal line.
	pub fn do_withdraw_collateral(
		broker: &T::AccountId,
		credit: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> DispatchResult {
		let info = Self::active_credit(broker, credit, amount)?;
		Self::ensure_not_liquidating(credit)?;
		if asset == info.contract.cash {
			ensure!(Self::spendable(credit, &info) >= amount, Error::<T>::InsufficientBalance);
		}
		if info.owes() {
			let mut valuation = Self::value(credit, &info);
			let worth = if asset == info.contract.cash {
				amount
			} else {
				let mark = valuation.positions.iter().find(|p| p.security == asset).map_or(0, |p| p.mark);
				qingsuan_margin_math::value(amount, mark)
			};
			valuation.assets = valuation.assets.saturating_sub(worth);
			let line = qingsuan_margin_math::Bps(MarginParameters::<T>::get().withdrawal.into());
			ensure!(valuation.ratio().is_some_and(|r| r >= line), Error::<T>::BelowWithdrawalLine);
		}
		Self::move_free(asset, credit, &info.owner, amount, Error::<T>::InsufficientBalance)?;
		Self::store(credit, info);
		Self::deposit_event(Event::CollateralWithdrawn { credit: credit.clone(), asset, amount });
		Ok(())
	}

	/// `market`'s terms, priced in `info`'s contract cash.
	fn terms_for(info: &CreditOf<T>, market: u32) -> Result<MarketTerms, DispatchError> {
		let terms = T::Orders::terms(market).ok_or(Error::<T>::UnknownMarket)?;
		ensure!(terms.cash == info.contract.cash, Error::<T>::WrongCash);
		Ok(terms)
	}

	/// A security that may be bought in `info`'s account: one with a non-zero conversion rate,
	/// which it does not owe (owed shares are only bought to be returned).
	fn ensure_marginable(info: &CreditOf<T>, security: AssetId) -> DispatchResult {
		ensure!(Conversions::<T>::get(security).is_some_and(|c| c.rate > 0), Error::<T>::NotCollateral);
		ensure!(info.owed(security) == 0, Error::<T>::OwesShares);
		Ok(())
	}

	/// A buy of `cost` in `security` keeps the account valued as `v` within its concentration
	/// tier: with the ratio after the buy (a financed buy adds `cost` to both sides),
	/// `security`'s share of the collateral is at most the tier's.
	fn ensure_concentration(mut v: Valuation, security: AssetId, cost: Amount, financed: bool) -> DispatchResult {
		let held = v.positions.iter().find(|p| p.security == security).map_or(0, |p| p.worth());
		if financed {
			v.assets = v.assets.saturating_add(cost);
			v.liabilities = v.liabilities.saturating_add(cost);
		}
		if let Some(limit) = MarginParameters::<T>::get().concentration_limit(v.ratio()) {
			ensure!(held.saturating_add(cost) <= limit.of_floor(v.assets), Error::<T>::Concentration);
		}
		Ok(())
	}

	/// A financed buy.
	pub fn do_financed_buy(
		broker: &T::AccountId,
		credit: &T::AccountId,
		market: u32,
		quantity: u64,
		kind: OrderType,
	) -> Result<(OrderId, Weight), DispatchError> {
		let (mut info, terms) = Self::order_of(broker, credit, market, quantity)?;
		Self::ensure_not_liquidating(credit)?;
		Self::ensure_marginable(&info, terms.security)?;
		ensure!(T::Calendar::today() < info.contract.expires, Error::<T>::ContractExpired);
		let cost = T::Orders::buy_hold(market, quantity, kind.limit_price().into())?;
		let debt = info.debt.checked_add(cost).ok_or(ArithmeticError::Overflow)?;
		let margin = Ppm(MarginParameters::<T>::get().financing_margin).of_ceil(cost);
		// Valued once, for the line, the margin and the concentration tier.
		let valuation = Self::value(credit, &info);
		let used = Self::line_used(&info, &valuation).checked_add(cost).ok_or(ArithmeticError::Overflow)?;
		ensure!(used <= info.contract.line, Error::<T>::LineExceeded);
		let available = Self::margin_of(&info, &valuation);
		ensure!(available >= 0 && available as u128 >= margin, Error::<T>::InsufficientMargin);
		Self::ensure_concentration(valuation, terms.security, cost, true)?;
		let cash = info.contract.cash;
		Self::move_free(cash, &Self::financing_pool(broker), credit, cost, Error::<T>::PoolShort)?;
		info.debt = debt;
		Lent::<T>::try_mutate(broker, cash, |lent| {
			*lent = lent.checked_add(cost).ok_or(ArithmeticError::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::add_position(credit, &mut info, terms.security)?;
		if let Some(position) = info.position_mut(terms.security) {
			position.financing.amount = position.financing.amount.checked_add(cost).ok_or(ArithmeticError::Overflow)?;
		}
		Self::deposit_event(Event::Lent { credit: credit.clone(), security: terms.security, amount: cost });
		let order = Placement { market, security: terms.security, side: Side::Buy, quantity, kind };
		Self::place(broker, credit, info, order, Purpose::FinancedBuy { lent: cost })
	}

	/// A buy with the account's own cash.
	pub fn do_collateral_buy(
		broker: &T::AccountId,
		credit: &T::AccountId,
		market: u32,
		quantity: u64,
		kind: OrderType,
	) -> Result<(OrderId, Weight), DispatchError> {
		let (mut info, terms) = Self::order_of(broker, credit, market, quantity)?;
		Self::ensure_not_liquidating(credit)?;
		Self::ensure_marginable(&info, terms.security)?;
		let cost = T::Orders::buy_hold(market, quantity, kind.limit_price().into())?;
		// Short proceeds only buy owed shares back.
		ensure!(Self::spendable(credit, &info) >= cost, Error::<T>::InsufficientBalance);
		Self::ensure_concentration(Self::value(credit, &info), terms.security, cost, false)?;
		Self::add_position(credit, &mut info, terms.security)?;
		let order = Placement { market, security: terms.security, side: Side::Buy, quantity, kind };
		Self::place(broker, credit, info, order, Purpose::CollateralBuy)
	}

	/// A sell of the account's shares.
	pub fn do_sell(
		broker: &T::AccountId,
		credit: &T::AccountId,
		market: u32,
		quantity: u64,
		kind: OrderType,
	) -> Result<(OrderId, Weight), DispatchError> {
		let (info, terms) = Self::order_of(broker, credit, market, quantity)?;
		ensure!(info.holds(terms.security), Error::<T>::InsufficientBalance);
		// Being liquidated, it may sell at once, not leave shares resting out of the
		// liquidation's reach.
		ensure!(!kind.rests() || !Self::in_liquidation(credit), Error::<T>::InLiquidation);
		let order = Placement { market, security: terms.security, side: Side::Sell, quantity, kind };
		Self::place(broker, credit, info, order, Purpose::Sell)
	}

	/// What `info` (valued as `v`) uses of its credit line, which covers financing and short
	/// sales together: the principal, the sale value of the owed shares sold, and the borrowed
	/// shares a short sale has not sold yet at their mark.
	pub(crate) fn line_used(info: &CreditOf<T>, v: &Valuation) -> Amount {
		let unsold =
			v.positions.iter().filter(|h| h.owed > 0).fold(0, |sum: Amount, h| {
				sum.saturating_add(qingsuan_margin_math::value(h.shares.min(h.owed), h.mark))
			});
		info.debt.saturating_add(info.short_value()).saturating_add(unsold)
	}

	/// A short sale: borrow `quantity` shares from the lending pool and sell them.
	pub fn do_short_sell(
		broker: &T::AccountId,
		credit: &T::AccountId,
		market: u32,
		quantity: u64,
		kind: OrderType,
	) -> Result<(OrderId, Weight), DispatchError> {
		let (mut info, terms) = Self::order_of(broker, credit, market, quantity)?;
		Self::ensure_not_liquidating(credit)?;
		ensure!(T::Calendar::today() < info.contract.expires, Error::<T>::ContractExpired);
		let security = terms.security;
		// The consortium's list of securities that may be lent is its collateral list.
		ensure!(Conversions::<T>::get(security).is_some_and(|c| c.rate > 0), Error::<T>::NotCollateral);
		// Long and short in one security never mix: its only shares are borrowed ones.
		let held = T::Ledger::total_balance(security, credit);
		ensure!(held <= info.owed(security) && info.financing(security).amount == 0, Error::<T>::HoldsSecurity);
		// One order at a time in a security sold short: what a sale has not sold is never
		// returned as bought, and no buy shares its proceeds.
		ensure!(info.positions.iter().all(|p| p.security != security || p.orders == 0), Error::<T>::OrdersOpen);
		// The uptick rule: a limit at or above the last trade price (the reference price before
		// the market's first trade).
		let OrderType::Limit { price, .. } = kind else { return Err(Error::<T>::UptickRule.into()) };
		let price = Amount::from(price);
		ensure!(price >= terms.last_price.unwrap_or(terms.reference), Error::<T>::UptickRule);
		let worth = qingsuan_margin_math::value(quantity.into(), price);
		let valuation = Self::value(credit, &info);
		let used = Self::line_used(&info, &valuation).checked_add(worth).ok_or(ArithmeticError::Overflow)?;
		ensure!(used <= info.contract.line, Error::<T>::LineExceeded);
		let margin = Ppm(MarginParameters::<T>::get().short_margin).of_ceil(worth);
		let available = Self::margin_of(&info, &valuation);
		ensure!(available >= 0 && available as u128 >= margin, Error::<T>::InsufficientMargin);
		let lent = Amount::from(quantity);
		Self::move_free(security, &Self::lending_pool(broker), credit, lent, Error::<T>::LendingShort)?;
		Borrowed::<T>::try_mutate(broker, security, |total| {
			*total = total.checked_add(lent).ok_or(ArithmeticError::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::add_position(credit, &mut info, security)?;
		if let Some(position) = info.position_mut(security) {
			position.short.owed = position.short.owed.checked_add(lent).ok_or(ArithmeticError::Overflow)?;
		}
		Self::deposit_event(Event::SharesLent { credit: credit.clone(), security, quantity: lent });
		let order = Placement { market, security, side: Side::Sell, quantity, kind };
		Self::place(broker, credit, info, order, Purpose::ShortSell)
	}

	/// A buy to return owed shares.
	pub fn do_buy_to_return(
		broker: &T::AccountId,
		credit: &T::AccountId,
		market: u32,
		quantity: u64,
		kind: OrderType,
	) -> Result<(OrderId, Weight), DispatchError> {
		let (info, terms) = Self::order_of(broker, credit, market, quantity)?;
		let position = info.positions.iter().find(|p| p.security == terms.security);
		let (owed, proceeds) = position.map_or((0, 0), |p| (p.short.owed, p.short.proceeds));
		ensure!(owed > 0, Error::<T>::NothingOwed);
		// One order at a time (no short sale of it open: every share owed was sold).
		ensure!(position.is_some_and(|p| p.orders == 0), Error::<T>::OrdersOpen);
		let lot = terms.lot.max(1);
		ensure!(Amount::from(quantity) <= owed.div_ceil(lot).saturating_mul(lot), Error::<T>::ExceedsOwed);
		// Paid from this short's proceeds, then the account's own cash: never another short's.
		let hold = T::Orders::buy_hold(market, quantity, kind.limit_price().into())?;
		ensure!(hold <= proceeds.saturating_add(Self::spendable(credit, &info)), Error::<T>::InsufficientBalance);
		// Being liquidated, it may buy at once, not leave an order resting.
		ensure!(!kind.rests() || !Self::in_liquidation(credit), Error::<T>::InLiquidation);
		let order = Placement { market, security: terms.security, side: Side::Buy, quantity, kind };
		Self::place(broker, credit, info, order, Purpose::BuyToReturn)
	}

	/// What every order of a credit account starts from: `broker`'s record of `credit` (not
	/// frozen), a non-zero quantity, and the terms of `market`, priced in the contract's cash.
	fn order_of(
		broker: &T::AccountId,
		credit: &T::AccountId,
		market: u32,
		quantity: u64,
	) -> Result<(CreditOf<T>, MarketTerms), DispatchError> {
		let info = Self::active_credit(broker, credit, quantity.into())?;
		let terms = Self::terms_for(&info, market)?;
		Ok((info, terms))
	}

	/// Record `info` and the order about to be placed, then place it: the order book reports
	/// its fills and end (perhaps before this returns) against these records. Returns the
	/// order's id and what placing it cost.
	pub(crate) fn place(
		broker: &T::AccountId,
		credit: &T::AccountId,
		mut info: CreditOf<T>,
		order: Placement,
		purpose: Purpose,
	) -> Result<(OrderId, Weight), DispatchError> {
		let Placement { market, security, side, quantity, kind } = order;
		let id = T::Orders::next_order_id();
		info.live_orders = info.live_orders.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let position = info.position_mut(security).ok_or(Error::<T>::InsufficientBalance)?;
		position.orders = position.orders.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Self::store(credit, info);
		EntryOrders::<T>::insert(id, EntryOrderInfo { credit: credit.clone(), security, purpose });
		let order = EntryOrder { broker: broker.clone(), account: credit.clone(), market, side, quantity, kind };
		let (placed, used) = T::Orders::place(order)?;
		ensure!(placed == id, Error::<T>::OrderIdMismatch);
		Self::deposit_event(Event::OrderPlaced { credit: credit.clone(), order: id, purpose });
		Ok((id, used))
	}

	/// Direct repayment from the account's free cash.
	pub fn do_repay(broker: &T::AccountId, credit: &T::AccountId, amount: Amount) -> DispatchResult {
		let mut info = Self::active_credit(broker, credit, amount)?;
		let owed = info.interest.saturating_add(info.debt);
		ensure!(owed > 0, Error::<T>::NothingOwed);
		let pay = amount.min(owed);
		ensure!(Self::spendable(credit, &info) >= pay, Error::<T>::InsufficientBalance);
		Self::repay_from(credit, &mut info, pay, None)?;
		Self::store(credit, info);
		Ok(())
	}

	/// Pay `amount` of `credit`'s free cash to its broker's pool: interest first, then
	/// principal, taken from the financing contract of `first` and then from the others in
	/// position order. The caller writes `info` back.
	pub(crate) fn repay_from(
		credit: &T::AccountId,
		info: &mut CreditOf<T>,
		amount: Amount,
		first: Option<AssetId>,
	) -> DispatchResult {
		let interest = amount.min(info.interest);
		let principal = (amount - interest).min(info.debt);
		if interest.saturating_add(principal) == 0 {
			return Ok(());
		}
		let cash = info.contract.cash;
		let pool = Self::financing_pool(&info.broker);
		T::Ledger::transfer(cash, credit, &pool, interest.saturating_add(principal), Preservation::Expendable)?;
		info.interest -= interest;
		Self::reduce_principal(info, principal, first)?;
		Self::deposit_event(Event::Repaid { credit: credit.clone(), interest, principal });
		Ok(())
	}

	/// Take `principal` (already paid to the pool) off `info`'s debt, its broker's lending
	/// and its financing contracts (`first`'s, then the others in position order).
	pub(crate) fn reduce_principal(
		info: &mut CreditOf<T>,
		principal: Amount,
		first: Option<AssetId>,
	) -> DispatchResult {
		if principal == 0 {
			return Ok(());
		}
		info.debt = info.debt.checked_sub(principal).ok_or(ArithmeticError::Underflow)?;
		Lent::<T>::try_mutate_exists(&info.broker, info.contract.cash, |lent| {
			let left = lent.unwrap_or(0).checked_sub(principal).ok_or(ArithmeticError::Underflow)?;
			*lent = (left > 0).then_some(left);
			Ok::<_, DispatchError>(())
		})?;
		let mut left = principal;
		let first_index = first.and_then(|s| info.positions.iter().position(|p| p.security == s));
		let order = first_index.into_iter().chain((0..info.positions.len()).filter(|i| Some(*i) != first_index));
		for i in order {
			if left == 0 {
				break;
			}
			if let Some(position) = info.positions.get_mut(i) {
				let paid = left.min(position.financing.amount);
				position.financing.amount -= paid;
				left -= paid;
				if position.financing.amount == 0 {
					// Repaid in full: its shares are ordinary collateral from now on.
					position.financing.quantity = 0;
				}
			}
		}
		ensure!(left == 0, ArithmeticError::Underflow);
		Ok(())
	}
}
