//! Settlement instructions: create, affirm (hold), reject or expire (release), settle (move).

use crate::WeightInfo;
use crate::{
	dvp, Config, Due, Error, Event, HoldReason, InstructionId, InstructionOf, Instructions, Leg, LegsOf,
	NextInstructionId, Pallet, Party, Settled,
};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{fungibles::MutateHold, Fortitude, Precision, Restriction},
};
use frame_system::pallet_prelude::BlockNumberFor;
use qingsuan_primitives::{
	investors::InvestorRegistry,
	market::{
		AssetClass, BatchLedger, Direction, InstrumentInspect, InstrumentStatus, PositionCheck, PriceLimits,
		SettlementId,
	},
	Role, RoleInspect,
};
use sp_runtime::traits::Saturating;

/// What settlement needs to know of a party: the broker that acts for it (itself, for a broker's
/// own account) and whether it is an investor's account.
pub(crate) struct Standing<AccountId> {
	pub(crate) broker: AccountId,
	pub(crate) investor: bool,
}

/// Every party of an instruction with its standing, in order.
pub(crate) type Standings<AccountId> = Vec<(AccountId, Standing<AccountId>)>;

/// Legs whose shape has been checked ([`Pallet::checked_legs`]): their distinct parties in order
/// of appearance and each leg's asset class.
pub(crate) struct CheckedLegs<'a, AccountId> {
	pub(crate) parties: Vec<&'a AccountId>,
	pub(crate) classes: Vec<AssetClass>,
}

/// A price band, by (security, cash), as read once per call.
type Bands = Vec<((crate::AssetId, crate::AssetId), Option<(crate::Amount, crate::Amount)>)>;

/// Why a cash leg cannot pay for a security leg.
#[derive(Clone, Copy)]
enum Misfit {
	NoMarket,
	OutsideBand,
}

impl<T: Config> Pallet<T> {
	fn reason() -> T::RuntimeHoldReason {
		HoldReason::Instruction.into()
	}

	/// `create_instruction` of `l` legs: the heavier of its two benchmarked layouts (free legs,
	/// each with two rule checks; investors' deliveries versus payment, `⌈l / 2⌉` pairs priced
	/// against every payment).
	pub fn create_weight(l: u32) -> Weight {
		T::WeightInfo::create_instruction(l).max(T::WeightInfo::create_instruction_dvp(l.div_ceil(2)))
	}

	/// The last `affirm_instruction` of an instruction of `l` legs, which settles it: the
	/// heavier of its two benchmarked layouts.
	pub fn affirm_weight(l: u32) -> Weight {
		T::WeightInfo::affirm_instruction(l).max(T::WeightInfo::affirm_instruction_dvp(l.div_ceil(2)))
	}

	/// `execute_instruction` of an instruction of `l` legs: the heavier of its two layouts.
	pub fn execute_weight(l: u32) -> Weight {
		T::WeightInfo::execute_instruction(l).max(T::WeightInfo::execute_instruction_dvp(l.div_ceil(2)))
	}

	/// The block hook with `n` instructions due: the heavier of its two layouts.
	pub fn due_weight(n: u32) -> Weight {
		T::WeightInfo::process_due(n).max(T::WeightInfo::process_due_dvp(n))
	}

	/// The standing of `party`, which must be a member broker's own account or an investor
	/// account of a member broker that no regulator froze. A credit account (margin trading)
	/// is never a party: its assets move only through the margin pallet, which keeps its loans.
	pub(crate) fn standing(party: &T::AccountId) -> Result<Standing<T::AccountId>, DispatchError> {
		let standing = match T::Investors::standing(party) {
			Some(s) => {
				ensure!(s.credit_of.is_none(), Error::<T>::CreditAccount);
				ensure!(!s.frozen, Error::<T>::AccountFrozen);
				Standing { broker: s.broker, investor: true }
			},
			None => Standing { broker: party.clone(), investor: false },
		};
		ensure!(T::Members::has_role(&standing.broker, Role::MemberBroker), Error::<T>::PartyNotMember);
		Ok(standing)
	}

