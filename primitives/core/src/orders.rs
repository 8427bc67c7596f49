//! The order book as other pallets use it: placing orders for an account through the book's
//! own checks and matching (no dispatch), and hearing of those orders' fills and ends.
//!
//! The margin pallet trades credit accounts this way: it lends, places the order through
//! [`OrderEntry`], and settles the loan from what [`OrderReports`] tells it.

use crate::market::{Amount, AssetId};
use qingsuan_matching_engine::{OrderId, OrderType, Side};
use sp_runtime::{DispatchError, Weight};

/// What another pallet needs to know of an order-book market.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MarketTerms {
	/// The security traded.
	pub security: AssetId,
	/// The cash asset it is paid in.
	pub cash: AssetId,
	/// Quantities are multiples of this.
	pub lot: Amount,
	/// Prices are multiples of this.
	pub tick: Amount,
	/// The day's lowest and highest price.
	pub band: (Amount, Amount),
	/// The band's centre: the reference price (the previous close).
	pub reference: Amount,
	/// The last trade's price, if the market has traded.
	pub last_price: Option<Amount>,
	/// Whether it takes orders now.
	pub open: bool,
}

impl MarketTerms {
	/// The lowest price a forced sale may take: `discount_ppm` parts per million below `mark`,
	/// not below the band's floor, rounded up to a tick (never above the band's top).
	pub fn protection_price(&self, mark: Amount, discount_ppm: u32) -> Amount {
		let (low, high) = self.band;
		let off = mark.saturating_mul(Amount::from(discount_ppm.min(1_000_000))) / 1_000_000;
		let price = mark.saturating_sub(off).max(low);
		let tick = self.tick.max(1);
		// The highest price on a tick within the band.
		let top = high - high % tick;
		price.div_ceil(tick).saturating_mul(tick).min(top)
	}

	/// The highest price a forced buy-back may take: `premium_ppm` parts per million above
	/// `mark`, rounded up to a tick (so never below the mark), not above the band's top on a
	/// tick, never below the band's floor on a tick.
	pub fn buy_protection_price(&self, mark: Amount, premium_ppm: u32) -> Amount {
		let (low, high) = self.band;
		let up = mark.saturating_mul(Amount::from(premium_ppm.min(1_000_000))) / 1_000_000;
		let tick = self.tick.max(1);
		let price = mark.saturating_add(up).div_ceil(tick).saturating_mul(tick);
		// The highest and lowest prices on a tick within the band.
		let top = high - high % tick;
		let bottom = low.div_ceil(tick).saturating_mul(tick);
		price.min(top).max(bottom)
	}

	/// The price a position is marked at: the last trade's price kept within the day's band,
	/// or, before the first trade, the reference price.
	pub fn mark(&self) -> Amount {
		let (low, high) = self.band;
		self.last_price.map_or(self.reference, |p| p.clamp(low, high))
	}
}

/// An order placed through [`OrderEntry`]: reported to [`OrderReports`] as it fills and ends.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EntryOrder<AccountId> {
	/// The member broker placing it (the account's broker).
	pub broker: AccountId,
	/// The account it is for.
	pub account: AccountId,
	/// The market.
	pub market: u32,
	/// Buy or sell.
	pub side: Side,
	/// Shares.
	pub quantity: u64,
	/// Limit or market, and their parameters.
	pub kind: OrderType,
}

/// Placing orders for other pallets. The order book implements it.
pub trait OrderEntry<AccountId> {
	/// The terms of `market`; `None` if there is no such market.
	fn terms(market: u32) -> Option<MarketTerms>;
	/// The market trading `security` against `cash`, if any.
	fn market_of(security: AssetId, cash: AssetId) -> Option<u32>;
	/// The id the next order placed will have.
	fn next_order_id() -> OrderId;
	/// What a buy of `quantity` at `limit` in `market` holds: its cash, fees and rounding.
	fn buy_hold(market: u32, quantity: u64, limit: Amount) -> Result<Amount, DispatchError>;
	/// Place `order` as `order.broker` would with `place_order`, with every check the book makes
	/// (the account's broker, its standing, the pre-trade rules, the band, the lot), holding what
	/// it needs from the account; its fills and its end are reported. Returns its id and what
	/// placing it cost (its matching and reports, at most [`OrderEntry::place_weight`]).
	fn place(order: EntryOrder<AccountId>) -> Result<(OrderId, Weight), DispatchError>;
	/// The most [`OrderEntry::place`] may cost.
	fn place_weight() -> Weight;
	/// Cancel a batch of `account`'s live orders (all of them, up to the book's batch size), as
	/// a forced liquidation does before selling; their ends are reported. Returns how many were
	/// cancelled and what it cost.
	fn cancel_all(account: &AccountId) -> Result<(u32, Weight), DispatchError>;
	/// The most [`OrderEntry::cancel_all`] may cost.
	fn cancel_all_weight() -> Weight;
}

