//! The margin pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use qingsuan_margin_math::{Bps, Category as MathCategory, Lines, Ppm};
use qingsuan_primitives::market::{Amount, AssetId, Day};
use scale_info::TypeInfo;

/// The exchanges' categories of collateral, each with a ceiling on its conversion rate (折算率).
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
pub enum Category {
	/// A constituent of the SSE 180 or SZSE 100 index: at most 70%.
	IndexConstituent,
	/// Another A share: at most 65%.
	Share,
	/// An exchange-traded fund: at most 90%.
	Etf,
	/// A money-market fund or a treasury bond: at most 95%.
	MoneyMarketOrTreasury,
	/// Another listed fund or bond: at most 80%.
	OtherFundOrBond,
	/// ST, suspended or being delisted: 0%.
	Restricted,
}

impl Category {
	/// The exchanges' ceiling on this category's conversion rate.
	pub fn cap(self) -> Ppm {
		qingsuan_margin_math::conversion_cap(match self {
			Category::IndexConstituent => MathCategory::IndexConstituent,
			Category::Share => MathCategory::Share,
			Category::Etf => MathCategory::Etf,
			Category::MoneyMarketOrTreasury => MathCategory::MoneyMarketOrTreasury,
			Category::OtherFundOrBond => MathCategory::OtherFundOrBond,
			Category::Restricted => MathCategory::Restricted,
		})
	}
}

/// A security's standing as collateral: its category and the conversion rate the consortium
/// set within the category's ceiling. A security without one is not collateral and cannot be
/// bought in a credit account.
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
pub struct Conversion {
	/// Its category.
	pub category: Category,
	/// Parts per million of its market value that count as margin.
	pub rate: u32,
}

/// The risk lines and margin ratios, in basis points (1% = 100) and parts per million; the
/// consortium sets them, the exchanges' figures are the defaults.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Parameters {
	/// Below it, a warning (150%).
	pub warning: u32,
	/// Below it at the close, a margin call (130%).
	pub call: u32,
	/// Below it at any time, forced liquidation (110%).
	pub instant: u32,
	/// Collateral is withdrawn only while the ratio stays above it (300%).
	pub withdrawal: u32,
	/// The margin a financed buy uses, per million of its cost (100%).
	pub financing_margin: u32,
	/// The margin a short sale uses, per million of its value (50%).
	pub short_margin: u32,
	/// Ratios from this up have no concentration limit (240%).
	pub concentration_free: u32,
	/// Ratios from this up to `concentration_free` allow one security `concentration_high` of
	/// the collateral (180%); below it, `concentration_low`.
	pub concentration_mid: u32,
	/// One security's most share of the collateral in the middle tier, per million (70%).
	pub concentration_high: u32,
	/// One security's most share of the collateral below the middle tier, per million (50%).
	pub concentration_low: u32,
}

impl Default for Parameters {
	fn default() -> Self {
		Parameters {
			warning: 15_000,
			call: 13_000,
			instant: 11_000,
			withdrawal: 30_000,
			financing_margin: 1_000_000,
			short_margin: 500_000,
			concentration_free: 24_000,
			concentration_mid: 18_000,
			concentration_high: 700_000,
			concentration_low: 500_000,
		}
	}
}

impl Parameters {
	/// The lines, for the arithmetic.
	pub fn lines(&self) -> Lines {
		Lines {
			warning: Bps(self.warning.into()),
			call: Bps(self.call.into()),
			instant: Bps(self.instant.into()),
			withdrawal: Bps(self.withdrawal.into()),
		}
	}

	/// Whether the parameters make sense: lines strictly ordered above 100%; margins at or
	/// above the exchanges' floors (financing 100%, short sales 50%) and at most 1,000%;
	/// concentration tiers ordered and shares at most 100%.
	pub fn are_valid(&self) -> bool {
		self.lines().are_ordered()
			&& self.instant > 10_000
			&& (1_000_000..=10_000_000).contains(&self.financing_margin)
			&& (500_000..=10_000_000).contains(&self.short_margin)
			&& self.concentration_mid <= self.concentration_free
			&& self.concentration_low <= self.concentration_high
			&& self.concentration_high <= 1_000_000
	}

	/// One security's most share of the collateral at `ratio` (`None`: no debt, or no limit).
	pub fn concentration_limit(&self, ratio: Option<Bps>) -> Option<Ppm> {
		let tiers = qingsuan_margin_math::Tiers {
			free: Bps(self.concentration_free.into()),
			mid: Bps(self.concentration_mid.into()),
			high: Ppm(self.concentration_high),
			low: Ppm(self.concentration_low),
		};
		qingsuan_margin_math::concentration_limit_in(ratio, &tiers)
	}
}

