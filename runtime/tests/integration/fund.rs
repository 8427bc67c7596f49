//! `contracts/src/FundSubscription.sol` on the runtime: an investor subscribes to and redeems a
//! fund at its published NAV, T+0; a stale NAV, a NAV outside the band, an unsuitable investor
//! and the wrong broker are refused.

use frame_support::assert_ok;
use pallet_compliance::{AmlResult, Board, RiskCategory, RiskLevel, Statement};
use pallet_orderbook::SelfTradePrevention;
use pallet_revive::{
	precompiles::alloy::{self, sol_types::SolConstructor},
	H160,
};
use qingsuan_runtime::{genesis_config_presets::CNY, AccountId, RuntimeCall, RuntimeOrigin};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::Percent;

use crate::{
	compliance_property::{register_attestor, root, submit},
	evm::{addr, advance, approve, call, deploy, free, give_cash, held, logs, open_investor, reason, refused},
	run, settled,
};

alloy::sol! {
	contract FundSubscription {
		constructor(address manager_, uint32 units_, uint32 cash_, uint64 maxNavAge_, uint128 minSubscription_);
		function publishNav(uint128 nav_) external;
		function subscribe(address investor, uint128 amount, uint128 maxNav) external returns (uint128 issued);
		function redeem(address investor, uint128 quantity, uint128 minNav) external returns (uint128 paid);

		event Subscribed(address indexed investor, uint128 cash, uint128 units, uint64 settlement);
		event Redeemed(address indexed investor, uint128 units, uint128 cash, uint64 settlement);

		error NotTheManager();
		error NotTheInvestorsBroker();
		error StaleNav();
		error BelowMinimum();
		error ZeroUnits();
		error NavBeyondLimit(uint128 nav);
	}
}
use FundSubscription::*;

const FUND_ARTIFACT: &str = include_str!("../../../contracts/artifacts/FundSubscription.json");
/// The fund's units, a security the consortium lists for the test.
const FUND: u32 = 77;
/// Its NAV: 100.00 yuan a unit, in fen; the market's reference price.
const NAV: u128 = 10_000;
const DAY: u64 = 86_400;
/// Units the manager keeps in inventory.
const INVENTORY: u128 = 1_000_000;
const MIN_SUBSCRIPTION: u128 = 100_000;

/// List the fund (an R2 product with a CNY market, its band 10% either side of the NAV), issue
/// the manager (Bob's own account) its inventory, deploy the contract and have Bob approve it
/// for the units and the cash it pays out, and publish the NAV.
fn fund() -> (H160, AccountId) {
	let bob = Bob.to_account_id();
	root(RuntimeCall::Ledger(pallet_ledger::Call::create_security {
		asset: FUND,
		code: b"519999".to_vec().try_into().expect("fits"),
		isin: *b"CNE100009990",
		name: "清算货币基金".as_bytes().to_vec().try_into().expect("fits"),
		lot_size: 1,
		tick_size: 1,
	}));
	root(RuntimeCall::Compliance(pallet_compliance::Call::set_product {
		asset: FUND,
		level: RiskLevel::R2,
		board: Board::Main,
	}));
	root(RuntimeCall::Orderbook(pallet_orderbook::Call::create_market {
		security: FUND,
		cash: CNY,
		tick: 1,
		lot: 1,
		reference_price: NAV as u64,
		band: Percent::from_percent(10),
		stp: SelfTradePrevention::CancelNewest,
	}));
	root(RuntimeCall::Ledger(pallet_ledger::Call::issue { asset: FUND, to: bob.clone(), amount: INVENTORY }));
	let args = constructorCall {
		manager_: addr(&bob),
		units_: FUND,
		cash_: CNY,
		maxNavAge_: DAY,
		minSubscription_: MIN_SUBSCRIPTION,
	}
	.abi_encode();
	let (fund, account) = deploy(FUND_ARTIFACT, args);
	approve(Bob, &bob, &account, FUND, INVENTORY);
	approve(Bob, &bob, &account, CNY, u128::MAX);
	(fund, account)
}

/// An investor of Alice's with 10,000 yuan, found suitable (`risk`) by an attestor, and Alice's
/// approval of the contract for its cash and units.
fn investor(tag: u8, risk: RiskCategory, contract: &AccountId, nonce: &mut u64) -> AccountId {
	let investor = open_investor(Alice, [tag; 32]);
	give_cash(Alice, &investor, CNY, 1_000_000);
	for statement in [Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(risk)] {
		submit(&investor, statement, 30, nonce).expect("a valid claim");
	}
	approve(Alice, &investor, contract, CNY, 1_000_000);
	approve(Alice, &investor, contract, FUND, u128::MAX);
	investor
}

