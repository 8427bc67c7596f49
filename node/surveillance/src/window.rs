//! The detectors' working state that outlives a block: bounded by the detectors' windows and
//! by the day, stored as one value and rewritten with each block.

use crate::types::{Account, Day, MarketId, OrderId, Price, Quantity, SettlementId, Side, MAX_EVIDENCE};
use codec::{Decode, Encode};
use std::collections::{BTreeMap, BTreeSet};

/// A recent trade.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Fill {
	/// Its block's time.
	pub time_ms: u64,
	/// Its market.
	pub market: MarketId,
	/// The buying account.
	pub buyer: Account,
	/// The selling account.
	pub seller: Account,
	/// Its settlement.
	pub settlement: SettlementId,
}

/// A large order near the best price that its owner cancelled quickly.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct QuickLargeCancel {
	/// The order.
	pub order: OrderId,
	/// Its owner.
	pub account: Account,
	/// Its market.
	pub market: MarketId,
	/// Its side.
	pub side: Side,
	/// When it became a candidate (placed, or replaced into one).
	pub placed_ms: u64,
	/// When it was cancelled.
	pub cancelled_ms: u64,
}

/// One side's volume of a price window, per account.
pub type Volumes = BTreeMap<Account, (Quantity, Vec<SettlementId>)>;

/// A market's current price-pushing window.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct PriceWindow {
	/// Its start (a multiple of the window length).
	pub start_ms: u64,
	/// The price before the window (or its first trade's).
	pub open: Price,
	/// Its last trade's price.
	pub last: Price,
	/// Shares traded in it.
	pub volume: Quantity,
	/// What each account bought in it, with its trades.
	pub bought: Volumes,
	/// What each account sold in it, with its trades.
	pub sold: Volumes,
}

/// The day's orders at one band limit of a market.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct BandTally {
	/// Shares ordered at the limit by everyone.
	pub total: Quantity,
	/// Shares ordered at the limit by each account, with its orders.
	pub by_account: BTreeMap<Account, (Quantity, Vec<OrderId>)>,
}

/// The working state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct Window {
	/// The settlement day the day-scoped parts are of.
	pub day: Day,
	/// The second (block time / 1000) of `per_second`.
	pub second: u64,
	/// Orders and owner cancels of each account in that second, with the orders.
	pub per_second: BTreeMap<Account, (u32, Vec<OrderId>)>,
	/// The last trade of each (market, seller, buyer) within the matching window: its time and
	/// settlement.
	pub pairs: BTreeMap<(MarketId, Account, Account), (u64, SettlementId)>,
	/// Each (account, market, side)'s trades within the spoofing window, oldest first (the
	/// latest [`MAX_EVIDENCE`]).
	pub trades: BTreeMap<(Account, MarketId, Side), Vec<(u64, SettlementId)>>,
	/// Quick cancels of large orders near the best price, of the last spoofing window.
	pub large_cancels: Vec<QuickLargeCancel>,
	/// Each market's current price window.
	pub prices: BTreeMap<MarketId, PriceWindow>,
	/// Each market's last trade price.
	pub last_price: BTreeMap<MarketId, Price>,
	/// The day's orders at each market's band limits (buys at the upper, sells at the lower).
	pub band: BTreeMap<(MarketId, Side), BandTally>,
	/// Subjects alerted today (kind and subject key), so each fires once a day.
	pub alerted: BTreeSet<(u8, Vec<u8>)>,
}

impl Window {
	/// Start `day`'s day-scoped parts afresh if it is a new day.
	pub fn enter_day(&mut self, day: Day) {
		if self.day != day {
			self.day = day;
			self.band.clear();
			self.alerted.clear();
		}
	}

	/// Start `second`'s counts afresh if it is a new second.
	pub fn enter_second(&mut self, second: u64) {
		if self.second != second {
			self.second = second;
			self.per_second.clear();
		}
	}

	/// Forget pairs' trades older than `matched_ms`, and accounts' trades and large cancels older
	/// than `spoof_ms`, before `now_ms`.
	pub fn prune(&mut self, now_ms: u64, matched_ms: u64, spoof_ms: u64) {
		let matched = now_ms.saturating_sub(matched_ms);
		let spoof = now_ms.saturating_sub(spoof_ms);
		self.pairs.retain(|_, (t, _)| *t >= matched);
		self.trades.retain(|_, list| {
			list.retain(|(t, _)| *t >= spoof);
			!list.is_empty()
		});
		self.large_cancels.retain(|c| c.cancelled_ms >= spoof);
	}

	/// Remember `fill` for the matching and spoofing checks.
	pub fn record(&mut self, fill: &Fill) {
		self.pairs.insert((fill.market, fill.seller, fill.buyer), (fill.time_ms, fill.settlement));
		for (account, side) in [(fill.buyer, Side::Buy), (fill.seller, Side::Sell)] {
			let list = self.trades.entry((account, fill.market, side)).or_default();
			if list.len() >= MAX_EVIDENCE {
				list.remove(0);
			}
			list.push((fill.time_ms, fill.settlement));
		}
	}

	/// Whether `(kind, subject)` is new today; marks it alerted.
	pub fn first_today(&mut self, kind: u8, subject: Vec<u8>) -> bool {
		self.alerted.insert((kind, subject))
	}
}

/// Append `item` to a capped evidence list.
pub fn push_capped<T>(list: &mut Vec<T>, item: T) {
	if list.len() < MAX_EVIDENCE {
		list.push(item);
	}
}