/// A credit contract (融资融券合同) between an investor and its broker.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Contract {
	/// The cash asset it lends and is valued in.
	pub cash: AssetId,
	/// The most financing debt (principal) the account may owe.
	pub line: Amount,
	/// Yearly interest on financing, per million, on a 360-day year.
	pub rate: u32,
	/// Yearly fee on borrowed shares (融券费率), per million of their sale value, on a 360-day
	/// year.
	pub short_rate: u32,
	/// The settlement day it was opened or last renewed.
	pub opened: Day,
	/// The first settlement day it no longer lends (nothing new is borrowed from then on).
	pub expires: Day,
}

/// A credit account's record.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(P))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct CreditInfo<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, P: Get<u32>> {
	/// The investor account it belongs to.
	pub owner: AccountId,
	/// Their broker, whose pools lend to it.
	pub broker: AccountId,
	/// Its contract.
	pub contract: Contract,
	/// Financing principal owed.
	pub debt: Amount,
	/// Interest accrued and not yet paid.
	pub interest: Amount,
	/// The settlement day interest is charged up to (exclusive).
	pub charged_to: Day,
	/// The securities it may hold, each with its financing contract, in the order repayments
	/// walk them.
	pub positions: BoundedVec<Position, P>,
	/// Its orders in the order book.
	pub live_orders: u32,
}

/// What financed buys of one security bought: its financing contract (负债合约).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Financing {
	/// Principal owed for it.
	pub amount: Amount,
	/// Shares it bought that are still held.
	pub quantity: Amount,
}

/// What short sales of one security owe (融券合约): the shares borrowed from the broker's
/// lending pool and not yet returned, and what selling them brought.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Short {
	/// Shares owed to the lending pool.
	pub owed: Amount,
	/// The cash their sale brought, net of fees, not yet spent buying them back: restricted,
	/// it may only buy them back.
	pub proceeds: Amount,
	/// What the owed shares sold for (gross): the base of the daily fee on borrowed shares.
	pub sold: Amount,
}

/// A security a credit account may hold or owe, with its financing contract and its short
/// sales (zero if none). A position is long or short, never both: a security the account owes
/// cannot be bought but to return it, and free shares of it go back to the pool at once.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Position {
	/// The security.
	pub security: AssetId,
	/// What financed buys of it owe.
	pub financing: Financing,
	/// The credit account's orders in it.
	pub orders: u32,
	/// What short sales of it owe.
	pub short: Short,
}

impl Position {
	/// A new position in `security`, owing nothing.
	pub fn new(security: AssetId) -> Self {
		Position { security, financing: Financing::default(), orders: 0, short: Short::default() }
	}

	/// Whether it owes anything: financing principal or shares.
	pub fn owes(&self) -> bool {
		self.financing.amount > 0 || self.short.owed > 0
	}
}

impl<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, P: Get<u32>> CreditInfo<AccountId, P> {
	/// Whether `security` is one of its positions.
	pub fn holds(&self, security: AssetId) -> bool {
		self.positions.iter().any(|p| p.security == security)
	}

	/// The financing contract of `security` (zero if none).
	pub fn financing(&self, security: AssetId) -> Financing {
		self.positions.iter().find(|p| p.security == security).map(|p| p.financing).unwrap_or_default()
	}

	/// The position of `security`, to change.
	pub fn position_mut(&mut self, security: AssetId) -> Option<&mut Position> {
		self.positions.iter_mut().find(|p| p.security == security)
	}

	/// The short sales of `security` (nothing owed if none).
	pub fn short(&self, security: AssetId) -> Short {
		self.positions.iter().find(|p| p.security == security).map(|p| p.short).unwrap_or_default()
	}

	/// The shares of `security` it owes (zero if none).
	pub fn owed(&self, security: AssetId) -> Amount {
		self.short(security).owed
	}

	/// Whether it owes anything: principal, interest or shares.
	pub fn owes(&self) -> bool {
		self.debt > 0 || self.interest > 0 || self.positions.iter().any(|p| p.short.owed > 0)
	}

	/// Its short sales' proceeds: cash that may only buy the owed shares back.
	pub fn restricted(&self) -> Amount {
		self.positions.iter().fold(0, |sum: Amount, p| sum.saturating_add(p.short.proceeds))
	}

	/// The sale value of the shares it owes: what its short fee is charged on.
	pub fn short_value(&self) -> Amount {
		self.positions.iter().fold(0, |sum: Amount, p| sum.saturating_add(p.short.sold))
	}
}

