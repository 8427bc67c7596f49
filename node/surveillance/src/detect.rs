//! One block's pass: each event's lifecycle entries and the detectors it feeds. Everything is
//! written into the block's batch, so the block commits whole or not at all.

use crate::{
	keys,
	store::Status,
	types::{
		Account, Alert, AlertKind, BlockInput, Entry, Event, Input, MarketId, MarketView, OrderId, OrderRecord, Price,
		Quantity, SettlementId, Side,
	},
	window::{push_capped, Fill, PriceWindow, QuickLargeCancel, Window},
	Config,
};
use codec::{Decode, Encode};
use qingsuan_trade_store::{list::List, Batch, Error, Kv, Read};

/// An account's counts of a day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct DayCounts {
	/// Orders placed and replaced.
	pub orders: u32,
	/// Cancels by the owner.
	pub cancels: u32,
	/// Cancels by the owner within the quick-cancel time of placing.
	pub quick_cancels: u32,
	/// The first quick-cancelled orders.
	pub quick_orders: Vec<OrderId>,
}

/// An alert before it has an id.
struct Finding {
	kind: AlertKind,
	account: Account,
	counterparty: Option<Account>,
	market: Option<MarketId>,
	detail: String,
	orders: Vec<OrderId>,
	trades: Vec<SettlementId>,
}

/// A block's pass over its events.
pub struct Scan<'a, 'k, K: Kv> {
	pub(crate) batch: &'a mut Batch<'k, K>,
	pub(crate) window: &'a mut Window,
	pub(crate) status: &'a mut Status,
	pub(crate) config: &'a Config,
	pub(crate) block: &'a BlockInput,
	pub(crate) alerts: Vec<Alert>,
}

fn bps(diff: u128, base: u128) -> u128 {
	diff.saturating_mul(10_000).checked_div(base).unwrap_or(u128::MAX)
}

fn percent(part: u128, whole: u128) -> u128 {
	part.saturating_mul(100).checked_div(whole).unwrap_or(0)
}

/// Whether a limit `price` on `side` is within `near_bps` of the best price on its side (or,
/// with that side empty, the other side's best or the last price).
pub fn near_best(view: &MarketView, side: Side, price: Price, near_bps: u32) -> bool {
	let reference = match side {
		Side::Buy => view.best_bid.or(view.best_ask),
		Side::Sell => view.best_ask.or(view.best_bid),
	}
	.or(view.last_price);
	reference.is_some_and(|r| bps(price.abs_diff(r) as u128, r as u128) <= near_bps as u128)
}

impl<K: Kv> Scan<'_, '_, K> {
	fn now(&self) -> u64 {
		self.block.time_ms
	}

	fn entry(&self, order: Option<OrderId>, event: Event) -> Entry {
		Entry { order, block: self.block.number, time_ms: self.now(), event }
	}

	/// Record `event` in `order`'s lifecycle (if any) and in `account`'s for the day.
	fn log(&mut self, account: &Account, order: Option<OrderId>, event: Event) -> Result<(), Error> {
		let entry = self.entry(order, event);
		if let Some(order) = order {
			List::new(keys::order_entries(order)).push(self.batch, entry.clone())?;
		}
		List::new(keys::account_entries(self.block.day, account)).push(self.batch, entry)
	}

	fn counts(&self, account: &Account) -> Result<DayCounts, Error> {
		Ok(self.batch.get_decoded(&keys::counts(self.block.day, account))?.unwrap_or_default())
	}

	fn raise(&mut self, finding: Finding) -> Result<(), Error> {
		let id = self.status.alerts;
		self.status.alerts += 1;
		let day = self.block.day;
		let Finding { kind, account, counterparty, market, detail, orders, trades } = finding;
		let alert = Alert {
			id,
			kind,
			day,
			block: self.block.number,
			time_ms: self.now(),
			account,
			counterparty,
			market,
			detail,
			orders,
			trades,
		};
		self.batch.put(keys::alert(id), &alert);
		List::new(keys::day_alerts(day)).push(self.batch, id)?;
		List::new(keys::kind_alerts(day, kind)).push(self.batch, id)?;
		List::new(keys::account_alerts(day, &account)).push(self.batch, id)?;
		if let Some(other) = counterparty.filter(|c| *c != account) {
			List::new(keys::account_alerts(day, &other)).push(self.batch, id)?;
		}
		self.alerts.push(alert);
		Ok(())
	}

