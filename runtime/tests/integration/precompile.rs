//! The settlement precompile, called by a contract the way settlement contracts call it: every
//! function and every refusal. The fixture is `contracts/test/SettlementProbe.sol`, which calls
//! each function of `contracts/sdk/ISettlement.sol` and the refused ways (a delegate call, a
//! state change in a static call); compiled by the SDK's pinned solc
//! (`contracts/artifacts/SettlementProbe.json`).

use frame_support::{assert_ok, traits::Get};
use pallet_revive::{
	precompiles::alloy::{self, primitives::Address, sol_types::SolCall},
	H160,
};
use qingsuan_runtime::{
	genesis_config_presets::{CNY, MOUTAI},
	AccountId, Investors, Runtime, RuntimeOrigin, Settlement,
};
use sp_keyring::Sr25519Keyring::{self, *};

use crate::{
	evm::{self, addr, approve, exec, free, open_investor, Revert},
	run, settled,
};

alloy::sol! {
	struct Leg { address from; address to; uint32 asset; uint128 amount; }
	interface Probe {
		function balanceOf(uint32 asset, address account) external view returns (uint128);
		function brokerOf(address account) external view returns (address);
		function heldBy(uint32 asset, address owner) external view returns (uint128);
		function allowance(uint32 asset, address owner) external view returns (uint128);
		function hold(uint32 asset, address owner, uint128 amount) external;
		function release(uint32 asset, address owner, uint128 amount) external;
		function settle(Leg[] calldata legs) external returns (uint64);
		function delegateHold(uint32 asset, address owner, uint128 amount) external;
		function staticHold(uint32 asset, address owner, uint128 amount) external view;
		function tryHold(uint32 asset, address owner, uint128 amount) external returns (string memory);
		function retire() external;
	}
}

alloy::sol! {
	interface Factory {
		function make(bytes32 salt) external returns (address probe);
	}
}

const PROBE: &str = include_str!("../../../contracts/artifacts/SettlementProbe.json");
/// Makes probes with CREATE2 (`contracts/test/ProbeFactory.sol`).
const FACTORY: &str = include_str!("../../../contracts/artifacts/ProbeFactory.json");
/// Moutai's reference price: 1,500 yuan a share, in fen.
const PRICE: u128 = 150_000;

/// Deploy the probe as a developer; its address and its account.
fn deploy() -> (H160, AccountId) {
	evm::deploy(PROBE, vec![])
}

fn call<C: SolCall>(who: Sr25519Keyring, probe: H160, c: C) -> Result<C::Return, Revert> {
	evm::call(who, probe, c)
}

/// The reason a call was refused with (it must have been).
fn refused<R>(result: Result<R, Revert>) -> String {
	evm::reason(result)
}

#[test]
fn the_views_read_the_ledger_and_the_member_registry() {
	run(|| {
		let (probe, _) = deploy();
		let alice = Alice.to_account_id();
		let shares = call(Bob, probe, Probe::balanceOfCall { asset: MOUTAI, account: addr(&alice) }).unwrap();
		assert_eq!(shares, free(MOUTAI, &alice));
		assert!(shares > 0);
		assert_eq!(call(Bob, probe, Probe::brokerOfCall { account: addr(&alice) }).unwrap(), addr(&alice));
		// A bank, or an account unknown to the chain, has no broker.
		let stranger = AccountId::new([7; 32]);
		for who in [Eve.to_account_id(), stranger] {
			assert_eq!(call(Bob, probe, Probe::brokerOfCall { account: addr(&who) }).unwrap(), Address::ZERO);
		}
		assert_eq!(call(Bob, probe, Probe::heldByCall { asset: MOUTAI, owner: addr(&alice) }).unwrap(), 0);
		assert_eq!(call(Bob, probe, Probe::allowanceCall { asset: MOUTAI, owner: addr(&alice) }).unwrap(), 0);
	});
}

