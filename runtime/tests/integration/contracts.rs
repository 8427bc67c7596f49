//! Contracts (pallet-revive) in the runtime: who may deploy and call, account mapping, and the
//! Ethereum-signed paths this chain closes. The fixture is `contracts/test/Ping.sol`, compiled by
//! the SDK's pinned solc (`contracts/artifacts/Ping.json`).

use frame_support::{assert_noop, assert_ok, dispatch::RawOrigin, traits::UnfilteredDispatchable};
use pallet_members::Role;
use pallet_revive::{AddressMapper, H160, H256};
use qingsuan_runtime::{
	check_caller::may_call,
	configs::contracts::{address_of, callable},
	AccountId, Members, Revive, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System, UNIT,
};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{traits::Dispatchable, DispatchError, Weight};

use crate::run;

type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

const PING: &str = include_str!("../../../contracts/artifacts/Ping.json");

/// `Ping`'s init code, from its compiled artifact.
fn ping_code() -> Vec<u8> {
	crate::evm::code(PING)
}

/// The 4-byte selector of `signature`.
fn selector(signature: &str) -> Vec<u8> {
	sp_io::hashing::keccak_256(signature.as_bytes())[..4].to_vec()
}

/// A uint256 return value that fits in a u64.
fn as_u64(word: &[u8]) -> u64 {
	assert_eq!(word.len(), 32, "one ABI word");
	u64::from_be_bytes(word[24..].try_into().expect("8 bytes"))
}

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

const WEIGHT: Weight = Weight::from_parts(50_000_000_000, 5 * 1024 * 1024);
const DEPOSIT: u128 = 100 * UNIT;

fn instantiate(code: Vec<u8>) -> RuntimeCall {
	RuntimeCall::Revive(pallet_revive::Call::instantiate_with_code {
		value: 0,
		weight_limit: WEIGHT,
		storage_deposit_limit: DEPOSIT,
		code,
		data: vec![],
		salt: None,
	})
}

fn call(dest: H160, data: Vec<u8>) -> RuntimeCall {
	RuntimeCall::Revive(pallet_revive::Call::call {
		dest,
		value: 0,
		weight_limit: WEIGHT,
		storage_deposit_limit: DEPOSIT,
		data,
	})
}

/// Ferdie (the local chain's regulator) made a developer, as the consortium would.
fn developer() -> Sr25519Keyring {
	assert_ok!(Members::do_grant_role(&Ferdie.to_account_id(), Role::Developer));
	Ferdie
}

/// Deploy `Ping` as `who`; its address.
fn deploy_ping(who: Sr25519Keyring) -> H160 {
	assert_ok!(instantiate(ping_code()).dispatch(signed(who)));
	System::events()
		.into_iter()
		.find_map(|r| match r.event {
			RuntimeEvent::Revive(pallet_revive::Event::Instantiated { deployer, contract }) => {
				assert_eq!(deployer, address_of(&who.to_account_id()));
				Some(contract)
			},
			_ => None,
		})
		.expect("an Instantiated event")
}

/// Read a view of `contract` the way a client's dry run does.
fn view(contract: H160, signature: &str) -> Vec<u8> {
	let result = Revive::bare_call(
		RuntimeOrigin::signed(Alice.to_account_id()),
		contract,
		0.into(),
		pallet_revive::TransactionLimits::WeightAndDeposit { weight_limit: WEIGHT, deposit_limit: DEPOSIT },
		selector(signature),
		&pallet_revive::ExecConfig::new_substrate_tx(),
	);
	let output = result.result.expect("the view runs");
	assert!(!output.did_revert());
	output.data
}

#[test]
fn a_developer_deploys_solidity_and_a_member_calls_it() {
	run(|| {
		let dev = developer();
		let ping = deploy_ping(dev);
		// The constructor saw the developer's own account, through its mapping.
		let deployer = view(ping, "deployer()");
		assert_eq!(&deployer[12..], address_of(&dev.to_account_id()).as_bytes());

		assert_ok!(call(ping, selector("ping()")).dispatch(signed(Alice)));
		assert_ok!(call(ping, selector("ping()")).dispatch(signed(Bob)));
		assert_eq!(as_u64(&view(ping, "calls()")), 2);

		// `Pinged(address indexed by, uint256 calls)`: Bob's address maps back to Bob.
		let (topics, data) = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted { contract, topics, data })
					if contract == ping =>
				{
					Some((topics, data))
				},
				_ => None,
			})
			.next_back()
			.expect("Bob's Pinged event");
		assert_eq!(topics[0], H256(sp_io::hashing::keccak_256(b"Pinged(address,uint256)")));
		let by = H160::from_slice(&topics[1].as_bytes()[12..]);
		assert_eq!(Mapper::to_account_id(&by), Bob.to_account_id());
		assert_eq!(as_u64(&data), 2);
	});
}

