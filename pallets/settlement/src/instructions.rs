//! Settlement instructions: create, affirm (hold), reject or expire (release), settle (move).

use crate::WeightInfo;
use crate::{
	Config, Due, Error, Event, HoldReason, InstructionId, InstructionOf, Instructions, LegsOf, NextInstructionId,
	Pallet, Party, Settled,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{fungibles::MutateHold, Fortitude, Precision, Restriction},
};
use frame_system::pallet_prelude::BlockNumberFor;
use qingsuan_primitives::{
	market::{BatchLedger, InstrumentInspect, InstrumentStatus, SettlementId},
	Role, RoleInspect,
};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	fn reason() -> T::RuntimeHoldReason {
		HoldReason::Instruction.into()
	}

	/// Validate and store a new instruction created by the member `who`.
	pub fn do_create_instruction(
		who: T::AccountId,
		legs: LegsOf<T>,
		settle_at: Option<BlockNumberFor<T>>,
		expires_at: BlockNumberFor<T>,
	) -> Result<InstructionId, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(!legs.is_empty(), Error::<T>::NoLegs);
		ensure!(expires_at > now, Error::<T>::ExpiryInPast);
		ensure!(expires_at <= now.saturating_add(T::MaxInstructionLifetime::get()), Error::<T>::ExpiryTooFar);
		let settle_at = settle_at.unwrap_or(now).max(now);
		ensure!(settle_at < expires_at, Error::<T>::SettleAfterExpiry);

		let mut parties: BoundedVec<Party<T::AccountId>, crate::MaxPartiesOf<T>> = BoundedVec::new();
		for leg in &legs {
			ensure!(leg.amount > 0, Error::<T>::ZeroAmount);
			ensure!(leg.from != leg.to, Error::<T>::LegToSelf);
			let status = T::Instruments::status(leg.asset).ok_or(Error::<T>::UnknownAsset)?;
			ensure!(status == InstrumentStatus::Trading, Error::<T>::InstrumentNotTrading);
			for p in [&leg.from, &leg.to] {
				if !parties.iter().any(|q| &q.who == p) {
					ensure!(T::Members::has_role(p, Role::MemberBroker), Error::<T>::PartyNotMember);
					// Cannot fail: at most two new parties per leg, and room for 2 * MaxLegs.
					parties.try_push(Party { who: p.clone(), affirmed: false }).map_err(|_| Error::<T>::NoLegs)?;
				}
			}
		}
		ensure!(parties.iter().any(|p| p.who == who), Error::<T>::NotAParty);

		let id = NextInstructionId::<T>::get();
		Self::schedule(expires_at, id)?;
		if settle_at > now {
			Self::schedule(settle_at, id)?;
		}
		NextInstructionId::<T>::put(id.saturating_add(1));
		Instructions::<T>::insert(
			id,
			InstructionOf::<T> { creator: who.clone(), legs, parties, settle_at, expires_at },
		);
		Self::deposit_event(Event::InstructionCreated { id, creator: who, settle_at, expires_at });
		Ok(id)
	}

	fn schedule(at: BlockNumberFor<T>, id: InstructionId) -> DispatchResult {
		Due::<T>::try_mutate(at, |ids| ids.try_push(id).map_err(|_| Error::<T>::ScheduleFull.into()))
	}

	/// Remove `id` and its places in the schedule.
	fn remove_instruction(id: InstructionId, instruction: &InstructionOf<T>) {
		Instructions::<T>::remove(id);
		for at in [instruction.settle_at, instruction.expires_at] {
			Due::<T>::mutate_exists(at, |ids| {
				if let Some(list) = ids {
					list.retain(|i| *i != id);
					if list.is_empty() {
						*ids = None;
					}
				}
			});
		}
	}

	/// `who` affirms `id`: hold what it delivers; settle if it was the last and the time has come.
	/// Returns the instruction's number of legs.
	pub fn do_affirm_instruction(who: &T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let mut instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instruction.expires_at, Error::<T>::InstructionExpired);
		let party = instruction.parties.iter_mut().find(|p| &p.who == who).ok_or(Error::<T>::NotAParty)?;
		ensure!(!party.affirmed, Error::<T>::AlreadyAffirmed);
		party.affirmed = true;
		for leg in instruction.legs.iter().filter(|l| &l.from == who) {
			T::Ledger::hold(leg.asset, &Self::reason(), who, leg.amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let legs = instruction.legs.len() as u32;
		Self::deposit_event(Event::InstructionAffirmed { id, party: who.clone() });

		if instruction.fully_affirmed() && instruction.settle_at <= now {
			if let Err(error) = Self::settle_instruction(id, &instruction) {
				Instructions::<T>::insert(id, instruction);
				Self::deposit_event(Event::InstructionSettlementFailed { id, error });
			}
		} else {
			Instructions::<T>::insert(id, instruction);
		}
		Ok(legs)
	}

	/// `who` rejects `id`: remove it and release every hold. Returns its number of legs.
	pub fn do_reject_instruction(who: &T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(instruction.parties.iter().any(|p| &p.who == who), Error::<T>::NotAParty);
		Self::release_holds(&instruction)?;
		Self::remove_instruction(id, &instruction);
		Self::deposit_event(Event::InstructionRejected { id, by: who.clone() });
		Ok(instruction.legs.len() as u32)
	}

	/// A party settles the fully affirmed, due instruction `id`. Returns its number of legs.
	pub fn do_execute_instruction(who: &T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(instruction.parties.iter().any(|p| &p.who == who), Error::<T>::NotAParty);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instruction.expires_at, Error::<T>::InstructionExpired);
		ensure!(instruction.fully_affirmed(), Error::<T>::NotFullyAffirmed);
		ensure!(instruction.settle_at <= now, Error::<T>::TooEarly);
		Self::settle_instruction(id, &instruction)?;
		Ok(instruction.legs.len() as u32)
	}

	/// Release what the affirmed parties of `instruction` hold for it.
	fn release_holds(instruction: &InstructionOf<T>) -> DispatchResult {
		for leg in instruction.legs.iter().filter(|l| instruction.has_affirmed(&l.from)) {
			T::Ledger::release(leg.asset, &Self::reason(), &leg.from, leg.amount, Precision::Exact)?;
		}
		Ok(())
	}

	/// Move every leg of the fully affirmed `instruction` from the holds, record it and remove
	/// it, all in one storage layer: on error nothing has changed.
	pub(crate) fn settle_instruction(
		id: InstructionId,
		instruction: &InstructionOf<T>,
	) -> Result<SettlementId, DispatchError> {
		T::Ledger::atomically(|| {
			for leg in &instruction.legs {
				ensure!(T::Instruments::is_trading(leg.asset), Error::<T>::InstrumentNotTrading);
			}
			for party in &instruction.parties {
				ensure!(T::Members::has_role(&party.who, Role::MemberBroker), Error::<T>::PartyNotMember);
			}
			for leg in &instruction.legs {
				T::Ledger::transfer_on_hold(
					leg.asset,
					&Self::reason(),
					&leg.from,
					&leg.to,
					leg.amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			Self::remove_instruction(id, instruction);
			let legs = instruction.legs.clone();
			let settlement = Self::record_settlement(Settled::Instruction { id, legs: legs.clone() });
			Self::deposit_event(Event::InstructionSettled { id, settlement, legs });
			Ok(settlement)
		})
	}

	/// Settle or expire the instructions due at `now`. Returns the weight used.
	pub(crate) fn process_due(now: BlockNumberFor<T>) -> Weight {
		let due = Due::<T>::take(now);
		if due.is_empty() {
			return T::DbWeight::get().reads(1);
		}
		for id in &due {
			let Some(instruction) = Instructions::<T>::get(id) else { continue };
			if now >= instruction.expires_at {
				// The holds are exactly its affirmed deliveries (checked by `do_try_state`), so
				// releasing them does not fail; if it ever did, nothing is released and the
				// parties can still reject it.
				let expired = T::Ledger::atomically(|| {
					Self::release_holds(&instruction)?;
					Self::remove_instruction(*id, &instruction);
					Ok::<_, DispatchError>(())
				});
				match expired {
					Ok(()) => Self::deposit_event(Event::InstructionExpired { id: *id }),
					Err(error) => Self::deposit_event(Event::InstructionSettlementFailed { id: *id, error }),
				}
			} else if instruction.fully_affirmed() {
				if let Err(error) = Self::settle_instruction(*id, &instruction) {
					Self::deposit_event(Event::InstructionSettlementFailed { id: *id, error });
				}
			}
		}
		T::WeightInfo::process_due(due.len() as u32)
	}
}
