//! # Margin pallet (融资融券)
//!
//! Securities margin trading as Chinese brokers run it, with the chain keeping the books so no
//! broker can lend past the rules quietly.
//!
//! ## Overview
//!
//! An investor approved for margin trading (a valid `Margin` claim) gets a **credit account**
//! from its broker: an investor account of a second kind (the investors pallet's
//! [`CreditAccounts`]) under a **contract**: a credit line, a yearly rate and a term of at most
//! [`Config::MaxTermDays`] days, renewable. Collateral comes in from the owner's ordinary
//! account. The broker lends from its **financing pool**, an account derived from it that it
//! funds with its own cash.
//!
//! - **Financed buy (融资买入)**: the pallet checks the account's *available margin* (the
//!   exchanges' formula, [`qingsuan_margin_math::available_margin`]) against the initial margin
//!   (100% of the cost), the credit line, the contract's term and the concentration tiers; it
//!   lends exactly what the order holds and places the order in the order book through its
//!   order-entry API ([`OrderEntry`]). What the order does not spend is repaid the moment it
//!   ends.
//! - **Collateral buy (担保品买入)** and **sell (担保品卖出 / 卖券还款)**: orders of the credit
//!   account with its own cash or shares. A sell's proceeds repay interest, then principal, as
//!   each fill settles (the exchanges' rule: a credit account's sale proceeds go to its
//!   financing debt first); what is left stays in the account.
//! - **Direct repayment (直接还款)** from the account's cash; **collateral withdrawal** only
//!   while the maintenance ratio after it stays at or above the withdrawal line (300%).
//! - **Interest** accrues per settlement day at `rate / 360` on the principal, charged whenever
//!   the account is touched, for the days since it last was.
//!
//! The order book tells the pallet of its orders' fills and ends ([`OrderReports`]), inside
//! the call that matched them; a credit account's orders come only from this pallet.
//!
//! Valuation marks each position at its market's **time-weighted mark** (`marks`: the average
//! of one sample of the last trade price per block over the last minute, within the day's
//! band); the maintenance ratio is `(cash + Σ shares × mark) / (principal + interest)`.
//!
//! The **risk engine** (`risk`) values an account when its record changes (at the start of the
//! next block) or when a mark falls below one of its **trigger prices** (an index ordered by
//! price, walked from the top), and every account once at each day's close: warnings below the
//! warning line, margin calls below the call line at the close with a deadline of the next
//! day's close, liquidation cases below the instant line, for uncured calls, expired contracts
//! and revoked brokers. An account in liquidation may sell and repay, not borrow, buy or
//! withdraw.
//!
//! Not built yet (docs/margin-design.md, steps 2b, 4 and 5): securities lending and short
//! sales, the liquidation orders the off-chain workers place, the risk reserve and bad debt,
//! the VaR report.
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! - `set_parameters`, `set_conversion`: the consortium.
//! - `open_credit`, `renew_credit`, `close_credit`: the owner's broker.
//! - `fund_pool`, `withdraw_pool`: a broker and its financing pool.
//! - `deposit_collateral`, `withdraw_collateral`: between the owner's account and its credit
//!   account.
//! - `financed_buy`, `collateral_buy`, `sell`: orders of a credit account.
//! - `repay`: direct repayment.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod functions;
mod invariants;
pub mod legacy;
mod liquidation;
mod marks;
pub mod migrations;
#[cfg(test)]
mod mock;
mod reports;
pub mod risk;
#[cfg(test)]
mod tests;
pub mod types;
mod valuation;
pub mod var;
pub mod weights;
pub mod worker;

