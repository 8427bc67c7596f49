//! # Investors pallet
//!
//! Investor accounts: the securities accounts investors open through a broker.
//!
//! ## Overview
//!
//! Holdings are recorded per investor. A broker opens an investor account under itself; the
//! account's id is derived on chain from the broker and a commitment to the broker's client
//! number (`SM3(broker ‖ SM3(salt ‖ client number))`, with a salt only the broker knows), so it
//! reveals no personal data and no two brokers can open the same id. Nobody holds a key for it:
//! the investor's broker acts for it, and only its broker.
//!
//! The investor's securities and cash are its own ledger balances, apart from its broker's and
//! from every other investor's. Cash reaches an investor only from its broker's *client-money
//! account* (a second account per broker, derived from it, that holds the money clients paid
//! in), and goes back only there: no call of this pallet moves an investor's assets to another
//! investor or to the broker's own account.
//!
//! ### Terminology
//!
//! - **Investor account**: an account opened by [`Pallet::open_investor`], with its broker.
//! - **Client-money account**: [`Pallet::client_money_account`] of a broker: the pool investor
//!   cash is allocated from and returned to. A broker funds it from its own account
//!   ([`Pallet::fund_client_money`]); nothing moves money the other way.
//! - **Transfer (转托管)**: an investor account moving to another broker, asked by the new broker
//!   and approved by the current one, with no open orders and no cash left.
//! - **Forced transfer**: the consortium moves the investors of a broker whose membership was
//!   revoked to a member broker. Their open orders are cancelled first; their cash moves with
//!   them (client money follows the client: the event lists it, so the depository bank moves
//!   the fiat between the two brokers' client-money accounts).
//! - **Credit account (信用证券账户)**: an investor's second account, for margin trading,
//!   opened and closed by the margin pallet ([`CreditAccounts`]) under the same broker, with id
//!   `SM3("qingsuan/credit/v1" ‖ SCALE(owner))`. Its orders and collateral go through the
//!   margin pallet; it never takes part in a transfer (as the exchanges rule: a credit account
//!   is closed, its debts repaid, before its owner moves), and a freeze of its owner freezes it
//!   too.
//! - **Frozen**: a regulator's freeze: the account's orders are refused and its open orders
//!   cancelled; its balances stay where they are.
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! - `open_investor(commitment)`: a broker opens an investor account.
//! - `fund_client_money(asset, amount)`: a broker moves its own cash into its client-money
//!   account.
//! - `allocate_cash(investor, asset, amount)`, `return_cash(investor, asset, amount)`: a broker
//!   moves cash between its client-money account and one of its investors.
//! - `freeze(investor)`, `unfreeze(investor)`: the regulator.
//! - `request_transfer(investor)`, `approve_transfer(investor)`, `cancel_transfer(investor)`: the
//!   new broker asks, the current broker approves, either withdraws the request.
//! - `force_transfer(investor, to)`: the consortium, for an investor of a revoked broker.
//!
//! ### Other pallets
//!
//! [`InvestorRegistry`] (`broker_of`, `acts_for`, `is_frozen`) for the order book and settlement.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod functions;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub mod migrations;

