//! Market types and the traits pallets use to talk to each other: instruments, assets, trades.
//!
//! The ledger, settlement and (later) order-book pallets depend on these definitions rather than
//! on each other, so each can be tested against a small mock of the others.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// Identifier of an asset on the ledger: a security or a cash asset.
pub type AssetId = u32;
/// An amount of any ledger asset in its smallest unit (shares, fen).
pub type Amount = u128;
/// Identifier of a settlement record: one per settled trade or instruction, in order.
pub type SettlementId = u64;
/// A settlement day: days since the Unix epoch in the chain's business time zone.
pub type Day = u32;

/// Whether an instrument may be traded and settled.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum InstrumentStatus {
	/// Trading and settlement are open.
	Trading,
	/// Suspended: no new orders or instructions; balances stay where they are.
	Halted,
	/// Removed from trading for good; balances can still be read.
	Delisted,
}

/// What kind of asset an instrument is.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum AssetClass {
	/// A security (shares, bond units), issued by the depository.
	Security,
	/// Cash, issued only against fiat a clearing bank holds.
	Cash,
}

/// What other pallets need to know about instruments, without knowing the registry's storage.
pub trait InstrumentInspect<AccountId> {
	/// The class of `asset`, or `None` if no such instrument exists.
	fn class(asset: AssetId) -> Option<AssetClass>;
	/// The status of `asset`, or `None` if no such instrument exists.
	fn status(asset: AssetId) -> Option<InstrumentStatus>;
	/// The clearing bank that issues the cash asset `asset` (`None` for securities).
	fn issuing_bank(asset: AssetId) -> Option<AccountId>;
	/// Every registered cash asset (a short list: one per currency and issuing bank).
	fn cash_assets() -> alloc::vec::Vec<AssetId>;
	/// Whether `asset` exists and is trading.
	fn is_trading(asset: AssetId) -> bool {
		Self::status(asset) == Some(InstrumentStatus::Trading)
	}
	/// Class and status of `asset` together (implementations read it once).
	fn class_and_status(asset: AssetId) -> Option<(AssetClass, InstrumentStatus)> {
		Some((Self::class(asset)?, Self::status(asset)?))
	}
}

/// A matched trade, as the order book hands it to settlement.
///
/// Before calling [`SettleTrade::settle_trade`], the caller holds `quantity` of `security` on the
/// seller under `seller_hold` and at least `quantity * price` plus the buyer's fee of `cash` on
/// the buyer under `buyer_hold`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TradeSpec<AccountId, Reason> {
	/// The account receiving the securities and paying cash.
	pub buyer: AccountId,
	/// The account delivering the securities and receiving cash.
	pub seller: AccountId,
	/// The security traded.
	pub security: AssetId,
	/// The cash asset it is paid in.
	pub cash: AssetId,
	/// Number of units of `security`.
	pub quantity: Amount,
	/// Price per unit of `security`, in the smallest unit of `cash`.
	pub price: Amount,
	/// The hold on the buyer's cash this trade is paid from.
	pub buyer_hold: Reason,
	/// The hold on the seller's securities this trade is delivered from.
	pub seller_hold: Reason,
	/// The highest handling-fee rate the buyer pays: the rate its order's hold was computed at
	/// (an order placed before a fee increase settles at the fees it was placed under; after a
	/// decrease, at the lower current fees). `None`: the current rate.
	pub buyer_fee_cap: Option<sp_runtime::Perbill>,
}

/// What the settlement of one trade cost each side.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TradeOutcome {
	/// The settlement record's id (the trade id).
	pub id: SettlementId,
	/// `quantity * price`.
	pub cash_amount: Amount,
	/// Fees the buyer paid on top of `cash_amount`.
	pub buyer_fee: Amount,
	/// Fees and taxes deducted from the seller's proceeds.
	pub seller_fee: Amount,
}

/// T+0 delivery versus payment of a matched trade: the API the order book calls.
pub trait SettleTrade<AccountId, Reason> {
	/// Settle `trade` atomically: securities seller -> buyer and cash buyer -> seller from the held
	/// balances, fees to the fee accounts, a settlement record, a `TradeSettled` event. On error
	/// nothing has changed.
	fn settle_trade(trade: TradeSpec<AccountId, Reason>) -> Result<TradeOutcome, DispatchError>;
	/// The cash a buyer must have held to pay for `quantity` at `price`, fees included, at the
	/// current fee schedule.
	fn buyer_cost(quantity: Amount, price: Amount) -> Result<Amount, DispatchError>;
	/// The buyer's handling-fee rate now: what an order placed now records as its
	/// [`TradeSpec::buyer_fee_cap`].
	fn buyer_fee_rate() -> sp_runtime::Perbill;
}

