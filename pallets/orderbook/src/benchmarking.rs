//! Benchmarks of the order book (FRAME benchmarking v2).
//!
//! Components: `f` fills (each a real settlement between distinct accounts, except in
//! `place_orders`, whose fills are against one account, and `m`, the accounts behind them in
//! `place_orders_counterparties`), `o` orders resting
//! on the book (what decoding and encoding it costs; spread over as many price levels as
//! possible, the costlier case), `n` items of a batch, `a` accounts a batch's items are for.
//!
//! Every order is for an investor account with a full claims profile, placed by its broker:
//! the costliest kind of account to place for and to trade against (its registry entry, its
//! broker's membership and its claims are read, and every rule evaluated).

use super::*;
use crate::functions::Session;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use qingsuan_matching_engine::{Execution, OrderRequest};
use sp_runtime::{Percent, RuntimeAppPublic};

/// What the runtime provides so the benchmarks can build their world.
pub trait BenchmarkHelper<AccountId, WorkerId> {
	/// Make `who` a member broker.
	fn make_member(who: &AccountId);
	/// Register a trading security `security` and a trading cash asset `cash`.
	fn create_instruments(security: AssetId, cash: AssetId);
	/// Register one more trading security.
	fn create_security(security: AssetId);
	/// Credit `amount` of `asset` to `who`.
	fn fund(who: &AccountId, asset: AssetId, amount: Amount);
	/// Make `worker` one of the keys whose upkeep is accepted, and set the wall clock.
	fn add_worker(worker: &WorkerId);
	/// Open investor account `i` of the member broker `broker`, with a full claims profile that
	/// passes every pre-trade rule.
	fn make_investor(broker: &AccountId, i: u32) -> AccountId;
}

const SECURITY: AssetId = 910_000;
const CASH: AssetId = 910_001;
const REFERENCE: Price = 100_000;
const LOT: Quantity = 100;
/// Prices of filler bids start here and go down one tick each: never crossing an ask.
const FILLER_TOP: Price = 90_000;
/// Asks that will be hit are here and above, one tick apart.
const ASK: Price = 100_000;

fn member<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::BenchmarkHelper::make_member(&who);
	T::BenchmarkHelper::fund(&who, SECURITY, 1_000_000_000);
	T::BenchmarkHelper::fund(&who, CASH, 1_000_000_000_000_000);
	who
}

/// Investor `i` of `broker`, funded as a member is.
fn investor<T: Config>(broker: &T::AccountId, i: u32) -> T::AccountId {
	let who = T::BenchmarkHelper::make_investor(broker, i);
	T::BenchmarkHelper::fund(&who, SECURITY, 1_000_000_000);
	T::BenchmarkHelper::fund(&who, CASH, 1_000_000_000_000_000);
	who
}

/// A member broker `name` and its investor 0.
fn trader<T: Config>(name: &'static str) -> (T::AccountId, T::AccountId) {
	let broker = member::<T>(name, 0);
	let account = investor::<T>(&broker, 0);
	(broker, account)
}

fn order<T: Config>(
	market: MarketId,
	side: Side,
	quantity: Quantity,
	kind: OrderType,
	account: &T::AccountId,
) -> NewOrderOf<T> {
	NewOrder { market, side, quantity, kind, account: Some(account.clone()) }
}

/// The benchmark market (cancel-oldest, so that self-trade prevention never stops a sweep).
fn market<T: Config>() -> Result<MarketId, BenchmarkError> {
	T::BenchmarkHelper::create_instruments(SECURITY, CASH);
	let market = Pallet::<T>::do_create_market(
		SECURITY,
		CASH,
		1,
		LOT,
		REFERENCE,
		Percent::from_percent(50),
		SelfTradePrevention::CancelOldest,
	)?;
	Ok(market)
}

/// The benchmark market and `k - 1` more of other securities against the same cash: a batch
/// whose items are each on another market loads and writes a book per item.
fn markets<T: Config>(k: u32) -> Result<Vec<MarketId>, BenchmarkError> {
	let mut ids = alloc::vec![market::<T>()?];
	for i in 1..k {
		let security = SECURITY + 10 + i;
		T::BenchmarkHelper::create_security(security);
		let stp = SelfTradePrevention::CancelOldest;
		ids.push(Pallet::<T>::do_create_market(security, CASH, 1, LOT, REFERENCE, Percent::from_percent(50), stp)?);
	}
	Ok(ids)
}

