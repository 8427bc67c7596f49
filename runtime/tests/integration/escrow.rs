//! `contracts/src/DvpEscrow.sol` on the runtime: a deal that settles, a deadline that passes,
//! a side that is short, a party the compliance rules refuse until it is attested.

use pallet_compliance::{AmlResult, RiskCategory, Statement};
use pallet_revive::{precompiles::alloy, H160};
use qingsuan_runtime::{
	genesis_config_presets::{CNY, MOUTAI},
	AccountId, Runtime,
};
use sp_keyring::Sr25519Keyring::*;

use crate::{
	compliance_property::{register_attestor, submit},
	evm::{addr, advance, approve, call, deploy, free, give_cash, held, logs, now, open_investor, reason, refused},
	run, settled,
};

alloy::sol! {
	interface DvpEscrow {
		function open(address seller, address buyer, uint32 security, uint128 quantity, uint32 cash, uint128 amount, uint64 deadline) external returns (uint256);
		function deposit(uint256 id) external;
		function settle(uint256 id) external;
		function refund(uint256 id) external;
		function withdraw(uint256 id) external;
		function deals(uint256 id) external view returns (address seller, address buyer, uint32 security, uint32 cash, uint128 quantity, uint128 amount, uint64 deadline, bool sellerIn, bool buyerIn, uint8 status);

		event DealOpened(uint256 indexed id, address indexed seller, address indexed buyer, uint64 deadline);
		event Deposited(uint256 indexed id, address indexed party);
		event DealSettled(uint256 indexed id, uint64 settlement);
		event SettlementRefused(uint256 indexed id, string reason);
		event DealRefunded(uint256 indexed id);
		event Withdrawn(uint256 indexed id, address indexed party);

		error NotAPartysBroker();
		error UnknownDeal();
		error DealClosed();
		error DeadlinePassed();
		error DeadlineNotReached();
		error NothingToDeposit();
		error NothingToWithdraw();
		error BadTerms();
	}
}
use DvpEscrow::*;

const ESCROW: &str = include_str!("../../../contracts/artifacts/DvpEscrow.json");
/// 100 Moutai at the reference price, 1,500 yuan a share (in fen).
const QUANTITY: u128 = 100;
const AMOUNT: u128 = QUANTITY * 150_000;
const HOUR: u64 = 3_600;
/// The deal's status: open, settled, refunded.
const OPEN: u8 = 1;
const SETTLED: u8 = 2;
const REFUNDED: u8 = 3;

/// The escrow, deployed, with the seller's broker having approved it for the seller's side.
fn escrow(seller: &AccountId, seller_broker: sp_keyring::Sr25519Keyring) -> (H160, AccountId) {
	let (escrow, account) = deploy(ESCROW, vec![]);
	approve(seller_broker, seller, &account, MOUTAI, QUANTITY);
	(escrow, account)
}

/// The terms of a deal: `seller` delivers 100 Moutai to `buyer` for `amount`, within an hour.
fn terms(seller: &AccountId, buyer: &AccountId, amount: u128) -> openCall {
	openCall {
		seller: addr(seller),
		buyer: addr(buyer),
		security: MOUTAI,
		quantity: QUANTITY,
		cash: CNY,
		amount,
		deadline: now() + HOUR,
	}
}

/// Alice's broker opens a deal: `seller` delivers 100 Moutai to `buyer` for 150,000 yuan, within
/// an hour.
fn open(escrow: H160, seller: &AccountId, buyer: &AccountId) -> alloy::primitives::U256 {
	call(Alice, escrow, terms(seller, buyer, AMOUNT)).expect("opens")
}

fn status(escrow: H160, id: alloy::primitives::U256) -> u8 {
	call(Charlie, escrow, dealsCall { id }).expect("reads").status
}

