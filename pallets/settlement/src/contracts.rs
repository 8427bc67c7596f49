//! Contract escrow: settlement contracts hold their parties' assets and settle them, never
//! owning any (docs/contracts-design.md §2.1).
//!
//! A contract's account is outside the member registry: no broker acts for it, no claim of KYC
//! or suitability is attached to it, no regulator freezes it. So it owns no ledger asset. An
//! owner (a member broker's own account, or a member's investor, through its broker) approves a
//! contract for an amount of an asset; the contract then holds up to that much on the owner's
//! own account, gives it back, or settles it between parties with the checks an instruction's
//! settlement makes, in one storage layer. The settlement precompile
//! (`pallets/settlement/precompile`) calls these functions for contracts; nothing here knows
//! about contracts' virtual machine.

use crate::{
	Config, ContractAllowances, ContractHolds, ContractInstances as BoundInstances, Error, Event, HoldReason, LegsOf,
	Pallet, Settled, SettlementId, WeightInfo,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::tokens::{
		fungibles::{Inspect, MutateHold},
		Precision,
	},
};
use qingsuan_primitives::{
	investors::InvestorRegistry,
	market::{Amount, AssetId, BatchLedger, InstrumentInspect},
};

/// One instance of a contract: what distinguishes it from another created later at the same
/// address (the runtime uses a hash of pallet-revive's child-trie id, unique per instantiation).
pub type ContractInstance = [u8; 32];

/// Which contract instance is at an account now.
pub trait DeployedContracts<AccountId> {
	/// The instance of the contract at `who`, if a contract is there.
	fn instance(who: &AccountId) -> Option<ContractInstance>;

	/// Put a contract at `who` (for benchmarks): its instance.
	#[cfg(feature = "runtime-benchmarks")]
	fn create(who: &AccountId) -> ContractInstance;
}

/// No account is a contract.
impl<AccountId> DeployedContracts<AccountId> for () {
	fn instance(_: &AccountId) -> Option<ContractInstance> {
		None
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create(_: &AccountId) -> ContractInstance {
		[0; 32]
	}
}

impl<T: Config> Pallet<T> {
	/// `who`'s free balance of `asset`.
	pub fn free_balance(asset: AssetId, who: &T::AccountId) -> Amount {
		<T::Ledger as Inspect<T::AccountId>>::balance(asset, who)
	}

	/// The member broker acting for `who` (itself for a broker's own account), if `who` has
	/// standing to be a party: `None` for any other account, a frozen investor or a credit
	/// account.
	pub fn acting_member(who: &T::AccountId) -> Option<T::AccountId> {
		Self::standing(who).ok().map(|s| s.broker)
	}

	/// The weight of settling `l` legs for a contract: the heavier of its two benchmarked
	/// layouts (free legs between brokers; investors' deliveries versus payment).
	pub fn contract_settle_weight(l: u32) -> Weight {
		T::WeightInfo::contract_settle(l).max(T::WeightInfo::contract_settle_dvp(l.div_ceil(2)))
	}

	/// What `contract` holds of `owner`'s `asset`.
	pub fn contract_held(contract: &T::AccountId, asset: AssetId, owner: &T::AccountId) -> Amount {
		ContractHolds::<T>::get((contract, asset, owner))
	}

	/// How much more of `owner`'s `asset` `contract` may hold.
	pub fn contract_allowance(owner: &T::AccountId, contract: &T::AccountId, asset: AssetId) -> Amount {
		ContractAllowances::<T>::get((owner, contract, asset))
	}

	fn contract_reason() -> T::RuntimeHoldReason {
		HoldReason::Contract.into()
	}

	/// The broker `who` sets how much of `asset` the contract `contract` may still hold from
	/// `owner` (its own account or one of its investors'); zero withdraws the approval. What the
	/// contract already holds is not affected.
	pub fn do_approve_contract(
		who: &T::AccountId,
		owner: T::AccountId,
		contract: T::AccountId,
		asset: AssetId,
		limit: Amount,
	) -> DispatchResult {
		ensure!(T::Investors::acts_for(who, &owner), Error::<T>::NotAParty);
		Self::standing(&owner)?;
		ensure!(T::Instruments::class_and_status(asset).is_some(), Error::<T>::UnknownAsset);
		ensure!(owner != contract, Error::<T>::LegToSelf);
		// Withdrawing an approval needs no live contract; giving one binds the contract's
		// account to the instance there now, or must be to that instance.
		if limit > 0 {
			let live = T::Contracts::instance(&contract).ok_or(Error::<T>::NotAContract)?;
			match BoundInstances::<T>::get(&contract) {
				None => BoundInstances::<T>::insert(&contract, live),
				Some(bound) => ensure!(bound == live, Error::<T>::ContractReplaced),
			}
		}
		Self::set_allowance(&owner, &contract, asset, limit);
		Self::deposit_event(Event::ContractApproved { owner, contract, asset, limit, by: who.clone() });
		Ok(())
	}

