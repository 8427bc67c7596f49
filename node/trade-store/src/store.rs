//! The store: writing a finalized block's settlements, and the bounded queries.

use crate::{kv::Batch, list::List, Error, Kv, Read};
use codec::{Codec, Decode, Encode};
use frame_support::traits::Get;
use pallet_settlement::{
	chain_next, movements, Amount, AssetId, Day, DayDigest, NetPosition, Settled, SettlementId, SettlementRecord,
};
use std::{collections::BTreeSet, marker::PhantomData};

/// The most items one query returns.
pub const MAX_PAGE: u32 = 1_000;

/// Every key of the store starts with this (version 1 of its layout).
const PREFIX: &[u8] = b"qs/trades/1/";

/// A settlement as stored: what settled, its block and its day.
pub type Record<A, L> = SettlementRecord<A, u32, L>;
/// A page of settlements with their ids.
pub type Page<A, L> = Vec<(SettlementId, Record<A, L>)>;

/// How far the store has indexed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct Status {
	/// The first block indexed (a node that starts its store late has no history before it).
	pub first: Option<u32>,
	/// The last block indexed, with its hash.
	pub last: Option<(u32, [u8; 32])>,
	/// Settlements indexed.
	pub settlements: u64,
	/// Blocks passed over because their state was no longer available (pruned before the store
	/// reached them); their settlements are missing. Zero on an archive node.
	pub missed: u64,
	/// The last day whose hash chain in the store differed from the chain's (see
	/// [`TradeStore::note_mismatch`]); `None` while every check agreed.
	pub mismatched_day: Option<Day>,
}

/// Settlements of finalized blocks, indexed by id, day, (day, account) and market, with each
/// (day, account, asset)'s totals. `A` is the account id (its encoding must have a fixed
/// length), `L` the runtime's most legs per instruction.
pub struct TradeStore<K, A, L> {
	kv: K,
	fee_account: A,
	tax_account: A,
	_legs: PhantomData<L>,
}

fn key(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
	let mut k = PREFIX.to_vec();
	k.push(tag);
	for p in parts {
		k.extend_from_slice(p);
	}
	k
}

fn page(limit: u32) -> usize {
	limit.min(MAX_PAGE) as usize
}

impl<K: Kv, A: Codec + Clone + Ord, L: Get<u32>> TradeStore<K, A, L> {
	/// A store on `kv`. Trades pay handling fees to `fee_account` and stamp duty to
	/// `tax_account` (the runtime's), which the net totals include.
	pub fn new(kv: K, fee_account: A, tax_account: A) -> Self {
		Self { kv, fee_account, tax_account, _legs: PhantomData }
	}

	/// The database.
	pub fn kv(&self) -> &K {
		&self.kv
	}

	fn status_key() -> Vec<u8> {
		key(b's', &[])
	}

	fn record_key(id: SettlementId) -> Vec<u8> {
		key(b'r', &[&id.to_be_bytes()])
	}

	fn day_list(day: Day) -> List {
		List::new(key(b'd', &[&day.to_be_bytes()]))
	}

	fn account_list(who: &A, day: Day) -> List {
		List::new(key(b'a', &[&day.to_be_bytes(), &who.encode()]))
	}

	fn market_list(security: AssetId, cash: AssetId) -> List {
		List::new(key(b'm', &[&security.to_be_bytes(), &cash.to_be_bytes()]))
	}

	fn totals_list(day: Day) -> List {
		List::new(key(b'k', &[&day.to_be_bytes()]))
	}

	fn digest_key(day: Day) -> Vec<u8> {
		key(b'h', &[&day.to_be_bytes()])
	}

	fn totals_key(day: Day, who: &A, asset: AssetId) -> Vec<u8> {
		key(b'v', &[&day.to_be_bytes(), &who.encode(), &asset.to_be_bytes()])
	}

	/// How far the store has indexed.
	pub fn status(&self) -> Result<Status, Error> {
		Ok(self.kv.get_decoded(&Self::status_key())?.unwrap_or_default())
	}

	/// The block the store takes next, if it has indexed any.
	pub fn next_block(&self) -> Result<Option<u32>, Error> {
		Ok(self.status()?.last.map(|(n, _)| n.saturating_add(1)))
	}

	fn advance(&self, status: &mut Status, number: u32, hash: [u8; 32]) -> Result<(), Error> {
		if let Some((last, _)) = status.last {
			let expected = last.saturating_add(1);
			if number != expected {
				return Err(Error::OutOfOrder { expected, got: number });
			}
		}
		status.first.get_or_insert(number);
		status.last = Some((number, hash));
		Ok(())
	}

	/// Index finalized block `number` (`hash`), of settlement day `day`, with the settlements
	/// its events announced, in order. One atomic write: the block is indexed in full or not
	/// at all. Blocks must come in order, each once.
	pub fn index_block(
		&self,
		number: u32,
		hash: [u8; 32],
		day: Day,
		settlements: Vec<(SettlementId, Settled<A, L>)>,
	) -> Result<(), Error> {
		let mut status = self.status()?;
		self.advance(&mut status, number, hash)?;
		let mut batch = Batch::new(&self.kv);
		let mut digest: DayDigest = batch.get_decoded(&Self::digest_key(day))?.unwrap_or_default();
		let any = !settlements.is_empty();
		for (id, settled) in settlements {
			let moves = movements(&settled, &self.fee_account, &self.tax_account);
			let parties: BTreeSet<&A> = moves.iter().flat_map(|(from, to, ..)| [from, to]).collect();
			for who in parties {
				Self::account_list(who, day).push(&mut batch, id)?;
			}
			for (from, to, asset, amount) in &moves {
				self.add_total(&mut batch, day, to, *asset, *amount, 0)?;
				self.add_total(&mut batch, day, from, *asset, 0, *amount)?;
			}
			Self::day_list(day).push(&mut batch, id)?;
			if let Settled::Trade(t) = &settled {
				Self::market_list(t.security, t.cash).push(&mut batch, id)?;
			}
			let record = Record::<A, L> { settled, block: number, day };
			digest.head = chain_next(&digest.head, id, &record);
			digest.count = digest.count.saturating_add(1);
			batch.put(Self::record_key(id), &record);
			status.settlements = status.settlements.saturating_add(1);
		}
		if any {
			batch.put(Self::digest_key(day), &digest);
		}
		batch.put(Self::status_key(), &status);
		batch.commit()
	}