	/// Count an order message of `account` (`update` adds it to the day's counts) and run the
	/// high-frequency checks. Returns the day's counts.
	fn count_order_message(
		&mut self,
		account: &Account,
		order: OrderId,
		update: impl FnOnce(&mut DayCounts),
	) -> Result<DayCounts, Error> {
		let mut counts = self.counts(account)?;
		update(&mut counts);
		self.batch.put(keys::counts(self.block.day, account), &counts);
		self.count_message(account, order)?;
		self.check_day_rate(account, &counts)?;
		Ok(counts)
	}

	/// Count an order message (a placement, a replacement or an owner's cancel) of `account`.
	fn count_message(&mut self, account: &Account, order: OrderId) -> Result<(), Error> {
		let (second, orders) = {
			let entry = self.window.per_second.entry(*account).or_default();
			entry.0 = entry.0.saturating_add(1);
			push_capped(&mut entry.1, order);
			(entry.0, entry.1.clone())
		};
		let per_second = self.config.high_frequency_per_second;
		if second >= per_second {
			let detail = format!("{second} orders and cancels within one second (threshold {per_second})");
			self.high_frequency(account, detail, orders)?;
		}
		Ok(())
	}

	fn check_day_rate(&mut self, account: &Account, counts: &DayCounts) -> Result<(), Error> {
		let total = counts.orders.saturating_add(counts.cancels);
		let per_day = self.config.high_frequency_per_day;
		if total >= per_day {
			let detail = format!("{total} orders and cancels today (threshold {per_day})");
			let orders = self.window.per_second.get(account).map(|e| e.1.clone()).unwrap_or_default();
			self.high_frequency(account, detail, orders)?;
		}
		Ok(())
	}

	/// A high-frequency alert about `account`, the first of the day.
	fn high_frequency(&mut self, account: &Account, detail: String, orders: Vec<OrderId>) -> Result<(), Error> {
		if !self.window.first_today(AlertKind::HighFrequency.tag(), account.to_vec()) {
			return Ok(());
		}
		self.raise(Finding {
			kind: AlertKind::HighFrequency,
			account: *account,
			counterparty: None,
			market: None,
			detail,
			orders,
			trades: Vec::new(),
		})
	}

	/// An order was placed.
	#[allow(clippy::too_many_arguments)]
	fn placed(
		&mut self,
		order: OrderId,
		market: MarketId,
		account: Account,
		side: Side,
		quantity: Quantity,
		limit: Option<Price>,
		stop: bool,
	) -> Result<(), Error> {
		let view = self.block.markets.get(&market).cloned().unwrap_or_default();
		let candidate = !stop && limit.is_some_and(|p| self.spoof_candidate(&view, side, quantity, p));
		let record = OrderRecord {
			account,
			market,
			side,
			quantity,
			limit,
			block: self.block.number,
			time_ms: self.now(),
			spoof_candidate_since: candidate.then(|| self.now()),
		};
		self.batch.put(keys::order(order), &record);
		self.log(&account, Some(order), Event::Placed { market, side, quantity, limit, stop })?;
		self.count_order_message(&account, order, |c| c.orders = c.orders.saturating_add(1))?;
		let at_limit = view.limit_for(side);
		if !stop && at_limit > 0 && limit == Some(at_limit) {
			self.band_order(order, market, account, side, quantity, at_limit)?;
		}
		Ok(())
	}

	/// Whether an order of `quantity` at `price` is a spoofing candidate in `view`: large and
	/// near the best price on its side.
	fn spoof_candidate(&self, view: &MarketView, side: Side, quantity: Quantity, price: Price) -> bool {
		quantity >= self.config.spoof_min_quantity && near_best(view, side, price, self.config.spoof_near_bps)
	}

	fn band_order(
		&mut self,
		order: OrderId,
		market: MarketId,
		account: Account,
		side: Side,
		quantity: Quantity,
		price: Price,
	) -> Result<(), Error> {
		let tally = self.window.band.entry((market, side)).or_default();
		tally.total = tally.total.saturating_add(quantity);
		let total = tally.total;
		let mine = tally.by_account.entry(account).or_default();
		mine.0 = mine.0.saturating_add(quantity);
		push_capped(&mut mine.1, order);
		let (held, orders) = (mine.0, mine.1.clone());
		let share = percent(held as u128, total as u128);
		let config = self.config;
		if held >= config.band_hold_min_quantity
			&& share >= config.band_hold_share_percent as u128
			&& self.window.first_today(AlertKind::BandHold.tag(), (market, account).encode())
		{
			let limit = if side == Side::Buy { "upper" } else { "lower" };
			let detail = format!(
				"{held} shares ordered at the {limit} band limit {price} today, {share}% of {total} (thresholds {} shares, {}%)",
				config.band_hold_min_quantity, config.band_hold_share_percent
			);
			self.raise(Finding {
				kind: AlertKind::BandHold,
				account,
				counterparty: None,
				market: Some(market),
				detail,
				orders,
				trades: Vec::new(),
			})?;
		}
		Ok(())
	}

