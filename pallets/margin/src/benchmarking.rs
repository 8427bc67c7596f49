//! Benchmarks of the margin pallet (FRAME benchmarking v2). `p` is the number of securities
//! the credit account holds: valuing it reads each one's balance, market, conversion rate and
//! financing contract.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	tokens::{
		fungibles::{Inspect, Mutate},
		Fortitude, Precision, Preservation,
	},
	EnsureOrigin, Get,
};
use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
use frame_system::RawOrigin;
use qingsuan_matching_engine::TimeInForce;
use sp_runtime::RuntimeAppPublic;

/// What the runtime provides so the benchmarks can build their world.
pub trait BenchmarkHelper<AccountId, WorkerId> {
	/// A member broker with plenty of its own cash.
	fn broker() -> AccountId;
	/// The cash asset credit accounts use.
	fn cash() -> AssetId;
	/// The `i`th security with an open market priced in [`Self::cash`], created on first use:
	/// `(security, market)`.
	fn security(i: u32) -> (AssetId, u32);
	/// The `i`th investor of `broker`, approved for margin trading and passing every
	/// pre-trade rule.
	fn investor(broker: &AccountId, i: u32) -> AccountId;
	/// Credit `amount` of `asset` to `who`.
	fn fund(who: &AccountId, asset: AssetId, amount: Amount);
	/// Set the chain's clock to a day well after the epoch (interest is charged per day).
	fn set_clock();
	/// Make `worker` one of the authorities whose liquidation steps are accepted.
	fn add_worker(worker: &WorkerId);
}

const LINE: Amount = 1_000_000_000_000_000;
const RATE: u32 = 60_000;
const CASH: Amount = 1_000_000_000_000;
const SHARES: Amount = 1_000_000;
/// Shares owed per security by a short account being liquidated.
const OWED: Amount = 1_000_000_000;
/// A small principal per security: the accounts stay far above every line.
const DEBT: Amount = 100_000;

type Helper<T> = <T as Config>::BenchmarkHelper;

/// A broker with a funded financing pool, and its approved investor.
fn broker_and_owner<T: Config>() -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	Helper::<T>::set_clock();
	let broker = Helper::<T>::broker();
	let owner = Helper::<T>::investor(&broker, 0);
	let cash = Helper::<T>::cash();
	Helper::<T>::fund(&broker, cash, CASH * 10);
	Pallet::<T>::do_fund_pool(&broker, cash, CASH * 5)?;
	Ok((broker, owner))
}

/// A credit account holding `p` collateral securities (and, if `funded`, shares of each and
/// cash), owing `debt` on each security's financing contract. Returns the broker, the account
/// and the securities with their markets.
fn credit<T: Config>(
	p: u32,
	debt: Amount,
	funded: bool,
) -> Result<(T::AccountId, T::AccountId, Vec<(AssetId, u32)>), BenchmarkError> {
	let (broker, owner) = broker_and_owner::<T>()?;
	let cash = Helper::<T>::cash();
	let credit = Pallet::<T>::do_open_credit(&broker, &owner, cash, LINE, (RATE, RATE), T::MaxTermDays::get())?;
	let mut info = Credit::<T>::get(&credit).ok_or(BenchmarkError::Stop("no credit account"))?;
	let mut securities = Vec::new();
	for i in 0..p {
		let (security, market) = Helper::<T>::security(i);
		Pallet::<T>::do_set_conversion(security, Some(Conversion { category: Category::Share, rate: 650_000 }))?;
		if funded {
			Helper::<T>::fund(&credit, security, SHARES);
		}
		let financing = if debt > 0 { Financing { amount: debt, quantity: SHARES } } else { Financing::default() };
		info.positions
			.try_push(Position { financing, ..Position::new(security) })
			.map_err(|_| BenchmarkError::Stop("too many positions"))?;
		Pallet::<T>::watch(market)?;
		securities.push((security, market));
	}
	if funded {
		Helper::<T>::fund(&credit, cash, CASH);
	}
	info.debt = debt * Amount::from(p);
	if info.debt > 0 {
		Lent::<T>::insert(&broker, cash, info.debt);
	}
	Credit::<T>::insert(&credit, info);
	Ok((broker, credit, securities))
}