#[test]
fn a_contract_holds_within_its_approval_and_releases_what_it_holds() {
	run(|| {
		let (probe, contract) = deploy();
		let alice = Alice.to_account_id();
		let before = free(MOUTAI, &alice);
		let hold = |amount: u128| Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount };

		assert_eq!(refused(call(Bob, probe, hold(100))), "InsufficientAllowance");
		approve(Alice, &alice, &contract, MOUTAI, 100);
		assert_eq!(call(Bob, probe, Probe::allowanceCall { asset: MOUTAI, owner: addr(&alice) }).unwrap(), 100);
		assert_eq!(refused(call(Bob, probe, hold(101))), "InsufficientAllowance");
		assert_eq!(refused(call(Bob, probe, hold(0))), "ZeroAmount");
		call(Bob, probe, hold(60)).expect("runs");
		assert_eq!(free(MOUTAI, &alice), before - 60);
		assert_eq!(call(Bob, probe, Probe::heldByCall { asset: MOUTAI, owner: addr(&alice) }).unwrap(), 60);
		assert_eq!(call(Bob, probe, Probe::allowanceCall { asset: MOUTAI, owner: addr(&alice) }).unwrap(), 40);

		let release = |amount: u128| Probe::releaseCall { asset: MOUTAI, owner: addr(&alice), amount };
		call(Bob, probe, release(20)).expect("runs");
		assert_eq!(refused(call(Bob, probe, release(41))), "NotHeldByContract");
		assert_eq!(free(MOUTAI, &alice), before - 40);
		assert_eq!(pallet_settlement::ContractHolds::<Runtime>::get((&contract, MOUTAI, &alice)), 40);

		// More than the free balance, within an approval: the ledger refuses, nothing changes.
		approve(Alice, &alice, &contract, MOUTAI, u128::MAX);
		assert_eq!(refused(call(Bob, probe, hold(before))), "InsufficientBalance");
		assert_eq!(free(MOUTAI, &alice), before - 40);
	});
}

#[test]
fn a_contract_settles_delivery_versus_payment_out_of_its_holds() {
	run(|| {
		let (probe, contract) = deploy();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let cash = 100 * PRICE;
		approve(Alice, &alice, &contract, MOUTAI, 100);
		approve(Bob, &bob, &contract, CNY, cash);
		call(Charlie, probe, Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount: 100 }).expect("runs");
		call(Charlie, probe, Probe::holdCall { asset: CNY, owner: addr(&bob), amount: cash }).expect("runs");
		let (shares, money) = ((free(MOUTAI, &alice), free(MOUTAI, &bob)), (free(CNY, &alice), free(CNY, &bob)));
		let legs = vec![
			Leg { from: addr(&alice), to: addr(&bob), asset: MOUTAI, amount: 100 },
			Leg { from: addr(&bob), to: addr(&alice), asset: CNY, amount: cash },
		];

		// One leg more than the contract holds: refused, nothing moves.
		let mut greedy = legs.clone();
		greedy[0].amount = 101;
		assert_eq!(refused(call(Charlie, probe, Probe::settleCall { legs: greedy })), "NotHeldByContract");
		assert_eq!(free(MOUTAI, &bob), shares.1);

		let id = call(Charlie, probe, Probe::settleCall { legs }).unwrap();
		assert_eq!((free(MOUTAI, &alice), free(MOUTAI, &bob)), (shares.0, shares.1 + 100));
		assert_eq!((free(CNY, &alice), free(CNY, &bob)), (money.0 + cash, money.1));
		assert!(pallet_settlement::ContractHolds::<Runtime>::iter().next().is_none());
		// Recorded like an instruction: the record names the contract and the legs.
		let records = settled();
		let (record_id, record) = records.last().expect("a settlement record");
		assert_eq!(*record_id, id);
		match record {
			pallet_settlement::Settled::Contract { contract: c, legs } => {
				assert_eq!(c, &contract);
				assert_eq!(legs.len(), 2);
			},
			other => panic!("not a contract's record: {other:?}"),
		}
	});
}