	/// A resting order was replaced: it counts as an order message, and its new price and size
	/// are judged as a placement's are (a small order replaced by a large one near the best
	/// price becomes a spoofing candidate; one moved to the band limit joins the band tally).
	fn replaced(&mut self, order: OrderId, price: Price, quantity: Quantity) -> Result<(), Error> {
		let Some(mut record) = self.batch.get_decoded::<OrderRecord>(&keys::order(order))? else {
			return Ok(()); // placed before the store began
		};
		let account = record.account;
		self.log(&account, Some(order), Event::Replaced { price, quantity })?;
		self.count_order_message(&account, order, |c| c.orders = c.orders.saturating_add(1))?;
		let Some(view) = self.block.markets.get(&record.market).cloned() else {
			return Ok(()); // the node gave no view of the market: nothing to judge against
		};
		let candidate = self.spoof_candidate(&view, record.side, quantity, price);
		record.spoof_candidate_since = candidate.then(|| record.spoof_candidate_since.unwrap_or(self.now()));
		let at_limit = view.limit_for(record.side);
		let moved_to_limit = at_limit > 0 && price == at_limit && record.limit != Some(at_limit);
		record.limit = Some(price);
		record.quantity = quantity;
		self.batch.put(keys::order(order), &record);
		if moved_to_limit {
			self.band_order(order, record.market, account, record.side, quantity, price)?;
		}
		Ok(())
	}

	fn cancelled(
		&mut self,
		order: OrderId,
		account: Account,
		remaining: Quantity,
		by_owner: bool,
		reason: String,
	) -> Result<(), Error> {
		self.log(&account, Some(order), Event::Cancelled { remaining, reason })?;
		if !by_owner {
			return Ok(());
		}
		let record = self.batch.get_decoded::<OrderRecord>(&keys::order(order))?;
		let age = record.as_ref().map(|r| self.now().saturating_sub(r.time_ms));
		let quick = age.is_some_and(|age| age <= self.config.quick_cancel_ms);
		let counts = self.count_order_message(&account, order, |c| {
			c.cancels = c.cancels.saturating_add(1);
			if quick {
				c.quick_cancels = c.quick_cancels.saturating_add(1);
				push_capped(&mut c.quick_orders, order);
			}
		})?;
		self.check_quick_cancels(&account, &counts)?;
		let now = self.now();
		let candidate = record.and_then(|r| r.spoof_candidate_since.map(|since| (r, since)));
		match candidate {
			Some((r, since)) if now.saturating_sub(since) <= self.config.spoof_cancel_ms => {
				let cancel = QuickLargeCancel {
					order,
					account,
					market: r.market,
					side: r.side,
					placed_ms: since,
					cancelled_ms: now,
				};
				self.window.large_cancels.push(cancel.clone());
				self.check_spoof(&cancel)
			},
			_ => Ok(()),
		}
	}

	fn check_quick_cancels(&mut self, account: &Account, counts: &DayCounts) -> Result<(), Error> {
		let config = self.config;
		let ratio = percent(counts.cancels as u128, counts.orders as u128);
		if counts.quick_cancels >= config.quick_cancel_min_count
			&& ratio >= config.quick_cancel_ratio_percent as u128
			&& self.window.first_today(AlertKind::QuickCancel.tag(), account.to_vec())
		{
			let detail = format!(
				"{} orders cancelled within {} ms of placing today; cancels are {ratio}% of {} orders (thresholds {}, {}%)",
				counts.quick_cancels,
				config.quick_cancel_ms,
				counts.orders,
				config.quick_cancel_min_count,
				config.quick_cancel_ratio_percent
			);
			self.raise(Finding {
				kind: AlertKind::QuickCancel,
				account: *account,
				counterparty: None,
				market: None,
				detail,
				orders: counts.quick_orders.clone(),
				trades: Vec::new(),
			})?;
		}
		Ok(())
	}

