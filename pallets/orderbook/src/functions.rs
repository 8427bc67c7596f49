//! The order book's logic, behind its thin dispatchables.

use crate::WeightInfo;
use crate::{
	AccountOrders, Books, CancelReason, Config, Error, Event, HoldReason, MarketId, MarketInfo, MarketOf, MarketStatus,
	Markets, NewOrderOf, NextMarketId, NextOrderId, OrderId, OrderInfoOf, OrderReports, Orders, Pallet, RestingCount,
	StopCount, Stops, StoredBook, Sweeps,
};
use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use frame_support::{
	dispatch::DispatchResultWithPostInfo,
	ensure,
	pallet_prelude::Get,
	traits::tokens::{fungibles::MutateHold, Precision},
	weights::Weight,
};
use qingsuan_matching_engine::{
	self as engine, Book, Execution, Fill, MarketRules, Moment, OrderRequest, OrderType, Outcome, Price, Quantity,
	Reject, Removal, RemovalReason, SelfTradePrevention, Side,
};
use qingsuan_primitives::{
	investors::{InvestorRegistry, OpenOrders, OrdersEnd},
	market::{
		Amount, AssetClass, AssetId, BatchLedger, InstrumentInspect, InstrumentStatus, OrderIntent, PreTradeCheck,
		PriceLimits, SettleTrade, TradeSpec,
	},
	Role, RoleInspect,
};
use sp_runtime::{traits::UniqueSaturatedInto, ArithmeticError, DispatchError, Percent};

/// The books one call works on, loaded once and written back at its end, and the call's
/// matching budget.
pub struct Session<T: Config> {
	books: BTreeMap<MarketId, Book<T::AccountId>>,
	steps: u32,
	loaded: u32,
	/// The placements made on the books, in order, so that a batch can take back those of an
	/// item that fails.
	journal: Vec<(MarketId, Execution<T::AccountId>)>,
	/// The owners of the resting orders matching filled or removed: each one's records are
	/// loaded, changed and written once per call, whatever number of its orders traded.
	counterparties: BTreeSet<T::AccountId>,
	/// What the pre-trade checks loaded for this call's accounts and securities.
	checks: PreTradeCache<T>,
	/// Reports made to `Config::Reports` (fills and ends of orders placed through the
	/// order-entry API).
	reports: u32,
}

type CheckOf<T> = <T as Config>::PreTrade;
type CheckedAccount<T> = <CheckOf<T> as PreTradeCheck<<T as frame_system::Config>::AccountId>>::Account;
type CheckedInstrument<T> = <CheckOf<T> as PreTradeCheck<<T as frame_system::Config>::AccountId>>::Instrument;

/// What the pre-trade checks loaded, per account and per security: read once per call however
/// many of the call's orders need it.
pub struct PreTradeCache<T: Config> {
	accounts: BTreeMap<T::AccountId, CheckedAccount<T>>,
	instruments: BTreeMap<AssetId, CheckedInstrument<T>>,
	/// Whether each order owner met may trade at all: a member broker, or an investor of one
	/// that no regulator froze.
	owners: BTreeMap<T::AccountId, bool>,
}

impl<T: Config> PreTradeCache<T> {
	/// An empty cache.
	pub fn new() -> Self {
		PreTradeCache { accounts: BTreeMap::new(), instruments: BTreeMap::new(), owners: BTreeMap::new() }
	}

	/// What the checks loaded for `who` and `security`, loaded on first use.
	fn load(&mut self, who: &T::AccountId, security: AssetId) -> (&CheckedAccount<T>, &CheckedInstrument<T>) {
		let account = self.accounts.entry(who.clone()).or_insert_with(|| CheckOf::<T>::account(who));
		let instrument = self.instruments.entry(security).or_insert_with(|| CheckOf::<T>::instrument(security));
		(account, instrument)
	}

	/// Run the pre-trade checks on `order`.
	pub fn check(&mut self, order: &OrderIntent<T::AccountId>) -> Result<(), DispatchError> {
		let (account, instrument) = self.load(&order.who, order.security);
		CheckOf::<T>::check(account, instrument, order)
	}

	/// Whether an order of `owner` on `side` of `security` may still trade: its owner may trade
	/// at all, and the pre-trade rules still let it.
	pub fn may_keep(&mut self, owner: &T::AccountId, security: AssetId, side: Side) -> bool {
		let eligible = *self.owners.entry(owner.clone()).or_insert_with(|| Pallet::<T>::may_trade(owner));
		eligible && {
			let (account, instrument) = self.load(owner, security);
			CheckOf::<T>::may_keep(account, instrument, side)
		}
	}
}

impl<T: Config> Default for PreTradeCache<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config> Session<T> {
	/// A session with the whole budget of a call.
	pub fn new() -> Self {
		Session {
			books: BTreeMap::new(),
			steps: 0,
			loaded: 0,
			journal: Vec::new(),
			counterparties: BTreeSet::new(),
			checks: PreTradeCache::new(),
			reports: 0,
		}
	}

	/// How many distinct accounts owned the resting orders that matching filled or removed
	/// (those of an item a batch took back included: their records were read).
	pub fn counterparties(&self) -> u32 {
		self.counterparties.len() as u32
	}

	/// Reports made to `Config::Reports` so far.
	pub fn reports(&self) -> u32 {
		self.reports
	}

	/// Matching steps used so far.
	pub fn steps_used(&self) -> u32 {
		self.steps
	}

	/// Resting orders in the books loaded so far, counted when loaded: what decoding and
	/// encoding them costs.
	pub fn book_orders(&self) -> u32 {
		self.loaded
	}

	fn budget_left(&self) -> u32 {
		T::MaxFillsPerCall::get().saturating_sub(self.steps)
	}

	/// `market`'s book, loaded from storage on first use.
	fn book(&mut self, market: MarketId) -> Result<&mut Book<T::AccountId>, DispatchError> {
		if !self.books.contains_key(&market) {
			let book = Books::<T>::get(market).ok_or(Error::<T>::UnknownMarket)?.0;
			self.loaded = self.loaded.saturating_add(book.len() as u32);
			self.books.insert(market, book);
		}
		self.books.get_mut(&market).ok_or_else(|| Error::<T>::UnknownMarket.into())
	}

