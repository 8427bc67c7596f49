//! Settlement records: writing them in order, reading them by id, day and account, and the
//! end-of-day net position report.

use crate::{
	Amount, AssetId, Config, Cursor, Day, DayDigests, DayStart, NetPosition, Pallet, RecordOf, Settled,
	SettlementCursor, SettlementId, SettlementRecord, Settlements,
};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::traits::{Get, UnixTime};

/// Seconds in a day.
const DAY_SECS: u64 = 86_400;

impl<T: Config> Pallet<T> {
	/// Today's settlement day in the business time zone.
	pub fn today() -> Day {
		let secs = T::UnixTime::now().as_secs().saturating_add(T::DayOffset::get());
		// Days since 1970 fit a u32 for eleven million years.
		(secs / DAY_SECS) as Day
	}

	/// Store a settlement record under the next id and return the id.
	pub(crate) fn record_settlement(settled: Settled<T::AccountId, T::MaxLegs>) -> SettlementId {
		let day = Self::today();
		let Cursor { next: id, day: last_day } = SettlementCursor::<T>::get();
		if last_day != Some(day) {
			DayStart::<T>::insert(day, id);
		}
		// u64 ids: a settlement per nanosecond would take 584 years to wrap.
		SettlementCursor::<T>::put(Cursor { next: id.saturating_add(1), day: Some(day) });
		let block = frame_system::Pallet::<T>::block_number();
		let record = RecordOf::<T> { settled, block, day };
		DayDigests::<T>::mutate(day, |d| {
			d.head = chain_next(&d.head, id, &record);
			d.count = d.count.saturating_add(1);
		});
		Settlements::<T>::insert(id, record);
		id
	}

	/// The ids of `day`'s settlements: `[first, end)`.
	pub fn day_range(day: Day) -> Option<(SettlementId, SettlementId)> {
		let first = DayStart::<T>::get(day)?;
		let end = DayStart::<T>::iter()
			.filter(|(d, _)| *d > day)
			.map(|(_, id)| id)
			.min()
			.unwrap_or_else(|| SettlementCursor::<T>::get().next);
		Some((first, end))
	}

	/// `day`'s settlements in id order, from id `from` on.
	fn day_records(day: Day, from: SettlementId) -> impl Iterator<Item = (SettlementId, RecordOf<T>)> {
		let (first, end) = Self::day_range(day).unwrap_or((0, 0));
		(first.max(from)..end).filter_map(|id| Settlements::<T>::get(id).map(|r| (id, r)))
	}

	/// Up to `limit` settlements of `day`, from id `from` on (for paging).
	pub fn settlements_on(day: Day, from: SettlementId, limit: u32) -> Vec<(SettlementId, RecordOf<T>)> {
		Self::day_records(day, from).take(limit as usize).collect()
	}

	/// Each day's hash chain recomputed from the records in state (in id order), and how many
	/// records it read: what `DayDigests` must hold (the invariant and the v2 migration).
	pub fn digests_of_records() -> (BTreeMap<Day, crate::DayDigest>, u64) {
		let mut records: Vec<_> = Settlements::<T>::iter().collect();
		records.sort_by_key(|(id, _)| *id);
		let mut days = BTreeMap::<Day, crate::DayDigest>::new();
		for (id, record) in &records {
			let d = days.entry(record.day).or_default();
			d.head = chain_next(&d.head, *id, record);
			d.count = d.count.saturating_add(1);
		}
		(days, records.len() as u64)
	}

	/// Every movement a settlement made: `(from, to, asset, amount)`.
	pub fn movements(
		settled: &Settled<T::AccountId, T::MaxLegs>,
	) -> Vec<(T::AccountId, T::AccountId, AssetId, Amount)> {
		movements(settled, &T::FeeAccount::get(), &T::TaxAccount::get())
	}