	/// Raise a spoofing alert for `cancel` if its owner traded the other side of its market
	/// within the window of it, once per order.
	fn check_spoof(&mut self, cancel: &QuickLargeCancel) -> Result<(), Error> {
		let window = self.config.spoof_window_ms;
		let from = cancel.placed_ms.saturating_sub(window);
		let to = cancel.cancelled_ms.saturating_add(window);
		let trades: Vec<SettlementId> = self
			.window
			.trades
			.get(&(cancel.account, cancel.market, cancel.side.opposite()))
			.map(|list| list.iter().filter(|(t, _)| *t >= from && *t <= to).map(|(_, s)| *s).collect())
			.unwrap_or_default();
		if trades.is_empty() || !self.window.first_today(AlertKind::Spoofing.tag(), cancel.order.encode()) {
			return Ok(());
		}
		let side = if cancel.side == Side::Buy { "buy" } else { "sell" };
		let detail = format!(
			"large {side} order {} near the best price cancelled {} ms after placing, with {} trade(s) on the other side within {window} ms",
			cancel.order,
			cancel.cancelled_ms.saturating_sub(cancel.placed_ms),
			trades.len()
		);
		self.raise(Finding {
			kind: AlertKind::Spoofing,
			account: cancel.account,
			counterparty: None,
			market: Some(cancel.market),
			detail,
			orders: vec![cancel.order],
			trades,
		})
	}

	#[allow(clippy::too_many_arguments)]
	fn filled(
		&mut self,
		market: MarketId,
		maker_order: OrderId,
		taker_order: OrderId,
		maker: Account,
		taker: Account,
		taker_side: Side,
		price: Price,
		quantity: Quantity,
		settlement: SettlementId,
	) -> Result<(), Error> {
		let fill = |maker_role: bool, counterparty: Account| Event::Filled {
			price,
			quantity,
			settlement,
			maker: maker_role,
			counterparty,
		};
		self.log(&maker, Some(maker_order), fill(true, taker))?;
		self.log(&taker, Some(taker_order), fill(false, maker))?;
		let (buyer, seller) = if taker_side == Side::Buy { (taker, maker) } else { (maker, taker) };
		let trade = Fill { time_ms: self.now(), market, buyer, seller, settlement };
		self.check_wash(&trade)?;
		self.check_matched(&trade)?;
		self.window.record(&trade);
		let side_of = |account: &Account| {
			if *account == buyer {
				Some(Side::Buy)
			} else if *account == seller {
				Some(Side::Sell)
			} else {
				None
			}
		};
		let spoofs: Vec<QuickLargeCancel> = self
			.window
			.large_cancels
			.iter()
			.filter(|c| c.market == market && side_of(&c.account) == Some(c.side.opposite()))
			.cloned()
			.collect();
		for cancel in spoofs {
			self.check_spoof(&cancel)?;
		}
		self.price_window(&trade, price, quantity)
	}

	fn check_wash(&mut self, trade: &Fill) -> Result<(), Error> {
		let owner = self.block.owner(&trade.buyer);
		if owner != self.block.owner(&trade.seller)
			|| !self.window.first_today(AlertKind::WashTrade.tag(), (trade.buyer, trade.seller).encode())
		{
			return Ok(());
		}
		let detail = "buyer and seller have the same beneficial owner".to_string();
		self.raise(Finding {
			kind: AlertKind::WashTrade,
			account: trade.seller,
			counterparty: Some(trade.buyer),
			market: Some(trade.market),
			detail,
			orders: Vec::new(),
			trades: vec![trade.settlement],
		})
	}

	fn check_matched(&mut self, trade: &Fill) -> Result<(), Error> {
		// The last time the buyer sold to the seller in this market, within the window.
		let horizon = trade.time_ms.saturating_sub(self.config.matched_window_ms);
		let back = self.window.pairs.get(&(trade.market, trade.buyer, trade.seller));
		let Some(back) = back.filter(|(t, _)| *t >= horizon).map(|(_, s)| *s) else { return Ok(()) };
		let pair = if trade.buyer < trade.seller { (trade.buyer, trade.seller) } else { (trade.seller, trade.buyer) };
		if !self.window.first_today(AlertKind::MatchedTrades.tag(), (trade.market, pair).encode()) {
			return Ok(());
		}
		let detail = format!(
			"the two accounts traded market {} in both directions within {} ms",
			trade.market, self.config.matched_window_ms
		);
		self.raise(Finding {
			kind: AlertKind::MatchedTrades,
			account: trade.seller,
			counterparty: Some(trade.buyer),
			market: Some(trade.market),
			detail,
			orders: Vec::new(),
			trades: vec![back, trade.settlement],
		})
	}