/// Rest `o` bids of one lot on the book directly (each at its own price below every ask): they
/// only cost decoding and encoding. They have no order records; nothing here touches them.
fn fill_book<T: Config>(market: MarketId, o: u32) {
	fill_book_at::<T>(market, o, |i| FILLER_TOP - Price::from(i));
}

/// As [`fill_book`], the `i`th bid at `price(i)`.
fn fill_book_at<T: Config>(market: MarketId, o: u32, price: impl Fn(u32) -> Price) {
	let Some(mut stored) = Books::<T>::get(market) else { return };
	let owner: T::AccountId = account("filler", 0, 0);
	let mut out = Execution::default();
	for i in 0..o {
		let id = u64::MAX - u64::from(i);
		let request = OrderRequest { id, owner: owner.clone(), side: Side::Buy, quantity: LOT, kind: limit(price(i)) };
		let _ = stored.0.place(request, 0, 0, &mut out);
	}
	Books::<T>::insert(market, stored);
}

/// `f` asks of one lot from `f` distinct accounts, one tick apart from [`ASK`] up.
fn asks<T: Config>(market: MarketId, f: u32) -> Result<(), BenchmarkError> {
	asks_from::<T>(market, f, f)
}

/// `f` asks of one lot, one tick apart from [`ASK`] up, from `makers` distinct investors, each
/// of its own broker, in turn (or as many more as `MaxOrdersPerBroker` needs): every maker a new
/// investor account under a new broker, the costliest counterparty (its registry entry, its
/// broker's membership and its claims read).
fn asks_from<T: Config>(market: MarketId, f: u32, makers: u32) -> Result<(), BenchmarkError> {
	let makers = makers.max(f.div_ceil(T::MaxOrdersPerBroker::get().max(1))).min(f);
	let makers: Vec<(T::AccountId, T::AccountId)> = (0..makers)
		.map(|i| {
			let broker = member::<T>("maker", i);
			let account = investor::<T>(&broker, 0);
			(broker, account)
		})
		.collect();
	for (i, (broker, maker)) in (0..f).zip(makers.iter().cycle()) {
		place::<T>(broker, order::<T>(market, Side::Sell, LOT, limit(ASK + Price::from(i)), maker))?;
	}
	Ok(())
}

/// A batch of `n` buys, all of which rest: the first buys `f + 1` lots up to the top of the
/// asks (so it fills the `f` asks there are and rests one lot), the others one lot each just
/// under the asks. Fills and resting orders are the benchmark's two independent costs. Item
/// `i` is for `accounts[i % accounts.len()]`.
fn buys<T: Config>(
	market: MarketId,
	n: u32,
	f: u32,
	accounts: &[T::AccountId],
) -> Result<BoundedVec<NewOrderOf<T>, T::MaxBatch>, BenchmarkError> {
	let top = ASK + Price::from(T::MaxFillsPerCall::get());
	let orders: Vec<NewOrderOf<T>> = (0..n as usize)
		.zip(accounts.iter().cycle())
		.map(|(i, account)| match i {
			0 => order::<T>(market, Side::Buy, LOT * (Quantity::from(f) + 1), limit(top), account),
			_ => order::<T>(market, Side::Buy, LOT, limit(ASK - 1), account),
		})
		.collect();
	BoundedVec::try_from(orders).map_err(|_| BenchmarkError::Weightless)
}

fn limit(price: Price) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