#[test]
fn only_developers_upload_and_instantiate() {
	run(|| {
		let upload =
			RuntimeCall::Revive(pallet_revive::Call::upload_code { code: ping_code(), storage_deposit_limit: DEPOSIT });
		// A member broker, a clearing bank and a regulator are not developers.
		for who in [Alice, Eve, Ferdie] {
			assert_noop!(instantiate(ping_code()).dispatch(signed(who)).map_err(|e| e.error), DispatchError::BadOrigin);
			assert_noop!(upload.clone().dispatch(signed(who)).map_err(|e| e.error), DispatchError::BadOrigin);
		}
		let dev = developer();
		assert_ok!(upload.dispatch(signed(dev)));
		// The role revoked, the developer deploys nothing more.
		assert_ok!(Members::do_revoke_role(&dev.to_account_id(), Role::Developer));
		assert_noop!(instantiate(ping_code()).dispatch(signed(dev)).map_err(|e| e.error), DispatchError::BadOrigin);
	});
}

#[test]
fn an_account_without_a_role_calls_no_contract() {
	run(|| {
		let ping = deploy_ping(developer());
		let stranger = AccountId::new([7; 32]);
		assert!(!may_call(&stranger, &call(ping, selector("ping()"))));
		assert!(may_call(&Alice.to_account_id(), &call(ping, selector("ping()"))));
	});
}

#[test]
fn ethereum_signed_paths_are_closed() {
	run(|| {
		let alice = Alice.to_account_id();
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let closed = [
			RuntimeCall::Revive(pallet_revive::Call::eth_transact { payload: vec![0xf8] }),
			RuntimeCall::Revive(pallet_revive::Call::eth_substrate_call {
				call: Box::new(remark.clone()),
				transaction_encoded: vec![],
			}),
			RuntimeCall::Revive(pallet_revive::Call::dispatch_as_fallback_account { call: Box::new(remark) }),
		];
		for c in closed {
			assert!(!callable(&c));
			// Refused at the pool for everyone, members included ...
			assert!(!may_call(&alice, &c));
			// ... and at dispatch, whatever the origin (a council motion, sudo).
			let filtered = c.clone().dispatch(RuntimeOrigin::signed(alice.clone())).map_err(|e| e.error);
			assert_eq!(filtered, Err(frame_system::Error::<Runtime>::CallFiltered.into()));
			// Root bypasses the base filter, and revive refuses these without an Ethereum origin.
			assert!(c.dispatch_bypass_filter(RawOrigin::Root.into()).is_err());
		}
	});
}

#[test]
fn every_account_has_its_contract_address_from_genesis() {
	run(|| {
		let accounts: Vec<AccountId> = frame_system::Account::<Runtime>::iter_keys().collect();
		assert!(accounts.len() >= 6);
		for who in accounts {
			assert!(Mapper::is_mapped(&who), "{who:?} is mapped");
			assert_eq!(Mapper::to_account_id(&address_of(&who)), who);
		}
		// Pinned: the SDK (`qs-contract address`, clients/contract/src/address.rs) computes the
		// same address for Alice.
		assert_eq!(
			address_of(&Alice.to_account_id()),
			H160::from_slice(&hex::decode("9621dde636de098b43efb0fa9b61facfe328f99d").expect("hex"))
		);
		// An account created later is mapped as it is created, with no mapping call.
		let fresh = AccountId::new([9; 32]);
		assert_ok!(pallet_balances::Pallet::<Runtime>::transfer_allow_death(signed(Alice), fresh.clone().into(), UNIT));
		assert_eq!(Mapper::to_account_id(&address_of(&fresh)), fresh);
	});
}