	/// Pass over finalized block `number`, whose state (and so its events) is gone: its
	/// settlements will be missing, and [`Status::missed`] says so.
	pub fn skip_block(&self, number: u32, hash: [u8; 32]) -> Result<(), Error> {
		let mut status = self.status()?;
		self.advance(&mut status, number, hash)?;
		status.missed = status.missed.saturating_add(1);
		let mut batch = Batch::new(&self.kv);
		batch.put(Self::status_key(), &status);
		batch.commit()
	}

	/// `day`'s hash chain over the settlements the store holds: equal to the runtime's
	/// `DayDigests` when the store has every settlement of the day, unchanged.
	pub fn day_digest(&self, day: Day) -> Result<DayDigest, Error> {
		Ok(self.kv.get_decoded(&Self::digest_key(day))?.unwrap_or_default())
	}

	/// Whether the store can be checked against the chain's day digests: it has every block
	/// from the first (none missed).
	pub fn complete(&self) -> Result<bool, Error> {
		let s = self.status()?;
		Ok(s.first == Some(1) && s.missed == 0)
	}

	/// Record that `day`'s hash chain in the store differs from the chain's.
	pub fn note_mismatch(&self, day: Day) -> Result<(), Error> {
		let mut status = self.status()?;
		status.mismatched_day = Some(day);
		let mut batch = Batch::new(&self.kv);
		batch.put(Self::status_key(), &status);
		batch.commit()
	}

	fn add_total(
		&self,
		batch: &mut Batch<'_, K>,
		day: Day,
		who: &A,
		asset: AssetId,
		received: Amount,
		delivered: Amount,
	) -> Result<(), Error> {
		let k = Self::totals_key(day, who, asset);
		let totals = match batch.get_decoded::<(Amount, Amount)>(&k)? {
			Some(t) => t,
			None => {
				Self::totals_list(day).push(batch, (who.clone(), asset))?;
				(0, 0)
			},
		};
		batch.put(k, &(totals.0.saturating_add(received), totals.1.saturating_add(delivered)));
		Ok(())
	}

	/// The settlement `id`.
	pub fn get(&self, id: SettlementId) -> Result<Option<Record<A, L>>, Error> {
		self.kv.get_decoded(&Self::record_key(id))
	}

	fn records(&self, ids: Vec<SettlementId>) -> Result<Page<A, L>, Error> {
		ids.into_iter()
			.map(|id| {
				let record =
					self.get(id)?.ok_or_else(|| Error::Corrupt(format!("settlement {id} is indexed but absent")))?;
				Ok((id, record))
			})
			.collect()
	}

	fn page_from(&self, list: List, from: SettlementId, limit: u32) -> Result<Page<A, L>, Error> {
		let len = list.len(&self.kv)?;
		let start = list.seek(&self.kv, len, &from)?;
		let ids = list.forward(&self.kv, len, start, page(limit))?;
		self.records(ids)
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) settlements of `day` from id `from` on, in order.
	pub fn on_day(&self, day: Day, from: SettlementId, limit: u32) -> Result<Page<A, L>, Error> {
		self.page_from(Self::day_list(day), from, limit)
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) settlements of `day` that moved anything to or from
	/// `who`, from id `from` on, in order.
	pub fn of_account(&self, who: &A, day: Day, from: SettlementId, limit: u32) -> Result<Page<A, L>, Error> {
		self.page_from(Self::account_list(who, day), from, limit)
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of the latest trades in `security` against `cash`,
	/// newest first, before id `before` (all if `None`).
	pub fn recent_trades(
		&self,
		security: AssetId,
		cash: AssetId,
		before: Option<SettlementId>,
		limit: u32,
	) -> Result<Page<A, L>, Error> {
		let list = Self::market_list(security, cash);
		let len = list.len(&self.kv)?;
		let end = match before {
			Some(id) => list.seek(&self.kv, len, &id)?,
			None => len,
		};
		let ids = list.backward(&self.kv, len, end, page(limit))?;
		self.records(ids)
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of `day`'s net positions from position `from` on
	/// (in the order each account and asset first settled that day), and the position after
	/// the last one returned if there are more.
	pub fn net_positions(&self, day: Day, from: u64, limit: u32) -> Result<(Vec<NetPosition<A>>, Option<u64>), Error> {
		let list = Self::totals_list(day);
		let len = list.len(&self.kv)?;
		let keys: Vec<(A, AssetId)> = list.forward(&self.kv, len, from, page(limit))?;
		let next = from.saturating_add(keys.len() as u64);
		let more = (next < len).then_some(next);
		let positions = keys
			.into_iter()
			.map(|(account, asset)| {
				let (received, delivered) = self
					.kv
					.get_decoded::<(Amount, Amount)>(&Self::totals_key(day, &account, asset))?
					.ok_or_else(|| Error::Corrupt(format!("day {day}: a listed total is absent")))?;
				Ok(NetPosition { account, asset, received, delivered })
			})
			.collect::<Result<Vec<_>, Error>>()?;
		Ok((positions, more))
	}
}
