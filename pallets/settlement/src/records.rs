//! Settlement records: each settlement's id, its event, and its place in the day's hash chain.
//!
//! Records are not kept in state: each settlement is announced by an event that carries the
//! whole record (`TradeSettled`, `InstructionSettled`), the node's trade store indexes the
//! finalized ones, and each day's SM3 hash chain and count (`DayDigests`) stay on chain, so an
//! archived trade list can be proven complete and untampered against the chain. State grows
//! with days, not with trades.

use crate::WeightInfo;
use crate::{
	Amount, AssetId, Config, Cursor, Day, DayDigests, NetPosition, Pallet, RecordOf, Settled, SettlementCursor,
	SettlementId, SettlementRecord,
};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{
	traits::{Get, UnixTime},
	weights::Weight,
};

/// Seconds in a day.
const DAY_SECS: u64 = 86_400;

/// The most storage-v2 settlement records `on_idle` removes in one block.
pub const MAX_PURGE_PER_BLOCK: u32 = 2_000;

impl<T: Config> Pallet<T> {
	/// Today's settlement day in the business time zone.
	pub fn today() -> Day {
		let secs = T::UnixTime::now().as_secs().saturating_add(T::DayOffset::get());
		// Days since 1970 fit a u32 for eleven million years.
		(secs / DAY_SECS) as Day
	}

	/// Give a settlement the next id and chain it into today's hash chain; returns the id.
	pub(crate) fn record_settlement(settled: Settled<T::AccountId, T::MaxLegs>) -> SettlementId {
		let day = Self::today();
		let Cursor { next: id, .. } = SettlementCursor::<T>::get();
		// u64 ids: a settlement per nanosecond would take 584 years to wrap.
		SettlementCursor::<T>::put(Cursor { next: id.saturating_add(1), day: Some(day) });
		let block = frame_system::Pallet::<T>::block_number();
		let record = RecordOf::<T> { settled, block, day };
		DayDigests::<T>::mutate(day, |d| {
			d.head = chain_next(&d.head, id, &record);
			d.count = d.count.saturating_add(1);
		});
		id
	}

	/// Remove up to `limit` settlement records of storage v2; when none are left, stop purging.
	/// Returns how many were removed.
	pub fn purge_records(limit: u32) -> u32 {
		let removed = crate::migrations::v2_layout::Settlements::<T>::clear(limit, None);
		if removed.maybe_cursor.is_none() {
			crate::PurgingRecords::<T>::kill();
		}
		removed.unique
	}

	/// `on_idle`'s share: purge as many v2 records as `remaining` weight allows (at most
	/// [`MAX_PURGE_PER_BLOCK`]); the weight of what it did.
	pub(crate) fn purge_within(remaining: Weight) -> Weight {
		let check = T::DbWeight::get().reads(1);
		if !remaining.all_gte(check) {
			return Weight::zero();
		}
		if !crate::PurgingRecords::<T>::get() {
			return check;
		}
		let base = T::WeightInfo::purge_records(0);
		let per = T::WeightInfo::purge_records(1).saturating_sub(base);
		let Some(left) = remaining.checked_sub(&base) else { return check };
		let fit = |left: u64, per: u64| left.checked_div(per).unwrap_or(u64::MAX);
		let n = fit(left.ref_time(), per.ref_time())
			.min(fit(left.proof_size(), per.proof_size()))
			.min(u64::from(MAX_PURGE_PER_BLOCK)) as u32;
		if n == 0 {
			return check;
		}
		T::WeightInfo::purge_records(Self::purge_records(n))
	}

	/// Every movement a settlement made: `(from, to, asset, amount)`.
	pub fn movements(
		settled: &Settled<T::AccountId, T::MaxLegs>,
	) -> Vec<(T::AccountId, T::AccountId, AssetId, Amount)> {
		movements(settled, &T::FeeAccount::get(), &T::TaxAccount::get())
	}

	/// Each account's gross receipts and deliveries per asset over `records` (a day's, in any
	/// order): what it is owed and owes; the net is `received - delivered`. For every asset the
	/// nets sum to zero.
	///
	/// The reference fold the node's trade store is tested against (the store keeps the totals
	/// as it indexes; nothing on chain scans a day).
	pub fn net_positions_of<'a>(
		records: impl IntoIterator<Item = &'a Settled<T::AccountId, T::MaxLegs>>,
	) -> Vec<NetPosition<T::AccountId>>
	where
		T::AccountId: 'a,
	{
		let mut book: BTreeMap<(T::AccountId, AssetId), (Amount, Amount)> = BTreeMap::new();
		for settled in records {
			for (from, to, asset, amount) in Self::movements(settled) {
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
			crate::Event::ContractSettled { contract, settlement, legs } => {
				Some((settlement, Settled::Contract { contract, legs }))
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
		Settled::Instruction { legs, .. } | Settled::Contract { legs, .. } => {
			legs.iter().map(|l| (l.from.clone(), l.to.clone(), l.asset, l.amount)).collect()
		},
	}
}

impl<T: Config> qingsuan_primitives::market::Calendar for Pallet<T> {
	fn today() -> Day {
		Pallet::<T>::today()
	}
}
