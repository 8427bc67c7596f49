//! The store: taking a finalized block, and the bounded queries.

use crate::{
	detect::Scan,
	keys,
	types::{Account, Alert, AlertKind, BlockInput, Day, Entry, OrderId, OrderRecord},
	window::Window,
	Config,
};
use codec::{Decode, Encode};
use qingsuan_trade_store::{list::List, Batch, Error, Kv};

/// The most items one query returns.
pub const MAX_PAGE: u32 = 1_000;

/// How far the store has come.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct Status {
	/// The first block taken (a store started late has no history before it).
	pub first: Option<u32>,
	/// The last block taken, with its hash.
	pub last: Option<(u32, [u8; 32])>,
	/// Alerts raised (the next alert's id).
	pub alerts: u64,
	/// Blocks passed over because their events could not be read; their orders are missing.
	pub missed: u64,
}

/// The order lifecycle and the detectors' alerts, on `kv`.
pub struct Surveillance<K> {
	kv: K,
	config: Config,
}

fn page(limit: u32) -> usize {
	limit.clamp(1, MAX_PAGE) as usize
}

impl<K: Kv> Surveillance<K> {
	/// The store on `kv`, detecting with `config`.
	pub fn new(kv: K, config: Config) -> Self {
		Self { kv, config }
	}

	/// The database.
	pub fn kv(&self) -> &K {
		&self.kv
	}

	/// The detectors' thresholds.
	pub fn config(&self) -> &Config {
		&self.config
	}

	/// How far the store has come.
	pub fn status(&self) -> Result<Status, Error> {
		Ok(self.kv.get_decoded(&keys::status())?.unwrap_or_default())
	}

	/// The block the store expects next, if it has taken any.
	pub fn next_block(&self) -> Result<Option<u32>, Error> {
		Ok(self.status()?.last.map(|(n, _)| n + 1))
	}

	fn expect(&self, status: &Status, number: u32) -> Result<(), Error> {
		match status.last {
			Some((last, _)) if last + 1 != number => Err(Error::OutOfOrder { expected: last + 1, got: number }),
			_ => Ok(()),
		}
	}

	/// Take the finalized block `block`: its lifecycle entries, the detectors' findings, and
	/// the block as the new head, in one atomic write. Returns the alerts it raised.
	pub fn index_block(&self, block: &BlockInput) -> Result<Vec<Alert>, Error> {
		let mut status = self.status()?;
		self.expect(&status, block.number)?;
		let mut window: Window = self.kv.get_decoded(&keys::window())?.unwrap_or_default();
		let mut batch = Batch::new(&self.kv);
		window.enter_day(block.day);
		window.enter_second(block.time_ms / 1000);
		// A large order's trades count from a window before it was placed to a window after it
		// was cancelled, which is at most the cancel time later.
		let spoof = self.config.spoof_window_ms.saturating_mul(2).saturating_add(self.config.spoof_cancel_ms);
		window.prune(block.time_ms, self.config.matched_window_ms, spoof);
		let alerts = {
			let mut scan = Scan {
				batch: &mut batch,
				window: &mut window,
				status: &mut status,
				config: &self.config,
				block,
				alerts: Vec::new(),
			};
			scan.close_ended_windows()?;
			for input in &block.events {
				scan.take(input)?;
			}
			scan.alerts
		};
		status.first.get_or_insert(block.number);
		status.last = Some((block.number, block.hash));
		batch.put(keys::window(), &window);
		batch.put(keys::status(), &status);
		batch.commit()?;
		Ok(alerts)
	}

	/// Pass over block `number` whose events could not be read: the head moves on, the block
	/// is counted as missed.
	pub fn skip_block(&self, number: u32, hash: [u8; 32]) -> Result<(), Error> {
		let mut status = self.status()?;
		self.expect(&status, number)?;
		status.first.get_or_insert(number);
		status.last = Some((number, hash));
		status.missed += 1;
		let mut batch = Batch::new(&self.kv);
		batch.put(keys::status(), &status);
		batch.commit()
	}

	/// The alert `id`.
	pub fn alert(&self, id: u64) -> Result<Option<Alert>, Error> {
		self.kv.get_decoded(&keys::alert(id))
	}

	/// Up to `limit` of `day`'s alerts with ids from `from` on, in id order: all of them, or
	/// those about `account`, or of `kind`, or both.
	pub fn alerts(
		&self,
		day: Day,
		account: Option<&Account>,
		kind: Option<AlertKind>,
		from: u64,
		limit: u32,
	) -> Result<Vec<Alert>, Error> {
		let list = match (account, kind) {
			(Some(account), _) => List::new(keys::account_alerts(day, account)),
			(None, Some(kind)) => List::new(keys::kind_alerts(day, kind)),
			(None, None) => List::new(keys::day_alerts(day)),
		};
		let len = list.len(&self.kv)?;
		let start = list.seek(&self.kv, len, &from)?;
		let want = page(limit);
		let mut out = Vec::new();
		// With both an account and a kind, the account's list is filtered: an account has few
		// alerts a day (each subject fires once), so the walk stays short.
		let mut pos = start;
		while pos < len && out.len() < want {
			let ids: Vec<u64> = list.forward(&self.kv, len, pos, want)?;
			pos += ids.len() as u64;
			for id in ids {
				let alert =
					self.alert(id)?.ok_or_else(|| Error::Corrupt(format!("alert {id} is listed but missing")))?;
				if kind.is_none_or(|k| k == alert.kind) && out.len() < want {
					out.push(alert);
				}
			}
		}
		Ok(out)
	}

	/// The order `id` and up to [`MAX_PAGE`] of its lifecycle entries, if the store saw it
	/// placed.
	pub fn order(&self, id: OrderId) -> Result<Option<(OrderRecord, Vec<Entry>)>, Error> {
		let Some(record) = self.kv.get_decoded::<OrderRecord>(&keys::order(id))? else { return Ok(None) };
		let list = List::new(keys::order_entries(id));
		let len = list.len(&self.kv)?;
		Ok(Some((record, list.forward(&self.kv, len, 0, MAX_PAGE as usize)?)))
	}

	/// Up to `limit` of `account`'s lifecycle entries of `day` from position `from` on, with
	/// the day's total.
	pub fn account_day(&self, account: &Account, day: Day, from: u64, limit: u32) -> Result<(u64, Vec<Entry>), Error> {
		let list = List::new(keys::account_entries(day, account));
		let len = list.len(&self.kv)?;
		Ok((len, list.forward(&self.kv, len, from, page(limit))?))
	}

	/// `account`'s counts of `day`.
	pub fn counts(&self, account: &Account, day: Day) -> Result<crate::detect::DayCounts, Error> {
		Ok(self.kv.get_decoded(&keys::counts(day, account))?.unwrap_or_default())
	}
}
