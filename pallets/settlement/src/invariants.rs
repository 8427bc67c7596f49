//! The settlement pallet's invariants, checked by `try_state` and after every test scenario.

use crate::{
	migrations::v2_layout, BankKeys, Cash, Config, ContractAllowances, ContractHolds, ContractInstances, Cursor,
	DayDigests, Deposits, Due, HoldReason, Instructions, NextInstructionId, NextRequestId, Pallet, PendingRequests,
	PurgingRecords, RegulatorKey, SettlementCursor, Withdrawals,
};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	traits::{tokens::fungibles::Inspect, Get},
};
use qingsuan_primitives::{
	investors::InvestorRegistry,
	market::{Amount, AssetClass, AssetId, LedgerAudit},
};
use qingsuan_sm_crypto::sm2;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check every invariant of the pallet.
	///
	/// # Invariants
	///
	/// - [`Self::check_instruction_holds`]
	/// - [`Self::check_withdrawal_holds`]
	/// - [`Self::check_cash_issuance`]
	/// - [`Self::check_pending_requests`]
	/// - [`Self::check_records`]
	/// - [`Self::check_instructions`]
	/// - [`Self::check_envelope_keys`]
	/// - [`Self::check_contract_holds`]
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_instruction_holds()?;
		Self::check_contract_holds()?;
		Self::check_withdrawal_holds()?;
		Self::check_cash_issuance()?;
		Self::check_pending_requests()?;
		Self::check_records()?;
		Self::check_instructions()?;
		Self::check_envelope_keys()
	}

	/// Every registered envelope key, the banks' and the regulator's, is a point on the curve in
	/// its canonical encoding, as `set_bank_key` and `set_regulator_key` accept them: envelopes
	/// sealed to it can be opened.
	pub fn check_envelope_keys() -> Result<(), TryRuntimeError> {
		let canonical = |key: &sm2::Public| sm2::Public::from_sec1(&key.0).is_ok_and(|k| &k == key);
		ensure!(BankKeys::<T>::iter_values().all(|k| canonical(&k)), "a bank's envelope key is not an SM2 point");
		ensure!(
			RegulatorKey::<T>::get().is_none_or(|k| canonical(&k)),
			"the regulator's envelope key is not an SM2 point"
		);
		Ok(())
	}

	fn holds_of(reason: HoldReason) -> BTreeMap<(AssetId, T::AccountId), Amount> {
		T::Ledger::holds_for(&reason.into()).into_iter().map(|(a, w, x)| ((a, w), x)).collect()
	}

	fn same(
		expected: BTreeMap<(AssetId, T::AccountId), Amount>,
		held: BTreeMap<(AssetId, T::AccountId), Amount>,
	) -> bool {
		expected.into_iter().filter(|(_, x)| *x > 0).eq(held)
	}

	/// What the ledger holds for instructions is exactly the deliveries of the affirmed parties
	/// of pending instructions: no hold without its instruction, no affirmed leg unheld.
	pub fn check_instruction_holds() -> Result<(), TryRuntimeError> {
		let mut expected: BTreeMap<(AssetId, T::AccountId), Amount> = BTreeMap::new();
		for (_, instruction) in Instructions::<T>::iter() {
			for leg in instruction.legs.iter().filter(|l| instruction.has_affirmed(&l.from)) {
				let e = expected.entry((leg.asset, leg.from.clone())).or_default();
				*e = e.checked_add(leg.amount).ok_or("instruction holds overflow")?;
			}
		}
		ensure!(
			Self::same(expected, Self::holds_of(HoldReason::Instruction)),
			"instruction holds differ from affirmed legs"
		);
		Ok(())
	}

	/// What the ledger holds for contracts is, per owner and asset, the sum of what each
	/// contract holds (`ContractHolds`); no contract hold or allowance is zero; every contract
	/// that holds or may hold something is bound to an instance (`ContractInstances`).
	pub fn check_contract_holds() -> Result<(), TryRuntimeError> {
		let mut expected: BTreeMap<(AssetId, T::AccountId), Amount> = BTreeMap::new();
		for ((contract, asset, owner), amount) in ContractHolds::<T>::iter() {
			ensure!(amount > 0, "a zero contract hold");
			ensure!(ContractInstances::<T>::contains_key(&contract), "a contract hold of no bound instance");
			let e = expected.entry((asset, owner)).or_default();
			*e = e.checked_add(amount).ok_or("contract holds overflow")?;
		}
		for ((_, contract, _), amount) in ContractAllowances::<T>::iter() {
			ensure!(amount > 0, "a zero contract allowance");
			ensure!(ContractInstances::<T>::contains_key(&contract), "a contract allowance of no bound instance");
		}
		ensure!(
			Self::same(expected, Self::holds_of(HoldReason::Contract)),
			"contract holds differ from the ledger's holds for contracts"
		);
		Ok(())
	}

	/// What the ledger holds for withdrawals is exactly the pending withdrawals.
	pub fn check_withdrawal_holds() -> Result<(), TryRuntimeError> {
		let mut expected: BTreeMap<(AssetId, T::AccountId), Amount> = BTreeMap::new();
		for (_, w) in Withdrawals::<T>::iter() {
			let e = expected.entry((w.asset, w.member.clone())).or_default();
			*e = e.checked_add(w.amount).ok_or("withdrawal holds overflow")?;
		}
		ensure!(Self::same(expected, Self::holds_of(HoldReason::Withdrawal)), "withdrawal holds differ from requests");
		Ok(())
	}

	/// For every cash asset, issuance equals confirmed deposits minus confirmed withdrawals, and
	/// no cash totals exist for a non-cash asset.
	pub fn check_cash_issuance() -> Result<(), TryRuntimeError> {
		let cash: Vec<AssetId> = T::Ledger::assets_of(AssetClass::Cash);
		for asset in &cash {
			let totals = Cash::<T>::get(asset);
			let net = totals.deposited.checked_sub(totals.withdrawn).ok_or("more withdrawn than deposited")?;
			ensure!(T::Ledger::total_issuance(*asset) == net, "cash issuance differs from deposits minus withdrawals");
		}
		for (asset, _) in Cash::<T>::iter() {
			ensure!(cash.contains(&asset), "cash totals of an asset that is not cash");
		}
		for (_, d) in Deposits::<T>::iter() {
			ensure!(cash.contains(&d.asset), "a deposit request of a non-cash asset");
		}
		Ok(())
	}

	/// Each member's count of pending requests is its deposits and withdrawals waiting, within
	/// the bound.
	pub fn check_pending_requests() -> Result<(), TryRuntimeError> {
		let pending = Self::count_pending_requests();
		ensure!(pending.values().all(|n| *n <= T::MaxPendingRequests::get()), "a member has more requests than it may");
		ensure!(PendingRequests::<T>::iter().collect::<BTreeMap<_, _>>() == pending, "pending request counts differ");
		Ok(())
	}

	/// Every settlement id handed out is in exactly one day's hash chain (the days' counts sum to
	/// the cursor), no day's chain is empty or later than the last settlement's day, and records
	/// of storage v2 are left only while they are being purged.
	pub fn check_records() -> Result<(), TryRuntimeError> {
		let Cursor { next, day } = SettlementCursor::<T>::get();
		let mut counted = 0u64;
		for (d, digest) in DayDigests::<T>::iter() {
			ensure!(digest.count > 0, "a day's hash chain without settlements");
			ensure!(day.is_some_and(|last| d <= last), "a hash chain for a day after the last settlement");
			counted = counted.checked_add(digest.count).ok_or("day counts overflow")?;
		}
		ensure!(counted == next, "the days' settlement counts differ from the ids handed out");
		ensure!(day.is_some() || next == 0, "settlements exist with no day");
		ensure!(
			PurgingRecords::<T>::get() || v2_layout::Settlements::<T>::iter_keys().next().is_none(),
			"records of storage v2 left with no purge under way"
		);
		Ok(())
	}

	/// Every pending instruction has legs, its parties are exactly its legs' accounts, it is
	/// scheduled to expire, and its id was handed out; request ids were handed out.
	pub fn check_instructions() -> Result<(), TryRuntimeError> {
		let next = NextInstructionId::<T>::get();
		for (id, instruction) in Instructions::<T>::iter() {
			ensure!(id < next, "an instruction id was never handed out");
			ensure!(!instruction.legs.is_empty(), "a pending instruction without legs");
			ensure!(instruction.settle_at < instruction.expires_at, "an instruction settles after it expires");
			ensure!(Due::<T>::get(instruction.expires_at).contains(&id), "an instruction is not scheduled to expire");
			for leg in &instruction.legs {
				for who in [&leg.from, &leg.to] {
					ensure!(
						instruction.parties.iter().filter(|p| &p.who == who).count() == 1,
						"a leg's account is not one party"
					);
				}
			}
			ensure!(
				instruction.parties.iter().all(|p| instruction.legs.iter().any(|l| l.from == p.who || l.to == p.who)),
				"a party with no leg"
			);
			// Brokers affirm: never an investor account; a broker's own account only itself.
			for party in &instruction.parties {
				if let Some(by) = &party.affirmed_by {
					ensure!(T::Investors::standing(by).is_none(), "an investor account affirmed");
					ensure!(
						T::Investors::standing(&party.who).is_some() || by == &party.who,
						"a broker's own account was affirmed by another"
					);
				}
			}
		}
		let next_request = NextRequestId::<T>::get();
		ensure!(Deposits::<T>::iter_keys().all(|id| id < next_request), "a deposit id was never handed out");
		ensure!(Withdrawals::<T>::iter_keys().all(|id| id < next_request), "a withdrawal id was never handed out");
		Ok(())
	}

	/// Each member's deposit and withdrawal requests waiting for a bank, counted from the
	/// requests themselves: what `PendingRequests` keeps (the invariant and the v1 migration).
	pub fn count_pending_requests() -> BTreeMap<T::AccountId, u32> {
		let mut pending: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let members =
			Deposits::<T>::iter().map(|(_, d)| d.member).chain(Withdrawals::<T>::iter().map(|(_, w)| w.member));
		for member in members {
			*pending.entry(member).or_default() += 1;
		}
		pending
	}
}