/// Why the margin pallet placed an order.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum Purpose {
	/// A financed buy (融资买入) of cash lent, all of which it holds.
	FinancedBuy {
		/// The cash lent for it.
		lent: Amount,
	},
	/// A buy with the account's own cash (担保品买入).
	CollateralBuy,
	/// A sell (担保品卖出, 卖券还款): its proceeds repay interest, then principal.
	Sell,
	/// A short sale (融券卖出) of shares borrowed from the lending pool: its proceeds are
	/// restricted; the shares it does not sell go back to the pool when it ends.
	ShortSell,
	/// A buy to return owed shares (买券还券; a liquidation's buy-back): paid from the short
	/// proceeds first, its shares go back to the pool as they fill.
	BuyToReturn,
}

/// An order the margin pallet placed, until it ends.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EntryOrderInfo<AccountId> {
	/// The credit account.
	pub credit: AccountId,
	/// The security.
	pub security: AssetId,
	/// What it is for.
	pub purpose: Purpose,
}

/// A position of a credit account as valued: its shares at its market's mark.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Held {
	/// The security.
	pub security: AssetId,
	/// Its market in the contract's cash, if any (without one it counts for nothing).
	pub market: Option<u32>,
	/// Shares held, free or on hold.
	pub shares: Amount,
	/// Shares owed to the lending pool.
	pub owed: Amount,
	/// Its mark.
	pub mark: Amount,
	/// The lowest price its market's band allows today: the worst its mark can be for shares
	/// held.
	pub floor: Amount,
	/// The highest price its band allows today: the worst for shares owed.
	pub ceiling: Amount,
	/// Its conversion rate.
	pub rate: Ppm,
}

impl Held {
	/// Its shares at the mark.
	pub fn worth(&self) -> Amount {
		qingsuan_margin_math::value(self.shares, self.mark)
	}

	/// Its owed shares at the mark.
	pub fn debt(&self) -> Amount {
		qingsuan_margin_math::value(self.owed, self.mark)
	}
}

/// How much an account's collateral is worth and what it owes, at the marks.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Valuation {
	/// Its cash, held or free.
	pub cash: Amount,
	/// Each position at its mark.
	pub positions: alloc::vec::Vec<Held>,
	/// Cash plus the securities at their marks.
	pub assets: Amount,
	/// Principal plus interest plus the owed shares at their marks.
	pub liabilities: Amount,
}

impl Valuation {
	/// The maintenance guarantee ratio (维持担保比例); `None` with nothing owed.
	pub fn ratio(&self) -> Option<Bps> {
		qingsuan_margin_math::maintenance_ratio(self.assets, self.liabilities)
	}
}

/// The domain of a broker's lending pool id (融券专用证券账户): `SM3(LENDING_POOL_DOMAIN ‖
/// broker)`.
pub const LENDING_POOL_DOMAIN: &[u8] = b"qingsuan/margin/lending/v1";

/// The domain of a broker's financing pool id: `SM3(FINANCING_POOL_DOMAIN ‖ broker)`.
pub const FINANCING_POOL_DOMAIN: &[u8] = b"qingsuan/margin/financing/v1";

/// Where a credit account stands against the lines, from safest to worst (the order is the
/// derived `Ord`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum RiskZone {
	/// Nothing owed.
	#[default]
	NoDebt,
	/// At or above the warning line.
	Safe,
	/// Below the warning line.
	Warning,
	/// Below the margin-call line.
	BelowCall,
	/// Below the instant-liquidation line.
	BelowInstant,
}

/// A position as [`AccountView`] shows it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct PositionView {
	/// The security.
	pub security: AssetId,
	/// Shares held, free or on hold.
	pub shares: Amount,
	/// Its mark.
	pub mark: Amount,
	/// Its conversion rate, per million.
	pub rate: u32,
	/// Its financing contract.
	pub financing: Financing,
	/// Its short sales.
	pub short: Short,
}

/// A credit account valued now: what `margin_account` returns.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct AccountView<AccountId> {
	/// Its owner.
	pub owner: AccountId,
	/// Their broker.
	pub broker: AccountId,
	/// Its contract.
	pub contract: Contract,
	/// Principal owed.
	pub debt: Amount,
	/// Interest owed, charged to today.
	pub interest: Amount,
	/// Its cash, free or on hold.
	pub cash: Amount,
	/// Its positions.
	pub positions: alloc::vec::Vec<PositionView>,
	/// Cash plus securities at their marks.
	pub assets: Amount,
	/// Principal plus interest.
	pub liabilities: Amount,
	/// The maintenance ratio in basis points; `None` with nothing owed.
	pub ratio: Option<u128>,
	/// The available margin (negative when short of margin).
	pub available_margin: i128,
	/// Where the ratio stands against the lines.
	pub zone: RiskZone,
	/// An open margin call's deadline (the last settlement day to cure it).
	pub call: Option<Day>,
	/// An open liquidation case, and why.
	pub case: Option<CaseReason>,
	/// Its orders in the book.
	pub live_orders: u32,
}