	fn price_window(&mut self, trade: &Fill, price: Price, quantity: Quantity) -> Result<(), Error> {
		let length = self.config.push_window_ms;
		let start = trade.time_ms - trade.time_ms % length;
		if self.window.prices.get(&trade.market).is_some_and(|w| w.start_ms != start) {
			self.close_window(trade.market)?;
		}
		// The price before the window: the last trade the store saw, else the market's before
		// this block, else this trade's.
		let open = self
			.window
			.last_price
			.get(&trade.market)
			.copied()
			.or_else(|| self.block.markets.get(&trade.market).and_then(|v| v.last_price))
			.unwrap_or(price);
		let window = self.window.prices.entry(trade.market).or_insert_with(|| PriceWindow {
			start_ms: start,
			open,
			last: price,
			volume: 0,
			bought: Default::default(),
			sold: Default::default(),
		});
		window.last = price;
		window.volume = window.volume.saturating_add(quantity);
		for (book, account) in [(&mut window.bought, trade.buyer), (&mut window.sold, trade.seller)] {
			let mine = book.entry(account).or_default();
			mine.0 = mine.0.saturating_add(quantity);
			push_capped(&mut mine.1, trade.settlement);
		}
		self.window.last_price.insert(trade.market, price);
		Ok(())
	}

	/// Close every price window that ended before this block.
	pub(crate) fn close_ended_windows(&mut self) -> Result<(), Error> {
		let now = self.now();
		let length = self.config.push_window_ms;
		let ended: Vec<MarketId> = self
			.window
			.prices
			.iter()
			.filter(|(_, w)| w.start_ms.saturating_add(length) <= now)
			.map(|(m, _)| *m)
			.collect();
		for market in ended {
			self.close_window(market)?;
		}
		Ok(())
	}

	fn close_window(&mut self, market: MarketId) -> Result<(), Error> {
		let Some(window) = self.window.prices.remove(&market) else { return Ok(()) };
		if window.open == 0 || window.volume == 0 {
			return Ok(());
		}
		let up = window.last >= window.open;
		let moved = bps(window.last.abs_diff(window.open) as u128, window.open as u128);
		let config = self.config;
		if moved < config.push_move_bps as u128 {
			return Ok(());
		}
		let (book, direction) = if up { (&window.bought, "up") } else { (&window.sold, "down") };
		for (account, (traded, trades)) in book {
			let share = percent(*traded as u128, window.volume as u128);
			if share < config.push_share_percent as u128 {
				continue;
			}
			let detail = format!(
				"price moved {direction} {moved} bps ({} to {}) in the {} ms window from {}; the account made {share}% of its {} shares on that side (thresholds {} bps, {}%)",
				window.open,
				window.last,
				config.push_window_ms,
				window.start_ms,
				window.volume,
				config.push_move_bps,
				config.push_share_percent
			);
			self.raise(Finding {
				kind: AlertKind::PricePushing,
				account: *account,
				counterparty: None,
				market: Some(market),
				detail,
				orders: Vec::new(),
				trades: trades.clone(),
			})?;
		}
		Ok(())
	}

	/// Take one event.
	pub(crate) fn take(&mut self, input: &Input) -> Result<(), Error> {
		match input.clone() {
			Input::Placed { order, market, account, side, quantity, limit, stop } => {
				self.placed(order, market, account, side, quantity, limit, stop)
			},
			Input::Replaced { order, price, quantity } => self.replaced(order, price, quantity),
			Input::Cancelled { order, account, remaining, by_owner, reason } => {
				self.cancelled(order, account, remaining, by_owner, reason)
			},
			Input::Expired { order, account, remaining } => {
				self.log(&account, Some(order), Event::Expired { remaining })
			},
			Input::Filled {
				market,
				maker_order,
				taker_order,
				maker,
				taker,
				taker_side,
				price,
				quantity,
				settlement,
			} => self.filled(market, maker_order, taker_order, maker, taker, taker_side, price, quantity, settlement),
			Input::Rejected { account, call, error } => self.log(&account, None, Event::Rejected { call, error }),
		}
	}
}