#[test]
fn settlement_refuses_what_an_instruction_would_refuse() {
	run(|| {
		let (probe, contract) = deploy();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		// No legs; too many legs.
		assert_eq!(refused(call(Bob, probe, Probe::settleCall { legs: vec![] })), "NoLegs");
		let max: u32 = <Runtime as pallet_settlement::Config>::MaxLegs::get();
		let leg = Leg { from: addr(&alice), to: addr(&bob), asset: MOUTAI, amount: 1 };
		let too_many = vec![leg.clone(); max as usize + 1];
		assert_eq!(refused(call(Bob, probe, Probe::settleCall { legs: too_many })), "TooManyLegs");

		// A party with no standing: the bank is not a member broker.
		let eve = Eve.to_account_id();
		approve(Alice, &alice, &contract, MOUTAI, 10);
		call(Bob, probe, Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount: 10 }).expect("runs");
		let to_bank = Leg { from: addr(&alice), to: addr(&eve), asset: MOUTAI, amount: 10 };
		assert_eq!(refused(call(Bob, probe, Probe::settleCall { legs: vec![to_bank] })), "PartyNotMember");

		// An investor without claims may not acquire Moutai: the compliance rules apply.
		let investor = open_investor(Bob, [3; 32]);
		let to_investor = vec![
			Leg { from: addr(&alice), to: addr(&investor), asset: MOUTAI, amount: 10 },
			Leg { from: addr(&investor), to: addr(&alice), asset: CNY, amount: 10 * PRICE },
		];
		assert_eq!(refused(call(Bob, probe, Probe::settleCall { legs: to_investor })), "MissingClaim");
		assert_eq!(pallet_settlement::ContractHolds::<Runtime>::get((&contract, MOUTAI, &alice)), 10);
	});
}

#[test]
fn a_frozen_investor_is_not_held() {
	run(|| {
		let (probe, contract) = deploy();
		let investor = open_investor(Alice, [4; 32]);
		assert_ok!(pallet_investors::Pallet::<Runtime>::fund_client_money(
			RuntimeOrigin::signed(Alice.to_account_id()),
			CNY,
			1_000
		));
		assert_ok!(Investors::allocate_cash(
			RuntimeOrigin::signed(Alice.to_account_id()),
			investor.clone(),
			CNY,
			1_000
		));
		approve(Alice, &investor, &contract, CNY, 1_000);
		assert_ok!(Investors::freeze(RuntimeOrigin::signed(Ferdie.to_account_id()), investor.clone()));
		assert_eq!(
			refused(call(Bob, probe, Probe::holdCall { asset: CNY, owner: addr(&investor), amount: 1_000 })),
			"AccountFrozen"
		);
	});
}

#[test]
fn delegate_calls_static_state_changes_and_direct_callers_are_refused() {
	run(|| {
		let (probe, contract) = deploy();
		let alice = Alice.to_account_id();
		approve(Alice, &alice, &contract, MOUTAI, 100);
		assert_eq!(
			refused(call(Bob, probe, Probe::delegateHoldCall { asset: MOUTAI, owner: addr(&alice), amount: 1 })),
			"DelegateCallDenied"
		);
		assert_eq!(
			refused(call(Bob, probe, Probe::staticHoldCall { asset: MOUTAI, owner: addr(&alice), amount: 1 })),
			"StateChangeDenied"
		);
		// A signed account calling the precompile itself is not a contract.
		let precompile = H160(pallet_settlement_precompile::ADDRESS);
		let direct = Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount: 1 }.abi_encode();
		assert_eq!(refused(exec(Alice, precompile, direct)), "CallerNotContract");
		// A contract catches a refusal as `Error(string)`.
		let caught = call(Bob, probe, Probe::tryHoldCall { asset: MOUTAI, owner: addr(&alice), amount: 101 }).unwrap();
		assert_eq!(caught, "InsufficientAllowance");
		assert_eq!(call(Bob, probe, Probe::tryHoldCall { asset: MOUTAI, owner: addr(&alice), amount: 1 }).unwrap(), "");
		assert_eq!(pallet_settlement::ContractHolds::<Runtime>::get((&contract, MOUTAI, &alice)), 1);
	});
}

#[test]
fn approvals_are_the_owners_brokers_to_give() {
	run(|| {
		let (_, contract) = deploy();
		let alice = Alice.to_account_id();
		let approve_as = |signer: Sr25519Keyring, owner: &AccountId| {
			qingsuan_runtime::Settlement::approve_contract(
				RuntimeOrigin::signed(signer.to_account_id()),
				owner.clone(),
				contract.clone(),
				MOUTAI,
				5,
			)
		};
		// Bob is not Alice's broker; a bank is no broker at all.
		assert!(approve_as(Bob, &alice).is_err());
		assert!(approve_as(Eve, &alice).is_err());
		assert_ok!(approve_as(Alice, &alice));
		// An investor's broker approves for it.
		let investor = open_investor(Bob, [5; 32]);
		assert!(approve_as(Alice, &investor).is_err());
		assert_ok!(approve_as(Bob, &investor));
	});
}

