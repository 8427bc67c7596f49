//! The order book's invariants, checked by `try_state` and after every test scenario.

use crate::{
	AccountOrders, Books, Config, HoldReason, MarketId, MarketOf, Markets, Orders, Pallet, RestingCount, StopCount,
	Stops, Sweeps,
};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::Get};
use qingsuan_matching_engine::{OrderType, Side};
use qingsuan_primitives::market::{Amount, AssetId, LedgerAudit};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check every invariant of the pallet.
	///
	/// # Invariants
	///
	/// - [`Self::check_markets`]
	/// - [`Self::check_books`]
	/// - [`Self::check_orders`]
	/// - [`Self::check_holds`]
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_markets()?;
		Self::check_books()?;
		Self::check_orders()?;
		Self::check_holds()
	}

	/// Every market has its book and its pair index entry, and nothing else does.
	pub fn check_markets() -> Result<(), TryRuntimeError> {
		for (id, market) in Markets::<T>::iter() {
			ensure!(MarketOf::<T>::get((market.security, market.cash)) == Some(id), "market pair index");
			let book = Books::<T>::get(id).ok_or("market without a book")?.0;
			ensure!(book.rules().tick == market.tick && book.rules().lot == market.lot, "book rules differ");
			ensure!(book.rules().stp == market.stp, "book self-trade mode differs");
		}
		ensure!(MarketOf::<T>::iter().count() == Markets::<T>::iter().count(), "pair index size");
		ensure!(Books::<T>::iter_keys().all(Markets::<T>::contains_key), "book without a market");
		Ok(())
	}

	/// Every book keeps the engine's invariants (sorted levels, FIFO queues with correct totals,
	/// not crossed at rest), fits its bound and each broker's share of it (counted exactly by
	/// `RestingCount`), and each resting order is a live order of that market, side and price
	/// with the same owner and remaining quantity.
	pub fn check_books() -> Result<(), TryRuntimeError> {
		let mut counted: BTreeMap<(MarketId, T::AccountId), u32> = BTreeMap::new();
		for (market, book) in Books::<T>::iter() {
			let book = book.0;
			book.check_invariants().map_err(TryRuntimeError::Other)?;
			ensure!(book.len() <= T::MaxOrdersPerMarket::get() as usize, "book over its bound");
			for side in [Side::Buy, Side::Sell] {
				for (price, resting) in book.orders(side) {
					let order = Orders::<T>::get(resting.id).ok_or("resting order not live")?;
					ensure!(order.market == market && order.side == side, "resting order misplaced");
					ensure!(order.owner == resting.owner, "resting order owner differs");
					ensure!(order.remaining == resting.remaining, "resting quantity differs");
					ensure!(
						matches!(order.kind, OrderType::Limit { price: p, .. } if p == price),
						"resting order price differs"
					);
					ensure!(Sweeps::<T>::get(market) != Some(resting.id), "a sweep rests");
					*counted.entry((market, Self::share_holder(&resting.owner))).or_default() += 1;
				}
			}
		}
		ensure!(
			counted.values().all(|n| *n <= T::MaxOrdersPerBroker::get()),
			"a broker rests more orders on a book than its share"
		);
		ensure!(
			RestingCount::<T>::iter().map(|(m, b, n)| ((m, b), n)).collect::<BTreeMap<_, _>>() == counted,
			"resting counts differ from the books"
		);
		Ok(())
	}

	/// Every live order is exactly one of: resting on its book, its market's sweep, a stop
	/// waiting for its trigger; the account and stop indexes list exactly those orders, and the
	/// stop counts count them, within their bound; every sweep is a live order of its market.
	pub fn check_orders() -> Result<(), TryRuntimeError> {
		let books: BTreeMap<_, _> = Books::<T>::iter().map(|(m, b)| (m, b.0)).collect();
		let mut live = 0usize;
		for (id, order) in Orders::<T>::iter() {
			live += 1;
			let book = books.get(&order.market).ok_or("order of an unknown market")?;
			let sweep = Sweeps::<T>::get(order.market) == Some(id);
			let stop = order.stop.is_some();
			ensure!(stop == Stops::<T>::contains_key(order.market, id), "stop index differs");
			let places = [book.contains(id), sweep, stop].into_iter().filter(|b| *b).count();
			ensure!(places == 1, "live order not in exactly one place");
			ensure!(order.remaining > 0 && order.remaining <= order.quantity, "remaining quantity");
			ensure!(AccountOrders::<T>::contains_key(&order.owner, id), "account index misses an order");
		}
		ensure!(AccountOrders::<T>::iter().count() == live, "account index lists dead orders");
		ensure!(Stops::<T>::iter().all(|(_, id, ())| Orders::<T>::contains_key(id)), "stop index lists dead orders");
		let stops = Self::count_stops();
		ensure!(
			StopCount::<T>::iter().map(|(m, w, n)| ((m, w), n)).collect::<BTreeMap<_, _>>() == stops,
			"stop counts differ from the stops"
		);
		ensure!(stops.values().all(|n| *n <= T::MaxStopsPerAccount::get()), "an account has more stops than it may");
		for (market, id) in Sweeps::<T>::iter() {
			ensure!(Orders::<T>::get(id).is_some_and(|o| o.market == market), "sweep is not a live order");
		}
		Ok(())
	}

	/// What the ledger holds for open orders is exactly what the live orders say they hold, and
	/// each buy holds at least its remaining quantity at its limit price.
	pub fn check_holds() -> Result<(), TryRuntimeError> {
		let mut expected: BTreeMap<(AssetId, T::AccountId), Amount> = BTreeMap::new();
		for (_, order) in Orders::<T>::iter() {
			let market = Markets::<T>::get(order.market).ok_or("order of an unknown market")?;
			let asset = match order.side {
				Side::Buy => {
					let limit = Amount::from(order.kind.limit_price());
					ensure!(order.held >= Amount::from(order.remaining) * limit, "buy holds too little");
					market.cash
				},
				Side::Sell => {
					ensure!(order.held == Amount::from(order.remaining), "sell holds other than its shares");
					market.security
				},
			};
			let slot = expected.entry((asset, order.owner.clone())).or_default();
			*slot = slot.saturating_add(order.held);
		}
		let held: BTreeMap<_, _> =
			T::Ledger::holds_for(&HoldReason::OpenOrder.into()).into_iter().map(|(a, w, x)| ((a, w), x)).collect();
		ensure!(expected.into_iter().filter(|(_, x)| *x > 0).eq(held), "open-order holds differ from the orders");
		Ok(())
	}

	/// Each account's stop orders waiting in each market, counted from the orders themselves:
	/// what `StopCount` keeps (the invariant and the v1 migration).
	pub fn count_stops() -> BTreeMap<(crate::MarketId, T::AccountId), u32> {
		let mut stops: BTreeMap<(crate::MarketId, T::AccountId), u32> = BTreeMap::new();
		for (_, order) in Orders::<T>::iter().filter(|(_, o)| o.stop.is_some()) {
			*stops.entry((order.market, order.owner)).or_default() += 1;
		}
		stops
	}
}
