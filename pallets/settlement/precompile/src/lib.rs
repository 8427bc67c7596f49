//! The settlement precompile: Qingsuan's ledger and delivery-versus-payment settlement for
//! contracts, at `0x0000000000000000000000000000000009000000` (docs/contracts-design.md §2).
//!
//! Its interface is `contracts/sdk/ISettlement.sol`, read by alloy's `sol!`, so the Solidity
//! contracts import and the Rust that answers them cannot differ. Each function charges its
//! benchmarked weight (the settlement pallet's `contract_*` benchmarks, plus one read per address
//! it maps to an account) before it does anything, and calls the settlement pallet's plain
//! functions, never a dispatchable. The calling contract is the escrow agent: it holds, releases
//! and settles on its parties' accounts within what they approved, and owns nothing.
//!
//! Refused: a delegate call (it would act with another contract's holds), a state change in a
//! static call, a call from an account that is not a contract, more legs than the chain allows.
//! A failure reverts with `Error(string)` holding the chain's error name (`"NotCompliant"`, …),
//! which Solidity catches with `catch Error(string memory reason)`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::{string::String, vec::Vec};
use core::{marker::PhantomData, num::NonZero};
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use pallet_revive::precompiles::{
	alloy::{self, sol_types::SolValue},
	AddressMapper, AddressMatcher, Error, Ext, Precompile, H160,
};
use pallet_settlement::{Leg, WeightInfo};
use sp_runtime::DispatchError;

alloy::sol!("../../../contracts/sdk/ISettlement.sol");

use ISettlement::ISettlementCalls as Call;

/// The precompile's fixed address index: it answers at `0x…0900_0000`.
pub const ADDRESS_INDEX: u16 = 0x0900;

/// The precompile's address.
pub const ADDRESS: [u8; 20] = {
	let mut a = [0u8; 20];
	let i = ADDRESS_INDEX.to_be_bytes();
	a[16] = i[0];
	a[17] = i[1];
	a
};

/// The settlement precompile for runtime `T`.
pub struct SettlementPrecompile<T>(PhantomData<T>);

type AccountOf<T> = <T as frame_system::Config>::AccountId;

/// A revert with `reason` (Solidity's `Error(string)`).
fn revert(reason: impl Into<String>) -> Error {
	Error::Revert(reason.into().into())
}

/// The chain's error as a revert: a pallet error by its name, any other error by its kind.
pub fn revert_of(error: DispatchError) -> Error {
	let reason = match error {
		DispatchError::Module(m) => m.message.unwrap_or("Module"),
		other => other.into(),
	};
	revert(reason)
}

impl<T> SettlementPrecompile<T>
where
	T: pallet_revive::Config + pallet_settlement::Config,
{
	fn account(address: &alloy::primitives::Address) -> AccountOf<T> {
		T::AddressMapper::to_account_id(&H160::from(address.into_array()))
	}

	/// One read per address mapped to an account (`OriginalAccount`).
	fn lookups(n: u64) -> Weight {
		T::DbWeight::get().reads(n)
	}

	/// The calling contract's account: refuses an account that is not a contract (a signed
	/// account calling the precompile directly has nothing to act as escrow for).
	fn contract(env: &impl Ext<T = T>) -> Result<AccountOf<T>, Error> {
		if env.caller_is_origin(false) {
			return Err(revert("CallerNotContract"));
		}
		env.caller().account_id().cloned().map_err(|_| revert("CallerNotContract"))
	}
}

impl<T> Precompile for SettlementPrecompile<T>
where
	T: pallet_revive::Config + pallet_settlement::Config,
{
	type T = T;
	type Interface = Call;
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(NonZero::new(ADDRESS_INDEX).expect("0x0900 is not zero; qed"));
	const HAS_CONTRACT_INFO: bool = false;

	fn call(_address: &[u8; 20], input: &Self::Interface, env: &mut impl Ext<T = Self::T>) -> Result<Vec<u8>, Error> {
		type W<T> = <T as pallet_settlement::Config>::WeightInfo;
		type S<T> = pallet_settlement::Pallet<T>;
		if env.is_delegate_call() {
			return Err(revert("DelegateCallDenied"));
		}
		let changes_state = matches!(input, Call::hold(_) | Call::release(_) | Call::settle(_));
		if changes_state && env.is_read_only() {
			return Err(revert("StateChangeDenied"));
		}
		match input {
			Call::balanceOf(c) => {
				env.charge(W::<T>::contract_read().saturating_add(Self::lookups(1)))?;
				Ok(S::<T>::free_balance(c.asset, &Self::account(&c.account)).abi_encode())
			},
			Call::brokerOf(c) => {
				// Two reads (the investor registry, the member's roles), each charged as the
				// heaviest view's read.
				env.charge(W::<T>::contract_read().saturating_mul(2).saturating_add(Self::lookups(1)))?;
				let broker = S::<T>::acting_member(&Self::account(&c.account));
				let address = broker.map_or(H160::zero(), |b| T::AddressMapper::to_address(&b));
				Ok(alloy::primitives::Address::from(address.0).abi_encode())
			},
			Call::heldBy(c) => {
				env.charge(W::<T>::contract_read().saturating_add(Self::lookups(1)))?;
				let contract = Self::contract(env)?;
				Ok(S::<T>::contract_held(&contract, c.asset, &Self::account(&c.owner)).abi_encode())
			},
			Call::allowance(c) => {
				env.charge(W::<T>::contract_read().saturating_add(Self::lookups(1)))?;
				let contract = Self::contract(env)?;
				Ok(S::<T>::contract_allowance(&Self::account(&c.owner), &contract, c.asset).abi_encode())
			},
			Call::hold(c) => {
				env.charge(W::<T>::contract_hold().saturating_add(Self::lookups(1)))?;
				let contract = Self::contract(env)?;
				S::<T>::contract_hold(&contract, &Self::account(&c.owner), c.asset, c.amount).map_err(revert_of)?;
				Ok(Vec::new())
			},
			Call::release(c) => {
				env.charge(W::<T>::contract_release().saturating_add(Self::lookups(1)))?;
				let contract = Self::contract(env)?;
				S::<T>::contract_release(&contract, &Self::account(&c.owner), c.asset, c.amount).map_err(revert_of)?;
				Ok(Vec::new())
			},
			Call::settle(c) => {
				let n = c.legs.len();
				if n > T::MaxLegs::get() as usize {
					return Err(revert("TooManyLegs"));
				}
				env.charge(S::<T>::contract_settle_weight(n as u32).saturating_add(Self::lookups(2 * n as u64)))?;
				let contract = Self::contract(env)?;
				let legs: Vec<Leg<AccountOf<T>>> = c
					.legs
					.iter()
					.map(|l| Leg {
						from: Self::account(&l.from),
						to: Self::account(&l.to),
						asset: l.asset,
						amount: l.amount,
					})
					.collect();
				let legs = BoundedVec::try_from(legs).map_err(|_| revert("TooManyLegs"))?;
				let id = S::<T>::contract_settle(&contract, legs).map_err(revert_of)?;
				Ok(id.abi_encode())
			},
		}
	}
}