	/// The broker `who` takes back everything the former contract `contract` held of `owner`'s
	/// `asset`, and withdraws its approval for it. Refused while the instance the approvals were
	/// given to is there: a live contract releases its holds itself, and its parties' terms may
	/// depend on them.
	pub fn do_reclaim_contract_hold(
		who: &T::AccountId,
		owner: T::AccountId,
		contract: T::AccountId,
		asset: AssetId,
	) -> DispatchResult {
		ensure!(T::Investors::acts_for(who, &owner), Error::<T>::NotAParty);
		ensure!(Self::bound_instance_live(&contract) != Some(true), Error::<T>::ContractStillExists);
		let amount = ContractHolds::<T>::get((&contract, asset, &owner));
		ensure!(amount > 0, Error::<T>::NotHeldByContract);
		T::Ledger::release(asset, &Self::contract_reason(), &owner, amount, Precision::Exact)?;
		Self::set_contract_hold(&contract, asset, &owner, 0);
		Self::set_allowance(&owner, &contract, asset, 0);
		Self::deposit_event(Event::ContractHoldReclaimed { contract, owner, asset, amount, by: who.clone() });
		Ok(())
	}

	/// Whether the contract instance `contract`'s approvals belong to is the one there now;
	/// `None` if no approval was ever given to it (it has no allowance and holds nothing).
	fn bound_instance_live(contract: &T::AccountId) -> Option<bool> {
		BoundInstances::<T>::get(contract).map(|bound| T::Contracts::instance(contract) == Some(bound))
	}

	/// A contract calling in must be the instance its approvals were given to, if any were: an
	/// instance created again at the address of one that terminated is refused.
	fn ensure_not_replaced(contract: &T::AccountId) -> DispatchResult {
		ensure!(Self::bound_instance_live(contract) != Some(false), Error::<T>::ContractReplaced);
		Ok(())
	}

	/// The contract `contract` holds `amount` of `owner`'s free `asset`, within what `owner`
	/// approved. The owner must have standing (a member broker, or a member's investor that is
	/// neither frozen nor a credit account).
	pub fn contract_hold(
		contract: &T::AccountId,
		owner: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::ensure_not_replaced(contract)?;
		Self::standing(owner)?;
		let allowance = ContractAllowances::<T>::get((owner, contract, asset));
		let left = allowance.checked_sub(amount).ok_or(Error::<T>::InsufficientAllowance)?;
		let held = ContractHolds::<T>::get((contract, asset, owner)).checked_add(amount).ok_or(Error::<T>::Overflow)?;
		T::Ledger::hold(asset, &Self::contract_reason(), owner, amount).map_err(|_| Error::<T>::InsufficientBalance)?;
		Self::set_allowance(owner, contract, asset, left);
		ContractHolds::<T>::insert((contract, asset, owner), held);
		Self::deposit_event(Event::ContractHeld { contract: contract.clone(), owner: owner.clone(), asset, amount });
		Ok(())
	}

	/// The contract `contract` gives back `amount` of `asset` it holds from `owner`.
	pub fn contract_release(
		contract: &T::AccountId,
		owner: &T::AccountId,
		asset: AssetId,
		amount: Amount,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::ensure_not_replaced(contract)?;
		let left = ContractHolds::<T>::get((contract, asset, owner))
			.checked_sub(amount)
			.ok_or(Error::<T>::NotHeldByContract)?;
		T::Ledger::release(asset, &Self::contract_reason(), owner, amount, Precision::Exact)?;
		Self::set_contract_hold(contract, asset, owner, left);
		Self::deposit_event(Event::ContractReleased {
			contract: contract.clone(),
			owner: owner.clone(),
			asset,
			amount,
		});
		Ok(())
	}

	/// Set what `contract` may still hold of `owner`'s `asset` (no entry at zero).
	fn set_allowance(owner: &T::AccountId, contract: &T::AccountId, asset: AssetId, amount: Amount) {
		match amount {
			0 => ContractAllowances::<T>::remove((owner, contract, asset)),
			_ => ContractAllowances::<T>::insert((owner, contract, asset), amount),
		}
	}

	/// Set what `contract` holds of `owner`'s `asset` (no entry at zero).
	fn set_contract_hold(contract: &T::AccountId, asset: AssetId, owner: &T::AccountId, amount: Amount) {
		match amount {
			0 => ContractHolds::<T>::remove((contract, asset, owner)),
			_ => ContractHolds::<T>::insert((contract, asset, owner), amount),
		}
	}

	/// The contract `contract` settles `legs` out of what it holds: each leg's amount comes from
	/// its hold on the leg's deliverer. Every party's standing, every security leg's compliance
	/// rules and, with an investor party, delivery versus payment within the price band are
	/// checked as for an instruction; the settlement is recorded like one. All legs move or none.
	pub fn contract_settle(contract: &T::AccountId, legs: LegsOf<T>) -> Result<SettlementId, DispatchError> {
		Self::ensure_not_replaced(contract)?;
		T::Ledger::atomically(|| {
			let checked = Self::checked_legs(&legs)?;
			let standings = Self::standings(checked.parties.into_iter())?;
			Self::ensure_legs_allowed(&legs, &checked.classes, &standings)?;
			for leg in &legs {
				let left = ContractHolds::<T>::get((contract, leg.asset, &leg.from))
					.checked_sub(leg.amount)
					.ok_or(Error::<T>::NotHeldByContract)?;
				Self::set_contract_hold(contract, leg.asset, &leg.from, left);
				Self::move_held(leg, &Self::contract_reason())?;
			}
			let settlement =
				Self::record_settlement(Settled::Contract { contract: contract.clone(), legs: legs.clone() });
			Self::deposit_event(Event::ContractSettled { contract: contract.clone(), settlement, legs });
			Ok(settlement)
		})
	}
}