pub use pallet::*;
pub use qingsuan_matching_engine::{OrderId, OrderType, Side};
pub use qingsuan_primitives::{
	investors::{CreditAccounts, InvestorRegistry, MarginApproval},
	market::{Amount, AssetId, Calendar, Day, InstrumentInspect},
	orders::{OrderEntry, OrderReports},
	RoleInspect,
};
pub use types::*;
pub use var::{MarketHistory, NearLine, VarReport};
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::tokens::fungibles::{Inspect, Mutate},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{transaction_validity::TransactionPriority, RuntimeAppPublic};

	/// The pallet's configuration trait.
	#[pallet::config]
	pub trait Config: frame_system::Config + frame_system::offchain::CreateAuthorizedTransaction<Call<Self>> {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The ledger of securities and cash.
		type Ledger: Inspect<Self::AccountId, AssetId = AssetId, Balance = Amount> + Mutate<Self::AccountId>;

		/// The instrument registry.
		type Instruments: InstrumentInspect<Self::AccountId>;

		/// Investor accounts: who acts for an account, and opening and closing credit accounts.
		type Investors: InvestorRegistry<Self::AccountId> + CreditAccounts<Self::AccountId>;

		/// Who is approved for margin trading (compliance's `Margin` claims).
		type Approval: MarginApproval<Self::AccountId>;

		/// The order book, through its order-entry API.
		type Orders: OrderEntry<Self::AccountId>;

		/// The settlement calendar: interest is charged per settlement day.
		type Calendar: Calendar;

		/// The member registry: a credit account whose broker lost its role is liquidated.
		type Members: RoleInspect<Self::AccountId>;

		/// A member broker's signed origin.
		type BrokerOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The consortium.
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most securities one credit account may hold.
		#[pallet::constant]
		type MaxPositions: Get<u32>;

		/// The longest contract term, in settlement days (six months).
		#[pallet::constant]
		type MaxTermDays: Get<u32>;

		/// The most markets whose marks are kept (markets of securities credit accounts hold).
		#[pallet::constant]
		type MaxWatchedMarkets: Get<u32>;

		/// The most credit accounts the risk engine values per block.
		#[pallet::constant]
		type MaxRiskChecksPerBlock: Get<u32>;

		/// The key an off-chain worker signs liquidation steps with (the runtime uses the
		/// validators' block-authoring keys; the signed payload is domain-separated).
		type WorkerId: Parameter + Member + RuntimeAppPublic<Signature = Self::WorkerSignature> + Ord + MaxEncodedLen;

		/// The signature of a [`Config::WorkerId`].
		type WorkerSignature: Parameter + Member;

		/// The keys whose liquidation steps are accepted: the current authorities.
		type Workers: Get<alloc::vec::Vec<Self::WorkerId>>;

		/// Blocks a liquidation step stays valid after the block it was found at.
		#[pallet::constant]
		type UpkeepLifetime: Get<BlockNumberFor<Self>>;

		/// The pool priority of liquidation steps (above members' orders).
		#[pallet::constant]
		type UpkeepPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls, generated by `benchmark pallet`.
		type WeightInfo: WeightInfo;

		/// Sets up the benchmarks' world (brokers, investors, markets).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId, Self::WorkerId>;
	}

	/// A credit account's record in this runtime.
	pub type CreditOf<T> = CreditInfo<<T as frame_system::Config>::AccountId, <T as Config>::MaxPositions>;

	/// The layout of this pallet's storage. A change to it bumps this and comes with a
	/// migration in the runtime's `Migrations` (`runtime/src/lib.rs`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The lines and margin ratios.
	#[pallet::storage]
	pub type MarginParameters<T: Config> = StorageValue<_, Parameters, ValueQuery>;

	/// Each collateral security's category and conversion rate.
	#[pallet::storage]
	pub type Conversions<T: Config> = StorageMap<_, Twox64Concat, AssetId, Conversion>;

	/// Every credit account's record.
	#[pallet::storage]
	pub type Credit<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, CreditOf<T>>;

	/// What each broker has lent from its financing pool, per cash asset.
	#[pallet::storage]
	pub type Lent<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, AssetId, Amount, ValueQuery>;

	/// What each broker has lent from its lending pool: shares of each security owed by its
	/// credit accounts.
	#[pallet::storage]
	pub type Borrowed<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, AssetId, Amount, ValueQuery>;

	/// The orders this pallet placed that have not ended.
	#[pallet::storage]
	pub type EntryOrders<T: Config> = StorageMap<_, Twox64Concat, OrderId, EntryOrderInfo<T::AccountId>>;

	/// The markets whose marks are kept: those of securities some credit account holds.
	#[pallet::storage]
	pub type Watched<T: Config> = StorageValue<_, BoundedVec<u32, T::MaxWatchedMarkets>, ValueQuery>;

	/// Each watched market's time-weighted mark.
	#[pallet::storage]
	pub type Marks<T: Config> = StorageMap<_, Twox64Concat, u32, MarkState>;

	/// Each credit account's standing against the lines (absent: no debt, nothing open).
	#[pallet::storage]
	pub type Risk<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, RiskState<T::MaxPositions>>;

	/// The trigger index: `(market, descending price, account)`, iterated from the highest price
	/// down ([`risk::descending`]). The keys are prices and accounts the pallet computed, so the
	/// `Identity` hasher cannot be steered by users.
	#[pallet::storage]
	pub type Triggers<T: Config> = StorageNMap<
		_,
		(NMapKey<Twox64Concat, u32>, NMapKey<Identity, [u8; 16]>, NMapKey<Blake2_128Concat, T::AccountId>),
		(),
	>;

	/// The rising trigger index, for securities owed: `(market, ascending price, account)`,
	/// iterated from the lowest price up ([`risk::ascending`]).
	#[pallet::storage]
	pub type TriggersAbove<T: Config> = StorageNMap<
		_,
		(NMapKey<Twox64Concat, u32>, NMapKey<Identity, [u8; 16]>, NMapKey<Blake2_128Concat, T::AccountId>),
		(),
	>;

	/// Credit accounts whose records changed since the risk engine last valued them.
	#[pallet::storage]
	pub type Dirty<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Where the last block stopped valuing changed accounts (the raw key of the last one).
	#[pallet::storage]
	pub type DirtyCursor<T: Config> = StorageValue<_, BoundedVec<u8, ConstU32<128>>>;

	/// Each tracked market's daily closes (its mark at the start of each settlement day on
	/// which it closed at a new price), oldest first: the VaR report's scenarios.
	#[pallet::storage]
	pub type Closes<T: Config> =
		StorageMap<_, Twox64Concat, u32, BoundedVec<Amount, ConstU32<{ var::CLOSES_KEPT }>>, ValueQuery>;

	/// The markets whose closes are recorded: every market watched at some day's start, kept
	/// when no longer watched (so a security bought again has its history); when full, the
	/// earliest tracked of those not watched is dropped.
	#[pallet::storage]
	pub type Tracked<T: Config> = StorageValue<_, BoundedVec<u32, ConstU32<{ var::MAX_TRACKED }>>, ValueQuery>;

	/// The credit accounts being liquidated.
	#[pallet::storage]
	pub type Cases<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Bad debt each broker's risk reserve could not cover, per cash asset.
	#[pallet::storage]
	pub type Uncovered<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, AssetId, Amount, ValueQuery>;

	/// The settlement day the risk engine last started a close for.
	#[pallet::storage]
	pub type RiskDay<T: Config> = StorageValue<_, Day, ValueQuery>;

	/// The pass over every credit account in progress, if any.
	#[pallet::storage]
	pub type Pass<T: Config> = StorageValue<_, PassState>;

	/// The collateral securities and their conversion rates at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(security, category and rate)`, each within its category's ceiling.
		pub conversions: alloc::vec::Vec<(AssetId, Conversion)>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for &(security, conversion) in &self.conversions {
				Pallet::<T>::do_set_conversion(security, Some(conversion))
					.expect("genesis conversion rates are of securities, within their caps");
			}
		}
	}

	/// Events of the margin pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The consortium set the lines and margin ratios.
		ParametersSet {
			/// The new parameters.
			parameters: Parameters,
		},
		/// The consortium set (or, `None`, removed) a security's conversion rate.
		ConversionSet {
			/// The security.
			security: AssetId,
			/// Its category and rate.
			conversion: Option<Conversion>,
		},
		/// A broker opened a credit account under a contract.
		CreditOpened {
			/// The credit account.
			credit: T::AccountId,
			/// Its owner.
			owner: T::AccountId,
			/// Their broker.
			broker: T::AccountId,
			/// The contract.
			contract: Contract,
		},
		/// A broker renewed a contract.
		CreditRenewed {
			/// The credit account.
			credit: T::AccountId,
			/// The first day it no longer lends.
			expires: Day,
		},
		/// A broker closed a credit account with nothing owed and nothing in it.
		CreditClosed {
			/// The credit account.
			credit: T::AccountId,
		},
		/// A broker moved its own cash into its financing pool.
		PoolFunded {
			/// The broker.
			broker: T::AccountId,
			/// The cash asset.
			cash: AssetId,
			/// How much.
			amount: Amount,
		},
		/// A broker took cash its financing pool does not lend back.
		PoolWithdrawn {
			/// The broker.
			broker: T::AccountId,
			/// The cash asset.
			cash: AssetId,
			/// How much.
			amount: Amount,
		},
		/// Collateral moved from the owner's account into its credit account.
		CollateralDeposited {
			/// The credit account.
			credit: T::AccountId,
			/// The asset.
			asset: AssetId,
			/// How much.
			amount: Amount,
		},
		/// Collateral moved from a credit account back to its owner.
		CollateralWithdrawn {
			/// The credit account.
			credit: T::AccountId,
			/// The asset.
			asset: AssetId,
			/// How much.
			amount: Amount,
		},
		/// The pallet placed an order for a credit account.
		OrderPlaced {
			/// The credit account.
			credit: T::AccountId,
			/// The order.
			order: OrderId,
			/// What it is for.
			purpose: Purpose,
		},
		/// A broker lent to a credit account for a financed buy.
		Lent {
			/// The credit account.
			credit: T::AccountId,
			/// The security bought.
			security: AssetId,
			/// The cash lent.
			amount: Amount,
		},
		/// A credit account repaid interest and principal.
		Repaid {
			/// The credit account.
			credit: T::AccountId,
			/// Interest paid.
			interest: Amount,
			/// Principal paid.
			principal: Amount,
		},
		/// A credit account's ratio fell below the warning line.
		MarginWarning {
			/// The credit account.
			credit: T::AccountId,
			/// Its maintenance ratio, in basis points.
			ratio: u128,
		},
		/// At the close, a credit account was below the margin-call line: it must be back at
		/// the warning line by the end of `deadline`.
		MarginCallOpened {
			/// The credit account.
			credit: T::AccountId,
			/// Its maintenance ratio, in basis points.
			ratio: u128,
			/// The last settlement day to cure it.
			deadline: Day,
		},
		/// A margin call was cured: the ratio is back at the warning line.
		MarginCallCured {
			/// The credit account.
			credit: T::AccountId,
			/// Its maintenance ratio, in basis points.
			ratio: u128,
		},
		/// A credit account is to be liquidated.
		LiquidationStarted {
			/// The credit account.
			credit: T::AccountId,
			/// Why.
			reason: CaseReason,
			/// Its maintenance ratio, in basis points (0 with nothing left).
			ratio: u128,
		},
		/// A liquidation case ended: nothing is owed, or the ratio is back at the warning line.
		LiquidationEnded {
			/// The credit account.
			credit: T::AccountId,
		},
		/// A liquidation step the order book refused: nothing changed; the next is tried
		/// `FAILED_STEP_BACKOFF` blocks later.
		LiquidationStepFailed {
			/// The credit account.
			credit: T::AccountId,
			/// The step.
			step: LiquidationStep,
			/// Why the order book refused it.
			error: DispatchError,
		},
		/// A step of a liquidation case was taken.
		LiquidationStepped {
			/// The credit account.
			credit: T::AccountId,
			/// What it did.
			step: LiquidationStep,
		},
		/// A credit account with nothing left to sell owed `principal` and `interest`; its
		/// broker's risk reserve paid `covered` of it (interest first); the rest is recorded in
		/// `Uncovered`.
		BadDebt {
			/// The credit account.
			credit: T::AccountId,
			/// Its broker.
			broker: T::AccountId,
			/// Principal written off.
			principal: Amount,
			/// Interest written off.
			interest: Amount,
			/// What the reserve paid.
			covered: Amount,
		},
		/// A broker moved its own cash into its risk reserve.
		ReserveFunded {
			/// The broker.
			broker: T::AccountId,
			/// The cash asset.
			cash: AssetId,
			/// How much.
			amount: Amount,
		},
		/// A broker took cash back from its risk reserve.
		ReserveWithdrawn {
			/// The broker.
			broker: T::AccountId,
			/// The cash asset.
			cash: AssetId,
			/// How much.
			amount: Amount,
		},
		/// A broker moved shares of its own into its lending pool.
		LendingFunded {
			/// The broker.
			broker: T::AccountId,
			/// The security.
			security: AssetId,
			/// Shares.
			quantity: Amount,
		},
		/// A broker took shares its lending pool holds (not lent) back.
		LendingWithdrawn {
			/// The broker.
			broker: T::AccountId,
			/// The security.
			security: AssetId,
			/// Shares.
			quantity: Amount,
		},
		/// Owed shares went back to the lending pool (bought back, or deposited); `released` of
		/// the short proceeds became the investor's free cash when nothing was left owed.
		SharesReturned {
			/// The credit account.
			credit: T::AccountId,
			/// The security.
			security: AssetId,
			/// Shares returned.
			quantity: Amount,
			/// Proceeds released.
			released: Amount,
		},
		/// `quantity` shares of `security` were lent from the broker's lending pool to `credit`
		/// for a short sale.
		SharesLent {
			/// The credit account.
			credit: T::AccountId,
			/// The security.
			security: AssetId,
			/// Shares.
			quantity: Amount,
		},
		/// A credit account with nothing left to sell or buy with owed `quantity` shares worth
		/// `value` at the mark; its cash paid `paid` and its broker's risk reserve `covered` of
		/// that value into the lending pool, the rest is recorded in `Uncovered`.
		SharesWrittenOff {
			/// The credit account.
			credit: T::AccountId,
			/// Its broker.
			broker: T::AccountId,
			/// The security.
			security: AssetId,
			/// Shares written off.
			quantity: Amount,
			/// Their value at the mark.
			value: Amount,
			/// What the account's cash paid.
			paid: Amount,
			/// What the reserve paid.
			covered: Amount,
		},
		/// Interest was charged for the days since the account was last touched.
		InterestCharged {
			/// The credit account.
			credit: T::AccountId,
			/// The amount.
			amount: Amount,
			/// The day it is now charged up to (exclusive).
			to: Day,
		},
	}

	/// Errors of the margin pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No credit account has this id.
		UnknownCredit,
		/// The caller is not this account's broker.
		NotYourAccount,
		/// The owner holds no valid margin approval (a `Margin` claim).
		NotApproved,
		/// A term of zero days, or longer than `MaxTermDays`.
		InvalidTerm,
		/// Lines not ordered above 100%, or a margin or share outside (0, 100%].
		InvalidParameters,
		/// The conversion rate is above its category's ceiling.
		AboveCap,
		/// The asset is not a security.
		NotASecurity,
		/// The security is not collateral (no conversion rate, or zero).
		NotCollateral,
		/// The asset is not the contract's cash, or the market is not priced in it.
		WrongCash,
		/// The contract has expired: nothing new is borrowed; renew or repay.
		ContractExpired,
		/// The loan would take the principal past the credit line.
		LineExceeded,
		/// The account's available margin does not cover the initial margin.
		InsufficientMargin,
		/// The broker's financing pool has too little free cash.
		PoolShort,
		/// Too little free balance.
		InsufficientBalance,
		/// The withdrawal would leave the ratio below the withdrawal line.
		BelowWithdrawalLine,
		/// The purchase would put more of the collateral in one security than its tier allows.
		Concentration,
		/// The account owes principal or interest.
		DebtOutstanding,
		/// The account has orders in the book.
		OrdersOpen,
		/// The account still holds assets.
		BalancesLeft,
		/// The account holds as many securities as it may.
		TooManyPositions,
		/// A zero amount or quantity.
		ZeroAmount,
		/// No such market.
		UnknownMarket,
		/// Nothing is owed.
		NothingOwed,
		/// The order book gave the order another id than the one it was recorded under.
		OrderIdMismatch,
		/// A regulator froze the account (or its owner): its balances stay where they are.
		AccountFrozen,
		/// The account is being liquidated: it may sell at once and repay, not borrow, buy,
		/// withdraw or leave an order resting.
		InLiquidation,
		/// As many markets are watched as may be: the security cannot be taken as collateral.
		TooManyMarkets,
		/// No liquidation step is due for the account (no case, nothing owed, frozen, a step
		/// already taken in this block, or nothing it can do yet).
		NoStepDue,
		/// The broker's lending pool has too few free shares.
		LendingShort,
		/// The account owes shares of this security: it may only buy them to return them.
		OwesShares,
		/// A short sale must be a limit order priced at or above the last trade price (the
		/// previous close before the day's first trade).
		UptickRule,
		/// The account holds shares of this security or owes financing on it: sell them, or
		/// repay, before selling it short.
		HoldsSecurity,
		/// More than the shares owed (rounded up to a lot) would be bought back.
		ExceedsOwed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::risk_upkeep(Self::block_u32())
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_worker(now);
		}

		fn integrity_test() {
			assert!(T::MaxPositions::get() > 0, "MaxPositions must be at least 1");
			assert!(T::MaxTermDays::get() > 0, "MaxTermDays must be at least 1");
			assert!(T::MaxRiskChecksPerBlock::get() > 0, "MaxRiskChecksPerBlock must be at least 1");
			assert!(!T::UpkeepLifetime::get().is_zero(), "UpkeepLifetime must be at least 1");
			assert!(Parameters::default().are_valid(), "the default parameters are valid");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set the lines and margin ratios. The origin must be the consortium.
		///
		/// Emits `ParametersSet`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: Parameters) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_parameters(parameters)
		}

		/// Set `security`'s category and conversion rate (parts per million, within the
		/// category's ceiling), or remove it (`None`: no longer collateral). The origin must be
		/// the consortium.
		///
		/// Emits `ConversionSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_conversion())]
		pub fn set_conversion(
			origin: OriginFor<T>,
			security: AssetId,
			conversion: Option<Conversion>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_conversion(security, conversion)
		}

		/// Open the credit account of the caller's investor `owner`, who must be approved for
		/// margin trading, under a contract: `line` of `cash`, yearly `rate` on financing and
		/// `short_rate` on borrowed shares' sale value (per million, on a 360-day year), for
		/// `term_days` settlement days.
		///
		/// Emits `CreditOpened`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::open_credit())]
		pub fn open_credit(
			origin: OriginFor<T>,
			owner: T::AccountId,
			cash: AssetId,
			line: Amount,
			rate: u32,
			short_rate: u32,
			term_days: u32,
		) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_open_credit(&broker, &owner, cash, line, (rate, short_rate), term_days).map(|_| ())
		}

		/// Renew `credit`'s contract for `term_days` from today, before it expires; its owner
		/// must still be approved.
		///
		/// Emits `CreditRenewed`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::renew_credit())]
		pub fn renew_credit(origin: OriginFor<T>, credit: T::AccountId, term_days: u32) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_renew_credit(&broker, &credit, term_days)
		}

		/// Close `credit`: nothing owed, no orders, nothing held.
		///
		/// Emits `CreditClosed`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_credit(T::MaxPositions::get()))]
		pub fn close_credit(origin: OriginFor<T>, credit: T::AccountId) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_close_credit(&broker, &credit)
		}

		/// Move `amount` of the caller's own `cash` into its financing pool.
		///
		/// Emits `PoolFunded`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::fund_pool())]
		pub fn fund_pool(origin: OriginFor<T>, cash: AssetId, amount: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_fund_pool(&broker, cash, amount)
		}

		/// Move `amount` of `cash` the caller's financing pool holds (not lent) back to it.
		///
		/// Emits `PoolWithdrawn`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::withdraw_pool())]
		pub fn withdraw_pool(origin: OriginFor<T>, cash: AssetId, amount: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_withdraw_pool(&broker, cash, amount)
		}

		/// Move `amount` of `asset` (the contract's cash, or a collateral security) from the
		/// owner's account into its credit account `credit`. Shares of a security it owes go
		/// back to the lending pool (直接还券); not while an order in that security is open.
		///
		/// Emits `CollateralDeposited`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::deposit_collateral()
			.max(T::WeightInfo::deposit_return())
			.saturating_add(Pallet::<T>::making_room_weight()))]
		pub fn deposit_collateral(
			origin: OriginFor<T>,
			credit: T::AccountId,
			asset: AssetId,
			amount: Amount,
		) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_deposit_collateral(&broker, &credit, asset, amount)
		}

		/// Move `amount` of `asset` from `credit` back to its owner: with debt, only while the
		/// maintenance ratio after it stays at or above the withdrawal line.
		///
		/// Emits `CollateralWithdrawn`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::withdraw_collateral(T::MaxPositions::get()))]
		pub fn withdraw_collateral(
			origin: OriginFor<T>,
			credit: T::AccountId,
			asset: AssetId,
			amount: Amount,
		) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_withdraw_collateral(&broker, &credit, asset, amount)
		}

		/// A financed buy (融资买入) for `credit` in `market`: lends what the order holds from
		/// the caller's financing pool, within the available margin, the line and the
		/// concentration limit, and places the order. What it does not spend is repaid when it
		/// ends.
		///
		/// Emits `Lent`, `OrderPlaced`, and the order book's events.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::financed_buy()
			.saturating_add(Pallet::<T>::making_room_weight())
			.saturating_add(T::Orders::place_weight()))]
		pub fn financed_buy(
			origin: OriginFor<T>,
			credit: T::AccountId,
			market: u32,
			quantity: u64,
			kind: OrderType,
		) -> DispatchResultWithPostInfo {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			let (_, placing) = Self::do_financed_buy(&broker, &credit, market, quantity, kind)?;
			// Charged for what placing the order cost, not the book's worst case.
			Ok(Some(T::WeightInfo::financed_buy().saturating_add(Self::making_room_weight()).saturating_add(placing))
				.into())
		}

		/// A buy with the account's own cash (担保品买入), of a collateral security, within the
		/// concentration limit.
		///
		/// Emits `OrderPlaced`, and the order book's events.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::collateral_buy()
			.saturating_add(Pallet::<T>::making_room_weight())
			.saturating_add(T::Orders::place_weight()))]
		pub fn collateral_buy(
			origin: OriginFor<T>,
			credit: T::AccountId,
			market: u32,
			quantity: u64,
			kind: OrderType,
		) -> DispatchResultWithPostInfo {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			let (_, placing) = Self::do_collateral_buy(&broker, &credit, market, quantity, kind)?;
			// Charged for what placing the order cost, not the book's worst case.
			Ok(Some(T::WeightInfo::collateral_buy().saturating_add(Self::making_room_weight()).saturating_add(placing))
				.into())
		}

		/// A sell (担保品卖出, 卖券还款) of `credit`'s shares: each fill's proceeds repay interest,
		/// then principal; the rest stays in the account.
		///
		/// Emits `OrderPlaced`, `Repaid`, and the order book's events.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::sell().saturating_add(T::Orders::place_weight()))]
		pub fn sell(
			origin: OriginFor<T>,
			credit: T::AccountId,
			market: u32,
			quantity: u64,
			kind: OrderType,
		) -> DispatchResultWithPostInfo {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			let (_, placing) = Self::do_sell(&broker, &credit, market, quantity, kind)?;
			// Charged for what placing the order cost, not the book's worst case.
			Ok(Some(T::WeightInfo::sell().saturating_add(placing)).into())
		}

		/// Repay up to `amount` (interest first, then principal) from `credit`'s free cash
		/// (直接还款).
		///
		/// Emits `Repaid`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::repay(T::MaxPositions::get()))]
		pub fn repay(origin: OriginFor<T>, credit: T::AccountId, amount: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_repay(&broker, &credit, amount)
		}

		/// Move `amount` of the caller's own `cash` into its risk reserve, which covers its
		/// credit accounts' bad debt.
		///
		/// Emits `ReserveFunded`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::fund_reserve())]
		pub fn fund_reserve(origin: OriginFor<T>, cash: AssetId, amount: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_fund_reserve(&broker, cash, amount)
		}

		/// Take `amount` of `cash` back from the caller's risk reserve.
		///
		/// Emits `ReserveWithdrawn`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::withdraw_reserve())]
		pub fn withdraw_reserve(origin: OriginFor<T>, cash: AssetId, amount: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_withdraw_reserve(&broker, cash, amount)
		}

		/// A short sale (融券卖出) for `credit` in `market`: a limit order at or above the last
		/// trade price, needing the short margin (50%) of its value in available margin and room
		/// under the credit line; borrows `quantity` shares from the caller's lending pool and
		/// places the sell. Its proceeds stay in the account, restricted to buying the shares
		/// back; what it does not sell goes back to the pool when it ends.
		///
		/// Emits `SharesLent`, `OrderPlaced`, and the order book's events.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::short_sell()
			.saturating_add(Pallet::<T>::making_room_weight())
			.saturating_add(T::Orders::place_weight()))]
		pub fn short_sell(
			origin: OriginFor<T>,
			credit: T::AccountId,
			market: u32,
			quantity: u64,
			kind: OrderType,
		) -> DispatchResultWithPostInfo {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			let (_, placing) = Self::do_short_sell(&broker, &credit, market, quantity, kind)?;
			// Charged for what placing the order cost, not the book's worst case.
			Ok(Some(T::WeightInfo::short_sell().saturating_add(Self::making_room_weight()).saturating_add(placing))
				.into())
		}

		/// A buy to return (买券还券) of shares `credit` owes, in `market`: at most what it owes
		/// rounded up to a lot, paid from its short proceeds first, then its own cash; each
		/// fill's shares go back to the lending pool, and once nothing is owed the proceeds left
		/// are the investor's.
		///
		/// Emits `OrderPlaced`, `SharesReturned`, and the order book's events.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::buy_to_return().saturating_add(T::Orders::place_weight()))]
		pub fn buy_to_return(
			origin: OriginFor<T>,
			credit: T::AccountId,
			market: u32,
			quantity: u64,
			kind: OrderType,
		) -> DispatchResultWithPostInfo {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			let (_, placing) = Self::do_buy_to_return(&broker, &credit, market, quantity, kind)?;
			// Charged for what placing the order cost, not the book's worst case.
			Ok(Some(T::WeightInfo::buy_to_return().saturating_add(placing)).into())
		}

		/// Move `quantity` shares of the caller's own `security` into its lending pool.
		///
		/// Emits `LendingFunded`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::fund_lending())]
		pub fn fund_lending(origin: OriginFor<T>, security: AssetId, quantity: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_fund_lending(&broker, security, quantity)
		}

		/// Move `quantity` shares of `security` the caller's lending pool holds (not lent) back
		/// to it.
		///
		/// Emits `LendingWithdrawn`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::withdraw_lending())]
		pub fn withdraw_lending(origin: OriginFor<T>, security: AssetId, quantity: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_withdraw_lending(&broker, security, quantity)
		}

		/// Take the liquidation step due for `credit` (repay from its cash, buy back shares it
		/// owes or sell its largest position with a protected market order, or write off what
		/// is left), as an
		/// authority's off-chain worker found it at `block`. Valid only with a current
		/// authority's signature over a recent block, and only while a step is due.
		///
		/// Emits `LiquidationStepped`, and `Repaid`, `OrderPlaced` or `BadDebt`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::liquidate_sell()
			.max(T::WeightInfo::liquidate_buy_back())
			.max(T::WeightInfo::liquidate_write_off())
			.saturating_add(T::Orders::place_weight().max(T::Orders::cancel_all_weight())))]
		#[pallet::authorize(|_source, credit, block, worker, signature| {
			Pallet::<T>::authorize_liquidation(credit, block, worker, signature)
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_liquidation())]
		pub fn liquidate(
			origin: OriginFor<T>,
			credit: T::AccountId,
			block: BlockNumberFor<T>,
			worker: T::WorkerId,
			signature: T::WorkerSignature,
		) -> DispatchResultWithPostInfo {
			frame_system::ensure_authorized(origin)?;
			let _ = (block, worker, signature);
			let (step, placing) = Self::do_liquidate(&credit)?;
			// Charged for the step taken and what its order cost, not the worst of each. A
			// cancellation or a repayment values less of the account than a sale.
			let taken = match step {
				LiquidationStep::WriteOff => T::WeightInfo::liquidate_write_off(),
				LiquidationStep::BuyBack { .. } => T::WeightInfo::liquidate_buy_back(),
				_ => T::WeightInfo::liquidate_sell(),
			};
			Ok(Some(taken.saturating_add(placing)).into())
		}
	}
}
