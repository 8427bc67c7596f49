//! The off-chain worker and the upkeep it proposes.
//!
//! After each block a validator's worker looks at every open market and finds the work that is
//! due: a sweep to continue, good-till-date orders whose block has been reached, stop orders the
//! last trade price has triggered. It signs each with its authority key and submits it as an
//! authorized transaction (`upkeep`). The runtime decides: the transaction is valid only with a
//! current authority's signature over a recent block, and only while the work is still due; the
//! call then runs the same checked functions the members' upkeep calls run. One validator per
//! block submits (by rotation over the authorities), so validators do not race each other.

use crate::{
	functions::Session, upkeep_payload, Books, Call, Config, MarketId, MarketStatus, Markets, OrderId, Orders, Pallet,
	Stops, Sweeps, Upkeep, UpkeepOf, WeightInfo,
};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get, weights::Weight};
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use qingsuan_primitives::upkeep;
use sp_runtime::{
	traits::UniqueSaturatedInto,
	transaction_validity::{InvalidTransaction, TransactionValidityWithRefund},
	RuntimeAppPublic,
};

impl<T: Config> Pallet<T> {
	/// The upkeep due in `market` now, at most one of each kind.
	pub fn due_upkeep(market: MarketId) -> Vec<UpkeepOf<T>> {
		let Some(info) = Markets::<T>::get(market) else { return Vec::new() };
		if info.status != MarketStatus::Open {
			return Vec::new();
		}
		if Sweeps::<T>::contains_key(market) {
			// Nothing else can happen in the market before its sweep is done.
			return alloc::vec![Upkeep::ContinueSweep];
		}
		let now = Self::now();
		let max = T::MaxBatch::get() as usize;
		let mut due = Vec::new();
		if let Some(book) = Books::<T>::get(market) {
			let expired = book.0.expired(now, max);
			if !expired.is_empty() {
				due.push(Upkeep::Expire(BoundedVec::truncate_from(expired)));
			}
		}
		let triggered: Vec<OrderId> = Stops::<T>::iter_key_prefix(market)
			.filter(|id| Orders::<T>::get(id).is_some_and(|o| Self::stop_reached(&info, &o)))
			.take(max)
			.collect();
		if !triggered.is_empty() {
			due.push(Upkeep::TriggerStops(BoundedVec::truncate_from(triggered)));
		}
		due
	}

	/// Whether `work` is due in `market` now.
	pub fn upkeep_is_due(market: MarketId, work: &UpkeepOf<T>) -> bool {
		let Some(info) = Markets::<T>::get(market) else { return false };
		if info.status != MarketStatus::Open {
			return false;
		}
		let now = Self::now();
		match work {
			Upkeep::ContinueSweep => Sweeps::<T>::contains_key(market),
			Upkeep::Expire(ids) => {
				!ids.is_empty()
					&& ids.iter().all(|id| {
						Orders::<T>::get(id)
							.is_some_and(|o| o.market == market && o.kind.expiry().is_some_and(|at| at <= now))
					})
			},
			Upkeep::TriggerStops(ids) => {
				!ids.is_empty()
					&& !Sweeps::<T>::contains_key(market)
					&& ids.iter().all(|id| {
						Stops::<T>::contains_key(market, id)
							&& Orders::<T>::get(id).is_some_and(|o| Self::stop_reached(&info, &o))
					})
			},
		}
	}

	/// The most an `upkeep` call with `work` may weigh.
	pub fn upkeep_weight(work: &UpkeepOf<T>) -> Weight {
		let (book, fills) = (T::MaxOrdersPerMarket::get(), T::MaxFillsPerCall::get());
		match work {
			Upkeep::ContinueSweep => T::WeightInfo::continue_sweep(fills, book)
				.saturating_add(Self::reports_weight(Self::max_reports(fills, 0))),
			Upkeep::Expire(ids) => T::WeightInfo::expire_orders(ids.len() as u32, book)
				.saturating_add(Self::reports_weight(ids.len() as u32)),
			Upkeep::TriggerStops(ids) => T::WeightInfo::trigger_stops(ids.len() as u32, fills, book)
				.saturating_add(Self::reports_weight(Self::max_reports(fills, ids.len() as u32))),
		}
	}

	/// Run `work` in `market`.
	pub(crate) fn do_upkeep(market: MarketId, work: UpkeepOf<T>) -> DispatchResultWithPostInfo {
		match work {
			Upkeep::ContinueSweep => Self::with_session(
				|s| Self::do_continue_sweep(s, market),
				|s| T::WeightInfo::continue_sweep(s.steps_used(), s.book_orders()),
			),
			Upkeep::Expire(ids) => {
				let n = ids.len() as u32;
				Self::with_session(
					|s: &mut Session<T>| Self::do_expire_orders(s, market, ids.into_inner()),
					|s| T::WeightInfo::expire_orders(n, s.book_orders()),
				)
			},
			Upkeep::TriggerStops(ids) => {
				let n = ids.len() as u32;
				Self::with_session(
					|s| Self::do_trigger_stops(s, market, ids.into_inner()),
					|s| T::WeightInfo::trigger_stops(n, s.steps_used(), s.book_orders()),
				)
			},
		}
	}

	/// Validity of an `upkeep` transaction: signed by a current authority over a recent block,
	/// and still due.
	pub(crate) fn authorize_upkeep(
		market: &MarketId,
		work: &UpkeepOf<T>,
		block: &BlockNumberFor<T>,
		worker: &T::WorkerId,
		signature: &T::WorkerSignature,
	) -> TransactionValidityWithRefund {
		let now = frame_system::Pallet::<T>::block_number();
		let validity = upkeep::validate(
			&T::Workers::get(),
			worker,
			&upkeep_payload(*market, work, block),
			signature,
			(*block, now, T::UpkeepLifetime::get()),
			"OrderbookUpkeep",
			T::UpkeepPriority::get(),
			(market, work),
		)?;
		if !Self::upkeep_is_due(*market, work) {
			return Err(InvalidTransaction::Stale.into());
		}
		Ok((validity, Weight::zero()))
	}

	/// The off-chain worker: submit the upkeep due in every market, if this node is the
	/// authority whose turn it is.
	pub(crate) fn run_worker(now: BlockNumberFor<T>) {
		if !sp_io::offchain::is_validator() {
			return;
		}
		let Some(me) = upkeep::my_turn(&T::Workers::get(), now.unique_saturated_into()) else { return };
		for market in Markets::<T>::iter_keys() {
			for work in Self::due_upkeep(market) {
				let Some(signature) = me.sign(&upkeep_payload(market, &work, &now)) else { return };
				let call = Call::<T>::upkeep { market, work, block: now, worker: me.clone(), signature };
				let xt = T::create_authorized_transaction(call.into());
				// A refused submission (the pool already has it) is not an error.
				let _ = SubmitTransaction::<T, Call<T>>::submit_transaction(xt);
			}
		}
	}
}