/// Why a credit account is being liquidated.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum CaseReason {
	/// Its ratio fell below the instant-liquidation line.
	Instant,
	/// A margin call was not cured by its deadline.
	Uncured,
	/// Its contract expired with debt outstanding.
	Expired,
	/// Its broker is no longer a member broker.
	RevokedBroker,
}

/// A credit account's standing against the lines, as the risk engine last found it.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(P))]
pub struct RiskState<P: Get<u32>> {
	/// Its zone when last valued.
	pub zone: RiskZone,
	/// An open margin call's deadline: the last settlement day to cure it.
	pub call: Option<Day>,
	/// An open liquidation case, and why.
	pub case: Option<CaseReason>,
	/// The triggers filed for it, at most one per position; it is valued again when a
	/// trigger's market's mark crosses it.
	pub triggers: BoundedVec<Filed, P>,
	/// No liquidation step until the block after this one (one per block; later after a step
	/// that failed).
	pub stepped: u32,
	/// The last buy-back filled nothing (the offers were beyond its protection): the next step
	/// sells instead if it can, then buy-backs are tried again.
	pub unfilled: bool,
}

/// A trigger filed for an account: its market's mark crossing `price` (falling below it, or
/// for a security owed, rising above it) values the account again.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Filed {
	/// The market.
	pub market: u32,
	/// The price.
	pub price: Amount,
	/// Whether a rise above it (a security owed) rather than a fall below it crosses it.
	pub rising: bool,
}

/// One step of working a liquidation case.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum LiquidationStep {
	/// Cancel the account's live orders (what they hold goes back to it).
	CancelOrders,
	/// Repay from the account's free cash.
	Repay {
		/// How much.
		amount: Amount,
	},
	/// Sell `quantity` of `security` in `market` with a market order protected at `price`.
	Sell {
		/// The market.
		market: u32,
		/// The security.
		security: AssetId,
		/// Shares, in whole lots.
		quantity: u64,
		/// The lowest price it may trade at.
		price: Amount,
	},
	/// Nothing left to sell: what is owed is bad debt.
	WriteOff,
	/// Buy back `quantity` of the owed `security` in `market` with a market order protected at
	/// `price` (its shares go back to the lending pool as they fill).
	BuyBack {
		/// The market.
		market: u32,
		/// The security.
		security: AssetId,
		/// Shares, in whole lots.
		quantity: u64,
		/// The highest price it may trade at.
		price: Amount,
	},
}

/// Blocks before a liquidation step the order book refused is tried again.
pub const FAILED_STEP_BACKOFF: u32 = 10;

/// How far below the mark a forced sale may trade, per million (2%).
pub const PROTECTION_PPM: u32 = 20_000;

/// The domain of a broker's risk reserve id: `SM3(RESERVE_DOMAIN ‖ broker)`.
pub const RESERVE_DOMAIN: &[u8] = b"qingsuan/margin/reserve/v1";

/// How many blocks the mark averages over (one minute of one-second blocks).
pub const MARK_WINDOW: u32 = 60;
/// A checkpoint of the cumulative price is kept every this many blocks.
pub const CHECKPOINT_EVERY: u32 = 10;
/// How many checkpoints are kept: the oldest within the window is always 51 to 60 blocks back.
pub const CHECKPOINTS: usize = (MARK_WINDOW / CHECKPOINT_EVERY) as usize + 1;

/// A market whose security some credit account holds: its time-weighted mark.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct MarkState {
	/// Credit-account positions in its security; it is sampled while there are any.
	pub positions: u32,
	/// The first block it was sampled in.
	pub since: u32,
	/// The sum of its sampled prices, one per block from `since`.
	pub cumulative: u128,
	/// `(block, cumulative after that block's sample)`, one every `CHECKPOINT_EVERY` blocks.
	pub checkpoints: [(u32, u128); CHECKPOINTS],
	/// The band when last sampled.
	pub band: (Amount, Amount),
	/// Its mark: the average sampled price over the last `MARK_WINDOW` blocks (or since
	/// `since`), within the band.
	pub mark: Amount,
}

/// The risk engine's pass over every credit account, a few per block.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PassState {
	/// Whether it is the day's close: margin calls open, deadlines and expiries are enforced.
	pub close: bool,
	/// The raw storage key of the last account valued; `None` before the first.
	pub cursor: Option<BoundedVec<u8, frame_support::traits::ConstU32<128>>>,
	/// Another pass asked for while this one runs (`Some(close)`), to start when it ends.
	pub next: Option<bool>,
}