#[test]
fn both_sides_in_the_deal_settles_at_once() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (escrow, account) = escrow(&alice, Alice);
		approve(Bob, &bob, &account, CNY, AMOUNT);
		let before = [free(MOUTAI, &alice), free(MOUTAI, &bob), free(CNY, &alice), free(CNY, &bob)];

		// Only a party's broker opens; the terms must make sense.
		let mut terms = terms(&alice, &bob, AMOUNT);
		assert!(refused(call(Charlie, escrow, terms.clone())).is::<NotAPartysBroker>());
		terms.deadline = now();
		assert!(refused(call(Alice, escrow, terms.clone())).is::<DeadlinePassed>());
		terms.deadline = now() + HOUR;
		terms.quantity = 0;
		assert!(refused(call(Alice, escrow, terms)).is::<BadTerms>());

		let id = open(escrow, &alice, &bob);
		assert_eq!(logs::<DealOpened>(escrow).len(), 1);
		assert!(
			refused(call(Alice, escrow, depositCall { id: id + alloy::primitives::U256::from(1) })).is::<UnknownDeal>()
		);
		// Charlie is neither party's broker.
		assert!(refused(call(Charlie, escrow, depositCall { id })).is::<NothingToDeposit>());

		call(Alice, escrow, depositCall { id }).expect("the seller's side is in");
		assert_eq!(held(&account, MOUTAI, &alice), QUANTITY);
		assert_eq!(free(MOUTAI, &alice), before[0] - QUANTITY);
		assert!(refused(call(Alice, escrow, depositCall { id })).is::<NothingToDeposit>());
		call(Bob, escrow, depositCall { id }).expect("the buyer's side is in, and it settles");

		assert_eq!(
			[free(MOUTAI, &alice), free(MOUTAI, &bob), free(CNY, &alice), free(CNY, &bob)],
			[before[0] - QUANTITY, before[1] + QUANTITY, before[2] + AMOUNT, before[3] - AMOUNT]
		);
		assert_eq!(held(&account, MOUTAI, &alice) + held(&account, CNY, &bob), 0);
		assert_eq!(status(escrow, id), SETTLED);
		let done = logs::<DealSettled>(escrow);
		assert_eq!(done.len(), 1);
		let (record, _) = settled().last().cloned().expect("a settlement record");
		assert_eq!(done[0].settlement, record);
		assert_eq!(logs::<Deposited>(escrow).len(), 2);
		// Settled is final: no second settlement, no refund.
		assert!(refused(call(Alice, escrow, settleCall { id })).is::<DealClosed>());
		advance(HOUR);
		assert!(refused(call(Alice, escrow, refundCall { id })).is::<DealClosed>());
	});
}

#[test]
fn at_the_deadline_an_unsettled_deal_is_refunded() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (escrow, account) = escrow(&alice, Alice);
		let shares = free(MOUTAI, &alice);
		let id = open(escrow, &alice, &bob);
		call(Alice, escrow, depositCall { id }).expect("the seller's side is in");

		// Before the deadline nobody can take it back.
		assert!(refused(call(Charlie, escrow, refundCall { id })).is::<DeadlineNotReached>());
		advance(HOUR);
		// The buyer is too late.
		approve(Bob, &bob, &account, CNY, AMOUNT);
		assert!(refused(call(Bob, escrow, depositCall { id })).is::<DeadlinePassed>());
		// Anyone may refund: what was deposited is released.
		call(Charlie, escrow, refundCall { id }).expect("refunds");
		assert_eq!(free(MOUTAI, &alice), shares);
		assert_eq!(held(&account, MOUTAI, &alice), 0);
		assert_eq!(status(escrow, id), REFUNDED);
		assert_eq!(logs::<DealRefunded>(escrow).len(), 1);
		assert!(refused(call(Charlie, escrow, refundCall { id })).is::<DealClosed>());
	});
}

#[test]
fn a_side_that_is_short_is_refused_and_changes_nothing() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (escrow, account) = escrow(&alice, Alice);
		// The price is a yuan more than all Bob's cash.
		let price = free(CNY, &bob) + 100;
		let id = call(Alice, escrow, terms(&alice, &bob, price)).expect("opens");
		call(Alice, escrow, depositCall { id }).expect("the seller's side is in");

		// The buyer's broker has not approved the escrow for the cash.
		assert_eq!(reason(call(Bob, escrow, depositCall { id })), "InsufficientAllowance");
		// Approved for it, but Bob's free cash is short: the ledger refuses, and the deposit
		// reverts whole.
		approve(Bob, &bob, &account, CNY, price);
		assert_eq!(reason(call(Bob, escrow, depositCall { id })), "InsufficientBalance");
		assert_eq!(held(&account, CNY, &bob), 0);
		assert_eq!(pallet_settlement::ContractAllowances::<Runtime>::get((&bob, &account, CNY)), price);
		let deal = call(Charlie, escrow, dealsCall { id }).expect("reads");
		assert!(deal.sellerIn && !deal.buyerIn);
		assert_eq!(deal.status, OPEN);
		// At the deadline the seller gets its side back.
		advance(HOUR);
		call(Alice, escrow, refundCall { id }).expect("refunds");
		assert_eq!(held(&account, MOUTAI, &alice), 0);
	});
}

