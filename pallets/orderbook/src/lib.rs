//! # Order-book pallet
//!
//! Member brokers' orders, matched by price-time priority on chain, every fill settled T+0 by
//! `pallet-settlement` in the same extrinsic.
//!
//! ## Overview
//!
//! - **Markets.** The consortium opens a market for a security against a cash asset, with its
//!   tick, lot, self-trade prevention mode and price band (a percentage either side of a
//!   reference price, normally the previous close). A market is open, halted (no new orders or
//!   replaces; nothing is cancelled) or closed (halted for good).
//! - **Orders.** Limit orders (good till cancelled, good till a block, immediate or cancel, fill
//!   or kill, post-only) and market orders with a protection price, matched by
//!   [`qingsuan_matching_engine`]. Before an order rests or matches, the pre-trade checks of
//!   [`Config::PreTrade`] run and the order book holds what the order could need: the shares of
//!   a sell, the cash of a buy at its limit price with fees (plus one fen per lot, for each
//!   fill's fee rounding). Every fill goes to [`SettleTrade::settle_trade`] at once; if a
//!   settlement fails, the whole placement fails and nothing of it remains.
//! - **Bounded matching.** One call makes at most [`Config::MaxFillsPerCall`] steps (a fill, or
//!   the removal of an expired or self-trading resting order). An order that could still trade
//!   when they run out becomes its market's *sweep*: it neither rests nor is cancelled, and the
//!   market takes no new orders until it is finished, which any member (or the off-chain
//!   worker) does with `continue_sweep`, and which the next placement in the market tries first.
//! - **Batches.** `place_orders` and `cancel_orders` take many orders in one signed extrinsic;
//!   each succeeds or fails on its own, and the batch's event lists the failures.
//!
//! ### Terminology
//!
//! - **Steps**: see the engine's documentation; the unit of a call's matching budget.
//! - **Held**: balances the ledger reserves under this pallet's `OpenOrder` hold reason.
//!
//! ## Interface
//!
//! - Consortium: `create_market`, `set_market_status`, `set_price_band`.
//! - Member brokers: `place_order`, `place_stop_order`, `cancel_order`, `replace_order`,
//!   `place_orders`, `cancel_orders`.
//! - Anyone's upkeep (members, or validators' off-chain worker): `continue_sweep`,
//!   `expire_orders`, `trigger_stops`. Each is re-checked against the book: work that is not
//!   due is refused.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod entry;
mod functions;
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;
mod worker;

pub use pallet::*;
pub use qingsuan_matching_engine::{OrderType, Price, Quantity, SelfTradePrevention, Side, TimeInForce};
pub use qingsuan_primitives::{
	market::{Amount, AssetId, PreTradeCheck, SettleTrade},
	orders::{OrderEntry, OrderReports},
};
pub use types::*;
pub use weights::WeightInfo;