	/// `market`'s book, loaded on first use, with the call's pre-trade cache beside it.
	fn book_and_checks(
		&mut self,
		market: MarketId,
	) -> Result<(&mut Book<T::AccountId>, &mut PreTradeCache<T>), DispatchError> {
		self.book(market)?;
		let book = self.books.get_mut(&market).ok_or(Error::<T>::UnknownMarket)?;
		Ok((book, &mut self.checks))
	}

	/// Take back, newest first, the placements journalled since the journal had `mark` entries.
	fn undo_since(&mut self, mark: usize) {
		while self.journal.len() > mark {
			let Some((market, exec)) = self.journal.pop() else { break };
			if let Some(book) = self.books.get_mut(&market) {
				book.undo_place(&exec);
			}
		}
	}

	/// Write the books back.
	pub fn commit(&mut self) -> Result<(), DispatchError> {
		for (market, book) in core::mem::take(&mut self.books) {
			Books::<T>::insert(market, StoredBook::new(book));
		}
		Ok(())
	}
}

/// How many distinct values `items` yields.
fn distinct<V: Ord>(items: impl Iterator<Item = V>) -> u32 {
	let mut values: Vec<V> = items.collect();
	values.sort_unstable();
	values.dedup();
	values.len() as u32
}

/// The engine's refusal as this pallet's error.
fn reject<T: Config>(r: Reject) -> DispatchError {
	match r {
		Reject::ZeroQuantity => Error::<T>::ZeroQuantity,
		Reject::NotLotMultiple => Error::<T>::NotLotMultiple,
		Reject::ZeroPrice => Error::<T>::ZeroPrice,
		Reject::NotTickMultiple => Error::<T>::NotTickMultiple,
		Reject::DuplicateOrderId => Error::<T>::UnknownOrder,
		Reject::PostOnlyNotResting => Error::<T>::PostOnlyNotResting,
		Reject::AlreadyExpired => Error::<T>::AlreadyExpired,
		Reject::PostOnlyWouldTrade => Error::<T>::PostOnlyWouldTrade,
		Reject::UnknownOrder => Error::<T>::UnknownOrder,
		Reject::NotAReduction => Error::<T>::NotAReduction,
		Reject::NotExpired => Error::<T>::NotExpired,
	}
	.into()
}

fn engine_reason(reason: engine::CancelReason) -> CancelReason {
	match reason {
		engine::CancelReason::NoLiquidity => CancelReason::NoLiquidity,
		engine::CancelReason::FillOrKill => CancelReason::FillOrKill,
		engine::CancelReason::SelfTrade => CancelReason::SelfTrade,
	}
}

impl<T: Config> Pallet<T> {
	/// Run `f` on a fresh session, as one ledger batch (each balance record read and written
	/// once), write its books back, and report the weight `weight` gives for the work it did.
	pub(crate) fn with_session(
		f: impl FnOnce(&mut Session<T>) -> Result<(), DispatchError>,
		weight: impl FnOnce(&Session<T>) -> Weight,
	) -> DispatchResultWithPostInfo {
		let mut session = Session::<T>::new();
		let result = T::Ledger::in_batch(|| f(&mut session).and_then(|()| session.commit()));
		let weight = weight(&session).saturating_add(Self::reports_weight(session.reports()));
		result
			.map(|()| Some(weight).into())
			.map_err(|error| sp_runtime::DispatchErrorWithPostInfo { post_info: Some(weight).into(), error })
	}

	/// Whether `who` may trade at all: a member broker, or an investor of one that no regulator
	/// froze. Matching removes the resting orders of anyone else.
	pub(crate) fn may_trade(who: &T::AccountId) -> bool {
		T::Members::has_role(who, Role::MemberBroker)
			|| T::Investors::standing(who)
				.is_some_and(|s| !s.frozen && T::Members::has_role(&s.broker, Role::MemberBroker))
	}

	/// The account an order of the broker `who` is for: `account` if it is one of `who`'s
	/// investors and not frozen, or `who` itself. A credit account's orders come only through
	/// the order-entry API (`entry`), from the margin pallet.
	fn order_owner(
		who: &T::AccountId,
		account: Option<&T::AccountId>,
		entry: bool,
	) -> Result<T::AccountId, DispatchError> {
		match account {
			None => Ok(who.clone()),
			Some(a) if a == who => Ok(who.clone()),
			Some(a) => {
				let standing = T::Investors::standing(a).ok_or(Error::<T>::NotYourAccount)?;
				ensure!(&standing.broker == who, Error::<T>::NotYourAccount);
				ensure!(!standing.frozen, Error::<T>::AccountFrozen);
				ensure!(entry || standing.credit_of.is_none(), Error::<T>::CreditAccount);
				Ok(a.clone())
			},
		}
	}

