//! # Settlement pallet
//!
//! T+0 delivery versus payment on Qingsuan, and the cash that flows in and out of the chain.
//!
//! ## Overview
//!
//! - **Trades.** The order book hands every match to [`SettleTrade::settle_trade`] in the same
//!   extrinsic. Securities move seller -> buyer and cash buyer -> seller out of the balances the
//!   order book held, fees go to the fee and tax accounts, and `TradeSettled` announces the
//!   settlement record. Any failing leg undoes the whole trade.
//! - **Instructions.** Members settle off-exchange deals (OTC, block trades, repo legs) with a
//!   multi-leg instruction, for their own accounts or their investors'. Each party affirms (a
//!   broker for its investors), which holds what it delivers; when all have affirmed and the
//!   settle-at block is reached, every leg moves at once. Security legs pass the compliance
//!   rules at creation, at each affirmation and at settlement, as orders do. A rejection or the
//!   expiry releases the holds.
//! - **Records and reports.** Every settlement gets an id in order, with its block and settlement
//!   day. The record is its event (`TradeSettled`, `InstructionSettled`), not state: the node's
//!   trade store indexes finalized records by id, day and account and reports each member's
//!   gross and net movements per asset for a day. On chain, each day keeps its settlement count
//!   and an SM3 hash chain over its records (`DayDigests`), which proves an archived list of
//!   them complete and untampered. State grows with days, not with trades.
//! - **Cash.** A clearing bank confirms a member's deposit (the chain mints the cash asset) and
//!   pays out a withdrawal (the held cash is burned). Payee account details travel only in an
//!   SM4 envelope sealed to the bank's SM2 key. Per cash asset, issuance always equals confirmed
//!   deposits minus confirmed withdrawals.
//!
//! ### Terminology
//!
//! - **Settlement day**: days since the Unix epoch in the chain's business time zone
//!   (`DayOffset`, UTC+8 on Qingsuan).
//! - **Held**: balances the ledger reserves for a reason (`HoldReason`); only this pallet moves
//!   or releases its own holds.
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! - Members: `create_instruction`, `affirm_instruction`, `reject_instruction`,
//!   `execute_instruction`, `request_deposit`, `request_withdrawal`.
//! - Clearing banks: `set_bank_key`, `confirm_deposit`, `reject_deposit`, `confirm_withdrawal`,
//!   `reject_withdrawal`.
//! - Consortium: `set_fee_schedule`.
//!
//! ### Other pallets
//!
//! - [`SettleTrade`] on [`Pallet`]: the order book's settlement API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod bank;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod contracts;
pub mod dvp;
mod instructions;
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod records;
#[cfg(test)]
mod tests;
mod trade;
pub mod types;
pub mod weights;