	/// Each account's gross receipts and deliveries per asset over `day`'s settlements: what it
	/// is owed and owes; the net is `received - delivered`. For every asset the nets sum to zero.
	///
	/// Folds the whole day, so it is the reference the node's trade store is tested against,
	/// never an RPC method (the store keeps the totals as it indexes).
	pub fn net_positions(day: Day) -> Vec<NetPosition<T::AccountId>> {
		let mut book: BTreeMap<(T::AccountId, AssetId), (Amount, Amount)> = BTreeMap::new();
		for (_, record) in Self::day_records(day, 0) {
			for (from, to, asset, amount) in Self::movements(&record.settled) {
				let e = book.entry((to, asset)).or_default();
				e.0 = e.0.saturating_add(amount);
				let e = book.entry((from, asset)).or_default();
				e.1 = e.1.saturating_add(amount);
			}
		}
		book.into_iter()
			.map(|((account, asset), (received, delivered))| NetPosition { account, asset, received, delivered })
			.collect()
	}
}

impl<T: Config> crate::Event<T> {
	/// The settlement this event announces, with its id: `TradeSettled` and
	/// `InstructionSettled` carry the whole record, so an indexer needs no state to rebuild it.
	pub fn settlement(self) -> Option<(SettlementId, crate::SettledOf<T>)> {
		match self {
			crate::Event::TradeSettled {
				id,
				buyer,
				seller,
				security,
				cash,
				quantity,
				price,
				cash_amount,
				buyer_fee,
				seller_fee,
				stamp_duty,
			} => Some((
				id,
				Settled::Trade(crate::TradeRecord {
					buyer,
					seller,
					security,
					cash,
					quantity,
					price,
					cash_amount,
					buyer_fee,
					seller_fee,
					stamp_duty,
				}),
			)),
			crate::Event::InstructionSettled { id, settlement, legs } => {
				Some((settlement, Settled::Instruction { id, legs }))
			},
			_ => None,
		}
	}
}

/// The next head of a day's hash chain: `SM3(head ‖ SCALE((id, record)))`, hashed by the
/// node's SM3 host function (natively when called outside the runtime).
pub fn chain_next<A: Encode, B: Encode, L: Get<u32>>(
	head: &[u8; 32],
	id: SettlementId,
	record: &SettlementRecord<A, B, L>,
) -> [u8; 32] {
	let mut data = Vec::with_capacity(32 + record.size_hint() + 8);
	data.extend_from_slice(head);
	(id, record).encode_to(&mut data);
	let mut out = [0u8; 32];
	qingsuan_sm_crypto::host::sm::sm3(&data, &mut out);
	out
}

/// Every movement `settled` made: `(from, to, asset, amount)`. A trade moves the security from
/// seller to buyer and the buyer's cash to the seller (less the seller's fees), the handling
/// fees to `fee_account` and the stamp duty to `tax_account`; an instruction moves its legs.
///
/// Free of the runtime, so the node's trade store derives the same net positions.
pub fn movements<A: Clone, L: Get<u32>>(
	settled: &Settled<A, L>,
	fee_account: &A,
	tax_account: &A,
) -> Vec<(A, A, AssetId, Amount)> {
	match settled {
		Settled::Trade(t) => {
			let stamp_duty = t.stamp_duty;
			let handling = t.seller_fee.saturating_sub(stamp_duty).saturating_add(t.buyer_fee);
			let mut moves = alloc::vec![(t.seller.clone(), t.buyer.clone(), t.security, t.quantity)];
			let proceeds = t.cash_amount.saturating_sub(t.seller_fee);
			if proceeds > 0 {
				moves.push((t.buyer.clone(), t.seller.clone(), t.cash, proceeds));
			}
			if handling > 0 {
				moves.push((t.buyer.clone(), fee_account.clone(), t.cash, handling));
			}
			if stamp_duty > 0 {
				moves.push((t.buyer.clone(), tax_account.clone(), t.cash, stamp_duty));
			}
			moves
		},
		Settled::Instruction { legs, .. } => {
			legs.iter().map(|l| (l.from.clone(), l.to.clone(), l.asset, l.amount)).collect()
		},
	}
}