	/// The standing of every party of `parties`, in order.
	pub(crate) fn standings<'a>(
		parties: impl Iterator<Item = &'a T::AccountId>,
	) -> Result<Standings<T::AccountId>, DispatchError> {
		parties.map(|p| Ok((p.clone(), Self::standing(p)?))).collect()
	}

	/// In an instruction with an investor party (`standings`), every leg is half of a delivery
	/// versus payment priced within its market's band, the two accounts of a pair touching an
	/// investor are acted for by different brokers, and no investor both delivers and receives
	/// a security ([`dvp`]). `classes` are the legs' asset classes.
	fn ensure_paid(
		legs: &[Leg<T::AccountId>],
		classes: &[AssetClass],
		standings: &Standings<T::AccountId>,
	) -> DispatchResult {
		let of = |a: &T::AccountId| standings.iter().find(|(p, _)| p == a).map(|(_, s)| s);
		let is_investor = |a: &T::AccountId| of(a).is_some_and(|s| s.investor);
		if !standings.iter().any(|(_, s)| s.investor) {
			return Ok(());
		}
		for leg in legs.iter().filter(|l| is_investor(&l.from) || is_investor(&l.to)) {
			let brokers = (of(&leg.from).map(|s| &s.broker), of(&leg.to).map(|s| &s.broker));
			ensure!(brokers.0 != brokers.1, Error::<T>::SameBrokerPair);
		}
		dvp::one_way(legs, classes, is_investor).map_err(|_| Error::<T>::RoundTrip)?;
		// Each (security, cash) pair's band is read once.
		let mut bands: Bands = Vec::new();
		let fits = |d: usize, p: usize| {
			let key = (legs[d].asset, legs[p].asset);
			let band = match bands.iter().find(|(k, _)| *k == key) {
				Some((_, band)) => *band,
				None => {
					let band = T::Prices::price_limits(key.0, key.1);
					bands.push((key, band));
					band
				},
			};
			match band {
				None => Err(Misfit::NoMarket),
				Some(band) if dvp::priced_within(legs[d].amount, legs[p].amount, band) => Ok(()),
				Some(_) => Err(Misfit::OutsideBand),
			}
		};
		dvp::pair_legs(legs, classes, fits).map(|_| ()).map_err(|e| {
			match e {
				dvp::Unpaired::FreeOfPayment(_) => Error::<T>::FreeOfPayment,
				dvp::Unpaired::Unfit(Misfit::NoMarket) => Error::<T>::NoMarket,
				dvp::Unpaired::Unfit(Misfit::OutsideBand) => Error::<T>::PriceOutsideBand,
			}
			.into()
		})
	}

	/// What every leg of an instruction must satisfy when it is created and when it settles:
	/// the compliance rules of both sides of every security leg, and delivery versus payment
	/// where an investor is a party. `classes` are the legs' asset classes, `standings` the
	/// parties'.
	pub(crate) fn ensure_legs_allowed(
		legs: &[Leg<T::AccountId>],
		classes: &[AssetClass],
		standings: &Standings<T::AccountId>,
	) -> DispatchResult {
		for (leg, class) in legs.iter().zip(classes) {
			Self::ensure_compliant(leg, *class, true, true)?;
		}
		Self::ensure_paid(legs, classes, standings)
	}

	/// The compliance rules of `leg`, if it moves a security (`class`): its deliverer may
	/// dispose of the security (checked if `deliverer`), its receiver may acquire it (checked if
	/// `receiver`). Cash legs have no rules.
	fn ensure_compliant(leg: &Leg<T::AccountId>, class: AssetClass, deliverer: bool, receiver: bool) -> DispatchResult {
		if class != AssetClass::Security {
			return Ok(());
		}
		if deliverer {
			T::Compliance::may_change(&leg.from, leg.asset, Direction::Decrease)?;
		}
		if receiver {
			T::Compliance::may_change(&leg.to, leg.asset, Direction::Increase)?;
		}
		Ok(())
	}

	/// The class of `asset`, if it is trading.
	pub(crate) fn trading_class(asset: crate::AssetId) -> Result<AssetClass, DispatchError> {
		let (class, status) = T::Instruments::class_and_status(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(status == InstrumentStatus::Trading, Error::<T>::InstrumentNotTrading);
		Ok(class)
	}

	/// Check the shape of `legs` (at least one, each of a positive amount between two accounts,
	/// of an asset that is trading): their distinct parties in order of appearance and each
	/// leg's asset class.
	pub(crate) fn checked_legs(legs: &[Leg<T::AccountId>]) -> Result<CheckedLegs<'_, T::AccountId>, DispatchError> {
		ensure!(!legs.is_empty(), Error::<T>::NoLegs);
		let mut parties: Vec<&T::AccountId> = Vec::new();
		let mut classes = Vec::with_capacity(legs.len());
		for leg in legs {
			ensure!(leg.amount > 0, Error::<T>::ZeroAmount);
			ensure!(leg.from != leg.to, Error::<T>::LegToSelf);
			classes.push(Self::trading_class(leg.asset)?);
			for p in [&leg.from, &leg.to] {
				if !parties.contains(&p) {
					parties.push(p);
				}
			}
		}
		Ok(CheckedLegs { parties, classes })
	}

	/// Validate and store a new instruction created by the member `who`, which must be or act
	/// for one of its parties.
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

		let checked = Self::checked_legs(&legs)?;
		ensure!(checked.parties.iter().any(|p| T::Investors::acts_for(&who, p)), Error::<T>::NotAParty);
		let standings = Self::standings(checked.parties.iter().copied())?;
		Self::ensure_legs_allowed(&legs, &checked.classes, &standings)?;
		// Cannot fail: at most two parties per leg, and room for 2 * MaxLegs.
		let parties: BoundedVec<Party<T::AccountId>, crate::MaxPartiesOf<T>> = checked
			.parties
			.into_iter()
			.map(|p| Party { who: p.clone(), affirmed_by: None })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::NoLegs)?;

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

	/// Whether `who` is, or acts for, a party of `instruction`.
	fn acts_for_a_party(who: &T::AccountId, instruction: &InstructionOf<T>) -> bool {
		instruction.parties.iter().any(|p| T::Investors::acts_for(who, &p.who))
	}

	/// `who` affirms `id` for every party it is or acts for whose affirmation is missing, or was
	/// given by a broker that no longer acts for it (an investor that moved broker: `who` affirms
	/// again, its deliveries stay held). Their standing and their sides of the security legs are
	/// checked, then what the newly affirming parties deliver is held; the instruction settles if
	/// they were the last and the time has come. Returns the instruction's number of legs.
	pub fn do_affirm_instruction(who: &T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let mut instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instruction.expires_at, Error::<T>::InstructionExpired);
		let mut ours = false;
		// (party, whether its deliveries are to be held now)
		let mut affirming: Vec<(T::AccountId, bool)> = Vec::new();
		for party in instruction.parties.iter_mut().filter(|p| T::Investors::acts_for(who, &p.who)) {
			ours = true;
			if party.affirmed_by.as_ref() != Some(who) {
				affirming.push((party.who.clone(), party.affirmed_by.is_none()));
				party.affirmed_by = Some(who.clone());
			}
		}
		ensure!(ours, Error::<T>::NotAParty);
		ensure!(!affirming.is_empty(), Error::<T>::AlreadyAffirmed);
		let is_affirming = |a: &T::AccountId| affirming.iter().any(|(p, _)| p == a);
		let holds_now = |a: &T::AccountId| affirming.iter().any(|(p, fresh)| p == a && *fresh);
		Self::standings(affirming.iter().map(|(p, _)| p))?;
		// Every check before any hold: nothing is held for an affirmation that fails.
		for leg in &instruction.legs {
			let (delivers, receives) = (is_affirming(&leg.from), is_affirming(&leg.to));
			if delivers || receives {
				Self::ensure_compliant(leg, Self::trading_class(leg.asset)?, delivers, receives)?;
			}
		}
		for leg in instruction.legs.iter().filter(|l| holds_now(&l.from)) {
			T::Ledger::hold(leg.asset, &Self::reason(), &leg.from, leg.amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let legs = instruction.legs.len() as u32;
		for (party, _) in affirming {
			Self::deposit_event(Event::InstructionAffirmed { id, party });
		}

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

	/// `who` (a party, or a party's broker) rejects `id`: remove it and release every hold.
	/// Returns its number of legs.
	pub fn do_reject_instruction(who: &T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(Self::acts_for_a_party(who, &instruction), Error::<T>::NotAParty);
		Self::release_holds(&instruction)?;
		Self::remove_instruction(id, &instruction);
		Self::deposit_event(Event::InstructionRejected { id, by: who.clone() });
		Ok(instruction.legs.len() as u32)
	}

	/// A party (or a party's broker) settles the fully affirmed, due instruction `id`. Returns
	/// its number of legs.
	pub fn do_execute_instruction(who: &T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(Self::acts_for_a_party(who, &instruction), Error::<T>::NotAParty);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instruction.expires_at, Error::<T>::InstructionExpired);
		ensure!(instruction.fully_affirmed(), Error::<T>::NotFullyAffirmed);
		ensure!(instruction.settle_at <= now, Error::<T>::TooEarly);
		Self::settle_instruction(id, &instruction)?;
		Ok(instruction.legs.len() as u32)
	}

	/// Move `leg` out of what its deliverer holds for `reason`.
	pub(crate) fn move_held(leg: &Leg<T::AccountId>, reason: &T::RuntimeHoldReason) -> DispatchResult {
		T::Ledger::transfer_on_hold(
			leg.asset,
			reason,
			&leg.from,
			&leg.to,
			leg.amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// Release what the affirmed parties of `instruction` hold for it.
	fn release_holds(instruction: &InstructionOf<T>) -> DispatchResult {
		for leg in instruction.legs.iter().filter(|l| instruction.has_affirmed(&l.from)) {
			T::Ledger::release(leg.asset, &Self::reason(), &leg.from, leg.amount, Precision::Exact)?;
		}
		Ok(())
	}

	/// Move every leg of the fully affirmed `instruction` from the holds, record it and remove
	/// it, all in one storage layer: on error nothing has changed. Every party's standing and
	/// every security leg's compliance rules are checked again: they may have changed since
	/// the parties affirmed (a freeze, an expired claim, a revoked broker, a new broker).
	pub(crate) fn settle_instruction(
		id: InstructionId,
		instruction: &InstructionOf<T>,
	) -> Result<SettlementId, DispatchError> {
		T::Ledger::atomically(|| {
			let standings = Self::standings(instruction.parties.iter().map(|p| &p.who))?;
			// An affirmation counts while its broker still acts for the party.
			for (party, (_, standing)) in instruction.parties.iter().zip(&standings) {
				ensure!(party.affirmed_by.as_ref() == Some(&standing.broker), Error::<T>::AffirmationLapsed);
			}
			let classes =
				instruction.legs.iter().map(|l| Self::trading_class(l.asset)).collect::<Result<Vec<_>, _>>()?;
			// The band moves with the reference price: the price is checked on the day it settles.
			Self::ensure_legs_allowed(&instruction.legs, &classes, &standings)?;
			for leg in &instruction.legs {
				Self::move_held(leg, &Self::reason())?;
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
		Self::due_weight(due.len() as u32)
	}
}