/// What an order placed through [`OrderEntry`] did, told as it happens, inside the call that
/// matched it (an error fails that call's item, with everything it did).
pub trait OrderReports<AccountId> {
	/// The order `order` of `account` traded `quantity` for `cash_amount` (`quantity × price`);
	/// `fee` is what it paid on top (a buy) or had deducted (a sell).
	fn on_fill(
		order: OrderId,
		account: &AccountId,
		quantity: u64,
		cash_amount: Amount,
		fee: Amount,
	) -> Result<(), DispatchError>;
	/// The order `order` of `account` ended (filled, cancelled, expired, removed); `released`
	/// of what it held went back to the account's free balance.
	fn on_end(order: OrderId, account: &AccountId, released: Amount) -> Result<(), DispatchError>;
	/// The most one report (a fill's or an end's) may cost: the order book adds it to the
	/// weight of its calls, for each report it may make (declared) and makes (charged).
	fn report_weight() -> Weight;
}

/// Nobody listens.
impl<AccountId> OrderReports<AccountId> for () {
	fn on_fill(_: OrderId, _: &AccountId, _: u64, _: Amount, _: Amount) -> Result<(), DispatchError> {
		Ok(())
	}
	fn on_end(_: OrderId, _: &AccountId, _: Amount) -> Result<(), DispatchError> {
		Ok(())
	}
	fn report_weight() -> Weight {
		Weight::zero()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_mark_is_the_last_price_within_the_band_or_its_centre() {
		let t = |last| MarketTerms {
			security: 1,
			cash: 2,
			lot: 100,
			tick: 1,
			band: (900, 1_100),
			reference: 1_000,
			last_price: last,
			open: true,
		};
		assert_eq!(t(None).mark(), 1_000);
		assert_eq!(t(Some(950)).mark(), 950);
		assert_eq!(t(Some(800)).mark(), 900);
		assert_eq!(t(Some(1_200)).mark(), 1_100);
		let odd = MarketTerms { band: (901, 1_100), ..t(None) };
		assert_eq!(odd.mark(), 1_000);
		let max = MarketTerms { band: (u128::MAX, u128::MAX), reference: u128::MAX, ..t(None) };
		assert_eq!(max.mark(), u128::MAX);
	}

	#[test]
	fn a_forced_sales_protection_price_is_below_the_mark_within_the_band_on_a_tick() {
		let t = MarketTerms {
			security: 1,
			cash: 2,
			lot: 100,
			tick: 5,
			band: (900, 1_100),
			reference: 1_000,
			last_price: None,
			open: true,
		};
		// 2% below 1,000 is 980; below 950 it is 931, rounded up to 935.
		assert_eq!(t.protection_price(1_000, 20_000), 980);
		assert_eq!(t.protection_price(950, 20_000), 935);
		// Never below the floor, never above the top.
		assert_eq!(t.protection_price(910, 20_000), 900);
		assert_eq!(t.protection_price(2_000, 0), 1_100);
		let odd = MarketTerms { band: (900, 1_103), ..t };
		assert_eq!(odd.protection_price(2_000, 0), 1_100);
		assert_eq!(t.protection_price(1_000, 2_000_000), 900);
	}

	#[test]
	fn a_buy_backs_protection_price_is_above_the_mark_within_the_band_on_a_tick() {
		let t = MarketTerms {
			security: 1,
			cash: 2,
			lot: 100,
			tick: 5,
			band: (901, 1_100),
			reference: 1_000,
			last_price: None,
			open: true,
		};
		// 2% above 1,000 is 1,020; above 1,001 it is 1,021, rounded up to 1,025.
		assert_eq!(t.buy_protection_price(1_000, 20_000), 1_020);
		assert_eq!(t.buy_protection_price(1_001, 20_000), 1_025);
		// Where 2% is less than a tick, still not below the mark.
		assert_eq!(t.buy_protection_price(1_003, 0), 1_005);
		// Never above the top, never below the floor's tick.
		assert_eq!(t.buy_protection_price(1_090, 20_000), 1_100);
		assert_eq!(t.buy_protection_price(100, 0), 905);
		assert_eq!(t.buy_protection_price(1_000, 2_000_000), 1_100);
	}
}
