//! `contracts/src/PledgedRepo.sol` (质押式回购) on the runtime: the opening leg, the closing
//! leg with its interest, a default and the lender's claim on the pledge, a side that is short.

use pallet_revive::{
	precompiles::alloy::{self, primitives::U256},
	H160,
};
use qingsuan_runtime::{
	genesis_config_presets::{CNY, MOUTAI},
	AccountId,
};
use sp_keyring::Sr25519Keyring::*;

use crate::{
	evm::{addr, advance, approve, call, deploy, free, held, logs, now, reason, refused},
	run, settled,
};

alloy::sol! {
	interface PledgedRepo {
		function propose(address borrower, address lender, uint32 security, uint128 collateral, uint32 cash, uint128 principal, uint32 rateBps, uint64 maturity, uint64 grace) external returns (uint256);
		function pledge(uint256 id) external;
		function fund(uint256 id) external;
		function cancel(uint256 id) external;
		function repayment(uint256 id) external view returns (uint128);
		function repay(uint256 id) external;
		function claimCollateral(uint256 id) external;

		event RepoOpened(uint256 indexed id, uint64 settlement, uint128 repayment);
		event RepoClosed(uint256 indexed id, uint64 settlement, uint128 interest);
		event RepoDefaulted(uint256 indexed id, uint64 settlement);
		event RepoCancelled(uint256 indexed id);

		error NotTheBroker();
		error UnknownRepo();
		error WrongStatus();
		error BadTerms();
		error TooEarly();
		error Matured();
	}
}
use PledgedRepo::*;

const REPO: &str = include_str!("../../../contracts/artifacts/PledgedRepo.json");
const DAY: u64 = 86_400;
/// 1,000 Moutai pledged for 1,000,000 yuan (in fen) at 2.50% a year, for 30 days.
const COLLATERAL: u128 = 1_000;
const PRINCIPAL: u128 = 100_000_000;
const RATE_BPS: u32 = 250;
const TERM_DAYS: u64 = 30;
const GRACE: u64 = DAY;
/// principal × 2.5% × 30 / 365, rounded up: 205,479.45… fen.
const INTEREST: u128 = 205_480;

/// The repo deployed and a proposal from Alice's broker: Alice borrows from Bob.
fn proposed() -> (H160, AccountId, U256) {
	let (repo, account) = deploy(REPO, vec![]);
	let id = call(Alice, repo, terms()).expect("proposes");
	(repo, account, id)
}

fn terms() -> proposeCall {
	proposeCall {
		borrower: addr(&Alice.to_account_id()),
		lender: addr(&Bob.to_account_id()),
		security: MOUTAI,
		collateral: COLLATERAL,
		cash: CNY,
		principal: PRINCIPAL,
		rateBps: RATE_BPS,
		maturity: now() + TERM_DAYS * DAY,
		grace: GRACE,
	}
}

/// Proposed, pledged and funded: the opening leg settled.
fn opened() -> (H160, AccountId, U256) {
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	let (repo, account, id) = proposed();
	approve(Alice, &alice, &account, MOUTAI, COLLATERAL);
	approve(Bob, &bob, &account, CNY, PRINCIPAL);
	call(Alice, repo, pledgeCall { id }).expect("pledges");
	call(Bob, repo, fundCall { id }).expect("funds: the opening leg settles");
	(repo, account, id)
}

#[test]
fn the_opening_leg_lends_against_the_pledge_and_the_closing_leg_repays_with_interest() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let (shares, cash) = ((free(MOUTAI, &alice), free(MOUTAI, &bob)), (free(CNY, &alice), free(CNY, &bob)));
		let (repo, account, id) = opened();

		// The principal went to the borrower; the pledge stays on its account, held.
		assert_eq!((free(CNY, &alice), free(CNY, &bob)), (cash.0 + PRINCIPAL, cash.1 - PRINCIPAL));
		assert_eq!(free(MOUTAI, &alice), shares.0 - COLLATERAL);
		assert_eq!(held(&account, MOUTAI, &alice), COLLATERAL);
		let opened = logs::<RepoOpened>(repo);
		assert_eq!(opened.len(), 1);
		assert_eq!(opened[0].repayment, PRINCIPAL + INTEREST);
		assert_eq!(call(Charlie, repo, repaymentCall { id }).expect("reads"), PRINCIPAL + INTEREST);

		// Ten days on the borrower repays: the interest was fixed at opening.
		advance(10 * DAY);
		assert!(refused(call(Bob, repo, repayCall { id })).is::<NotTheBroker>());
		assert!(refused(call(Bob, repo, claimCollateralCall { id })).is::<TooEarly>());
		// Its broker approved the repo for the collateral only: the repayment is refused.
		assert_eq!(reason(call(Alice, repo, repayCall { id })), "InsufficientAllowance");
		approve(Alice, &alice, &account, CNY, PRINCIPAL + INTEREST);
		call(Alice, repo, repayCall { id }).expect("repays");

		assert_eq!((free(CNY, &alice), free(CNY, &bob)), (cash.0 - INTEREST, cash.1 + INTEREST));
		assert_eq!((free(MOUTAI, &alice), free(MOUTAI, &bob)), shares);
		assert_eq!(held(&account, MOUTAI, &alice) + held(&account, CNY, &alice) + held(&account, CNY, &bob), 0);
		let closed = logs::<RepoClosed>(repo);
		assert_eq!(closed.len(), 1);
		assert_eq!(closed[0].interest, INTEREST);
		// Two settlements, the opening and the closing leg, each recorded.
		assert_eq!(settled().len(), 2);
		assert!(refused(call(Alice, repo, repayCall { id })).is::<WrongStatus>());
	});
}

