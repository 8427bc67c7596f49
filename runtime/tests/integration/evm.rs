//! Contracts compiled by the SDK's pinned solc (`contracts/artifacts/*.json`), deployed and called
//! on the runtime the way a developer's and brokers' transactions do: deploy as a developer,
//! call as a member, read the contract's logs, tell its reverts apart.

use frame_support::{assert_ok, traits::UnfilteredDispatchable};
use pallet_members::Role;
use pallet_revive::{
	precompiles::alloy::{
		primitives::{Address, B256},
		sol_types::{SolCall, SolError, SolEvent, SolValue},
	},
	AddressMapper, H160,
};
use qingsuan_runtime::{
	configs::contracts::address_of, AccountId, Members, Revive, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System,
};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::Weight;

pub(crate) type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

const WEIGHT: Weight = Weight::from_parts(100_000_000_000, 5 * 1024 * 1024);
const DEPOSIT: u128 = 1_000 * qingsuan_runtime::UNIT;

/// How a call failed.
#[derive(Debug, PartialEq)]
pub(crate) enum Revert {
	/// `Error(string)`: the precompile's refusals and the pallets' errors, by name.
	Reason(String),
	/// A custom error of the contract (`error DeadlinePassed();`): its ABI encoding.
	Custom(Vec<u8>),
	/// The call did not run to a revert (out of weight, no such contract, ...).
	Failed(String),
}

impl Revert {
	/// Whether this is the contract's custom error `E`.
	pub(crate) fn is<E: SolError>(&self) -> bool {
		matches!(self, Revert::Custom(data) if data.starts_with(&E::SELECTOR))
	}

	/// The contract's custom error `E` with its arguments, if this is one.
	pub(crate) fn decode<E: SolError>(&self) -> Option<E> {
		match self {
			Revert::Custom(data) => E::abi_decode(data).ok(),
			_ => None,
		}
	}
}

/// The init code of a compiled artifact (`contracts/artifacts/<Contract>.json`).
pub(crate) fn code(artifact: &str) -> Vec<u8> {
	let artifact: serde_json::Value = serde_json::from_str(artifact).expect("the artifact is JSON");
	hex::decode(artifact["bytecode"].as_str().expect("bytecode").trim_start_matches("0x")).expect("hex")
}

/// The contract address of an account.
pub(crate) fn addr(who: &AccountId) -> Address {
	Address::from(address_of(who).0)
}

/// Deploy `artifact` with the ABI-encoded constructor arguments `args` (appended to the init
/// code, as EVM constructors read them), as a developer (Ferdie, made one); its address and its
/// account.
pub(crate) fn deploy(artifact: &str, args: Vec<u8>) -> (H160, AccountId) {
	let dev = Ferdie.to_account_id();
	assert_ok!(Members::do_grant_role(&dev, Role::Developer));
	let before = System::events().len();
	let instantiate = RuntimeCall::Revive(pallet_revive::Call::instantiate_with_code {
		value: 0,
		weight_limit: WEIGHT,
		storage_deposit_limit: DEPOSIT,
		code: [code(artifact), args].concat(),
		data: vec![],
		salt: None,
	});
	assert_ok!(instantiate.dispatch_bypass_filter(RuntimeOrigin::signed(dev)));
	let contract = System::events()[before..]
		.iter()
		.find_map(|r| match r.event {
			RuntimeEvent::Revive(pallet_revive::Event::Instantiated { contract, .. }) => Some(contract),
			_ => None,
		})
		.expect("deployed");
	(contract, Mapper::to_account_id(&contract))
}