// `create_market` takes a market's seven rules; the upkeep's `authorize` closure has the type
// the pallet macro gives it.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::tokens::fungibles::{Inspect, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use qingsuan_primitives::{investors::InvestorRegistry, market::InstrumentInspect, RoleInspect};
	use sp_runtime::{transaction_validity::TransactionPriority, Percent, RuntimeAppPublic};

	/// The pallet's configuration trait.
	#[pallet::config]
	pub trait Config: frame_system::Config + frame_system::offchain::CreateAuthorizedTransaction<Call<Self>> {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// The ledger of securities and cash.
		type Ledger: Inspect<Self::AccountId, AssetId = AssetId, Balance = Amount>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ qingsuan_primitives::market::LedgerAudit<Self::AccountId, Self::RuntimeHoldReason>
			+ qingsuan_primitives::market::BatchLedger;

		/// The instrument registry.
		type Instruments: InstrumentInspect<Self::AccountId>;

		/// T+0 settlement of each fill.
		type Settlement: SettleTrade<Self::AccountId, Self::RuntimeHoldReason>;

		/// Checks every order passes before it rests or matches (compliance, margin); `()` for
		/// none.
		type PreTrade: PreTradeCheck<Self::AccountId>;

		/// Told of the fills and ends of orders placed through [`OrderEntry`] (the margin
		/// pallet, for credit accounts); `()` for none.
		type Reports: OrderReports<Self::AccountId>;

		/// A member broker's signed origin.
		type MemberOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The member registry: a resting order whose owner is no longer a member broker is
		/// removed (its holds released) when matching meets it, never traded.
		type Members: RoleInspect<Self::AccountId>;

		/// Investor accounts: a broker places orders for its investors, and matching removes
		/// the resting orders of a frozen investor.
		type Investors: InvestorRegistry<Self::AccountId>;

		/// The consortium.
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// A regulator: it may halt and reopen a market (not close one).
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The most matching steps (fills, removals of expired or self-trading orders) of one
		/// call, batches included.
		#[pallet::constant]
		type MaxFillsPerCall: Get<u32>;

		/// The most orders resting on one market's book.
		#[pallet::constant]
		type MaxOrdersPerMarket: Get<u32>;

		/// The most orders one member broker may have resting on one market's book, its
		/// investors' included: its share of the book, so that no member can fill a market and
		/// lock the others out.
		#[pallet::constant]
		type MaxOrdersPerBroker: Get<u32>;

		/// The most stop orders one account may have waiting in one market.
		#[pallet::constant]
		type MaxStopsPerAccount: Get<u32>;

		/// The most orders in one batch.
		#[pallet::constant]
		type MaxBatch: Get<u32>;

		/// The key an off-chain worker signs upkeep with (the runtime uses the validators'
		/// block-authoring keys; the signed payload is domain-separated).
		type WorkerId: Parameter + Member + RuntimeAppPublic<Signature = Self::WorkerSignature> + Ord + MaxEncodedLen;

		/// The signature of a [`Config::WorkerId`].
		type WorkerSignature: Parameter + Member;

		/// The keys whose upkeep is accepted: the current authorities.
		type Workers: Get<Vec<Self::WorkerId>>;

		/// Blocks an upkeep transaction stays valid after the block it was found at.
		#[pallet::constant]
		type UpkeepLifetime: Get<BlockNumberFor<Self>>;

		/// The pool priority of upkeep transactions (above members' orders: a sweep holds its
		/// market until done).
		#[pallet::constant]
		type UpkeepPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls, generated by `benchmark pallet`.
		type WeightInfo: WeightInfo;

		/// Sets up members, instruments and balances for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId, Self::WorkerId>;
	}

	/// A live order of this runtime.
	pub type OrderInfoOf<T> = OrderInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A runtime's [`NewOrder`].
	pub type NewOrderOf<T> = NewOrder<<T as frame_system::Config>::AccountId>;
	/// Upkeep of this runtime.
	pub type UpkeepOf<T> = Upkeep<<T as Config>::MaxBatch>;
	/// A stored book of this runtime.
	pub type StoredBookOf<T> = StoredBook<<T as frame_system::Config>::AccountId, <T as Config>::MaxOrdersPerMarket>;

	/// Why this pallet holds balances on the ledger.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// What an open order could need: a buy's cash, a sell's shares.
		OpenOrder,
	}

	/// The layout of this pallet's storage. A change to it bumps this and comes with a
	/// migration in the runtime's `Migrations` (`runtime/src/lib.rs`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Markets by id.
	#[pallet::storage]
	pub type Markets<T: Config> = StorageMap<_, Twox64Concat, MarketId, MarketInfo>;

	/// The market of each (security, cash asset) pair.
	#[pallet::storage]
	pub type MarketOf<T: Config> = StorageMap<_, Twox64Concat, (AssetId, AssetId), MarketId>;

	/// The next market id.
	#[pallet::storage]
	pub type NextMarketId<T: Config> = StorageValue<_, MarketId, ValueQuery>;

	/// Each market's book.
	#[pallet::storage]
	pub type Books<T: Config> = StorageMap<_, Twox64Concat, MarketId, StoredBookOf<T>>;

	/// Live orders (resting, or a market's sweep) by id.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, OrderInfoOf<T>>;

	/// The live orders of each account.
	#[pallet::storage]
	pub type AccountOrders<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, OrderId, (), OptionQuery>;

	/// The next order id.
	#[pallet::storage]
	pub type NextOrderId<T: Config> = StorageValue<_, OrderId, ValueQuery>;

	/// Stop orders waiting for their trigger, by market.
	#[pallet::storage]
	pub type Stops<T: Config> = StorageDoubleMap<_, Twox64Concat, MarketId, Twox64Concat, OrderId, (), OptionQuery>;

	/// How many stop orders each account has waiting in each market.
	#[pallet::storage]
	pub type StopCount<T: Config> =
		StorageDoubleMap<_, Twox64Concat, MarketId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many orders of each member broker and its investors rest on each market's book (at
	/// most `MaxOrdersPerBroker`).
	#[pallet::storage]
	pub type RestingCount<T: Config> =
		StorageDoubleMap<_, Twox64Concat, MarketId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The order each market is still matching (see the crate docs), if any.
	#[pallet::storage]
	pub type Sweeps<T: Config> = StorageMap<_, Twox64Concat, MarketId, OrderId>;

	/// Markets open at genesis: `(security, cash, tick, lot, reference price, band, self-trade
	/// prevention)`, given ids from 0 in order.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The markets.
		pub markets: Vec<(AssetId, AssetId, Price, Quantity, Price, Percent, SelfTradePrevention)>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for &(security, cash, tick, lot, reference_price, band, stp) in &self.markets {
				Pallet::<T>::do_create_market(security, cash, tick, lot, reference_price, band, stp)
					.expect("genesis markets are valid and distinct");
			}
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A market was opened.
		MarketCreated {
			/// Its id.
			market: MarketId,
			/// The security traded.
			security: AssetId,
			/// The cash asset it is priced in.
			cash: AssetId,
			/// The price grid.
			tick: Price,
			/// The quantity grid.
			lot: Quantity,
		},
		/// A market was halted, reopened or closed.
		MarketStatusChanged {
			/// The market.
			market: MarketId,
			/// Its new status.
			status: MarketStatus,
		},
		/// A market's price band was set.
		PriceBandSet {
			/// The market.
			market: MarketId,
			/// The band's centre.
			reference_price: Price,
			/// Its half-width as a share of the reference price.
			band: Percent,
		},
		/// An order was accepted (it then trades, rests, or is cancelled); a stop order waits for
		/// its trigger.
		OrderPlaced {
			/// Its id.
			order_id: OrderId,
			/// Its market.
			market: MarketId,
			/// The member broker.
			who: T::AccountId,
			/// Buy or sell.
			side: Side,
			/// Shares.
			quantity: Quantity,
			/// Its type and limit.
			kind: OrderType,
			/// A stop order's trigger price.
			stop: Option<Price>,
		},
		/// A resting order and an incoming order traded; the settlement's `TradeSettled` has the
		/// same `settlement` id.
		OrderFilled {
			/// The market.
			market: MarketId,
			/// The resting order.
			maker_order: OrderId,
			/// The incoming order.
			taker_order: OrderId,
			/// The resting order's owner.
			maker: T::AccountId,
			/// The incoming order's owner.
			taker: T::AccountId,
			/// The incoming order's side.
			taker_side: Side,
			/// The trade price (the resting order's).
			price: Price,
			/// Shares traded.
			quantity: Quantity,
			/// The settlement record.
			settlement: u64,
		},
		/// An order now rests on the book.
		OrderRested {
			/// The order.
			order_id: OrderId,
			/// What it has left to trade.
			remaining: Quantity,
		},
		/// An order left the book, or was not placed on it, with some of it untraded.
		OrderCancelled {
			/// The order.
			order_id: OrderId,
			/// Its owner.
			who: T::AccountId,
			/// What it had left to trade.
			remaining: Quantity,
			/// Why.
			reason: CancelReason,
		},
		/// A good-till-date order's block was reached; it left the book.
		OrderExpired {
			/// The order.
			order_id: OrderId,
			/// Its owner.
			who: T::AccountId,
			/// What it had left to trade.
			remaining: Quantity,
		},
		/// A resting order's price or quantity changed.
		OrderReplaced {
			/// The order.
			order_id: OrderId,
			/// Its price now.
			price: Price,
			/// Its remaining quantity now (before any trade the replace made).
			quantity: Quantity,
			/// Whether it kept its place in the queue (same price, no larger).
			kept_priority: bool,
		},
		/// The last trade price reached a stop order's trigger: it was placed.
		StopTriggered {
			/// The order.
			order_id: OrderId,
			/// Its market.
			market: MarketId,
			/// Its trigger price.
			stop: Price,
			/// The last trade price that triggered it.
			last_price: Price,
		},
		/// The call's matching budget ran out; the order is the market's sweep until it is done.
		SweepPending {
			/// The market.
			market: MarketId,
			/// The order.
			order_id: OrderId,
			/// What it has left to trade.
			remaining: Quantity,
		},
		/// An item of a batch failed; the others took effect.
		BatchItemFailed {
			/// Its position in the batch, from 0.
			index: u32,
			/// Why it failed.
			error: DispatchError,
		},
		/// The consortium cancelled live orders of an account.
		AccountOrdersCancelled {
			/// The account.
			who: T::AccountId,
			/// Orders cancelled by this call.
			cancelled: u32,
			/// Whether the account still has live orders (call again).
			more: bool,
		},
		/// A batch finished.
		BatchCompleted {
			/// The member broker.
			who: T::AccountId,
			/// Items that took effect.
			succeeded: u32,
			/// Items that failed.
			failed: u32,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// No market has this id.
		UnknownMarket,
		/// The market is halted or closed.
		MarketNotOpen,
		/// A closed market cannot change status.
		MarketClosed,
		/// A regulator halts and reopens markets; only the consortium closes one.
		RegulatorCannotClose,
		/// The pair already has a market.
		MarketExists,
		/// The market's security must be a trading security and its cash a trading cash asset.
		InvalidInstruments,
		/// Tick and lot must be positive and the reference price on the tick grid.
		InvalidMarketRules,
		/// The order's price (or protection price) is outside the market's price band.
		PriceOutsideBand,
		/// No live order has this id.
		UnknownOrder,
		/// The order belongs to another member.
		NotOrderOwner,
		/// The order names an account that is neither the caller's nor one of its investors'.
		NotYourAccount,
		/// A regulator froze the account the order is for.
		AccountFrozen,
		/// The quantity is zero.
		ZeroQuantity,
		/// The quantity is not a multiple of the market's lot.
		NotLotMultiple,
		/// The price is zero.
		ZeroPrice,
		/// The price is not a multiple of the market's tick.
		NotTickMultiple,
		/// Post-only orders must be good till cancelled or good till a block.
		PostOnlyNotResting,
		/// The good-till block has been reached.
		AlreadyExpired,
		/// A post-only order (or its replace) would trade on arrival.
		PostOnlyWouldTrade,
		/// A reduce must lower the remaining quantity.
		NotAReduction,
		/// The order has not expired.
		NotExpired,
		/// The market's book holds the most orders it may.
		BookFull,
		/// The market is still matching an earlier order; try again (or `continue_sweep`).
		SweepInProgress,
		/// The market has no sweep to continue.
		NoSweep,
		/// The member's free cash does not cover the order.
		InsufficientFunds,
		/// The member's free shares do not cover the order.
		InsufficientSecurities,
		/// A fill would use more than the order holds (the fee schedule changed since it was
		/// placed); the placement that met it fails.
		HoldShortfall,
		/// An order that is being swept cannot be replaced.
		OrderNotResting,
		/// A batch with no items.
		EmptyBatch,
		/// A stop order must not be post-only, and its trigger must be a positive price on the
		/// tick grid.
		InvalidStop,
		/// The market's last trade price has already reached the stop's trigger.
		StopAlreadyReached,
		/// The order is not a stop order of the market waiting for its trigger.
		NotAStop,
		/// The market's last trade price has not reached the stop's trigger.
		StopNotReached,
		/// The broker (its own account and its investors') has as many orders resting on this
		/// market's book as it may.
		TooManyOrders,
		/// The account has as many stop orders waiting in this market as it may.
		TooManyStops,
		/// The account has no live orders.
		NoOrders,
		/// A credit account's orders go through the margin pallet (and, once placed, are
		/// cancelled, never replaced).
		CreditAccount,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_worker(now);
		}

		fn integrity_test() {
			assert!(T::MaxFillsPerCall::get() > 0, "MaxFillsPerCall must be at least 1");
			assert!(T::MaxOrdersPerMarket::get() > 0, "MaxOrdersPerMarket must be at least 1");
			assert!(T::MaxBatch::get() > 0, "MaxBatch must be at least 1");
			assert!(
				T::MaxOrdersPerBroker::get() > 0 && T::MaxOrdersPerBroker::get() <= T::MaxOrdersPerMarket::get(),
				"MaxOrdersPerBroker must be at least 1 and at most MaxOrdersPerMarket"
			);
			assert!(T::MaxStopsPerAccount::get() > 0, "MaxStopsPerAccount must be at least 1");
			assert!(!T::UpkeepLifetime::get().is_zero(), "UpkeepLifetime must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Open a market for `security` against `cash`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_market())]
		pub fn create_market(
			origin: OriginFor<T>,
			security: AssetId,
			cash: AssetId,
			tick: Price,
			lot: Quantity,
			reference_price: Price,
			band: Percent,
			stp: SelfTradePrevention,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_create_market(security, cash, tick, lot, reference_price, band, stp).map(|_| ())
		}

		/// Halt, reopen or close `market`. Resting orders are not cancelled. The origin is the
		/// consortium, or a regulator to halt or reopen (only the consortium closes a market).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_market_status())]
		pub fn set_market_status(origin: OriginFor<T>, market: MarketId, status: MarketStatus) -> DispatchResult {
			if let Err(origin) = T::ConsortiumOrigin::try_origin(origin) {
				T::RegulatorOrigin::ensure_origin(origin)?;
				ensure!(status != MarketStatus::Closed, Error::<T>::RegulatorCannotClose);
			}
			Self::do_set_market_status(market, status)
		}

		/// Set `market`'s price band: `band` either side of `reference_price`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_price_band())]
		pub fn set_price_band(
			origin: OriginFor<T>,
			market: MarketId,
			reference_price: Price,
			band: Percent,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_price_band(market, reference_price, band)
		}

		/// Place an order for `account` (one of the caller's investors; `None`: the caller's own
		/// account): it trades what it can now, then rests, is cancelled or (when the call's
		/// matching budget runs out) becomes the market's sweep.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::place_order(T::MaxFillsPerCall::get(), T::MaxOrdersPerMarket::get())
			.saturating_add(Pallet::<T>::reports_weight(Pallet::<T>::max_reports(T::MaxFillsPerCall::get(), 1))))]
		pub fn place_order(
			origin: OriginFor<T>,
			market: MarketId,
			side: Side,
			quantity: Quantity,
			kind: OrderType,
			account: Option<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			Self::with_session(
				|s| Self::do_place_order(s, &who, NewOrder { market, side, quantity, kind, account }).map(|_| ()),
				|s| T::WeightInfo::place_order(s.steps_used(), s.book_orders()),
			)
		}

		/// Cancel a live order of the caller or of one of its investors, releasing what it
		/// holds. Its owner may cancel it even after losing its membership.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::cancel_order(T::MaxOrdersPerMarket::get())
			.saturating_add(Pallet::<T>::reports_weight(1)))]
		pub fn cancel_order(origin: OriginFor<T>, order_id: OrderId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::with_session(
				|s| Self::do_cancel_order(s, &who, order_id),
				|s| T::WeightInfo::cancel_order(s.book_orders()),
			)
		}

		/// Change a resting order's price and/or remaining quantity. It keeps its priority only
		/// when the price is unchanged and the quantity does not grow; otherwise it goes to the
		/// back of its (new) price level and trades if the new price crosses.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::replace_order(T::MaxFillsPerCall::get(), T::MaxOrdersPerMarket::get())
			.saturating_add(Pallet::<T>::reports_weight(Pallet::<T>::max_reports(T::MaxFillsPerCall::get(), 1))))]
		pub fn replace_order(
			origin: OriginFor<T>,
			order_id: OrderId,
			price: Price,
			quantity: Quantity,
		) -> DispatchResultWithPostInfo {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			Self::with_session(
				|s| Self::do_replace_order(s, &who, order_id, price, quantity),
				|s| T::WeightInfo::replace_order(s.steps_used(), s.book_orders()),
			)
		}

		/// Place many orders. Each succeeds or fails on its own (`BatchItemFailed` names the
		/// failures); they share one matching budget.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::place_orders_weight(
			orders.len() as u32,
			Pallet::<T>::accounts_in(orders),
			T::MaxFillsPerCall::get(),
			T::MaxFillsPerCall::get(),
			// Each market's book is loaded and written once.
			T::MaxOrdersPerMarket::get().saturating_mul(Pallet::<T>::markets_in(orders)),
		).saturating_add(Pallet::<T>::reports_weight(
			// Each item may end its taker and a sweep it advances.
			Pallet::<T>::max_reports(T::MaxFillsPerCall::get(), 2 * orders.len() as u32),
		)))]
		pub fn place_orders(
			origin: OriginFor<T>,
			orders: BoundedVec<NewOrderOf<T>, T::MaxBatch>,
		) -> DispatchResultWithPostInfo {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			ensure!(!orders.is_empty(), Error::<T>::EmptyBatch);
			let (n, a) = (orders.len() as u32, Self::accounts_in(&orders));
			Self::with_session(
				|s| Self::do_place_orders(s, &who, orders.into_inner()),
				|s| Pallet::<T>::place_orders_weight(n, a, s.steps_used(), s.counterparties(), s.book_orders()),
			)
		}

		/// Cancel many live orders of the caller (as `cancel_order`). Each succeeds or fails on
		/// its own. Charged for the worst case (each order on another market's full book) and
		/// refunded down to the books it loaded.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel_orders(
			order_ids.len() as u32,
			T::MaxOrdersPerMarket::get().saturating_mul(order_ids.len() as u32),
		).saturating_add(Pallet::<T>::reports_weight(order_ids.len() as u32)))]
		pub fn cancel_orders(
			origin: OriginFor<T>,
			order_ids: BoundedVec<OrderId, T::MaxBatch>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!order_ids.is_empty(), Error::<T>::EmptyBatch);
			let n = order_ids.len() as u32;
			Self::with_session(
				|s| Self::do_cancel_orders(s, &who, order_ids.into_inner()),
				|s| T::WeightInfo::cancel_orders(n, s.book_orders()),
			)
		}

		/// Go on matching `market`'s sweep, within this call's budget.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::continue_sweep(T::MaxFillsPerCall::get(), T::MaxOrdersPerMarket::get())
			.saturating_add(Pallet::<T>::reports_weight(Pallet::<T>::max_reports(T::MaxFillsPerCall::get(), 0))))]
		pub fn continue_sweep(origin: OriginFor<T>, market: MarketId) -> DispatchResultWithPostInfo {
			T::MemberOrigin::ensure_origin(origin)?;
			Self::with_session(
				|s| Self::do_continue_sweep(s, market),
				|s| T::WeightInfo::continue_sweep(s.steps_used(), s.book_orders()),
			)
		}

		/// Remove good-till-date orders of `market` whose block has been reached, releasing what
		/// they hold. Every id must be such an order.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::expire_orders(order_ids.len() as u32, T::MaxOrdersPerMarket::get())
			.saturating_add(Pallet::<T>::reports_weight(order_ids.len() as u32)))]
		pub fn expire_orders(
			origin: OriginFor<T>,
			market: MarketId,
			order_ids: BoundedVec<OrderId, T::MaxBatch>,
		) -> DispatchResultWithPostInfo {
			T::MemberOrigin::ensure_origin(origin)?;
			ensure!(!order_ids.is_empty(), Error::<T>::EmptyBatch);
			let n = order_ids.len() as u32;
			Self::with_session(
				|s| Self::do_expire_orders(s, market, order_ids.into_inner()),
				|s| T::WeightInfo::expire_orders(n, s.book_orders()),
			)
		}

		/// Place a stop order: when the market's last trade price reaches `stop` (at or above
		/// for a buy, at or below for a sell), `kind` is placed: a market order (stop) or a
		/// limit order (stop-limit). What it could need is held from now on. `account` as for
		/// `place_order`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::place_stop_order())]
		pub fn place_stop_order(
			origin: OriginFor<T>,
			market: MarketId,
			side: Side,
			quantity: Quantity,
			stop: Price,
			kind: OrderType,
			account: Option<T::AccountId>,
		) -> DispatchResult {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			Self::do_place_stop_order(&who, NewOrder { market, side, quantity, kind, account }, stop).map(|_| ())
		}

		/// Place the stop orders of `market` whose trigger the last trade price has reached.
		/// Every id must be such an order. If one of them leaves a sweep, the ones after it
		/// keep waiting.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::trigger_stops(
			order_ids.len() as u32,
			T::MaxFillsPerCall::get(),
			T::MaxOrdersPerMarket::get(),
		).saturating_add(Pallet::<T>::reports_weight(
			Pallet::<T>::max_reports(T::MaxFillsPerCall::get(), order_ids.len() as u32),
		)))]
		pub fn trigger_stops(
			origin: OriginFor<T>,
			market: MarketId,
			order_ids: BoundedVec<OrderId, T::MaxBatch>,
		) -> DispatchResultWithPostInfo {
			T::MemberOrigin::ensure_origin(origin)?;
			ensure!(!order_ids.is_empty(), Error::<T>::EmptyBatch);
			let n = order_ids.len() as u32;
			Self::with_session(
				|s| Self::do_trigger_stops(s, market, order_ids.into_inner()),
				|s| T::WeightInfo::trigger_stops(n, s.steps_used(), s.book_orders()),
			)
		}

		/// Upkeep an authority's off-chain worker found due in `market` at `block`: continue its
		/// sweep, expire orders, or trigger stops. Valid only with a current authority's
		/// signature over a recent block, and only while the work is still due.
		#[pallet::call_index(12)]
		#[pallet::weight(Pallet::<T>::upkeep_weight(work))]
		#[pallet::authorize(|_source, market, work, block, worker, signature| {
			Pallet::<T>::authorize_upkeep(market, work, block, worker, signature)
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_upkeep(T::MaxBatch::get()))]
		pub fn upkeep(
			origin: OriginFor<T>,
			market: MarketId,
			work: UpkeepOf<T>,
			block: BlockNumberFor<T>,
			worker: T::WorkerId,
			signature: T::WorkerSignature,
		) -> DispatchResultWithPostInfo {
			frame_system::ensure_authorized(origin)?;
			let _ = (block, worker, signature);
			Self::do_upkeep(market, work)
		}

		/// Cancel up to `MaxBatch` live orders of `who` (resting, sweeping or stops), releasing
		/// what they hold: for an account that lost its membership, or a broker the consortium
		/// stops trading. `AccountOrdersCancelled` says whether more are left.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::cancel_account_orders(
			T::MaxBatch::get(),
			T::MaxOrdersPerMarket::get().saturating_mul(T::MaxBatch::get()),
		).saturating_add(Pallet::<T>::reports_weight(T::MaxBatch::get())))]
		pub fn cancel_account_orders(origin: OriginFor<T>, who: T::AccountId) -> DispatchResultWithPostInfo {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			let cancelled = core::cell::Cell::new(0);
			Self::with_session(
				|s| Self::do_cancel_account_orders(s, &who, CancelReason::ByConsortium).map(|n| cancelled.set(n)),
				|s| T::WeightInfo::cancel_account_orders(cancelled.get(), s.book_orders()),
			)
		}
	}
}