#[test]
fn an_investor_subscribes_and_redeems_at_the_published_nav() {
	run(|| {
		let bob = Bob.to_account_id();
		let (fund, account) = fund();
		register_attestor();
		let mut nonce = 0;
		let investor = investor(0x61, RiskCategory::C3, &account, &mut nonce);

		// No NAV yet; only the manager's broker publishes one.
		assert!(refused(call(
			Alice,
			fund,
			subscribeCall { investor: addr(&investor), amount: 500_050, maxNav: NAV * 12 / 10 }
		))
		.is::<StaleNav>());
		assert!(refused(call(Alice, fund, publishNavCall { nav_: NAV })).is::<NotTheManager>());
		call(Bob, fund, publishNavCall { nav_: NAV }).expect("publishes");

		// Below the minimum; the wrong broker.
		let small = subscribeCall { investor: addr(&investor), amount: MIN_SUBSCRIPTION - 1, maxNav: NAV * 12 / 10 };
		assert!(refused(call(Alice, fund, small)).is::<BelowMinimum>());
		let by_bob = subscribeCall { investor: addr(&investor), amount: 500_050, maxNav: NAV * 12 / 10 };
		assert!(refused(call(Bob, fund, by_bob)).is::<NotTheInvestorsBroker>());

		// 5,000.50 yuan buys 50 units; the 50 fen left over stay with the investor.
		let cash = (free(CNY, &investor), free(CNY, &bob));
		let issued =
			call(Alice, fund, subscribeCall { investor: addr(&investor), amount: 500_050, maxNav: NAV * 12 / 10 })
				.expect("subscribes");
		assert_eq!(issued, 50);
		assert_eq!(free(FUND, &investor), 50);
		assert_eq!((free(CNY, &investor), free(CNY, &bob)), (cash.0 - 500_000, cash.1 + 500_000));
		let subscribed = logs::<Subscribed>(fund);
		assert_eq!((subscribed[0].cash, subscribed[0].units), (500_000, 50));

		// The manager's broker publishes a NAV a cent above the client's limit before its next
		// subscription: refused, with the NAV; and a redemption below its limit.
		call(Bob, fund, publishNavCall { nav_: NAV + 1 }).expect("publishes");
		let limited = subscribeCall { investor: addr(&investor), amount: 500_050, maxNav: NAV };
		assert_eq!(
			refused(call(Alice, fund, limited)).decode::<NavBeyondLimit>().expect("the contract's error").nav,
			NAV + 1
		);
		call(Bob, fund, publishNavCall { nav_: NAV - 1 }).expect("publishes");
		let limited = redeemCall { investor: addr(&investor), quantity: 20, minNav: NAV };
		assert!(refused(call(Alice, fund, limited)).is::<NavBeyondLimit>());
		assert_eq!(free(FUND, &investor), 50);
		call(Bob, fund, publishNavCall { nav_: NAV }).expect("publishes");

		// Redeem 20 units at the NAV.
		let paid =
			call(Alice, fund, redeemCall { investor: addr(&investor), quantity: 20, minNav: NAV }).expect("redeems");
		assert_eq!(paid, 200_000);
		assert_eq!(free(FUND, &investor), 30);
		assert_eq!(free(CNY, &investor), cash.0 - 300_000);
		assert_eq!(logs::<Redeemed>(fund).len(), 1);
		assert!(refused(call(Alice, fund, redeemCall { investor: addr(&investor), quantity: 0, minNav: NAV }))
			.is::<ZeroUnits>());
		// Each is a settlement of the contract's, recorded.
		assert_eq!(settled().len(), 2);
		assert_eq!(held(&account, CNY, &investor) + held(&account, FUND, &bob), 0);

		// A day on, the NAV is stale.
		advance(DAY + 1);
		assert!(refused(call(Alice, fund, redeemCall { investor: addr(&investor), quantity: 1, minNav: NAV }))
			.is::<StaleNav>());
	});
}

#[test]
fn the_chain_refuses_an_unsuitable_investor_and_a_nav_outside_the_band() {
	run(|| {
		let (fund, account) = fund();
		register_attestor();
		let mut nonce = 0;
		// A conservative investor (C1) may not buy an R2 product.
		let cautious = investor(0x62, RiskCategory::C1, &account, &mut nonce);
		call(Bob, fund, publishNavCall { nav_: NAV }).expect("publishes");
		let cash = free(CNY, &cautious);
		let subscribe = subscribeCall { investor: addr(&cautious), amount: 500_000, maxNav: NAV * 12 / 10 };
		assert_eq!(reason(call(Alice, fund, subscribe.clone())), "NotSuitable");
		// The whole subscription reverted: nothing held, nothing moved.
		assert_eq!(free(CNY, &cautious), cash);
		assert_eq!(held(&account, CNY, &cautious) + held(&account, FUND, &Bob.to_account_id()), 0);

		// A NAV 20% above the market's reference is outside its band.
		let suitable = investor(0x63, RiskCategory::C3, &account, &mut nonce);
		call(Bob, fund, publishNavCall { nav_: NAV * 12 / 10 }).expect("publishes");
		let subscribe = subscribeCall { investor: addr(&suitable), amount: 500_000, maxNav: NAV * 12 / 10 };
		assert_eq!(reason(call(Alice, fund, subscribe)), "PriceOutsideBand");
		assert_eq!(free(FUND, &suitable), 0);

		// A frozen investor has no broker acting for it (`brokerOf` is zero), and could not be
		// held if it had.
		call(Bob, fund, publishNavCall { nav_: NAV }).expect("publishes");
		assert_ok!(qingsuan_runtime::Investors::freeze(
			RuntimeOrigin::signed(Ferdie.to_account_id()),
			suitable.clone()
		));
		let subscribe = subscribeCall { investor: addr(&suitable), amount: 500_000, maxNav: NAV * 12 / 10 };
		assert!(refused(call(Alice, fund, subscribe)).is::<NotTheInvestorsBroker>());
		assert_eq!(free(CNY, &suitable), 1_000_000);
	});
}