/// Call `dest` as `who` with `data`: its output, or how it reverted.
pub(crate) fn exec(who: Sr25519Keyring, dest: H160, data: Vec<u8>) -> Result<Vec<u8>, Revert> {
	let result = Revive::bare_call(
		RuntimeOrigin::signed(who.to_account_id()),
		dest,
		0.into(),
		pallet_revive::TransactionLimits::WeightAndDeposit { weight_limit: WEIGHT, deposit_limit: DEPOSIT },
		data,
		&pallet_revive::ExecConfig::new_substrate_tx(),
	);
	match result.result {
		Ok(out) if !out.did_revert() => Ok(out.data),
		Ok(out) if out.data.starts_with(&[0x08, 0xc3, 0x79, 0xa0]) => {
			Err(Revert::Reason(String::abi_decode(&out.data[4..]).expect("an ABI string")))
		},
		Ok(out) => Err(Revert::Custom(out.data)),
		Err(e) => Err(Revert::Failed(format!("{e:?}"))),
	}
}

/// Call `c` on `contract` as `who`: what it returns, or how it reverted.
pub(crate) fn call<C: SolCall>(who: Sr25519Keyring, contract: H160, c: C) -> Result<C::Return, Revert> {
	exec(who, contract, c.abi_encode()).map(|out| C::abi_decode_returns(&out).expect("decodes"))
}

/// How a call that must fail failed.
pub(crate) fn refused<R>(result: Result<R, Revert>) -> Revert {
	match result {
		Ok(_) => panic!("the call succeeded"),
		Err(revert) => revert,
	}
}

/// The reason an `Error(string)` refusal gave.
pub(crate) fn reason<R>(result: Result<R, Revert>) -> String {
	match refused(result) {
		Revert::Reason(reason) => reason,
		other => panic!("not an Error(string) revert: {other:?}"),
	}
}

/// The logs `E` that `contract` emitted in this block, in order.
pub(crate) fn logs<E: SolEvent>(contract: H160) -> Vec<E> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted { contract: c, data, topics })
				if c == contract && topics.first().map(|t| t.0) == Some(E::SIGNATURE_HASH.0) =>
			{
				Some(E::decode_raw_log(topics.iter().map(|t| B256::from(t.0)), &data).expect("decodes"))
			},
			_ => None,
		})
		.collect()
}

/// `owner`'s broker approves `contract` for `limit` of `asset`.
pub(crate) fn approve(broker: Sr25519Keyring, owner: &AccountId, contract: &AccountId, asset: u32, limit: u128) {
	assert_ok!(qingsuan_runtime::Settlement::approve_contract(
		RuntimeOrigin::signed(broker.to_account_id()),
		owner.clone(),
		contract.clone(),
		asset,
		limit
	));
}

/// `who`'s free balance of `asset`.
pub(crate) fn free(asset: u32, who: &AccountId) -> u128 {
	pallet_settlement::Pallet::<Runtime>::free_balance(asset, who)
}

/// What `contract` holds of `owner`'s `asset`.
pub(crate) fn held(contract: &AccountId, asset: u32, owner: &AccountId) -> u128 {
	pallet_settlement::ContractHolds::<Runtime>::get((contract, asset, owner))
}

/// `broker` opens an investor account with `commitment`; its account.
pub(crate) fn open_investor(broker: Sr25519Keyring, commitment: [u8; 32]) -> AccountId {
	assert_ok!(qingsuan_runtime::Investors::open_investor(RuntimeOrigin::signed(broker.to_account_id()), commitment));
	qingsuan_runtime::Investors::investor_account(&broker.to_account_id(), &commitment)
}

/// `broker` funds its client money with `amount` of `asset` and allocates it to `investor`.
pub(crate) fn give_cash(broker: Sr25519Keyring, investor: &AccountId, asset: u32, amount: u128) {
	let signed = RuntimeOrigin::signed(broker.to_account_id());
	assert_ok!(qingsuan_runtime::Investors::fund_client_money(signed.clone(), asset, amount));
	assert_ok!(qingsuan_runtime::Investors::allocate_cash(signed, investor.clone(), asset, amount));
}

/// The chain's clock, in seconds (what a contract reads as `block.timestamp`).
pub(crate) fn now() -> u64 {
	pallet_timestamp::Now::<Runtime>::get() / 1_000
}

/// Move the chain's clock `seconds` on.
pub(crate) fn advance(seconds: u64) {
	pallet_timestamp::Now::<Runtime>::mutate(|now| *now += seconds * 1_000);
}