pub use contracts::{ContractInstance, DeployedContracts};
pub use pallet::*;
pub use qingsuan_primitives::market::{Amount, AssetId, Day, SettleTrade, SettlementId, TradeOutcome, TradeSpec};
pub use records::{chain_next, movements, MAX_PURGE_PER_BLOCK};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			tokens::fungibles::{Inspect, Mutate, MutateHold},
			UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use qingsuan_primitives::{
		investors::InvestorRegistry,
		market::{InstrumentInspect, PositionCheck, PriceLimits},
		RoleInspect,
	};
	use qingsuan_sm_crypto::sm2;

	/// The pallet's configuration trait.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// The ledger of securities and cash.
		type Ledger: Inspect<Self::AccountId, AssetId = AssetId, Balance = Amount>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ qingsuan_primitives::market::LedgerAudit<Self::AccountId, Self::RuntimeHoldReason>
			+ qingsuan_primitives::market::BatchLedger;

		/// The instrument registry.
		type Instruments: InstrumentInspect<Self::AccountId>;

		/// Who holds which role.
		type Members: RoleInspect<Self::AccountId>;

		/// Investor accounts and their brokers: an instruction's parties may be investors of
		/// member brokers, for whom their brokers act.
		type Investors: InvestorRegistry<Self::AccountId>;

		/// The compliance rules for each security leg: the deliverer must be allowed to
		/// dispose of the security and the receiver to acquire it.
		type Compliance: PositionCheck<Self::AccountId>;

		/// The contract instance at each account now (pallet-revive's): approvals, allowances
		/// and holds belong to the instance that was there when the first approval was given
		/// (`ContractInstances`). What an instance that is gone (it terminated, or another was
		/// created at its address) held stays held until the owner's broker reclaims it
		/// (`reclaim_contract_hold`).
		type Contracts: crate::DeployedContracts<Self::AccountId>;

		/// The order book's price bands: a delivery versus payment of an investor account is
		/// priced within its market's band.
		type Prices: PriceLimits;

		/// A member broker's signed origin.
		type MemberOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// A clearing bank's signed origin.
		type BankOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The consortium.
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// A regulator's signed origin: registers the key every withdrawal envelope is also
		/// sealed to.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// Wall-clock time of the block, for settlement days.
		type UnixTime: UnixTime;

		/// Seconds added to UTC to get the business time zone (28,800 for UTC+8).
		#[pallet::constant]
		type DayOffset: Get<u64>;

		/// Receives handling fees.
		#[pallet::constant]
		type FeeAccount: Get<Self::AccountId>;

		/// Receives stamp duty.
		#[pallet::constant]
		type TaxAccount: Get<Self::AccountId>;

		/// The most legs of one instruction.
		#[pallet::constant]
		type MaxLegs: Get<u32>;

		/// The most instructions that may fall due (settle or expire) in one block.
		#[pallet::constant]
		type MaxDuePerBlock: Get<u32>;

		/// The longest an instruction may stay open, in blocks.
		#[pallet::constant]
		type MaxInstructionLifetime: Get<BlockNumberFor<Self>>;

		/// The longest payee envelope of a withdrawal, in bytes.
		#[pallet::constant]
		type MaxEnvelopeLen: Get<u32>;

		/// The most deposit and withdrawal requests one member may have waiting for its banks:
		/// requests cost the member only a transaction fee, and each is kept (a withdrawal with
		/// its envelope) until a bank answers it.
		#[pallet::constant]
		type MaxPendingRequests: Get<u32>;

		/// Weights of this pallet's calls, generated by `benchmark pallet`.
		type WeightInfo: WeightInfo;

		/// Sets up members, banks, instruments and balances for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Twice `MaxLegs`: the most parties an instruction can have.
	pub struct MaxPartiesOf<T>(PhantomData<T>);
	impl<T: Config> Get<u32> for MaxPartiesOf<T> {
		fn get() -> u32 {
			T::MaxLegs::get().saturating_mul(2)
		}
	}

	/// A pending instruction of this runtime.
	pub type InstructionOf<T> =
		Instruction<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, <T as Config>::MaxLegs, MaxPartiesOf<T>>;
	/// What a settlement settled, for the runtime's account and leg bound.
	pub type SettledOf<T> = Settled<<T as frame_system::Config>::AccountId, <T as Config>::MaxLegs>;
	/// The legs of an instruction.
	pub type LegsOf<T> = BoundedVec<Leg<<T as frame_system::Config>::AccountId>, <T as Config>::MaxLegs>;
	/// A settlement record of this runtime.
	pub type RecordOf<T> =
		SettlementRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, <T as Config>::MaxLegs>;
	/// A payee envelope.
	pub type EnvelopeOf<T> = BoundedVec<u8, <T as Config>::MaxEnvelopeLen>;
	/// A withdrawal request of this runtime.
	pub type WithdrawalOf<T> = WithdrawalRequest<<T as frame_system::Config>::AccountId, <T as Config>::MaxEnvelopeLen>;

	/// Why this pallet holds balances on the ledger.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deliveries of an affirmed, pending settlement instruction.
		Instruction,
		/// Cash of a withdrawal the bank has not paid out yet.
		Withdrawal,
		/// Assets a settlement contract holds on its parties' accounts (`ContractHolds`).
		Contract,
	}

	/// The layout of this pallet's storage. A change to it bumps this and comes with a
	/// migration in the runtime's `Migrations` (`runtime/src/lib.rs`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(5);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The next settlement id and the day of the last settlement. Settlement records are not
	/// kept in state: each is an event, and the day's hash chain below proves a list of them.
	#[pallet::storage]
	pub type SettlementCursor<T: Config> = StorageValue<_, Cursor, ValueQuery>;

	/// Each day's settlement count and SM3 hash chain ([`DayDigest`]).
	#[pallet::storage]
	pub type DayDigests<T: Config> = StorageMap<_, Twox64Concat, Day, DayDigest, ValueQuery>;

	/// Whether records of storage v2 (`Settlements`, kept in state until v3) are still being
	/// removed, a bounded number per block in `on_idle` (set by the v3 migration).
	#[pallet::storage]
	pub type PurgingRecords<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Fees on exchange trades.
	#[pallet::storage]
	pub type Fees<T: Config> = StorageValue<_, FeeSchedule, ValueQuery>;

	/// Pending settlement instructions.
	#[pallet::storage]
	pub type Instructions<T: Config> = StorageMap<_, Twox64Concat, InstructionId, InstructionOf<T>>;

	/// The next instruction id.
	#[pallet::storage]
	pub type NextInstructionId<T: Config> = StorageValue<_, InstructionId, ValueQuery>;

	/// Instructions to look at in a block: their settle-at or expiry block.
	#[pallet::storage]
	pub type Due<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<InstructionId, T::MaxDuePerBlock>, ValueQuery>;

	/// Each clearing bank's SM2 key, to which payee envelopes are sealed.
	#[pallet::storage]
	pub type BankKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, sm2::Public>;

	/// The regulator's SM2 key. While one is registered, every withdrawal's payee envelope must
	/// also be sealed to it, so the regulator reads payees without the banks' help.
	#[pallet::storage]
	pub type RegulatorKey<T: Config> = StorageValue<_, sm2::Public>;

	/// How many deposit and withdrawal requests of each member await their bank.
	#[pallet::storage]
	pub type PendingRequests<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Deposits awaiting the bank.
	#[pallet::storage]
	pub type Deposits<T: Config> = StorageMap<_, Twox64Concat, RequestId, DepositRequest<T::AccountId>>;

	/// Withdrawals awaiting the bank.
	#[pallet::storage]
	pub type Withdrawals<T: Config> = StorageMap<_, Twox64Concat, RequestId, WithdrawalOf<T>>;

	/// The next deposit or withdrawal id (one sequence for both).
	#[pallet::storage]
	pub type NextRequestId<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// How much more of an asset a settlement contract may hold from an owner:
	/// `(owner, contract, asset) → amount`, set by the owner's broker (`approve_contract`),
	/// spent by the contract's holds. No zero entries.
	#[pallet::storage]
	pub type ContractAllowances<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, AssetId>,
		),
		Amount,
		ValueQuery,
	>;

	/// The contract instance each contract account's approvals, allowances and holds belong to:
	/// the one there when its first approval was given. Kept when that instance is gone, so an
	/// instance created again at the address (CREATE2) is never approved and inherits nothing.
	#[pallet::storage]
	pub type ContractInstances<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, crate::ContractInstance>;

	/// What each settlement contract holds on its parties' accounts (under
	/// `HoldReason::Contract`): `(contract, asset, owner) → amount`. No zero entries.
	#[pallet::storage]
	pub type ContractHolds<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, AssetId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		Amount,
		ValueQuery,
	>;

	/// Confirmed deposits and withdrawals per cash asset.
	#[pallet::storage]
	pub type Cash<T: Config> = StorageMap<_, Twox64Concat, AssetId, CashTotals, ValueQuery>;

	/// Fees, bank keys and confirmed deposits at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The fee schedule.
		pub fees: FeeSchedule,
		/// `(bank, SM2 public key as SEC1 bytes)`.
		pub bank_keys: Vec<(T::AccountId, Vec<u8>)>,
		/// `(cash asset, member, amount)` deposits, confirmed by the asset's bank.
		pub deposits: Vec<(AssetId, T::AccountId, Amount)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Fees::<T>::put(self.fees);
			for (bank, key) in &self.bank_keys {
				match sm2::Public::from_sec1(key) {
					Ok(key) => BankKeys::<T>::insert(bank, key),
					Err(e) => panic!("genesis: the key of bank {bank:?} is not an SM2 point: {e:?}"),
				}
			}
			for (asset, member, amount) in &self.deposits {
				let checked = Pallet::<T>::bank_of(*asset).and_then(|_| {
					ensure!(*amount > 0, Error::<T>::ZeroAmount);
					ensure!(
						T::Members::has_role(member, qingsuan_primitives::Role::MemberBroker),
						Error::<T>::PartyNotMember
					);
					Pallet::<T>::credit_deposit(*asset, member, *amount)
				});
				if let Err(e) = checked {
					panic!("genesis: cannot deposit {amount} of {asset} for {member:?}: {e:?}");
				}
			}
		}
	}

	/// Events of the settlement pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A trade settled: delivery versus payment, final with its block.
		TradeSettled {
			/// The settlement (trade) id.
			id: SettlementId,
			/// Received the securities.
			buyer: T::AccountId,
			/// Delivered the securities.
			seller: T::AccountId,
			/// The security.
			security: AssetId,
			/// The cash asset.
			cash: AssetId,
			/// Units delivered.
			quantity: Amount,
			/// Price per unit.
			price: Amount,
			/// `quantity * price`.
			cash_amount: Amount,
			/// Fees the buyer paid on top.
			buyer_fee: Amount,
			/// Fees and taxes taken from the seller's proceeds.
			seller_fee: Amount,
			/// The stamp duty within `seller_fee` (paid to the tax account).
			stamp_duty: Amount,
		},
		/// A settlement instruction was created.
		InstructionCreated {
			/// Its id.
			id: InstructionId,
			/// The member that created it.
			creator: T::AccountId,
			/// The first block it may settle in.
			settle_at: BlockNumberFor<T>,
			/// The block it expires at.
			expires_at: BlockNumberFor<T>,
		},
		/// A party affirmed an instruction; what it delivers is held.
		InstructionAffirmed {
			/// The instruction.
			id: InstructionId,
			/// The party.
			party: T::AccountId,
		},
		/// A party rejected an instruction; it is gone and its holds released.
		InstructionRejected {
			/// The instruction.
			id: InstructionId,
			/// The party that rejected it.
			by: T::AccountId,
		},
		/// An instruction settled: every leg moved.
		InstructionSettled {
			/// The instruction.
			id: InstructionId,
			/// Its settlement record.
			settlement: SettlementId,
			/// The legs it moved (the record in full, so an indexer needs no state).
			legs: LegsOf<T>,
		},
		/// A fully affirmed instruction could not settle when due; it stays pending until it
		/// expires, and any party may retry with `execute_instruction`.
		InstructionSettlementFailed {
			/// The instruction.
			id: InstructionId,
			/// Why.
			error: DispatchError,
		},
		/// An instruction expired unsettled; its holds are released.
		InstructionExpired {
			/// The instruction.
			id: InstructionId,
		},
		/// The consortium set the fees on exchange trades.
		FeeScheduleSet {
			/// The new schedule.
			fees: FeeSchedule,
		},
		/// A clearing bank set its SM2 envelope key.
		BankKeySet {
			/// The bank.
			bank: T::AccountId,
			/// Its key.
			key: sm2::Public,
		},
		/// A regulator registered the SM2 key every withdrawal envelope is also sealed to.
		RegulatorKeySet {
			/// The regulator.
			regulator: T::AccountId,
			/// The key.
			key: sm2::Public,
		},
		/// A member asked to deposit fiat held at `bank`.
		DepositRequested {
			/// The request.
			id: RequestId,
			/// The member.
			member: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// The bank that must confirm.
			bank: T::AccountId,
			/// The amount.
			amount: Amount,
		},
		/// The bank confirmed a deposit; the cash was minted to the member.
		DepositConfirmed {
			/// The request.
			id: RequestId,
			/// The member credited.
			member: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// The amount.
			amount: Amount,
		},
		/// The bank rejected a deposit.
		DepositRejected {
			/// The request.
			id: RequestId,
			/// The member.
			member: T::AccountId,
		},
		/// A member asked to withdraw; the cash is held until the bank answers.
		WithdrawalRequested {
			/// The request.
			id: RequestId,
			/// The member.
			member: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// The bank that pays out.
			bank: T::AccountId,
			/// The amount.
			amount: Amount,
		},
		/// The bank paid a withdrawal out; the held cash was burned.
		WithdrawalConfirmed {
			/// The request.
			id: RequestId,
			/// The member.
			member: T::AccountId,
			/// The cash asset.
			asset: AssetId,
			/// The amount.
			amount: Amount,
		},
		/// The bank rejected a withdrawal; the hold was released.
		WithdrawalRejected {
			/// The request.
			id: RequestId,
			/// The member.
			member: T::AccountId,
		},
		/// An owner's broker set how much of an asset a settlement contract may still hold from
		/// the owner (zero: none).
		ContractApproved {
			/// The owner of the asset.
			owner: T::AccountId,
			/// The contract's account.
			contract: T::AccountId,
			/// The asset.
			asset: AssetId,
			/// What the contract may still hold.
			limit: Amount,
			/// The broker that signed it.
			by: T::AccountId,
		},
		/// A settlement contract holds an owner's asset.
		ContractHeld {
			/// The contract's account.
			contract: T::AccountId,
			/// The owner.
			owner: T::AccountId,
			/// The asset.
			asset: AssetId,
			/// The amount held.
			amount: Amount,
		},
		/// A settlement contract gave back what it held of an owner.
		ContractReleased {
			/// The contract's account.
			contract: T::AccountId,
			/// The owner.
			owner: T::AccountId,
			/// The asset.
			asset: AssetId,
			/// The amount released.
			amount: Amount,
		},
		/// A settlement contract settled legs out of what it held: every leg moved.
		ContractSettled {
			/// The contract's account.
			contract: T::AccountId,
			/// Its settlement record.
			settlement: SettlementId,
			/// The legs it moved (the record in full).
			legs: LegsOf<T>,
		},
		/// An owner's broker took back what a contract that no longer exists held of the owner;
		/// the contract's approval for the asset went with it.
		ContractHoldReclaimed {
			/// The former contract's account.
			contract: T::AccountId,
			/// The owner.
			owner: T::AccountId,
			/// The asset.
			asset: AssetId,
			/// The amount released.
			amount: Amount,
			/// The broker who reclaimed it.
			by: T::AccountId,
		},
	}

	/// Errors of the settlement pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No instrument has this asset id.
		UnknownAsset,
		/// The asset must be a security here.
		NotASecurity,
		/// The asset must be a cash asset here.
		NotCash,
		/// The instrument is halted or delisted.
		InstrumentNotTrading,
		/// An amount, quantity or price is zero.
		ZeroAmount,
		/// Fees would exceed the seller's proceeds.
		FeeExceedsProceeds,
		/// The seller's held securities do not cover the trade.
		SecuritiesUnavailable,
		/// The buyer's held cash does not cover the trade and its fees.
		CashUnavailable,
		/// The account's free balance does not cover the amount.
		InsufficientBalance,
		/// An instruction needs at least one leg.
		NoLegs,
		/// A leg delivers to its own sender.
		LegToSelf,
		/// A party of the instruction is neither a member broker nor an investor of one.
		PartyNotMember,
		/// The caller neither is nor acts for a party of this instruction.
		NotAParty,
		/// No pending instruction has this id.
		UnknownInstruction,
		/// Every party the caller acts for has already affirmed.
		AlreadyAffirmed,
		/// Not every party has affirmed yet.
		NotFullyAffirmed,
		/// The settle-at block has not been reached.
		TooEarly,
		/// The expiry block is not in the future.
		ExpiryInPast,
		/// The expiry is further away than `MaxInstructionLifetime`.
		ExpiryTooFar,
		/// The settle-at block is not before the expiry.
		SettleAfterExpiry,
		/// Too many instructions already fall due in that block.
		ScheduleFull,
		/// No pending deposit or withdrawal has this id.
		UnknownRequest,
		/// Only the bank that issues this cash asset may do this.
		NotTheIssuingBank,
		/// The bank has not registered an SM2 envelope key.
		BankKeyUnknown,
		/// The SM2 key is not a valid point.
		InvalidKey,
		/// The payee details are not a well-formed envelope.
		MalformedEnvelope,
		/// The envelope is not sealed to the bank's key.
		EnvelopeNotForBank,
		/// The envelope's associated data does not name this member, asset and amount.
		EnvelopeMismatch,
		/// Confirmed deposits or withdrawals would overflow.
		Overflow,
		/// The instruction's expiry block has come.
		InstructionExpired,
		/// Handling fee plus stamp duty exceed 100% of a trade.
		InvalidFeeSchedule,
		/// The member has as many deposit and withdrawal requests waiting as it may.
		TooManyPendingRequests,
		/// A party is an investor account a regulator froze.
		AccountFrozen,
		/// In an instruction with an investor party, a leg is not half of a delivery versus
		/// payment (a security leg, and a cash leg the other way between the same two accounts).
		FreeOfPayment,
		/// No order-book market trades this security for this cash asset, so no price band
		/// bounds an investor's delivery versus payment in it.
		NoMarket,
		/// An investor's delivery versus payment is priced outside its market's price band.
		PriceOutsideBand,
		/// Both sides of a leg touching an investor account are acted for by one broker (its own
		/// account and its investor, or two of its investors): a broker crosses its clients, or
		/// trades with them, on the order book.
		SameBrokerPair,
		/// An investor both delivers and receives the same security in the instruction.
		RoundTrip,
		/// A party's affirmation was given by a broker that no longer acts for it (the investor
		/// moved): its new broker affirms again or rejects the instruction.
		AffirmationLapsed,
		/// A credit account takes part in no instruction: its assets move only through the
		/// margin pallet.
		CreditAccount,
		/// A regulator key is registered and the envelope is not also sealed to it.
		EnvelopeNotForRegulator,
		/// The owner has not approved the contract to hold this much of the asset.
		InsufficientAllowance,
		/// The contract does not hold this much of the owner's asset.
		NotHeldByContract,
		/// The contract still exists: it releases what it holds itself.
		ContractStillExists,
		/// The contract at this address is not the one its approvals were given to: that one
		/// terminated and another was created at its address.
		ContractReplaced,
		/// No contract is at this account: a broker approves a deployed contract.
		NotAContract,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		// Instructions due in a block settle or expire at its end, after its timestamp inherent
		// (so their settlement day is this block's) and after its extrinsics; the weight is
		// reserved here.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Due::<T>::decode_len(now).unwrap_or(0) as u32;
			T::DbWeight::get().reads(1).saturating_add(if due == 0 { Weight::zero() } else { Self::due_weight(due) })
		}

		fn on_finalize(now: BlockNumberFor<T>) {
			Self::process_due(now);
		}

		// Records of storage v2 go with the weight blocks leave unused.
		fn on_idle(_now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::purge_within(remaining)
		}

		fn integrity_test() {
			assert!(T::MaxLegs::get() > 0, "MaxLegs must be at least 1");
			assert!(T::MaxDuePerBlock::get() > 0, "MaxDuePerBlock must be at least 1");
			assert!(T::DayOffset::get() < 86_400, "DayOffset is less than a day");
			assert!(T::MaxPendingRequests::get() > 0, "MaxPendingRequests must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a settlement instruction; the caller must be, or act for, one of its parties.
		///
		/// Parties are member brokers and investors of member brokers. Each security leg must
		/// pass the compliance rules (the deliverer may dispose of it, the receiver may acquire
		/// it). `settle_at` defaults to now. Every party must then affirm. Emits
		/// `InstructionCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::create_weight(legs.len() as u32))]
		pub fn create_instruction(
			origin: OriginFor<T>,
			legs: LegsOf<T>,
			settle_at: Option<BlockNumberFor<T>>,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			Self::do_create_instruction(who, legs, settle_at, expires_at).map(|_| ())
		}

		/// Affirm an instruction for every party the caller is or acts for (its own account,
		/// its investors'): hold what they deliver. The last affirmation settles it if its
		/// settle-at block has come.
		///
		/// Emits `InstructionAffirmed` per party, and `InstructionSettled` or
		/// `InstructionSettlementFailed`.
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::affirm_weight(T::MaxLegs::get()))]
		pub fn affirm_instruction(origin: OriginFor<T>, id: InstructionId) -> DispatchResultWithPostInfo {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			let legs = Self::do_affirm_instruction(&who, id)?;
			Ok(Some(Self::affirm_weight(legs)).into())
		}

		/// Reject an instruction as, or for, one of its parties: it is removed and every hold
		/// released.
		///
		/// Emits `InstructionRejected`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reject_instruction(T::MaxLegs::get()))]
		pub fn reject_instruction(origin: OriginFor<T>, id: InstructionId) -> DispatchResultWithPostInfo {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			let legs = Self::do_reject_instruction(&who, id)?;
			Ok(Some(T::WeightInfo::reject_instruction(legs)).into())
		}

		/// Settle a fully affirmed instruction whose settle-at block has come (a retry after a
		/// failed attempt, for example once a halted instrument trades again).
		///
		/// Emits `InstructionSettled`.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::execute_weight(T::MaxLegs::get()))]
		pub fn execute_instruction(origin: OriginFor<T>, id: InstructionId) -> DispatchResultWithPostInfo {
			let who = T::MemberOrigin::ensure_origin(origin)?;
			let legs = Self::do_execute_instruction(&who, id)?;
			Ok(Some(Self::execute_weight(legs)).into())
		}

		/// Set the fees charged on exchange trades.
		///
		/// Origin: consortium. Emits `FeeScheduleSet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_fee_schedule())]
		pub fn set_fee_schedule(origin: OriginFor<T>, fees: FeeSchedule) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			ensure!(
				fees.handling.deconstruct().saturating_add(fees.stamp_duty.deconstruct())
					<= sp_runtime::Perbill::one().deconstruct(),
				Error::<T>::InvalidFeeSchedule
			);
			Fees::<T>::put(fees);
			Self::deposit_event(Event::FeeScheduleSet { fees });
			Ok(())
		}

		/// Register the caller's SM2 key, to which members seal payee details.
		///
		/// Origin: a clearing bank. Emits `BankKeySet`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_bank_key())]
		pub fn set_bank_key(origin: OriginFor<T>, key: sm2::Public) -> DispatchResult {
			let bank = T::BankOrigin::ensure_origin(origin)?;
			Self::do_set_bank_key(bank, key)
		}

		/// Ask the issuing bank of `asset` to credit `amount` against fiat the member paid in.
		///
		/// Origin: a member. Emits `DepositRequested`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::request_deposit())]
		pub fn request_deposit(origin: OriginFor<T>, asset: AssetId, amount: Amount) -> DispatchResult {
			let member = T::MemberOrigin::ensure_origin(origin)?;
			Self::do_request_deposit(member, asset, amount).map(|_| ())
		}

		/// Confirm receipt of the fiat: the cash asset is minted to the member.
		///
		/// Origin: the asset's issuing bank. Emits `DepositConfirmed`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::confirm_deposit())]
		pub fn confirm_deposit(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			let bank = T::BankOrigin::ensure_origin(origin)?;
			Self::do_confirm_deposit(&bank, id)
		}

		/// Reject a deposit request (no fiat arrived).
		///
		/// Origin: the asset's issuing bank. Emits `DepositRejected`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::reject_deposit())]
		pub fn reject_deposit(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			let bank = T::BankOrigin::ensure_origin(origin)?;
			Self::do_reject_deposit(&bank, id)
		}

		/// Ask to be paid `amount` out to the bank account sealed in `payee`; the cash is held.
		///
		/// `payee` is a SCALE-encoded envelope sealed to the bank's key, whose associated data is
		/// [`withdrawal_aad`] of the caller, asset and amount. Origin: a member. Emits
		/// `WithdrawalRequested`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::request_withdrawal())]
		pub fn request_withdrawal(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: Amount,
			payee: EnvelopeOf<T>,
		) -> DispatchResult {
			let member = T::MemberOrigin::ensure_origin(origin)?;
			Self::do_request_withdrawal(member, asset, amount, payee).map(|_| ())
		}

		/// Confirm the payout: the held cash is burned.
		///
		/// Origin: the asset's issuing bank. Emits `WithdrawalConfirmed`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::confirm_withdrawal())]
		pub fn confirm_withdrawal(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			let bank = T::BankOrigin::ensure_origin(origin)?;
			Self::do_confirm_withdrawal(&bank, id)
		}

		/// Reject a withdrawal: the held cash goes back to the member's free balance.
		///
		/// Origin: the asset's issuing bank. Emits `WithdrawalRejected`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::reject_withdrawal())]
		pub fn reject_withdrawal(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			let bank = T::BankOrigin::ensure_origin(origin)?;
			Self::do_reject_withdrawal(&bank, id)
		}

		/// Register the regulator's SM2 key: from now on every withdrawal's payee envelope must
		/// also be sealed to it. Replaces an earlier key; requests already made keep theirs.
		///
		/// Origin: a regulator. Emits `RegulatorKeySet`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_regulator_key())]
		pub fn set_regulator_key(origin: OriginFor<T>, key: sm2::Public) -> DispatchResult {
			let regulator = T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_set_regulator_key(regulator, key)
		}

		/// Set how much of `asset` the settlement contract `contract` (its account) may still
		/// hold from `owner`: the caller's own account or one of its investors'. Zero withdraws
		/// the approval; what the contract holds already stays held until it releases or
		/// settles it. A contract must be deployed at `contract` to be approved, and it must be
		/// the instance earlier approvals went to, if any did: an address whose contract
		/// terminated and was created again is not approved (`ContractReplaced`).
		///
		/// Origin: a member broker acting for `owner`. Emits `ContractApproved`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::approve_contract())]
		pub fn approve_contract(
			origin: OriginFor<T>,
			owner: T::AccountId,
			contract: T::AccountId,
			asset: AssetId,
			limit: Amount,
		) -> DispatchResult {
			let broker = T::MemberOrigin::ensure_origin(origin)?;
			Self::do_approve_contract(&broker, owner, contract, asset, limit)
		}

		/// Take back all of `asset` that `contract`, a settlement contract that no longer exists
		/// (it terminated, or another was created at its address), held of `owner`: the caller's
		/// own account or one of its investors'. The hold is released to the owner's free
		/// balance and what was left of the contract's approval for the asset is withdrawn.
		///
		/// Origin: a member broker acting for `owner`. Emits `ContractHoldReclaimed`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::reclaim_contract_hold())]
		pub fn reclaim_contract_hold(
			origin: OriginFor<T>,
			owner: T::AccountId,
			contract: T::AccountId,
			asset: AssetId,
		) -> DispatchResult {
			let broker = T::MemberOrigin::ensure_origin(origin)?;
			Self::do_reclaim_contract_hold(&broker, owner, contract, asset)
		}
	}
}