#[test]
fn an_unrepaid_repo_defaults_and_the_lender_takes_the_pledge() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let shares = (free(MOUTAI, &alice), free(MOUTAI, &bob));
		let (repo, account, id) = opened();

		// Not before maturity plus the grace period; only the lender's broker.
		advance(TERM_DAYS * DAY + GRACE - 1);
		assert!(refused(call(Bob, repo, claimCollateralCall { id })).is::<TooEarly>());
		advance(1);
		assert!(refused(call(Alice, repo, claimCollateralCall { id })).is::<NotTheBroker>());
		call(Bob, repo, claimCollateralCall { id }).expect("claims the pledge");

		assert_eq!((free(MOUTAI, &alice), free(MOUTAI, &bob)), (shares.0 - COLLATERAL, shares.1 + COLLATERAL));
		assert_eq!(held(&account, MOUTAI, &alice), 0);
		assert_eq!(logs::<RepoDefaulted>(repo).len(), 1);
		assert!(refused(call(Alice, repo, repayCall { id })).is::<WrongStatus>());
	});
}

#[test]
fn an_unfunded_repo_is_cancelled_and_its_pledge_released() {
	run(|| {
		let alice = Alice.to_account_id();
		let shares = free(MOUTAI, &alice);
		let (repo, account, id) = proposed();

		// Terms that make no sense; a proposer that is neither party's broker; an unknown repo.
		let mut bad = terms();
		bad.lender = bad.borrower;
		assert!(refused(call(Alice, repo, bad)).is::<BadTerms>());
		assert!(refused(call(Charlie, repo, terms())).is::<NotTheBroker>());
		assert!(refused(call(Alice, repo, pledgeCall { id: id + U256::from(1) })).is::<UnknownRepo>());

		approve(Alice, &alice, &account, MOUTAI, COLLATERAL);
		call(Alice, repo, pledgeCall { id }).expect("pledges");
		assert!(refused(call(Alice, repo, pledgeCall { id })).is::<NotTheBroker>());
		// The lender's broker has not approved the repo for the principal: short, nothing moves.
		let lender_cash = free(CNY, &Bob.to_account_id());
		assert_eq!(reason(call(Bob, repo, fundCall { id })), "InsufficientAllowance");
		assert_eq!(free(CNY, &Bob.to_account_id()), lender_cash);
		assert!(refused(call(Alice, repo, repayCall { id })).is::<WrongStatus>());

		call(Bob, repo, cancelCall { id }).expect("cancels");
		assert_eq!(free(MOUTAI, &alice), shares);
		assert_eq!(held(&account, MOUTAI, &alice), 0);
		assert_eq!(logs::<RepoCancelled>(repo).len(), 1);
		assert!(refused(call(Bob, repo, fundCall { id })).is::<WrongStatus>());
		assert!(settled().is_empty());
	});
}

#[test]
fn a_repo_not_opened_by_its_maturity_cannot_open() {
	run(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let cash = free(CNY, &alice);
		let (repo, account, id) = proposed();
		approve(Alice, &alice, &account, MOUTAI, COLLATERAL);
		approve(Bob, &bob, &account, CNY, PRINCIPAL);
		call(Alice, repo, pledgeCall { id }).expect("pledges");

		// The lender's broker waits past maturity and grace: funding now would open a repo the
		// lender could claim at once. Refused; the borrower's broker cancels and gets the pledge
		// back.
		advance(TERM_DAYS * DAY + GRACE);
		assert!(refused(call(Bob, repo, fundCall { id })).is::<Matured>());
		assert_eq!(free(CNY, &alice), cash);
		assert!(refused(call(Bob, repo, claimCollateralCall { id })).is::<WrongStatus>());
		call(Alice, repo, cancelCall { id }).expect("cancels");
		assert_eq!(held(&account, MOUTAI, &alice), 0);

		// Nor does a late pledge meet an early funding.
		let id = call(Alice, repo, terms()).expect("proposes");
		call(Bob, repo, fundCall { id }).expect("funds");
		advance(TERM_DAYS * DAY);
		assert!(refused(call(Alice, repo, pledgeCall { id })).is::<Matured>());
		assert!(settled().is_empty());
	});
}

#[test]
fn terms_whose_repayment_would_not_fit_are_refused() {
	run(|| {
		let (repo, _, _) = proposed();
		let mut huge = terms();
		huge.principal = u128::MAX / 2;
		huge.rateBps = u32::MAX;
		assert!(refused(call(Alice, repo, huge)).is::<BadTerms>());
	});
}