/// A ledger that keeps the balance records a batch of calls touches in memory: each is read from
/// storage once and, if the batch succeeds, written back once (an order-book batch moves the same
/// brokers' and fee accounts' balances hundreds of times).
pub trait BatchLedger {
	/// Run `f` as a batch: balance reads and changes within it work on memory, and the changed
	/// records are written when `f` returns `Ok` (nothing if it returns `Err`). Inside a batch
	/// already, `f` joins it.
	fn in_batch<R>(f: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError>;
	/// Run `f` all or nothing: in a storage layer, and, if it fails, with the balance changes it
	/// made in the batch's memory taken back too. Use it instead of `with_storage_layer` for any
	/// work that moves balances inside a batch.
	fn atomically<R>(f: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError>;
}

/// Read-only enumeration of a ledger, for invariant checks (`try_state`) of pallets that hold
/// balances on it. Not for use in dispatchables: it iterates storage.
pub trait LedgerAudit<AccountId, Reason> {
	/// Every `(asset, account, amount)` held for `reason`.
	fn holds_for(reason: &Reason) -> alloc::vec::Vec<(AssetId, AccountId, Amount)>;
	/// Every registered asset of `class`.
	fn assets_of(class: AssetClass) -> alloc::vec::Vec<AssetId>;
}

/// The chain's settlement calendar: the settlement day now (days since the Unix epoch in the
/// business time zone). The settlement pallet implements it.
pub trait Calendar {
	/// Today's settlement day.
	fn today() -> Day;
}

/// The prices a trade of a security may settle at outside the order book: its market's price
/// band, as the exchanges bound block trades (大宗交易) by the day's price limits. Settlement
/// instructions of investor accounts are priced within it.
pub trait PriceLimits {
	/// The lowest and highest price of one unit of `security` in `cash` now; `None` if no open
	/// market trades the pair.
	fn price_limits(security: AssetId, cash: AssetId) -> Option<(Amount, Amount)>;
}

/// No markets: no limits are known.
impl PriceLimits for () {
	fn price_limits(_: AssetId, _: AssetId) -> Option<(Amount, Amount)> {
		None
	}
}

/// Whether an order or a leg would increase or decrease the account's position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
	/// A buy, a receiving leg.
	Increase,
	/// A sell, a delivering leg.
	Decrease,
}

/// Whether an account may change its position in a security, for transfers that do not go
/// through the order book (settlement instructions, and later contracts): the same rules
/// [`PreTradeCheck`] applies to orders, for one account and one security at a time.
pub trait PositionCheck<AccountId> {
	/// `Ok` if `who` may change its position in `security` in `direction` now; otherwise the
	/// condition that fails.
	fn may_change(who: &AccountId, security: AssetId, direction: Direction) -> Result<(), DispatchError>;
}

impl<AccountId> PositionCheck<AccountId> for () {
	fn may_change(_: &AccountId, _: AssetId, _: Direction) -> Result<(), DispatchError> {
		Ok(())
	}
}

/// An order as pre-trade checks see it, before it rests or matches.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OrderIntent<AccountId> {
	/// The account whose position it changes: the broker's own, or one of its investors'.
	pub who: AccountId,
	/// The order-book market.
	pub market: u32,
	/// The security traded.
	pub security: AssetId,
	/// The cash asset it is paid in.
	pub cash: AssetId,
	/// Buy or sell.
	pub side: qingsuan_matching_engine::Side,
	/// Units of `security`.
	pub quantity: Amount,
	/// The worst price it may trade at (a market order's protection price).
	pub price: Amount,
}

/// Checks an order must pass before it rests or matches, beyond the order book's own (funds and
/// securities are held by the order book itself). Compliance (KYC, investor suitability) and
/// margin pallets implement it; `()` checks nothing; a pair runs each in turn.
///
/// A check works in two steps, so that a batch of orders reads what it needs once: the caller
/// loads [`PreTradeCheck::account`] once per account and [`PreTradeCheck::instrument`] once per
/// security for the whole call, and runs [`PreTradeCheck::check`] for each order in memory.
pub trait PreTradeCheck<AccountId> {
	/// What the checks need to know about one account (its standing, its claims).
	type Account;
	/// What the checks need to know about one security (its rules).
	type Instrument;
	/// Load what the checks need about `who`.
	fn account(who: &AccountId) -> Self::Account;
	/// Load what the checks need about `security`.
	fn instrument(security: AssetId) -> Self::Instrument;
	/// `Ok` if `order` may be placed by the account `account` was loaded for, in the security
	/// `instrument` was loaded for; otherwise the reason it may not.
	fn check(
		account: &Self::Account,
		instrument: &Self::Instrument,
		order: &OrderIntent<AccountId>,
	) -> Result<(), DispatchError>;
	/// Whether a resting order of the account on `side` may still trade when matching meets it
	/// (what was checked when it was placed may have changed since: a claim expired, a freeze).
	/// Matching removes it if not. By default, yes.
	fn may_keep(account: &Self::Account, instrument: &Self::Instrument, side: qingsuan_matching_engine::Side) -> bool {
		let _ = (account, instrument, side);
		true
	}
}

impl<AccountId> PreTradeCheck<AccountId> for () {
	type Account = ();
	type Instrument = ();
	fn account(_: &AccountId) {}
	fn instrument(_: AssetId) {}
	fn check(_: &(), _: &(), _: &OrderIntent<AccountId>) -> Result<(), DispatchError> {
		Ok(())
	}
}

impl<AccountId, A: PreTradeCheck<AccountId>, B: PreTradeCheck<AccountId>> PreTradeCheck<AccountId> for (A, B) {
	type Account = (A::Account, B::Account);
	type Instrument = (A::Instrument, B::Instrument);
	fn account(who: &AccountId) -> Self::Account {
		(A::account(who), B::account(who))
	}
	fn instrument(security: AssetId) -> Self::Instrument {
		(A::instrument(security), B::instrument(security))
	}
	fn check(
		account: &Self::Account,
		instrument: &Self::Instrument,
		order: &OrderIntent<AccountId>,
	) -> Result<(), DispatchError> {
		A::check(&account.0, &instrument.0, order)?;
		B::check(&account.1, &instrument.1, order)
	}
	fn may_keep(account: &Self::Account, instrument: &Self::Instrument, side: qingsuan_matching_engine::Side) -> bool {
		A::may_keep(&account.0, &instrument.0, side) && B::may_keep(&account.1, &instrument.1, side)
	}
}