/// Place `order` by the broker `who` the way a call would, books written back.
fn place<T: Config>(who: &T::AccountId, order: NewOrderOf<T>) -> Result<OrderId, BenchmarkError> {
	let mut session = Session::<T>::new();
	let id = Pallet::<T>::do_place_order(&mut session, who, order)?;
	session.commit()?;
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_market() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::create_instruments(SECURITY, CASH);
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			SECURITY,
			CASH,
			1,
			LOT,
			REFERENCE,
			Percent::from_percent(10),
			SelfTradePrevention::CancelNewest,
		);
		assert!(MarketOf::<T>::contains_key((SECURITY, CASH)));
		Ok(())
	}

	#[benchmark]
	fn set_market_status() -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, market, MarketStatus::Halted);
		assert_eq!(Markets::<T>::get(market).map(|m| m.status), Some(MarketStatus::Halted));
		Ok(())
	}

	#[benchmark]
	fn set_price_band() -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, market, 50_000, Percent::from_percent(5));
		assert_eq!(Markets::<T>::get(market).map(|m| m.reference_price), Some(50_000));
		Ok(())
	}

	/// A buy that trades with `f` asks and rests the rest, on a book of `o` more orders.
	#[benchmark]
	fn place_order(
		f: Linear<0, { T::MaxFillsPerCall::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxFillsPerCall::get() - 1 }>,
	) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		asks::<T>(market, f)?;
		fill_book::<T>(market, o);
		let (broker, taker) = trader::<T>("taker");
		let top = ASK + Price::from(T::MaxFillsPerCall::get());
		let quantity = LOT * (Quantity::from(f) + 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), market, Side::Buy, quantity, limit(top), Some(taker.clone()));
		assert_eq!(AccountOrders::<T>::iter_prefix(&taker).count(), 1);
		Ok(())
	}

	/// Cancel an order at the back of a level of `o` orders.
	#[benchmark]
	fn cancel_order(o: Linear<0, { T::MaxOrdersPerMarket::get() - 1 }>) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		fill_book_at::<T>(market, o, |_| FILLER_TOP);
		let (broker, who) = trader::<T>("owner");
		let id = place::<T>(&broker, order::<T>(market, Side::Buy, LOT, limit(FILLER_TOP), &who))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), id);
		assert!(!Orders::<T>::contains_key(id));
		Ok(())
	}

	/// Move a resting bid across the spread: it trades with `f` asks.
	#[benchmark]
	fn replace_order(
		f: Linear<0, { T::MaxFillsPerCall::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxFillsPerCall::get() - 2 }>,
	) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		asks::<T>(market, f)?;
		fill_book::<T>(market, o);
		let (broker, who) = trader::<T>("owner");
		let quantity = LOT * (Quantity::from(f) + 1);
		let id = place::<T>(&broker, order::<T>(market, Side::Buy, quantity, limit(ASK - 1), &who))?;
		let top = ASK + Price::from(T::MaxFillsPerCall::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), id, top, quantity);
		assert_eq!(Orders::<T>::get(id).map(|o| o.remaining), Some(LOT));
		Ok(())
	}

	/// A batch of `n` buys, all resting in the end, whose first fills `f` asks of one member
	/// (see `buys`). What further members behind the asks cost is `place_orders_counterparties`.
	#[benchmark]
	fn place_orders(
		n: Linear<1, { T::MaxBatch::get() }>,
		f: Linear<0, { T::MaxFillsPerCall::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxFillsPerCall::get() - T::MaxBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		asks_from::<T>(market, f, 1)?;
		fill_book::<T>(market, o);
		let (broker, taker) = trader::<T>("taker");
		let orders = buys::<T>(market, n, f, core::slice::from_ref(&taker))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), orders);
		assert_eq!(AccountOrders::<T>::iter_prefix(&taker).count() as u32, n);
		assert_eq!(Books::<T>::get(market).map(|b| b.0.best_ask()), Some(None));
		Ok(())
	}

	/// A batch whose order fills every ask the budget allows, the asks of `m` members in turn:
	/// what each further member behind the fills costs (its member check, and its cash and
	/// security records read and written once per call).
	#[benchmark]
	fn place_orders_counterparties(m: Linear<1, { T::MaxFillsPerCall::get() }>) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		let fills = T::MaxFillsPerCall::get();
		asks_from::<T>(market, fills, m)?;
		let (broker, taker) = trader::<T>("taker");
		let orders = buys::<T>(market, 1, fills, core::slice::from_ref(&taker))?;
		#[extrinsic_call]
		place_orders(RawOrigin::Signed(broker), orders);
		assert_eq!(Books::<T>::get(market).map(|b| b.0.best_ask()), Some(None));
		Ok(())
	}

	/// A full batch of resting buys for `a` investors of the broker in turn: what each further
	/// account a batch is for costs (its registry entry and claims read and checked, its cash
	/// record read and written once per call).
	#[benchmark]
	fn place_orders_accounts(a: Linear<1, { T::MaxBatch::get() }>) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		let broker = member::<T>("taker", 0);
		let accounts: Vec<T::AccountId> = (0..a).map(|i| investor::<T>(&broker, i)).collect();
		let orders = buys::<T>(market, T::MaxBatch::get(), 0, &accounts)?;
		#[extrinsic_call]
		place_orders(RawOrigin::Signed(broker), orders);
		assert!(accounts.iter().all(|a| AccountOrders::<T>::iter_prefix(a).next().is_some()));
		Ok(())
	}

	/// Cancel `n` orders of the caller's investors, each on another market and of another
	/// investor (the worst case: a book and an account's records loaded and written per item),
	/// with `o` more orders on the first book.
	#[benchmark]
	fn cancel_orders(
		n: Linear<1, { T::MaxBatch::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let (broker, who, ids) = orders_across_markets::<T>(n, o, true)?;
		let ids = BoundedVec::try_from(ids).map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), ids);
		assert_eq!(AccountOrders::<T>::iter_prefix(&who).count(), 0);
		Ok(())
	}

	/// The consortium cancels `n` orders of an account, each on another market, with `o` more
	/// orders on the first book.
	#[benchmark]
	fn cancel_account_orders(
		n: Linear<1, { T::MaxBatch::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let (_, who, _) = orders_across_markets::<T>(n, o, false)?;
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert_eq!(AccountOrders::<T>::iter_prefix(&who).count(), 0);
		Ok(())
	}

	/// Continue a sweep through `f` asks.
	#[benchmark]
	fn continue_sweep(
		f: Linear<1, { T::MaxFillsPerCall::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - 2 * T::MaxFillsPerCall::get() }>,
	) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		// The first call's budget takes MaxFillsPerCall asks; `f` more remain for the sweep.
		let budget = T::MaxFillsPerCall::get();
		asks::<T>(market, budget + f)?;
		fill_book::<T>(market, o);
		let (broker, taker) = trader::<T>("taker");
		let quantity = LOT * Quantity::from(budget + f);
		let kind = OrderType::Market { protection: ASK + Price::from(2 * budget) };
		place::<T>(&broker, order::<T>(market, Side::Buy, quantity, kind, &taker))?;
		assert!(Sweeps::<T>::contains_key(market));
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), market);
		assert!(!Sweeps::<T>::contains_key(market));
		Ok(())
	}

	/// Expire `n` good-till-date orders on a book of `o` more.
	#[benchmark]
	fn expire_orders(
		n: Linear<1, { T::MaxBatch::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		fill_book::<T>(market, o);
		let now = frame_system::Pallet::<T>::block_number();
		let expiry: u64 = sp_runtime::traits::UniqueSaturatedInto::unique_saturated_into(now);
		let mut ids = Vec::new();
		// Each of another owner: a hold released and an account index entry per item.
		let broker = member::<T>("owner", 0);
		for i in 0..n {
			let who = investor::<T>(&broker, i);
			let kind = OrderType::Limit {
				price: FILLER_TOP + 1 + Price::from(i),
				tif: TimeInForce::Gtd(expiry + 1),
				post_only: false,
			};
			ids.push(place::<T>(&broker, order::<T>(market, Side::Buy, LOT, kind, &who))?);
		}
		frame_system::Pallet::<T>::set_block_number(now + 1u32.into());
		let ids = BoundedVec::try_from(ids).map_err(|_| BenchmarkError::Weightless)?;
		let caller = member::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), market, ids);
		assert_eq!(Orders::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn place_stop_order() -> Result<(), BenchmarkError> {
		let market = market::<T>()?;
		let (broker, who) = trader::<T>("owner");
		#[extrinsic_call]
		_(RawOrigin::Signed(broker), market, Side::Buy, LOT, ASK, limit(ASK), Some(who));
		assert_eq!(Stops::<T>::iter_prefix(market).count(), 1);
		Ok(())
	}

	/// Trigger `n` stop orders: the first trades with `f` asks, the others rest.
	#[benchmark]
	fn trigger_stops(
		n: Linear<1, { T::MaxBatch::get() }>,
		f: Linear<0, { T::MaxFillsPerCall::get() }>,
		o: Linear<0, { T::MaxOrdersPerMarket::get() - T::MaxFillsPerCall::get() - T::MaxBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let ids = triggered_stops::<T>(n, f, o)?;
		let market = MarketOf::<T>::get((SECURITY, CASH)).ok_or(BenchmarkError::Weightless)?;
		let caller = member::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), market, ids);
		assert_eq!(Stops::<T>::iter_prefix(market).count(), 0);
		Ok(())
	}

	/// Check an upkeep transaction triggering `n` stops: the signature and every stop.
	#[benchmark]
	fn authorize_upkeep(n: Linear<1, { T::MaxBatch::get() }>) -> Result<(), BenchmarkError> {
		let ids = triggered_stops::<T>(n, 0, 0)?;
		let market = MarketOf::<T>::get((SECURITY, CASH)).ok_or(BenchmarkError::Weightless)?;
		let worker = T::WorkerId::generate_pair(None);
		T::BenchmarkHelper::add_worker(&worker);
		let work = Upkeep::TriggerStops(ids);
		let block = frame_system::Pallet::<T>::block_number();
		let signature = worker.sign(&upkeep_payload(market, &work, &block)).ok_or(BenchmarkError::Weightless)?;
		let call = Call::<T>::upkeep { market, work, block, worker, signature };
		#[block]
		{
			call.authorize(TransactionSource::External).ok_or("upkeep is authorized")?.map_err(|_| "valid")?;
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// `n` buy stops triggered by a last trade at [`ASK`], the first a stop-limit that trades with
/// `f` asks above it, the others resting below; a book of `o` more orders.
fn triggered_stops<T: Config>(n: u32, f: u32, o: u32) -> Result<BoundedVec<OrderId, T::MaxBatch>, BenchmarkError> {
	let market = market::<T>()?;
	let mut ids = Vec::new();
	// Each of another owner: a hold and a stop count per item.
	let broker = member::<T>("stopper", 0);
	for i in 0..n {
		let owner = investor::<T>(&broker, i);
		let price = if i == 0 { ASK + Price::from(T::MaxFillsPerCall::get()) } else { FILLER_TOP + 1 + Price::from(i) };
		let quantity = if i == 0 { LOT * Quantity::from(f.max(1)) } else { LOT };
		ids.push(Pallet::<T>::do_place_stop_order(
			&broker,
			order::<T>(market, Side::Buy, quantity, limit(price), &owner),
			ASK,
		)?);
	}
	asks::<T>(market, f)?;
	fill_book::<T>(market, o);
	Markets::<T>::mutate(market, |m| {
		if let Some(m) = m {
			m.last_price = Some(ASK);
		}
	});
	BoundedVec::try_from(ids).map_err(|_| BenchmarkError::Weightless)
}

/// `n` resting buys of a broker's investors, each on another market, and `o` more orders on the
/// first book: all of one investor, or (`distinct`) each of another; returns the broker, the
/// (first) investor and the orders.
#[allow(clippy::type_complexity)]
fn orders_across_markets<T: Config>(
	n: u32,
	o: u32,
	distinct: bool,
) -> Result<(T::AccountId, T::AccountId, Vec<OrderId>), BenchmarkError> {
	let markets = markets::<T>(n)?;
	fill_book::<T>(markets[0], o);
	let (broker, first) = trader::<T>("owner");
	let mut ids = Vec::new();
	for (i, &market) in markets.iter().enumerate() {
		let who = if distinct && i > 0 { investor::<T>(&broker, i as u32) } else { first.clone() };
		ids.push(place::<T>(&broker, order::<T>(market, Side::Buy, LOT, limit(FILLER_TOP + 1), &who))?);
	}
	Ok((broker, first, ids))
}
