//! The order book's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::traits::Get;
use qingsuan_matching_engine::{Book, OrderType, Price, Quantity, SelfTradePrevention, Side};
use qingsuan_primitives::market::{Amount, AssetId};
use scale_info::TypeInfo;
use sp_runtime::Percent;

/// Identifier of an order-book market.
pub type MarketId = u32;
/// Identifier of an order, unique on the chain.
pub type OrderId = qingsuan_matching_engine::OrderId;

/// Whether a market takes orders.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum MarketStatus {
	/// Orders are placed, matched and cancelled.
	Open,
	/// No new orders or replaces; resting orders stay and can be cancelled.
	Halted,
	/// As halted, for good: a closed market never reopens.
	Closed,
}

/// A market: one security traded against one cash asset.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct MarketInfo {
	/// The security.
	pub security: AssetId,
	/// The cash asset it is priced and paid in.
	pub cash: AssetId,
	/// Prices are multiples of this, in the cash asset's smallest unit per share.
	pub tick: Price,
	/// Quantities are multiples of this, in shares.
	pub lot: Quantity,
	/// The price band's centre (the previous close, set by the consortium).
	pub reference_price: Price,
	/// How far from the reference price orders may be priced.
	pub band: Percent,
	/// Open, halted or closed.
	pub status: MarketStatus,
	/// The self-trade prevention mode.
	pub stp: SelfTradePrevention,
	/// The price of the market's last trade.
	pub last_price: Option<Price>,
}

impl MarketInfo {
	/// The lowest and highest price orders may have.
	pub fn band_limits(&self) -> (Price, Price) {
		let width = self.band.mul_floor(self.reference_price);
		(self.reference_price.saturating_sub(width), self.reference_price.saturating_add(width))
	}

	/// Whether `price` is inside the band.
	pub fn in_band(&self, price: Price) -> bool {
		let (low, high) = self.band_limits();
		low <= price && price <= high
	}
}

/// A live order: resting on its market's book, or a sweep the market is still working through.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct OrderInfo<AccountId, BlockNumber> {
	/// Its market.
	pub market: MarketId,
	/// The member broker that placed it.
	pub owner: AccountId,
	/// Buy or sell.
	pub side: Side,
	/// Its type and limit (for a resting order, its current price).
	pub kind: OrderType,
	/// The quantity it was placed (or last replaced) with.
	pub quantity: Quantity,
	/// What is left to trade.
	pub remaining: Quantity,
	/// What the order book holds for it: cash for a buy, shares for a sell.
	pub held: Amount,
	/// The block it was placed in.
	pub placed_at: BlockNumber,
	/// A stop order's trigger price, until it triggers: a buy stop triggers when the market's
	/// last trade price reaches it or above, a sell stop at it or below.
	pub stop: Option<Price>,
	/// The buyer's handling-fee rate its hold was computed at: a buy never pays more (see
	/// `TradeSpec::buyer_fee_cap`), so a fee increase cannot leave it holding too little.
	pub fee_rate: sp_runtime::Perbill,
	/// Placed by another pallet through `OrderEntry` (a credit account's order, by the margin
	/// pallet): its fills and its end are reported to `Config::Reports`, and it cannot be
	/// replaced, only cancelled.
	pub reported: bool,
}

/// One order of a batch.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct NewOrder<AccountId> {
	/// The market.
	pub market: MarketId,
	/// Buy or sell.
	pub side: Side,
	/// Shares.
	pub quantity: Quantity,
	/// Limit or market, and their parameters.
	pub kind: OrderType,
	/// The account it is for: one of the signing broker's investors, or `None` for the
	/// broker's own account. The order, its hold, its fills and their settlement are that
	/// account's.
	pub account: Option<AccountId>,
}

/// Why an order left the book without trading all of it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum CancelReason {
	/// Its owner cancelled it.
	ByOwner,
	/// An immediate-or-cancel or market order found no more liquidity within its price.
	NoLiquidity,
	/// A fill-or-kill order could not trade all of it at once.
	FillOrKill,
	/// It would have traded with an order of the same owner.
	SelfTrade,
	/// A triggered stop order's price was outside the market's price band by then.
	OutsideBand,
	/// A triggered stop order, or a sweep going on, could not be placed (a full book, a
	/// settlement that failed, ...): it ends with nothing of this placement done, and neither
	/// the other stops nor its market are held up by it.
	PlacementFailed(sp_runtime::DispatchError),
	/// Its owner may no longer trade it (it is no longer a member broker or an active investor
	/// of one, or the pre-trade rules now refuse it: a claim expired or was revoked): matching
	/// met it and removed it, or it was due to be placed (a stop, a sweep) and was not.
	OwnerIneligible,
	/// The consortium cancelled the account's orders.
	ByConsortium,
	/// A regulator froze the account.
	AccountFrozen,
	/// The account is being liquidated: its orders are cancelled before its collateral is sold.
	Liquidation,
}

/// A market's book as stored: the engine's book, bounded to `S` resting orders.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[scale_info(skip_type_params(S))]
pub struct StoredBook<A, S>(pub Book<A>, PhantomData<S>);

impl<A: Clone + PartialEq, S> StoredBook<A, S> {
	/// Wrap `book`.
	pub fn new(book: Book<A>) -> Self {
		StoredBook(book, PhantomData)
	}
}

impl<A: MaxEncodedLen, S: Get<u32>> MaxEncodedLen for StoredBook<A, S> {
	fn max_encoded_len() -> usize {
		qingsuan_matching_engine::max_encoded_len::<A>(S::get())
	}
}

/// Upkeep of one market that the off-chain worker proposes and the runtime re-checks.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(S))]
pub enum Upkeep<S: Get<u32>> {
	/// Go on matching the market's sweep.
	ContinueSweep,
	/// Remove these good-till-date orders, whose block has been reached.
	Expire(frame_support::BoundedVec<OrderId, S>),
	/// Place these stop orders, whose trigger the last trade price has reached.
	TriggerStops(frame_support::BoundedVec<OrderId, S>),
}

/// What an off-chain worker signs: a domain tag, the work and the block it was found at.
pub fn upkeep_payload<S: Get<u32>, B: Encode>(market: MarketId, work: &Upkeep<S>, block: &B) -> alloc::vec::Vec<u8> {
	(b"qingsuan/orderbook/upkeep/v1", market, work, block).encode()
}

/// A market's book as clients see it: the best levels of each side, best first.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Depth {
	/// Bid levels, highest first.
	pub bids: alloc::vec::Vec<qingsuan_matching_engine::LevelView>,
	/// Ask levels, lowest first.
	pub asks: alloc::vec::Vec<qingsuan_matching_engine::LevelView>,
	/// The last trade price.
	pub last_price: Option<Price>,
	/// Open, halted or closed.
	pub status: MarketStatus,
	/// The order id the market is still sweeping, if any.
	pub sweep: Option<OrderId>,
}