/// A credit account with `MaxPositions` positions (owing `debt` on each but the last), the last
/// holding nothing, and a collateral security new to it with its market: `(broker, credit,
/// security, market)`. Without debt, making room reads every position's balance.
fn full_credit<T: Config>(debt: Amount) -> Result<(T::AccountId, T::AccountId, AssetId, u32), BenchmarkError> {
	let max = T::MaxPositions::get();
	let (broker, credit, _) = credit::<T>(max - 1, debt, true)?;
	let rate = Some(Conversion { category: Category::Share, rate: 650_000 });
	let (empty, empty_market) = Helper::<T>::security(max - 1);
	Pallet::<T>::do_set_conversion(empty, rate)?;
	Pallet::<T>::watch(empty_market)?;
	Credit::<T>::try_mutate(&credit, |i| {
		let i = i.as_mut().ok_or(BenchmarkError::Stop("no credit"))?;
		let position = Position::new(empty);
		i.positions.try_push(position).map_err(|_| BenchmarkError::Stop("too many positions"))
	})?;
	let (security, market) = Helper::<T>::security(max);
	Pallet::<T>::do_set_conversion(security, rate)?;
	Ok((broker, credit, security, market))
}

/// A credit account of `MaxPositions` securities being liquidated (an instant case), with no
/// cash and far more debt than assets: holding shares of each (`holding`), a sale is due;
/// holding none, a write-off.
fn in_liquidation<T: Config>(holding: bool) -> Result<T::AccountId, BenchmarkError> {
	let p = T::MaxPositions::get();
	let (_, credit, _) = credit::<T>(p, DEBT, holding)?;
	let huge = LINE / Amount::from(p) / 2;
	let broker = Credit::<T>::try_mutate(&credit, |i| {
		let i = i.as_mut().ok_or(BenchmarkError::Stop("no credit"))?;
		for position in i.positions.iter_mut() {
			position.financing.amount = huge;
		}
		i.debt = huge * Amount::from(p);
		Ok::<_, BenchmarkError>(i.broker.clone())
	})?;
	let cash = Helper::<T>::cash();
	if holding {
		T::Ledger::burn_from(cash, &credit, CASH, Preservation::Expendable, Precision::Exact, Fortitude::Force)?;
	}
	Lent::<T>::insert(&broker, cash, huge * Amount::from(p));
	Risk::<T>::insert(&credit, RiskState { case: Some(CaseReason::Instant), ..Default::default() });
	Cases::<T>::insert(&credit, ());
	frame_system::Pallet::<T>::set_block_number(frame_system::Pallet::<T>::block_number() + 1u32.into());
	Ok(credit)
}