pub use qingsuan_primitives::{
	investors::{CreditAccounts, InvestorRegistry, OpenOrders},
	market::{Amount, AssetId},
};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::tokens::fungibles::{Inspect, Mutate},
	};
	use frame_system::pallet_prelude::*;
	use qingsuan_primitives::{market::InstrumentInspect, RoleInspect};

	/// The pallet's configuration trait.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The ledger of securities and cash.
		type Ledger: Inspect<Self::AccountId, AssetId = AssetId, Balance = Amount> + Mutate<Self::AccountId>;

		/// The instrument registry.
		type Instruments: InstrumentInspect<Self::AccountId>;

		/// Who holds which role (a transfer's new broker must be a member broker).
		type Members: RoleInspect<Self::AccountId>;

		/// The order book: an investor's open orders.
		type OpenOrders: OpenOrders<Self::AccountId>;

		/// A member broker's signed origin.
		type BrokerOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// A regulator's signed origin.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The consortium (forced transfers).
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most cash assets the ledger registers (a transfer checks each for the investor's
		/// cash).
		#[pallet::constant]
		type MaxCashAssets: Get<u32>;

		/// Told of every investor or credit account opened: investor accounts exist in no
		/// balance pallet, so the runtime maps them to their contract addresses here (pallet
		/// revive's `AutoMapper`), as it maps other accounts when they are created.
		type OnOpen: frame_support::traits::OnNewAccount<Self::AccountId>;

		/// Told of every credit account closed.
		type OnClose: frame_support::traits::OnKilledAccount<Self::AccountId>;

		/// Weights of this pallet's calls, generated by `benchmark pallet`.
		type WeightInfo: WeightInfo;

		/// Sets up brokers and cash for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The layout of this pallet's storage. A change to it bumps this and comes with a
	/// migration in the runtime's `Migrations` (`runtime/src/lib.rs`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Every investor account, with its broker and status.
	#[pallet::storage]
	pub type Registry<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, InvestorOf<T>>;

	/// How many investor accounts each broker has.
	#[pallet::storage]
	pub type InvestorCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Each investor's credit account: owner → credit account.
	#[pallet::storage]
	pub type CreditAccountOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

	/// Transfers asked for and not yet approved: investor → the broker it is to move to.
	#[pallet::storage]
	pub type PendingTransfers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

	/// Events of the investors pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `broker` opened the investor account `investor`.
		InvestorOpened {
			/// The new account.
			investor: T::AccountId,
			/// Its broker.
			broker: T::AccountId,
		},
		/// The credit account `credit` of `owner` was opened.
		CreditAccountOpened {
			/// The new account.
			credit: T::AccountId,
			/// The investor account it belongs to.
			owner: T::AccountId,
			/// Their broker.
			broker: T::AccountId,
		},
		/// The credit account `credit` was closed.
		CreditAccountClosed {
			/// The account closed.
			credit: T::AccountId,
			/// The investor account it belonged to.
			owner: T::AccountId,
		},
		/// `broker` moved `amount` of its own cash `asset` into its client-money account.
		ClientMoneyFunded {
			/// The broker.
			broker: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// How much.
			amount: Amount,
		},
		/// `amount` of cash `asset` went from the broker's client-money account to `investor`.
		CashAllocated {
			/// The investor account credited.
			investor: T::AccountId,
			/// Its broker.
			broker: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// How much.
			amount: Amount,
		},
		/// `amount` of cash `asset` went from `investor` back to its broker's client-money account.
		CashReturned {
			/// The investor account debited.
			investor: T::AccountId,
			/// Its broker.
			broker: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// How much.
			amount: Amount,
		},
		/// A regulator froze `investor`; `orders_cancelled` of its open orders were cancelled at
		/// once (any others are cancelled when matching meets them).
		InvestorFrozen {
			/// The frozen account.
			investor: T::AccountId,
			/// The regulator.
			by: T::AccountId,
			/// Open orders cancelled by the freeze.
			orders_cancelled: u32,
		},
		/// A regulator unfroze `investor`.
		InvestorUnfrozen {
			/// The account.
			investor: T::AccountId,
			/// The regulator.
			by: T::AccountId,
		},
		/// Broker `to` asked to take over `investor` from `from`.
		TransferRequested {
			/// The account to move.
			investor: T::AccountId,
			/// Its current broker.
			from: T::AccountId,
			/// The broker asking for it.
			to: T::AccountId,
		},
		/// `investor` moved from broker `from` to broker `to`.
		InvestorTransferred {
			/// The account moved.
			investor: T::AccountId,
			/// Its former broker.
			from: T::AccountId,
			/// Its broker now.
			to: T::AccountId,
		},
		/// The consortium moved `investor` of the revoked broker `from` to `to`, with its cash.
		TransferForced {
			/// The account moved.
			investor: T::AccountId,
			/// Its former broker, no longer a member.
			from: T::AccountId,
			/// Its broker now.
			to: T::AccountId,
			/// The cash it took along, per cash asset: client money the depository bank moves
			/// from `from`'s client-money account to `to`'s.
			cash: alloc::vec::Vec<(AssetId, Amount)>,
		},
		/// A forced transfer of `investor` cancelled `orders_cancelled` open orders, as many as
		/// one call may, and more remain: the consortium calls again to finish it.
		ForcedTransferPending {
			/// The account to move.
			investor: T::AccountId,
			/// Orders cancelled by this call.
			orders_cancelled: u32,
		},
		/// The transfer of `investor` to `to` was withdrawn by `by`.
		TransferCancelled {
			/// The account that stays.
			investor: T::AccountId,
			/// The broker it was to move to.
			to: T::AccountId,
			/// The broker that withdrew it.
			by: T::AccountId,
		},
	}

	/// Errors of the investors pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// This broker already opened an account with this commitment.
		AlreadyOpen,
		/// No investor account has this id.
		UnknownInvestor,
		/// The caller is not this investor's broker.
		NotYourInvestor,
		/// The asset is not a cash asset in trading.
		NotTradingCash,
		/// A zero amount.
		ZeroAmount,
		/// The account paying has less than the amount.
		InsufficientBalance,
		/// The investor is frozen by a regulator.
		InvestorFrozen,
		/// The investor is not frozen.
		NotFrozen,
		/// The account already is this broker's.
		SameBroker,
		/// The new broker is not a member broker.
		NotABroker,
		/// A transfer of this account is already asked for.
		TransferPending,
		/// No transfer of this account is asked for.
		NoTransferPending,
		/// The account has open orders: they must end before it moves.
		HasOpenOrders,
		/// The account holds cash: it is returned to the broker first (cash stays with the
		/// broker's depository bank).
		HoldsCash,
		/// A broker has as many investor accounts as a `u32` counts.
		TooManyInvestors,
		/// The investor's broker is still a member: its transfers go through it.
		BrokerStillMember,
		/// A credit account, or an investor with one: it does not move between brokers (its
		/// credit account is closed first), and its cash moves only through the margin pallet.
		CreditAccount,
		/// The investor already has a credit account.
		HasCreditAccount,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Open an investor account under the calling broker. `commitment` is
		/// `SM3(salt ‖ client number)`, computed by the broker; the account id is
		/// [`Pallet::investor_account`] of the broker and the commitment.
		///
		/// Emits `InvestorOpened`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::open_investor())]
		pub fn open_investor(origin: OriginFor<T>, commitment: [u8; 32]) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_open_investor(&broker, &commitment).map(|_| ())
		}

		/// Move `amount` of the caller's own cash `asset` into its client-money account.
		///
		/// Emits `ClientMoneyFunded`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::fund_client_money())]
		pub fn fund_client_money(origin: OriginFor<T>, asset: AssetId, amount: Amount) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_fund_client_money(&broker, asset, amount)
		}

		/// Move `amount` of cash `asset` from the caller's client-money account to its investor.
		///
		/// Emits `CashAllocated`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::allocate_cash())]
		pub fn allocate_cash(
			origin: OriginFor<T>,
			investor: T::AccountId,
			asset: AssetId,
			amount: Amount,
		) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_allocate_cash(&broker, &investor, asset, amount)
		}

		/// Move `amount` of cash `asset` from the caller's investor back to the caller's
		/// client-money account (for a withdrawal through the bank).
		///
		/// Emits `CashReturned`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::return_cash())]
		pub fn return_cash(
			origin: OriginFor<T>,
			investor: T::AccountId,
			asset: AssetId,
			amount: Amount,
		) -> DispatchResult {
			let broker = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_return_cash(&broker, &investor, asset, amount)
		}

		/// Freeze `investor`: its orders are refused and its open orders cancelled; its balances
		/// stay. Its credit account, if it has one, is frozen with it. The origin must be a
		/// regulator.
		///
		/// Emits `InvestorFrozen`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::freeze().saturating_add(T::OpenOrders::cancel_weight().saturating_mul(2)))]
		pub fn freeze(origin: OriginFor<T>, investor: T::AccountId) -> DispatchResult {
			let regulator = T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_freeze(&regulator, &investor)
		}

		/// Lift a regulator's freeze of `investor` (and of its credit account, if frozen). The
		/// origin must be a regulator.
		///
		/// Emits `InvestorUnfrozen`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::unfreeze())]
		pub fn unfreeze(origin: OriginFor<T>, investor: T::AccountId) -> DispatchResult {
			let regulator = T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_unfreeze(&regulator, &investor)
		}

		/// Ask to take over `investor` from its broker (the investor asked the calling broker).
		///
		/// Emits `TransferRequested`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::request_transfer())]
		pub fn request_transfer(origin: OriginFor<T>, investor: T::AccountId) -> DispatchResult {
			let to = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_request_transfer(&to, &investor)
		}

		/// Approve the transfer asked for `investor`, which must have no open orders and no cash.
		/// The origin must be its current broker.
		///
		/// Emits `InvestorTransferred`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::approve_transfer(T::MaxCashAssets::get()))]
		pub fn approve_transfer(origin: OriginFor<T>, investor: T::AccountId) -> DispatchResultWithPostInfo {
			let from = T::BrokerOrigin::ensure_origin(origin)?;
			let cash_assets = Self::do_approve_transfer(&from, &investor)?;
			Ok(Some(T::WeightInfo::approve_transfer(cash_assets)).into())
		}

		/// Move `investor`, whose broker's membership was revoked, to the member broker `to`.
		/// Its open orders are cancelled first (as many as one call may: if any remain,
		/// `ForcedTransferPending` and the consortium calls again); its securities, cash and
		/// status stay with the account. A pending transfer request is dropped. The origin must
		/// be the consortium.
		///
		/// Emits `TransferForced` or `ForcedTransferPending`.
		#[pallet::call_index(9)]
		#[pallet::weight(
			T::WeightInfo::force_transfer(T::MaxCashAssets::get()).saturating_add(T::OpenOrders::cancel_weight())
		)]
		pub fn force_transfer(origin: OriginFor<T>, investor: T::AccountId, to: T::AccountId) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_force_transfer(&investor, &to).map(|_| ())
		}

		/// Withdraw the transfer asked for `investor`: its current broker or the one that asked.
		///
		/// Emits `TransferCancelled`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::cancel_transfer())]
		pub fn cancel_transfer(origin: OriginFor<T>, investor: T::AccountId) -> DispatchResult {
			let by = T::BrokerOrigin::ensure_origin(origin)?;
			Self::do_cancel_transfer(&by, &investor)
		}
	}
}