#[test]
fn what_a_terminated_contract_held_its_owners_broker_reclaims() {
	run(|| {
		let (probe, contract) = deploy();
		let alice = Alice.to_account_id();
		let shares = free(MOUTAI, &alice);
		approve(Alice, &alice, &contract, MOUTAI, 300);
		call(Alice, probe, Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount: 100 }).expect("holds");
		let reclaim = |who: &AccountId| {
			Settlement::reclaim_contract_hold(
				RuntimeOrigin::signed(who.clone()),
				alice.clone(),
				contract.clone(),
				MOUTAI,
			)
		};
		assert_eq!(reclaim(&alice), Err(pallet_settlement::Error::<Runtime>::ContractStillExists.into()));

		// The contract terminates itself; its hold outlives it.
		call(Alice, probe, Probe::retireCall {}).expect("terminates");
		assert!(!pallet_revive::AccountInfo::<Runtime>::is_contract(&probe));
		assert_eq!(free(MOUTAI, &alice), shares - 100);
		// Bob is not Alice's broker; Alice's broker (Alice) takes the shares back, and the
		// approval left goes with them.
		assert_eq!(reclaim(&Bob.to_account_id()), Err(pallet_settlement::Error::<Runtime>::NotAParty.into()));
		assert_ok!(reclaim(&alice));
		assert_eq!(free(MOUTAI, &alice), shares);
		assert_eq!(pallet_settlement::ContractHolds::<Runtime>::get((&contract, MOUTAI, &alice)), 0);
		assert_eq!(pallet_settlement::ContractAllowances::<Runtime>::get((&alice, &contract, MOUTAI)), 0);
	});
}

#[test]
fn a_contract_created_again_where_one_terminated_inherits_nothing() {
	use pallet_revive::AddressMapper;
	run(|| {
		let (factory, _) = evm::deploy(FACTORY, vec![]);
		let make = || {
			let made = evm::call(Alice, factory, Factory::makeCall { salt: [7; 32].into() }).expect("makes a probe");
			H160::from_slice(made.as_slice())
		};
		let probe = make();
		let contract = evm::Mapper::to_account_id(&probe);
		let alice = Alice.to_account_id();
		let shares = free(MOUTAI, &alice);
		approve(Alice, &alice, &contract, MOUTAI, 300);
		call(Alice, probe, Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount: 100 }).expect("holds");
		call(Alice, probe, Probe::retireCall {}).expect("terminates");
		assert!(!pallet_revive::AccountInfo::<Runtime>::is_contract(&probe));

		// The same code and salt: a new contract at the same address, with the approval and
		// the hold of the first still there.
		assert_eq!(make(), probe);
		assert!(pallet_revive::AccountInfo::<Runtime>::is_contract(&probe));
		assert_eq!(pallet_settlement::ContractAllowances::<Runtime>::get((&alice, &contract, MOUTAI)), 200);
		// It can neither hold within that approval, nor release or settle what the first held.
		let hold = |amount| Probe::holdCall { asset: MOUTAI, owner: addr(&alice), amount };
		assert_eq!(refused(call(Alice, probe, hold(1))), "ContractReplaced");
		let release = Probe::releaseCall { asset: MOUTAI, owner: addr(&alice), amount: 100 };
		assert_eq!(refused(call(Alice, probe, release)), "ContractReplaced");
		let steal = vec![Leg { from: addr(&alice), to: addr(&Bob.to_account_id()), asset: MOUTAI, amount: 100 }];
		assert_eq!(refused(call(Alice, probe, Probe::settleCall { legs: steal })), "ContractReplaced");
		// No broker approves it.
		assert_eq!(
			Settlement::approve_contract(
				RuntimeOrigin::signed(alice.clone()),
				alice.clone(),
				contract.clone(),
				MOUTAI,
				1
			),
			Err(pallet_settlement::Error::<Runtime>::ContractReplaced.into())
		);
		// Alice's broker takes her shares back, though a contract is at the address.
		assert_ok!(Settlement::reclaim_contract_hold(
			RuntimeOrigin::signed(alice.clone()),
			alice.clone(),
			contract.clone(),
			MOUTAI
		));
		assert_eq!(free(MOUTAI, &alice), shares);
	});
}