	/// The block number, as the engine's clock.
	pub(crate) fn now() -> Moment {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// Open a market.
	pub fn do_create_market(
		security: AssetId,
		cash: AssetId,
		tick: Price,
		lot: Quantity,
		reference_price: Price,
		band: Percent,
		stp: SelfTradePrevention,
	) -> Result<MarketId, DispatchError> {
		ensure!(tick > 0 && lot > 0, Error::<T>::InvalidMarketRules);
		ensure!(reference_price > 0 && reference_price.is_multiple_of(tick), Error::<T>::InvalidMarketRules);
		let trading =
			|asset, class| T::Instruments::class_and_status(asset) == Some((class, InstrumentStatus::Trading));
		ensure!(
			trading(security, AssetClass::Security) && trading(cash, AssetClass::Cash),
			Error::<T>::InvalidInstruments
		);
		ensure!(!MarketOf::<T>::contains_key((security, cash)), Error::<T>::MarketExists);
		let market = NextMarketId::<T>::get();
		NextMarketId::<T>::put(market.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		Markets::<T>::insert(
			market,
			MarketInfo {
				security,
				cash,
				tick,
				lot,
				reference_price,
				band,
				status: MarketStatus::Open,
				stp,
				last_price: None,
			},
		);
		MarketOf::<T>::insert((security, cash), market);
		Books::<T>::insert(market, StoredBook::new(Book::new(MarketRules { tick, lot, stp })));
		Self::deposit_event(Event::MarketCreated { market, security, cash, tick, lot });
		Self::deposit_event(Event::PriceBandSet { market, reference_price, band });
		Ok(market)
	}

	/// Halt, reopen or close a market.
	pub fn do_set_market_status(market: MarketId, status: MarketStatus) -> Result<(), DispatchError> {
		Markets::<T>::try_mutate(market, |m| {
			let m = m.as_mut().ok_or(Error::<T>::UnknownMarket)?;
			ensure!(m.status != MarketStatus::Closed, Error::<T>::MarketClosed);
			m.status = status;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::MarketStatusChanged { market, status });
		Ok(())
	}

	/// Set a market's price band.
	pub fn do_set_price_band(market: MarketId, reference_price: Price, band: Percent) -> Result<(), DispatchError> {
		Markets::<T>::try_mutate(market, |m| {
			let m = m.as_mut().ok_or(Error::<T>::UnknownMarket)?;
			ensure!(reference_price > 0 && reference_price.is_multiple_of(m.tick), Error::<T>::InvalidMarketRules);
			m.reference_price = reference_price;
			m.band = band;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::PriceBandSet { market, reference_price, band });
		Ok(())
	}

	fn open_market(market: MarketId) -> Result<MarketInfo, DispatchError> {
		let info = Markets::<T>::get(market).ok_or(Error::<T>::UnknownMarket)?;
		ensure!(info.status == MarketStatus::Open, Error::<T>::MarketNotOpen);
		Ok(info)
	}

	/// Run the pre-trade checks on an order of `who` in `market_id`.
	fn pre_trade(
		checks: &mut PreTradeCache<T>,
		who: &T::AccountId,
		market_id: MarketId,
		market: &MarketInfo,
		side: Side,
		quantity: Quantity,
		price: Price,
	) -> Result<(), DispatchError> {
		checks.check(&OrderIntent {
			who: who.clone(),
			market: market_id,
			security: market.security,
			cash: market.cash,
			side,
			quantity: Amount::from(quantity),
			price: Amount::from(price),
		})
	}

	/// What an order of `quantity` at `limit` must hold: shares for a sell; for a buy, its cash
	/// at the limit with fees, plus one fen per lot and one more, which covers each fill's fee
	/// being rounded up separately.
	pub fn required_hold(
		market: &MarketInfo,
		side: Side,
		quantity: Quantity,
		limit: Price,
	) -> Result<Amount, DispatchError> {
		match side {
			Side::Sell => Ok(Amount::from(quantity)),
			Side::Buy => {
				let cost = T::Settlement::buyer_cost(Amount::from(quantity), Amount::from(limit))?;
				let rounding = Amount::from(quantity / market.lot).saturating_add(1);
				Ok(cost.checked_add(rounding).ok_or(ArithmeticError::Overflow)?)
			},
		}
	}

	fn held_asset(market: &MarketInfo, side: Side) -> AssetId {
		match side {
			Side::Buy => market.cash,
			Side::Sell => market.security,
		}
	}

	/// Hold `amount` more (or release `amount`) of what `side` orders hold, for `who`.
	fn hold(market: &MarketInfo, side: Side, who: &T::AccountId, amount: Amount) -> Result<(), DispatchError> {
		if amount == 0 {
			return Ok(());
		}
		T::Ledger::hold(Self::held_asset(market, side), &HoldReason::OpenOrder.into(), who, amount).map_err(|_| {
			match side {
				Side::Buy => Error::<T>::InsufficientFunds,
				Side::Sell => Error::<T>::InsufficientSecurities,
			}
			.into()
		})
	}

	fn release(market: &MarketInfo, side: Side, who: &T::AccountId, amount: Amount) -> Result<(), DispatchError> {
		if amount == 0 {
			return Ok(());
		}
		T::Ledger::release(Self::held_asset(market, side), &HoldReason::OpenOrder.into(), who, amount, Precision::Exact)
			.map(|_| ())
	}

	/// Take a live order out of storage and release what it holds; `resting`: it was on its
	/// market's book. Returns how many reports it made (its end's, if it is reported).
	fn retire(market: &MarketInfo, id: OrderId, order: &OrderInfoOf<T>, resting: bool) -> Result<u32, DispatchError> {
		Self::release(market, order.side, &order.owner, order.held)?;
		Self::forget(id, order, resting);
		Self::report_end(id, order)
	}

	/// Tell `Config::Reports` that the reported order `id` ended, once its hold is released;
	/// returns how many reports that made.
	fn report_end(id: OrderId, order: &OrderInfoOf<T>) -> Result<u32, DispatchError> {
		if !order.reported {
			return Ok(0);
		}
		T::Reports::on_end(id, &order.owner, order.held)?;
		Ok(1)
	}

	/// The weight of `n` reports to `Config::Reports`.
	pub fn reports_weight(n: u32) -> Weight {
		T::Reports::report_weight().saturating_mul(n.into())
	}

	/// The most reports a call with `steps` matching steps and `ends` other orders ended (a
	/// sweep it advances, orders it cancels) may make: per step a fill of the taker and of the
	/// maker and the maker's end; the taker's end.
	pub fn max_reports(steps: u32, ends: u32) -> u32 {
		steps.saturating_mul(3).saturating_add(ends).saturating_add(1)
	}

	/// The member broker whose share of each book an owner's resting orders count against: its
	/// broker if it is an investor account, else itself.
	pub(crate) fn share_holder(owner: &T::AccountId) -> T::AccountId {
		T::Investors::acting_broker(owner)
	}

	/// Count one more order of `owner` resting on `market`'s book, within its broker's share.
	fn add_resting(market: MarketId, owner: &T::AccountId) -> Result<(), DispatchError> {
		RestingCount::<T>::try_mutate(market, Self::share_holder(owner), |n| {
			ensure!(*n < T::MaxOrdersPerBroker::get(), Error::<T>::TooManyOrders);
			*n = n.saturating_add(1);
			Ok(())
		})
	}

	/// Count one order of `owner` fewer resting on `market`'s book.
	fn remove_resting(market: MarketId, owner: &T::AccountId) {
		RestingCount::<T>::mutate_exists(market, Self::share_holder(owner), |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}

	/// Remove a live order's records; `resting`: it was on its market's book.
	fn forget(id: OrderId, order: &OrderInfoOf<T>, resting: bool) {
		if resting {
			Self::remove_resting(order.market, &order.owner);
		}
		Orders::<T>::remove(id);
		AccountOrders::<T>::remove(&order.owner, id);
		if Sweeps::<T>::get(order.market) == Some(id) {
			Sweeps::<T>::remove(order.market);
		}
		if order.stop.is_some() {
			Self::unlist_stop(order.market, id, &order.owner);
		}
	}

	/// Take a stop order off its market's list of stops waiting for their trigger.
	fn unlist_stop(market: MarketId, id: OrderId, owner: &T::AccountId) {
		Stops::<T>::remove(market, id);
		StopCount::<T>::mutate_exists(market, owner, |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}

	/// Place one order of the broker `who`, for itself or one of its investors.
	pub fn do_place_order(
		session: &mut Session<T>,
		who: &T::AccountId,
		order: NewOrderOf<T>,
	) -> Result<OrderId, DispatchError> {
		Self::place_new(session, who, order, false)
	}

	/// Place one order of the broker `who` through the order-entry API: reported.
	pub(crate) fn place_entry(
		session: &mut Session<T>,
		who: &T::AccountId,
		order: NewOrderOf<T>,
	) -> Result<OrderId, DispatchError> {
		Self::place_new(session, who, order, true)
	}

	/// Place one order of the broker `who`; `entry`: through the order-entry API, reported.
	fn place_new(
		session: &mut Session<T>,
		who: &T::AccountId,
		order: NewOrderOf<T>,
		entry: bool,
	) -> Result<OrderId, DispatchError> {
		let owner = Self::order_owner(who, order.account.as_ref(), entry)?;
		let who = &owner;
		let market = Self::open_market(order.market)?;
		Self::advance_sweep(session, order.market, &market)?;
		ensure!(!Sweeps::<T>::contains_key(order.market), Error::<T>::SweepInProgress);
		let now = Self::now();
		let id = NextOrderId::<T>::get();
		let request =
			OrderRequest { id, owner: who.clone(), side: order.side, quantity: order.quantity, kind: order.kind };
		let book = session.book(order.market)?;
		book.validate(&request, now).map_err(reject::<T>)?;
		let limit = order.kind.limit_price();
		ensure!(market.in_band(limit), Error::<T>::PriceOutsideBand);
		if order.kind.rests() && !book.would_cross(order.side, limit) {
			ensure!(book.len() < T::MaxOrdersPerMarket::get() as usize, Error::<T>::BookFull);
		}
		Self::pre_trade(&mut session.checks, who, order.market, &market, order.side, order.quantity, limit)?;
		NextOrderId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		let held = Self::required_hold(&market, order.side, order.quantity, limit)?;
		Self::hold(&market, order.side, who, held)?;
		Self::deposit_event(Event::OrderPlaced {
			order_id: id,
			market: order.market,
			who: who.clone(),
			side: order.side,
			quantity: order.quantity,
			kind: order.kind,
			stop: None,
		});
		let taker = OrderInfoOf::<T> {
			market: order.market,
			owner: who.clone(),
			side: order.side,
			kind: order.kind,
			quantity: order.quantity,
			remaining: order.quantity,
			held,
			placed_at: frame_system::Pallet::<T>::block_number(),
			stop: None,
			fee_rate: T::Settlement::buyer_fee_rate(),
			reported: entry,
		};
		let budget = session.budget_left();
		Self::execute(session, &market, id, taker, false, |book, exec, tradable| {
			book.place_filtered(request, now, budget, tradable, exec)
		})?;
		Ok(id)
	}

	/// Run `op` on the taker's market book, then settle and record what it did.
	fn execute(
		session: &mut Session<T>,
		market: &MarketInfo,
		id: OrderId,
		mut taker: OrderInfoOf<T>,
		stored: bool,
		op: impl FnOnce(
			&mut Book<T::AccountId>,
			&mut Execution<T::AccountId>,
			&dyn Fn(&T::AccountId) -> bool,
		) -> Result<(), Reject>,
	) -> Result<(), DispatchError> {
		let market_id = taker.market;
		let mut exec = Execution::default();
		let (book, checks) = session.book_and_checks(market_id)?;
		// A replace moves an order already on the book; a sweep or a triggered stop is not on it.
		let was_resting = stored && book.contains(id);
		// The resting orders it meets are on the other side; each owner is checked once per call.
		let checks = core::cell::RefCell::new(checks);
		let (security, resting_side) = (market.security, taker.side.opposite());
		let tradable = |owner: &T::AccountId| checks.borrow_mut().may_keep(owner, security, resting_side);
		op(book, &mut exec, &tradable).map_err(reject::<T>)?;
		let book_len = book.len();
		session.steps = session.steps.saturating_add((exec.fills.len() + exec.removals.len()) as u32);
		for owner in exec.fills.iter().map(|f| &f.maker_owner).chain(exec.removals.iter().map(|r| &r.order.owner)) {
			if !session.counterparties.contains(owner) {
				session.counterparties.insert(owner.clone());
			}
		}
		// Journalled before anything else can fail, so that a batch can take it back.
		session.journal.push((market_id, exec));
		let Some((_, exec)) = session.journal.last() else { return Err(Error::<T>::UnknownMarket.into()) };

		let mut reports = 0u32;
		for removal in &exec.removals {
			reports = reports.saturating_add(Self::remove_maker(market, removal)?);
		}
		let mut last_price = None;
		for fill in &exec.fills {
			reports = reports.saturating_add(Self::settle_fill(market, id, &mut taker, fill)?);
			last_price = Some(fill.price);
		}
		if last_price.is_some() {
			Markets::<T>::mutate(market_id, |m| {
				if let Some(m) = m {
					m.last_price = last_price;
				}
			});
		}
		// A new order has no records yet: it only has its hold to release.
		let done = |taker: &OrderInfoOf<T>| {
			Self::release(market, taker.side, &taker.owner, taker.held)?;
			if stored {
				Self::forget(id, taker, was_resting);
			}
			Self::report_end(id, taker)
		};
		match exec.outcome {
			Outcome::Filled => reports = reports.saturating_add(done(&taker)?),
			Outcome::Cancelled(remaining, reason) => {
				reports = reports.saturating_add(done(&taker)?);
				Self::deposit_event(Event::OrderCancelled {
					order_id: id,
					who: taker.owner.clone(),
					remaining,
					reason: engine_reason(reason),
				});
			},
			Outcome::Resting(remaining) => {
				ensure!(book_len <= T::MaxOrdersPerMarket::get() as usize, Error::<T>::BookFull);
				// Its broker's share of the book, counted when it comes to rest.
				if !was_resting {
					Self::add_resting(market_id, &taker.owner)?;
				}
				taker.remaining = remaining;
				if Sweeps::<T>::get(market_id) == Some(id) {
					Sweeps::<T>::remove(market_id);
				}
				AccountOrders::<T>::insert(&taker.owner, id, ());
				Orders::<T>::insert(id, taker);
				Self::deposit_event(Event::OrderRested { order_id: id, remaining });
			},
			Outcome::Suspended(remaining) => {
				if was_resting {
					Self::remove_resting(market_id, &taker.owner);
				}
				taker.remaining = remaining;
				AccountOrders::<T>::insert(&taker.owner, id, ());
				Orders::<T>::insert(id, taker);
				Sweeps::<T>::insert(market_id, id);
				Self::deposit_event(Event::SweepPending { market: market_id, order_id: id, remaining });
			},
		}
		session.reports = session.reports.saturating_add(reports);
		Ok(())
	}

	/// A resting order the engine removed while matching: release it. Returns the reports made.
	fn remove_maker(market: &MarketInfo, removal: &Removal<T::AccountId>) -> Result<u32, DispatchError> {
		let id = removal.order.id;
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		let reports = Self::retire(market, id, &order, true)?;
		let (who, remaining) = (order.owner, removal.order.remaining);
		Self::deposit_event(match removal.reason {
			RemovalReason::Expired => Event::OrderExpired { order_id: id, who, remaining },
			RemovalReason::SelfTrade => {
				Event::OrderCancelled { order_id: id, who, remaining, reason: CancelReason::SelfTrade }
			},
			RemovalReason::Ineligible => {
				Event::OrderCancelled { order_id: id, who, remaining, reason: CancelReason::OwnerIneligible }
			},
		});
		Ok(reports)
	}

	/// Settle one fill between the taker and a resting order. Returns the reports made.
	fn settle_fill(
		market: &MarketInfo,
		taker_id: OrderId,
		taker: &mut OrderInfoOf<T>,
		fill: &Fill<T::AccountId>,
	) -> Result<u32, DispatchError> {
		let mut maker = Orders::<T>::get(fill.maker).ok_or(Error::<T>::UnknownOrder)?;
		let (buyer, seller, buyer_fee_cap) = match taker.side {
			Side::Buy => (taker.owner.clone(), maker.owner.clone(), taker.fee_rate),
			Side::Sell => (maker.owner.clone(), taker.owner.clone(), maker.fee_rate),
		};
		let outcome = T::Settlement::settle_trade(TradeSpec {
			buyer,
			seller,
			security: market.security,
			cash: market.cash,
			quantity: Amount::from(fill.quantity),
			price: Amount::from(fill.price),
			buyer_hold: HoldReason::OpenOrder.into(),
			seller_hold: HoldReason::OpenOrder.into(),
			buyer_fee_cap: Some(buyer_fee_cap),
		})?;
		let paid = outcome.cash_amount.saturating_add(outcome.buyer_fee);
		let delivered = Amount::from(fill.quantity);
		let (taker_used, maker_used) = match taker.side {
			Side::Buy => (paid, delivered),
			Side::Sell => (delivered, paid),
		};
		taker.held = taker.held.checked_sub(taker_used).ok_or(Error::<T>::HoldShortfall)?;
		taker.remaining = taker.remaining.saturating_sub(fill.quantity);
		maker.held = maker.held.checked_sub(maker_used).ok_or(Error::<T>::HoldShortfall)?;
		maker.remaining = fill.maker_remaining;
		let (taker_fee, maker_fee) = match taker.side {
			Side::Buy => (outcome.buyer_fee, outcome.seller_fee),
			Side::Sell => (outcome.seller_fee, outcome.buyer_fee),
		};
		let mut reports = 0u32;
		for (id, order, fee) in [(taker_id, &*taker, taker_fee), (fill.maker, &maker, maker_fee)] {
			if order.reported {
				T::Reports::on_fill(id, &order.owner, fill.quantity, outcome.cash_amount, fee)?;
				reports += 1;
			}
		}
		if maker.remaining == 0 {
			reports += Self::retire(market, fill.maker, &maker, true)?;
		} else {
			Orders::<T>::insert(fill.maker, &maker);
		}
		Self::deposit_event(Event::OrderFilled {
			market: taker.market,
			maker_order: fill.maker,
			taker_order: taker_id,
			maker: maker.owner,
			taker: taker.owner.clone(),
			taker_side: taker.side,
			price: fill.price,
			quantity: fill.quantity,
			settlement: outcome.id,
		});
		Ok(reports)
	}

	/// Go on with `market`'s sweep, if it has one, within the session's budget.
	fn advance_sweep(session: &mut Session<T>, market_id: MarketId, market: &MarketInfo) -> Result<(), DispatchError> {
		let Some(id) = Sweeps::<T>::get(market_id) else { return Ok(()) };
		if session.budget_left() == 0 {
			return Ok(());
		}
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		let now = Self::now();
		let request = OrderRequest {
			id,
			owner: order.owner.clone(),
			side: order.side,
			quantity: order.remaining,
			kind: order.kind,
		};
		if order.kind.expiry().is_some_and(|expiry| expiry <= now) {
			// Its date passed while it waited: it ends here.
			session.reports += Self::retire(market, id, &order, false)?;
			Self::deposit_event(Event::OrderExpired { order_id: id, who: order.owner, remaining: order.remaining });
			return Ok(());
		}
		Self::place_or_cancel(session, market, id, order, request, now)
	}

	/// Place a stored order that is due (a sweep going on, a triggered stop) in its own storage
	/// layer, with its placements on the in-memory book journalled. If it cannot be placed (its
	/// owner is no longer a member, a full book, a settlement that fails, ...) it is cancelled
	/// instead of failing the call: one such order never blocks its market or the other stops.
	fn place_or_cancel(
		session: &mut Session<T>,
		market: &MarketInfo,
		id: OrderId,
		order: OrderInfoOf<T>,
		request: OrderRequest<T::AccountId>,
		now: Moment,
	) -> Result<(), DispatchError> {
		let reason = if session.checks.may_keep(&order.owner, market.security, order.side) {
			let budget = session.budget_left();
			let mark = session.journal.len();
			let placed = T::Ledger::atomically(|| {
				Self::execute(session, market, id, order.clone(), true, |book, exec, tradable| {
					book.place_filtered(request, now, budget, tradable, exec)
				})
			});
			match placed {
				Ok(()) => return Ok(()),
				Err(error) => {
					session.undo_since(mark);
					CancelReason::PlacementFailed(error)
				},
			}
		} else {
			CancelReason::OwnerIneligible
		};
		session.reports += Self::retire(market, id, &order, false)?;
		Self::deposit_event(Event::OrderCancelled {
			order_id: id,
			who: order.owner,
			remaining: order.remaining,
			reason,
		});
		Ok(())
	}

	/// Continue `market`'s sweep.
	pub fn do_continue_sweep(session: &mut Session<T>, market_id: MarketId) -> Result<(), DispatchError> {
		let market = Self::open_market(market_id)?;
		ensure!(Sweeps::<T>::contains_key(market_id), Error::<T>::NoSweep);
		Self::advance_sweep(session, market_id, &market)
	}

	/// The live order `id`, if it is `who`'s or one of `who`'s investors'.
	fn owned_order(who: &T::AccountId, id: OrderId) -> Result<OrderInfoOf<T>, DispatchError> {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(
			&order.owner == who || T::Investors::broker_of(&order.owner).as_ref() == Some(who),
			Error::<T>::NotOrderOwner
		);
		Ok(order)
	}

	/// Cancel a live order of `who` (resting, its market's sweep, or a stop).
	pub fn do_cancel_order(session: &mut Session<T>, who: &T::AccountId, id: OrderId) -> Result<(), DispatchError> {
		Self::cancel_live_order(session, who, id, CancelReason::ByOwner)
	}

	fn cancel_live_order(
		session: &mut Session<T>,
		who: &T::AccountId,
		id: OrderId,
		reason: CancelReason,
	) -> Result<(), DispatchError> {
		let order = Self::owned_order(who, id)?;
		let market = Markets::<T>::get(order.market).ok_or(Error::<T>::UnknownMarket)?;
		let off_book = Sweeps::<T>::get(order.market) == Some(id) || order.stop.is_some();
		// Fallible storage first, the book last: a failure leaves the in-memory book as it was.
		session.reports += Self::retire(&market, id, &order, !off_book)?;
		if !off_book {
			session.book(order.market)?.cancel(id).map_err(reject::<T>)?;
		}
		Self::deposit_event(Event::OrderCancelled {
			order_id: id,
			who: order.owner,
			remaining: order.remaining,
			reason,
		});
		Ok(())
	}

	/// Change a resting order of `who`.
	pub fn do_replace_order(
		session: &mut Session<T>,
		who: &T::AccountId,
		id: OrderId,
		price: Price,
		quantity: Quantity,
	) -> Result<(), DispatchError> {
		let order = Self::owned_order(who, id)?;
		ensure!(Sweeps::<T>::get(order.market) != Some(id) && order.stop.is_none(), Error::<T>::OrderNotResting);
		let market = Self::open_market(order.market)?;
		Self::advance_sweep(session, order.market, &market)?;
		ensure!(!Sweeps::<T>::contains_key(order.market), Error::<T>::SweepInProgress);
		// The sweep may just have filled this order, in part or in full: work from its record as
		// it is now, never from the copy read before.
		let mut order = Self::owned_order(who, id)?;
		let owner = Self::order_owner(who, Some(&order.owner), false)?;
		ensure!(market.in_band(price), Error::<T>::PriceOutsideBand);
		let OrderType::Limit { price: old_price, tif, post_only } = order.kind else {
			return Err(Error::<T>::OrderNotResting.into());
		};
		Self::pre_trade(&mut session.checks, &owner, order.market, &market, order.side, quantity, price)?;
		// Held again at today's fees, which the order records.
		let held = Self::required_hold(&market, order.side, quantity, price)?;
		order.fee_rate = T::Settlement::buyer_fee_rate();
		if held > order.held {
			Self::hold(&market, order.side, &owner, held - order.held)?;
		} else {
			Self::release(&market, order.side, &owner, order.held - held)?;
		}
		let kept_priority = price == old_price && quantity <= order.remaining;
		order.kind = OrderType::Limit { price, tif, post_only };
		order.quantity = quantity;
		order.remaining = quantity;
		order.held = held;
		let now = Self::now();
		let budget = session.budget_left();
		Self::execute(session, &market, id, order, true, |book, exec, tradable| {
			book.replace_filtered(id, price, quantity, now, budget, tradable, exec)
		})?;
		Self::deposit_event(Event::OrderReplaced { order_id: id, price, quantity, kept_priority });
		Ok(())
	}

	/// Remove expired good-till-date orders of `market`.
	pub fn do_expire_orders(
		session: &mut Session<T>,
		market_id: MarketId,
		ids: Vec<OrderId>,
	) -> Result<(), DispatchError> {
		let market = Markets::<T>::get(market_id).ok_or(Error::<T>::UnknownMarket)?;
		let now = Self::now();
		for id in ids {
			let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
			ensure!(order.market == market_id, Error::<T>::UnknownOrder);
			ensure!(order.kind.expiry().is_some_and(|at| at <= now), Error::<T>::NotExpired);
			let off_book = Sweeps::<T>::get(market_id) == Some(id) || order.stop.is_some();
			session.reports += Self::retire(&market, id, &order, !off_book)?;
			if !off_book {
				session.book(market_id)?.expire(id, now).map_err(reject::<T>)?;
			}
			Self::deposit_event(Event::OrderExpired { order_id: id, who: order.owner, remaining: order.remaining });
		}
		Ok(())
	}

	/// Accept a stop order of the broker `who`, for itself or one of its investors: checked and
	/// held now, placed when triggered.
	pub fn do_place_stop_order(
		who: &T::AccountId,
		order: NewOrderOf<T>,
		stop: Price,
	) -> Result<OrderId, DispatchError> {
		let owner = Self::order_owner(who, order.account.as_ref(), false)?;
		let who = &owner;
		let market = Self::open_market(order.market)?;
		ensure!(
			stop > 0
				&& stop.is_multiple_of(market.tick)
				&& !matches!(order.kind, OrderType::Limit { post_only: true, .. }),
			Error::<T>::InvalidStop
		);
		let reached = |last: Price| match order.side {
			Side::Buy => last >= stop,
			Side::Sell => last <= stop,
		};
		ensure!(!market.last_price.is_some_and(reached), Error::<T>::StopAlreadyReached);
		let stops = StopCount::<T>::get(order.market, who);
		ensure!(stops < T::MaxStopsPerAccount::get(), Error::<T>::TooManyStops);
		let id = NextOrderId::<T>::get();
		let now = Self::now();
		// The order it becomes must be valid now (on an empty book: it is not placed yet).
		let rules = MarketRules { tick: market.tick, lot: market.lot, stp: market.stp };
		let request =
			OrderRequest { id, owner: who.clone(), side: order.side, quantity: order.quantity, kind: order.kind };
		Book::new(rules).validate(&request, now).map_err(reject::<T>)?;
		let limit = order.kind.limit_price();
		ensure!(market.in_band(limit), Error::<T>::PriceOutsideBand);
		Self::pre_trade(&mut PreTradeCache::new(), who, order.market, &market, order.side, order.quantity, limit)?;
		NextOrderId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		let held = Self::required_hold(&market, order.side, order.quantity, limit)?;
		Self::hold(&market, order.side, who, held)?;
		Orders::<T>::insert(
			id,
			OrderInfoOf::<T> {
				market: order.market,
				owner: who.clone(),
				side: order.side,
				kind: order.kind,
				quantity: order.quantity,
				remaining: order.quantity,
				held,
				placed_at: frame_system::Pallet::<T>::block_number(),
				stop: Some(stop),
				fee_rate: T::Settlement::buyer_fee_rate(),
				reported: false,
			},
		);
		AccountOrders::<T>::insert(who, id, ());
		Stops::<T>::insert(order.market, id, ());
		StopCount::<T>::insert(order.market, who, stops.saturating_add(1));
		Self::deposit_event(Event::OrderPlaced {
			order_id: id,
			market: order.market,
			who: who.clone(),
			side: order.side,
			quantity: order.quantity,
			kind: order.kind,
			stop: Some(stop),
		});
		Ok(id)
	}

	/// Whether the stop order `order` has been reached by `market`'s last trade.
	pub fn stop_reached(market: &MarketInfo, order: &OrderInfoOf<T>) -> bool {
		match (order.stop, market.last_price) {
			(Some(stop), Some(last)) => match order.side {
				Side::Buy => last >= stop,
				Side::Sell => last <= stop,
			},
			_ => false,
		}
	}

	/// Place the triggered stop orders `ids` of `market`.
	pub fn do_trigger_stops(
		session: &mut Session<T>,
		market_id: MarketId,
		ids: Vec<OrderId>,
	) -> Result<(), DispatchError> {
		let market = Self::open_market(market_id)?;
		Self::advance_sweep(session, market_id, &market)?;
		ensure!(!Sweeps::<T>::contains_key(market_id), Error::<T>::SweepInProgress);
		for id in ids {
			if Sweeps::<T>::contains_key(market_id) {
				// A triggered order ran out of budget: the rest wait until its sweep is done.
				break;
			}
			// Each is checked against the market as the earlier ones left it.
			let market = Markets::<T>::get(market_id).ok_or(Error::<T>::UnknownMarket)?;
			let mut order = Orders::<T>::get(id).ok_or(Error::<T>::NotAStop)?;
			ensure!(order.market == market_id && Stops::<T>::contains_key(market_id, id), Error::<T>::NotAStop);
			ensure!(Self::stop_reached(&market, &order), Error::<T>::StopNotReached);
			let stop = order.stop.unwrap_or_default();
			Self::unlist_stop(market_id, id, &order.owner);
			order.stop = None;
			Self::deposit_event(Event::StopTriggered {
				order_id: id,
				market: market_id,
				stop,
				last_price: market.last_price.unwrap_or_default(),
			});
			let now = Self::now();
			let limit = order.kind.limit_price();
			let expired = order.kind.expiry().is_some_and(|at| at <= now);
			if expired || !market.in_band(limit) {
				session.reports += Self::retire(&market, id, &order, false)?;
				let (who, remaining) = (order.owner, order.remaining);
				Self::deposit_event(if expired {
					Event::OrderExpired { order_id: id, who, remaining }
				} else {
					Event::OrderCancelled { order_id: id, who, remaining, reason: CancelReason::OutsideBand }
				});
				continue;
			}
			let request = OrderRequest {
				id,
				owner: order.owner.clone(),
				side: order.side,
				quantity: order.remaining,
				kind: order.kind,
			};
			Self::place_or_cancel(session, &market, id, order, request, now)?;
		}
		Ok(())
	}

	/// The weight of a batch of `n` orders for `a` distinct accounts making `f` fills against
	/// the orders of `m` distinct accounts, on books of `o` orders in all.
	///
	/// `place_orders(n, f, o)` is measured with every fill against one account's orders; each
	/// further account costs what `place_orders_counterparties` measures per account (its member
	/// check, its cash and security records read and written once). Charged before dispatch for
	/// `m = f` (every fill against another account), refunded to the accounts the call met.
	/// Likewise each further account the items are for costs what `place_orders_accounts`
	/// measures per account.
	///
	/// The batch benchmark's own term per book order moves between runs (the per-item terms
	/// dwarf it), so the book is also charged as the single-order benchmark measures it,
	/// `place_order(0, o) - place_order(0, 0)`, decoding and encoding `o` orders: on the safe side.
	pub fn place_orders_weight(n: u32, a: u32, f: u32, m: u32, o: u32) -> Weight {
		let book = T::WeightInfo::place_order(0, o).saturating_sub(T::WeightInfo::place_order(0, 0));
		let counterparties = T::WeightInfo::place_orders_counterparties(m.max(1))
			.saturating_sub(T::WeightInfo::place_orders_counterparties(1));
		let accounts =
			T::WeightInfo::place_orders_accounts(a.max(1)).saturating_sub(T::WeightInfo::place_orders_accounts(1));
		T::WeightInfo::place_orders(n, f, o)
			.saturating_add(book)
			.saturating_add(counterparties)
			.saturating_add(accounts)
	}

	/// How many distinct accounts `orders` are for (`None`, the broker's own, counts as one).
	pub fn accounts_in(orders: &[NewOrderOf<T>]) -> u32 {
		distinct(orders.iter().map(|o| o.account.as_ref()))
	}

	/// How many distinct markets `orders` name.
	pub fn markets_in(orders: &[NewOrderOf<T>]) -> u32 {
		distinct(orders.iter().map(|o| o.market))
	}

	/// Place a batch of orders, each on its own.
	pub fn do_place_orders(
		session: &mut Session<T>,
		who: &T::AccountId,
		orders: Vec<NewOrderOf<T>>,
	) -> Result<(), DispatchError> {
		let total = orders.len() as u32;
		let mut failed = 0u32;
		for (index, order) in orders.into_iter().enumerate() {
			// A placement that fails after the book changed (a settlement failing, a full book
			// after trading) leaves the book as it was: its storage layer is dropped, and its
			// placements on the in-memory book (a sweep's step, the order) are taken back.
			let mark = session.journal.len();
			let result = T::Ledger::atomically(|| Self::do_place_order(session, who, order));
			if let Err(error) = result {
				session.undo_since(mark);
				failed += 1;
				Self::deposit_event(Event::BatchItemFailed { index: index as u32, error });
			}
		}
		Self::deposit_event(Event::BatchCompleted { who: who.clone(), succeeded: total - failed, failed });
		Ok(())
	}

	/// Cancel up to `MaxBatch` live orders of `who` for `reason` (the consortium, a freeze);
	/// returns how many.
	pub fn do_cancel_account_orders(
		session: &mut Session<T>,
		who: &T::AccountId,
		reason: CancelReason,
	) -> Result<u32, DispatchError> {
		let max = T::MaxBatch::get() as usize;
		let mut ids = AccountOrders::<T>::iter_key_prefix(who).take(max.saturating_add(1));
		let batch: Vec<OrderId> = ids.by_ref().take(max).collect();
		let more = ids.next().is_some();
		ensure!(!batch.is_empty(), Error::<T>::NoOrders);
		for &id in &batch {
			Self::cancel_live_order(session, who, id, reason)?;
		}
		let cancelled = batch.len() as u32;
		Self::deposit_event(Event::AccountOrdersCancelled { who: who.clone(), cancelled, more });
		Ok(cancelled)
	}

	/// Cancel a batch of orders, each on its own.
	pub fn do_cancel_orders(
		session: &mut Session<T>,
		who: &T::AccountId,
		ids: Vec<OrderId>,
	) -> Result<(), DispatchError> {
		let total = ids.len() as u32;
		let mut failed = 0u32;
		for (index, id) in ids.into_iter().enumerate() {
			let result = T::Ledger::atomically(|| Self::do_cancel_order(session, who, id));
			if let Err(error) = result {
				failed += 1;
				Self::deposit_event(Event::BatchItemFailed { index: index as u32, error });
			}
		}
		Self::deposit_event(Event::BatchCompleted { who: who.clone(), succeeded: total - failed, failed });
		Ok(())
	}
}

/// Queries for the runtime API (not for dispatchables: `open_orders` iterates storage).
impl<T: Config> Pallet<T> {
	/// The best `levels` levels of each side of `market`.
	pub fn depth(market: MarketId, levels: u32) -> Option<crate::Depth> {
		let info = Markets::<T>::get(market)?;
		let book = Books::<T>::get(market)?.0;
		Some(crate::Depth {
			bids: book.depth(Side::Buy, levels as usize),
			asks: book.depth(Side::Sell, levels as usize),
			last_price: info.last_price,
			status: info.status,
			sweep: Sweeps::<T>::get(market),
		})
	}

	/// The live orders of `who`: resting, sweeping, or stops waiting for their trigger.
	pub fn open_orders(who: &T::AccountId) -> Vec<(OrderId, OrderInfoOf<T>)> {
		AccountOrders::<T>::iter_key_prefix(who).filter_map(|id| Some((id, Orders::<T>::get(id)?))).collect()
	}

	/// Every market, by id.
	pub fn markets() -> Vec<(MarketId, MarketInfo)> {
		let mut markets: Vec<_> = Markets::<T>::iter().collect();
		markets.sort_by_key(|(id, _)| *id);
		markets
	}
}

/// A market's price band bounds trades settled outside the book (investors' instructions).
impl<T: Config> PriceLimits for Pallet<T> {
	fn price_limits(security: AssetId, cash: AssetId) -> Option<(Amount, Amount)> {
		let info = Markets::<T>::get(MarketOf::<T>::get((security, cash))?)?;
		let (low, high) = info.band_limits();
		// A halted market's reference price is stale: nothing is priced against it.
		(info.status == MarketStatus::Open).then_some((Amount::from(low), Amount::from(high)))
	}
}

/// The order book's open orders, for the investors pallet: moving an investor to another broker
/// needs none, and freezing one or moving it by force cancels them.
impl<T: Config> OpenOrders<T::AccountId> for Pallet<T> {
	fn has_open_orders(who: &T::AccountId) -> bool {
		AccountOrders::<T>::iter_key_prefix(who).next().is_some()
	}

	fn cancel_open_orders(who: &T::AccountId, why: OrdersEnd) -> Result<u32, DispatchError> {
		if !Self::has_open_orders(who) {
			return Ok(0);
		}
		let reason = match why {
			OrdersEnd::Frozen => CancelReason::AccountFrozen,
			OrdersEnd::ByConsortium => CancelReason::ByConsortium,
		};
		let mut session = Session::<T>::new();
		T::Ledger::in_batch(|| {
			let cancelled = Self::do_cancel_account_orders(&mut session, who, reason)?;
			session.commit()?;
			Ok(cancelled)
		})
	}

	fn cancel_weight() -> Weight {
		T::WeightInfo::cancel_account_orders(
			T::MaxBatch::get(),
			T::MaxOrdersPerMarket::get().saturating_mul(T::MaxBatch::get()),
		)
		.saturating_add(Self::reports_weight(T::MaxBatch::get()))
	}
}