/// A credit account of `MaxPositions` securities being liquidated (an instant case), owing
/// `OWED` shares of each to its broker's lending pool (worth far more than any cash) and some
/// interest, holding none of them, with `cash` in it, all of it the last short's proceeds: every
/// position's buy-back is priced, and only the last one's cash may pay for it (with `CASH`, a
/// buy-back of the last is due; with too little for a lot, a write-off).
fn short_in_liquidation<T: Config>(cash: Amount) -> Result<T::AccountId, BenchmarkError> {
	let p = T::MaxPositions::get();
	let (broker, credit, securities) = credit::<T>(p, 0, false)?;
	let cash_asset = Helper::<T>::cash();
	Credit::<T>::try_mutate(&credit, |i| {
		let i = i.as_mut().ok_or(BenchmarkError::Stop("no credit"))?;
		for position in i.positions.iter_mut() {
			position.short = Short { owed: OWED, proceeds: 0, sold: OWED };
		}
		if let Some(last) = i.positions.last_mut() {
			last.short.proceeds = cash;
		}
		i.interest = DEBT;
		Ok::<_, BenchmarkError>(())
	})?;
	for (security, _) in securities {
		Borrowed::<T>::insert(&broker, security, OWED);
	}
	if cash > 0 {
		Helper::<T>::fund(&credit, cash_asset, cash);
	}
	Risk::<T>::insert(&credit, RiskState { case: Some(CaseReason::Instant), ..Default::default() });
	Cases::<T>::insert(&credit, ());
	frame_system::Pallet::<T>::set_block_number(frame_system::Pallet::<T>::block_number() + 1u32.into());
	Ok(credit)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	fn terms<T: Config>(market: u32) -> Result<qingsuan_primitives::orders::MarketTerms, BenchmarkError> {
		T::Orders::terms(market).ok_or(BenchmarkError::Stop("no market"))
	}

	fn limit_at_mark<T: Config>(market: u32) -> Result<(OrderType, u64), BenchmarkError> {
		let terms = terms::<T>(market)?;
		let price = u64::try_from(terms.mark()).map_err(|_| BenchmarkError::Stop("a mark beyond u64"))?;
		let lot = u64::try_from(terms.lot).map_err(|_| BenchmarkError::Stop("a lot beyond u64"))?;
		Ok((OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }, lot))
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let parameters = Parameters { withdrawal: 35_000, ..Default::default() };
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters);
		assert_eq!(MarginParameters::<T>::get(), parameters);
		Ok(())
	}

	#[benchmark]
	fn set_conversion() -> Result<(), BenchmarkError> {
		let (security, _) = Helper::<T>::security(0);
		let conversion = Some(Conversion { category: Category::IndexConstituent, rate: 700_000 });
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, security, conversion);
		assert_eq!(Conversions::<T>::get(security), conversion);
		Ok(())
	}

	#[benchmark]
	fn open_credit() -> Result<(), BenchmarkError> {
		let (broker, owner) = broker_and_owner::<T>()?;
		let cash = Helper::<T>::cash();
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), owner, cash, LINE, RATE, RATE, T::MaxTermDays::get());
		assert_eq!(Credit::<T>::iter().count(), 1);
		Ok(())
	}

	#[benchmark]
	fn renew_credit() -> Result<(), BenchmarkError> {
		let (broker, credit, _) = credit::<T>(0, 0, false)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), 30);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.contract.expires), Some(T::Calendar::today() + 30));
		Ok(())
	}

	#[benchmark]
	fn close_credit(p: Linear<1, { T::MaxPositions::get() }>) -> Result<(), BenchmarkError> {
		let (broker, credit, _) = credit::<T>(p, 0, false)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone());
		assert!(!Credit::<T>::contains_key(&credit));
		Ok(())
	}

	#[benchmark]
	fn fund_pool() -> Result<(), BenchmarkError> {
		let (broker, _) = broker_and_owner::<T>()?;
		let cash = Helper::<T>::cash();
		#[extrinsic_call]
		_(RawOrigin::Signed(broker.clone()), cash, CASH);
		assert_eq!(T::Ledger::balance(cash, &Pallet::<T>::financing_pool(&broker)), CASH * 6);
		Ok(())
	}

	#[benchmark]
	fn withdraw_pool() -> Result<(), BenchmarkError> {
		let (broker, _) = broker_and_owner::<T>()?;
		let cash = Helper::<T>::cash();
		#[extrinsic_call]
		_(RawOrigin::Signed(broker.clone()), cash, CASH);
		assert_eq!(T::Ledger::balance(cash, &Pallet::<T>::financing_pool(&broker)), CASH * 4);
		Ok(())
	}

	/// The worst case for adding a position: the account is full, its last position holds
	/// nothing (it makes room after every other is read), and `security` is new to it.
	#[benchmark]
	fn deposit_collateral() -> Result<(), BenchmarkError> {
		let (broker, credit, security, _) = full_credit::<T>(0)?;
		let owner = Credit::<T>::get(&credit).map(|i| i.owner).ok_or(BenchmarkError::Stop("no credit"))?;
		Helper::<T>::fund(&owner, security, SHARES);
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), security, SHARES);
		assert_eq!(T::Ledger::balance(security, &credit), SHARES);
		Ok(())
	}

	#[benchmark]
	fn withdraw_collateral(p: Linear<1, { T::MaxPositions::get() }>) -> Result<(), BenchmarkError> {
		let (broker, credit, _) = credit::<T>(p, DEBT, true)?;
		let cash = Helper::<T>::cash();
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), cash, 1);
		assert_eq!(T::Ledger::balance(cash, &credit), CASH - 1);
		Ok(())
	}

	/// Valuing a full account (every position read), then making room for a new security.
	#[benchmark]
	fn financed_buy() -> Result<(), BenchmarkError> {
		let (broker, credit, _, market) = full_credit::<T>(DEBT)?;
		let (kind, lot) = limit_at_mark::<T>(market)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), market, lot, kind);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.live_orders), Some(1));
		Ok(())
	}

	/// As `financed_buy`.
	#[benchmark]
	fn collateral_buy() -> Result<(), BenchmarkError> {
		let (broker, credit, _, market) = full_credit::<T>(DEBT)?;
		let (kind, lot) = limit_at_mark::<T>(market)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), market, lot, kind);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.live_orders), Some(1));
		Ok(())
	}

	#[benchmark]
	fn sell() -> Result<(), BenchmarkError> {
		let (broker, credit, securities) = credit::<T>(1, DEBT, true)?;
		let market = securities[0].1;
		let (kind, lot) = limit_at_mark::<T>(market)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), market, lot, kind);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.live_orders), Some(1));
		Ok(())
	}

	/// Valuing a full account, making room for a new security, lending its shares and placing
	/// the sell.
	#[benchmark]
	fn short_sell() -> Result<(), BenchmarkError> {
		let (broker, credit, security, market) = full_credit::<T>(DEBT)?;
		let (kind, lot) = limit_at_mark::<T>(market)?;
		Helper::<T>::fund(&broker, security, SHARES);
		Pallet::<T>::do_fund_lending(&broker, security, SHARES)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), market, lot, kind);
		let info = Credit::<T>::get(&credit).ok_or(BenchmarkError::Stop("no credit"))?;
		assert_eq!((info.live_orders, info.owed(security)), (1, Amount::from(lot)));
		Ok(())
	}

	#[benchmark]
	fn buy_to_return() -> Result<(), BenchmarkError> {
		let (broker, credit, securities) = credit::<T>(1, 0, false)?;
		let (security, market) = securities[0];
		let (kind, lot) = limit_at_mark::<T>(market)?;
		let owed = Amount::from(lot) * 10;
		Credit::<T>::mutate(&credit, |i| {
			if let Some(i) = i {
				i.positions[0].short = Short { owed, proceeds: CASH, sold: CASH };
			}
		});
		Borrowed::<T>::insert(&broker, security, owed);
		Helper::<T>::fund(&credit, Helper::<T>::cash(), CASH);
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), market, lot, kind);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.live_orders), Some(1));
		Ok(())
	}

	#[benchmark]
	fn repay(p: Linear<1, { T::MaxPositions::get() }>) -> Result<(), BenchmarkError> {
		let (broker, credit, _) = credit::<T>(p, DEBT, true)?;
		// Interest for a month, then all of it and the principal, across every contract.
		Credit::<T>::mutate(&credit, |i| {
			if let Some(i) = i {
				i.charged_to = T::Calendar::today().saturating_sub(30);
			}
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), credit.clone(), CASH);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.debt + i.interest), Some(0));
		Ok(())
	}

	#[benchmark]
	fn report_fill() -> Result<(), BenchmarkError> {
		let (_, credit, securities) = credit::<T>(T::MaxPositions::get(), DEBT, true)?;
		let order: OrderId = 7_777_777;
		EntryOrders::<T>::insert(
			order,
			EntryOrderInfo { credit: credit.clone(), security: securities[0].0, purpose: Purpose::Sell },
		);
		Credit::<T>::mutate(&credit, |i| {
			if let Some(i) = i {
				i.live_orders = 1;
				i.positions[0].orders = 1;
				i.charged_to = T::Calendar::today().saturating_sub(30);
			}
		});
		let proceeds = DEBT * Amount::from(T::MaxPositions::get()) * 2;
		#[block]
		{
			<Pallet<T> as OrderReports<T::AccountId>>::on_fill(order, &credit, 100, proceeds, 0)?;
		}
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.debt), Some(0));
		Ok(())
	}

	/// A buy to return's fill: the proceeds spent, the bought shares returned to the pool.
	#[benchmark]
	fn report_return() -> Result<(), BenchmarkError> {
		let credit = short_in_liquidation::<T>(CASH)?;
		let security = Credit::<T>::get(&credit).ok_or(BenchmarkError::Stop("no credit"))?.positions[0].security;
		let order: OrderId = 7_777_777;
		EntryOrders::<T>::insert(
			order,
			EntryOrderInfo { credit: credit.clone(), security, purpose: Purpose::BuyToReturn },
		);
		Credit::<T>::mutate(&credit, |i| {
			if let Some(i) = i {
				i.live_orders = 1;
				i.positions[0].orders = 1;
				i.charged_to = T::Calendar::today().saturating_sub(30);
			}
		});
		// The fill's shares arrived: all that is owed, so the proceeds are released too.
		Helper::<T>::fund(&credit, security, OWED);
		#[block]
		{
			<Pallet<T> as OrderReports<T::AccountId>>::on_fill(order, &credit, 100, DEBT, 0)?;
		}
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.positions[0].short.owed), Some(0));
		Ok(())
	}

	#[benchmark]
	fn report_end() -> Result<(), BenchmarkError> {
		let p = T::MaxPositions::get();
		let (_, credit, securities) = credit::<T>(p, DEBT, true)?;
		let order: OrderId = 7_777_777;
		let lent = DEBT * Amount::from(p);
		let purpose = Purpose::FinancedBuy { lent };
		EntryOrders::<T>::insert(order, EntryOrderInfo { credit: credit.clone(), security: securities[0].0, purpose });
		Credit::<T>::mutate(&credit, |i| {
			if let Some(i) = i {
				i.live_orders = 1;
				i.positions[0].orders = 1;
				i.charged_to = T::Calendar::today().saturating_sub(30);
			}
		});
		#[block]
		{
			<Pallet<T> as OrderReports<T::AccountId>>::on_end(order, &credit, lent)?;
		}
		assert_eq!(Credit::<T>::get(&credit).map(|i| (i.debt, i.live_orders)), Some((0, 0)));
		Ok(())
	}

	/// The risk engine's per-block work with `n` watched markets and no account to value:
	/// each market sampled (its terms read, its mark written) and its highest trigger read.
	#[benchmark]
	fn sample_marks(n: Linear<1, { T::MaxWatchedMarkets::get() }>) -> Result<(), BenchmarkError> {
		Helper::<T>::set_clock();
		for i in 0..n {
			let (_, market) = Helper::<T>::security(i);
			Pallet::<T>::watch(market)?;
		}
		RiskDay::<T>::put(T::Calendar::today());
		let now = Pallet::<T>::block_u32().saturating_add(CHECKPOINT_EVERY);
		#[block]
		{
			Pallet::<T>::risk_upkeep(now - now % CHECKPOINT_EVERY);
		}
		assert_eq!(Watched::<T>::get().len(), n as usize);
		Ok(())
	}

	/// Valuing one account at the close, the heaviest case: `MaxPositions` securities held,
	/// interest to charge, a margin call to open and every filed trigger to replace.
	#[benchmark]
	fn check_account() -> Result<(), BenchmarkError> {
		let p = T::MaxPositions::get();
		let (_, credit, securities) = credit::<T>(p, DEBT, true)?;
		let cash = Helper::<T>::cash();
		// No cash: every security counts, so each files a trigger.
		T::Ledger::burn_from(cash, &credit, CASH, Preservation::Expendable, Precision::Exact, Fortitude::Force)?;
		// Owing so much that the ratio is 120%: below the call line, above the instant line.
		let assets =
			Pallet::<T>::value(&credit, &Credit::<T>::get(&credit).ok_or(BenchmarkError::Stop("no credit"))?).assets;
		let each = assets * 10 / 12 / Amount::from(p);
		let broker = Credit::<T>::try_mutate(&credit, |i| {
			let i = i.as_mut().ok_or(BenchmarkError::Stop("no credit"))?;
			for position in i.positions.iter_mut() {
				position.financing.amount = each;
			}
			i.debt = each * Amount::from(p);
			i.charged_to = T::Calendar::today().saturating_sub(1);
			Ok::<_, BenchmarkError>(i.broker.clone())
		})?;
		Lent::<T>::insert(&broker, cash, each * Amount::from(p));
		let mut risk = RiskState::<T::MaxPositions>::default();
		for &(_, market) in &securities {
			Triggers::<T>::insert((market, risk::descending(1), &credit), ());
			let filed = Filed { market, price: 1, rising: false };
			risk.triggers.try_push(filed).map_err(|_| BenchmarkError::Stop("too many triggers"))?;
		}
		Risk::<T>::insert(&credit, risk);
		#[block]
		{
			Pallet::<T>::check(&credit, true);
		}
		let risk = Risk::<T>::get(&credit).ok_or(BenchmarkError::Stop("no risk record"))?;
		assert_eq!((risk.zone, risk.call.is_some()), (RiskZone::BelowCall, true));
		assert_eq!(risk.triggers.len(), p as usize);
		Ok(())
	}

	#[benchmark]
	fn fund_reserve() -> Result<(), BenchmarkError> {
		let broker = Helper::<T>::broker();
		let cash = Helper::<T>::cash();
		Helper::<T>::fund(&broker, cash, CASH);
		#[extrinsic_call]
		_(RawOrigin::Signed(broker.clone()), cash, CASH);
		assert_eq!(T::Ledger::balance(cash, &Pallet::<T>::risk_reserve(&broker)), CASH);
		Ok(())
	}

	#[benchmark]
	fn withdraw_reserve() -> Result<(), BenchmarkError> {
		let broker = Helper::<T>::broker();
		let cash = Helper::<T>::cash();
		Helper::<T>::fund(&broker, cash, CASH);
		Pallet::<T>::do_fund_reserve(&broker, cash, CASH)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker.clone()), cash, CASH);
		assert_eq!(T::Ledger::balance(cash, &Pallet::<T>::risk_reserve(&broker)), 0);
		Ok(())
	}

	/// A liquidation step that sells: every position valued, the largest found, a market
	/// order placed (into an empty book: the order book's own weight is added separately).
	#[benchmark]
	fn liquidate_sell() -> Result<(), BenchmarkError> {
		let credit = in_liquidation::<T>(true)?;
		#[block]
		{
			Pallet::<T>::do_liquidate(&credit)?;
		}
		assert!(Risk::<T>::get(&credit).is_some_and(|r| r.stepped > 0));
		Ok(())
	}

	/// A liquidation step that buys back: every position valued, the first owed one's market
	/// read and its hold priced, a market order placed (into an empty book: the order book's
	/// own weight is added separately).
	#[benchmark]
	fn liquidate_buy_back() -> Result<(), BenchmarkError> {
		let credit = short_in_liquidation::<T>(CASH)?;
		#[block]
		{
			Pallet::<T>::do_liquidate(&credit)?;
		}
		assert!(Risk::<T>::get(&credit).is_some_and(|r| r.stepped > 0));
		Ok(())
	}

	/// A liquidation step that writes off, the heaviest: every position owes shares its cash
	/// cannot buy back (a little cash, less than a lot); the first is paid into the lending pool
	/// from that cash and the reserve, every other by the reserve (a transfer each), the
	/// interest by the reserve, and the rest recorded.
	#[benchmark]
	fn liquidate_write_off() -> Result<(), BenchmarkError> {
		let credit = short_in_liquidation::<T>(1_000)?;
		let info = Credit::<T>::get(&credit).ok_or(BenchmarkError::Stop("no credit"))?;
		let reserve = Pallet::<T>::risk_reserve(&info.broker);
		// Enough for every position's shares but not the interest: a transfer each, and a record.
		let worth = info.positions.iter().fold(0, |sum: Amount, p| {
			sum + qingsuan_margin_math::value(OWED, Pallet::<T>::mark(p.security, info.contract.cash))
		});
		Helper::<T>::fund(&reserve, info.contract.cash, worth - 1_000);
		#[block]
		{
			Pallet::<T>::do_liquidate(&credit)?;
		}
		let after = Credit::<T>::get(&credit).ok_or(BenchmarkError::Stop("no credit"))?;
		assert!(!after.owes());
		assert!(Uncovered::<T>::get(&info.broker, info.contract.cash) > 0);
		Ok(())
	}

	/// Shares of a security the account owes, deposited: they go back to the lending pool and
	/// release the proceeds.
	#[benchmark]
	fn deposit_return() -> Result<(), BenchmarkError> {
		let (broker, credit, securities) = credit::<T>(T::MaxPositions::get(), 0, true)?;
		let (security, _) = securities[0];
		let cash = Helper::<T>::cash();
		// The first position owes `SHARES`, sold: it holds none of them.
		T::Ledger::burn_from(security, &credit, SHARES, Preservation::Expendable, Precision::Exact, Fortitude::Force)?;
		Credit::<T>::mutate(&credit, |i| {
			if let Some(i) = i {
				i.positions[0].short = Short { owed: SHARES, proceeds: CASH / 2, sold: CASH / 2 };
			}
		});
		Borrowed::<T>::insert(&broker, security, SHARES);
		let owner = Credit::<T>::get(&credit).map(|i| i.owner).ok_or(BenchmarkError::Stop("no credit"))?;
		Helper::<T>::fund(&owner, security, SHARES);
		let _ = cash;
		#[extrinsic_call]
		deposit_collateral(RawOrigin::Signed(broker), credit.clone(), security, SHARES);
		assert_eq!(Credit::<T>::get(&credit).map(|i| i.owed(security)), Some(0));
		Ok(())
	}

	#[benchmark]
	fn fund_lending() -> Result<(), BenchmarkError> {
		let broker = Helper::<T>::broker();
		let (security, _) = Helper::<T>::security(0);
		Helper::<T>::fund(&broker, security, SHARES);
		#[extrinsic_call]
		_(RawOrigin::Signed(broker.clone()), security, SHARES);
		assert_eq!(T::Ledger::balance(security, &Pallet::<T>::lending_pool(&broker)), SHARES);
		Ok(())
	}

	#[benchmark]
	fn withdraw_lending() -> Result<(), BenchmarkError> {
		let broker = Helper::<T>::broker();
		let (security, _) = Helper::<T>::security(0);
		Helper::<T>::fund(&broker, security, SHARES);
		Pallet::<T>::do_fund_lending(&broker, security, SHARES)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker.clone()), security, SHARES);
		assert_eq!(T::Ledger::balance(security, &Pallet::<T>::lending_pool(&broker)), 0);
		Ok(())
	}

	/// Checking a liquidation transaction: the signature and the step it would take.
	#[benchmark]
	fn authorize_liquidation() -> Result<(), BenchmarkError> {
		let credit = in_liquidation::<T>(true)?;
		let worker = T::WorkerId::generate_pair(None);
		Helper::<T>::add_worker(&worker);
		let block = frame_system::Pallet::<T>::block_number();
		let payload = crate::worker::liquidation_payload(&credit, &block);
		let signature = worker.sign(&payload).ok_or(BenchmarkError::Weightless)?;
		let call = Call::<T>::liquidate { credit, block, worker, signature };
		#[block]
		{
			call.authorize(TransactionSource::External).ok_or("liquidation is authorized")?.map_err(|_| "valid")?;
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