#[test]
fn a_party_the_rules_refuse_settles_once_attested() {
	run(|| {
		let alice = Alice.to_account_id();
		// The buyer is an investor of Bob's with cash and no claims.
		let investor = open_investor(Bob, [0x51; 32]);
		give_cash(Bob, &investor, CNY, AMOUNT);
		let (escrow, account) = escrow(&alice, Alice);
		approve(Bob, &investor, &account, CNY, AMOUNT);
		let id = open(escrow, &alice, &investor);
		call(Alice, escrow, depositCall { id }).expect("the seller's side is in");
		call(Bob, escrow, depositCall { id }).expect("the buyer's side is in; settlement is refused");

		let refusals = logs::<SettlementRefused>(escrow);
		assert_eq!(refusals.len(), 1);
		assert_eq!(refusals[0].reason, "MissingClaim");
		assert_eq!(status(escrow, id), OPEN);
		assert_eq!((held(&account, MOUTAI, &alice), held(&account, CNY, &investor)), (QUANTITY, AMOUNT));
		assert_eq!(free(MOUTAI, &investor), 0);

		// An attestor finds the investor suitable for Moutai (R3); the deal settles.
		register_attestor();
		let mut nonce = 0;
		for statement in [Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(RiskCategory::C4)] {
			submit(&investor, statement, 30, &mut nonce).expect("a valid claim");
		}
		call(Charlie, escrow, settleCall { id }).expect("settles");
		assert_eq!(status(escrow, id), SETTLED);
		assert_eq!((free(MOUTAI, &investor), free(CNY, &investor)), (QUANTITY, 0));
		assert_eq!(held(&account, MOUTAI, &alice) + held(&account, CNY, &investor), 0);
	});
}

#[test]
fn a_side_that_is_in_takes_its_deposit_back_until_the_deal_settles() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (escrow, account) = escrow(&alice, Alice);
		let shares = free(MOUTAI, &alice);
		// A deadline a year away: the seller need not wait for it.
		let mut far = terms(&alice, &bob, AMOUNT);
		far.deadline = now() + 365 * 24 * HOUR;
		let id = call(Alice, escrow, far).expect("opens");
		assert!(refused(call(Alice, escrow, withdrawCall { id })).is::<NothingToWithdraw>());
		call(Alice, escrow, depositCall { id }).expect("the seller's side is in");

		// Only the seller's broker takes the seller's side back.
		assert!(refused(call(Bob, escrow, withdrawCall { id })).is::<NothingToWithdraw>());
		assert!(refused(call(Charlie, escrow, withdrawCall { id })).is::<NothingToWithdraw>());
		call(Alice, escrow, withdrawCall { id }).expect("withdraws");
		assert_eq!((free(MOUTAI, &alice), held(&account, MOUTAI, &alice)), (shares, 0));
		assert_eq!(logs::<Withdrawn>(escrow).len(), 1);
		let deal = call(Charlie, escrow, dealsCall { id }).expect("reads");
		assert!(!deal.sellerIn && deal.status == OPEN);

		// The deal is still open: deposited again (the approval was spent by the first hold)
		// and met by the buyer, it settles, and nothing is left to withdraw.
		approve(Alice, &alice, &account, MOUTAI, QUANTITY);
		approve(Bob, &bob, &account, CNY, AMOUNT);
		call(Alice, escrow, depositCall { id }).expect("the seller's side is in again");
		call(Bob, escrow, depositCall { id }).expect("the buyer's side is in, and it settles");
		assert_eq!(status(escrow, id), SETTLED);
		assert_eq!(free(MOUTAI, &alice), shares - QUANTITY);
		assert!(refused(call(Alice, escrow, withdrawCall { id })).is::<DealClosed>());
	});
}
