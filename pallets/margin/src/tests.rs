//! Tests of the margin pallet against the real ledger, settlement and order book: every call's
//! origin, errors and success; the ratio against hand-computed cases; repayment through fills;
//! interest; a property test of conservation. Every scenario ends with every pallet's
//! invariants.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::tokens::fungibles::{Inspect, InspectHold, Mutate},
};
use qingsuan_margin_math::{daily_interest, Bps, Ppm};
use qingsuan_matching_engine::TimeInForce;
use sp_runtime::DispatchError;

const DAY: u64 = 86_400;
/// One yuan in fen.
const YUAN: u128 = 100;
/// 6% a year.
const RATE: u32 = 60_000;

/// 8% a year on borrowed shares' sale value.
const SHORT_RATE: u32 = 80_000;

fn gtc(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

fn ioc(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Ioc, post_only: false }
}

fn alice() -> RuntimeOrigin {
	RuntimeOrigin::signed(ALICE)
}

fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::signed(CONSORTIUM)
}

fn cny(who: u64) -> u128 {
	Ledger::total_balance(CNY, &who)
}

fn pool() -> u64 {
	Margin::financing_pool(&ALICE)
}

/// Moutai and Ping An as collateral: an A share at 65%, an index constituent at 70%.
fn list_collateral() {
	let share = Conversion { category: Category::Share, rate: 650_000 };
	let constituent = Conversion { category: Category::IndexConstituent, rate: 700_000 };
	assert_ok!(Margin::set_conversion(consortium(), MOUTAI, Some(share)));
	assert_ok!(Margin::set_conversion(consortium(), PINGAN, Some(constituent)));
}

/// Ann's credit account, with a line of `line` yuan at 6% for 180 days; Alice's pool holds 10
/// million yuan; Ann's own account holds `cash` yuan and 10,000 Moutai.
fn open_ann(line: u128, cash: u128) -> u64 {
	list_collateral();
	assert_ok!(Margin::fund_pool(alice(), CNY, 10_000_000 * YUAN));
	assert_ok!(<Ledger as Mutate<u64>>::transfer(
		CNY,
		&ALICE,
		&ANN,
		cash * YUAN,
		frame_support::traits::tokens::Preservation::Expendable
	));
	assert_ok!(Ledger::mint_into(MOUTAI, &ANN, 10_000));
	assert_ok!(Margin::open_credit(alice(), ANN, CNY, line * YUAN, RATE, SHORT_RATE, 180));
	qingsuan_primitives::investors::mock::CREDIT_OFFSET + ANN
}

/// Bob offers `quantity` Moutai at `price` from his own account.
fn bob_sells(quantity: u64, price: u64) {
	assert_ok!(Orderbook::place_order(RuntimeOrigin::signed(BOB), MOUTAI_MKT, Side::Sell, quantity, gtc(price), None));
}

/// Bob bids for `quantity` Moutai at `price`.
fn bob_buys(quantity: u64, price: u64) {
	assert_ok!(Orderbook::place_order(RuntimeOrigin::signed(BOB), MOUTAI_MKT, Side::Buy, quantity, gtc(price), None));
}

fn info(credit: u64) -> CreditOf<Test> {
	Credit::<Test>::get(credit).expect("an open credit account")
}

/// `credit`'s financing contract of `security`, if it owes anything on it.
fn financing(credit: u64, security: u32) -> Option<Financing> {
	Some(info(credit).financing(security)).filter(|f| f.amount > 0)
}

fn advance_days(days: u64) {
	NowSecs::mutate(|t| *t += days * DAY);
}

/// Start `n` blocks, each with the risk engine's work (marks, dirty accounts, triggers, pass).
fn run_blocks(n: u64) {
	use frame_support::traits::Hooks;
	for _ in 0..n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Margin::on_initialize(next);
	}
}

mod parameters {
	use super::*;

	#[test]
	fn the_consortium_sets_valid_parameters() {
		run_test(|| {
			let p = Parameters::default();
			assert_eq!(MarginParameters::<Test>::get(), p);
			assert_noop!(Margin::set_parameters(alice(), p), DispatchError::BadOrigin);
			let unordered = Parameters { call: 16_000, ..p };
			assert_noop!(Margin::set_parameters(consortium(), unordered), Error::<Test>::InvalidParameters);
			for low in [Parameters { financing_margin: 999_999, ..p }, Parameters { short_margin: 499_999, ..p }] {
				assert_noop!(Margin::set_parameters(consortium(), low), Error::<Test>::InvalidParameters);
			}
			let below_par = Parameters { instant: 10_000, ..p };
			assert_noop!(Margin::set_parameters(consortium(), below_par), Error::<Test>::InvalidParameters);
			let stricter = Parameters { withdrawal: 35_000, financing_margin: 1_200_000, ..p };
			assert_ok!(Margin::set_parameters(consortium(), stricter));
			System::assert_last_event(Event::ParametersSet { parameters: stricter }.into());
		});
	}

	#[test]
	fn conversion_rates_stay_within_their_categorys_ceiling() {
		run_test(|| {
			let at = |category, rate| Some(Conversion { category, rate });
			assert_noop!(Margin::set_conversion(alice(), MOUTAI, at(Category::Share, 1)), DispatchError::BadOrigin);
			assert_noop!(
				Margin::set_conversion(consortium(), CNY, at(Category::Share, 1)),
				Error::<Test>::NotASecurity
			);
			for (category, cap) in [
				(Category::IndexConstituent, 700_000),
				(Category::Share, 650_000),
				(Category::Etf, 900_000),
				(Category::MoneyMarketOrTreasury, 950_000),
				(Category::OtherFundOrBond, 800_000),
				(Category::Restricted, 0),
			] {
				assert_noop!(
					Margin::set_conversion(consortium(), MOUTAI, at(category, cap + 1)),
					Error::<Test>::AboveCap
				);
				assert_ok!(Margin::set_conversion(consortium(), MOUTAI, at(category, cap)));
			}
			assert_ok!(Margin::set_conversion(consortium(), MOUTAI, None));
			assert_eq!(Conversions::<Test>::get(MOUTAI), None);
			System::assert_last_event(Event::ConversionSet { security: MOUTAI, conversion: None }.into());
		});
	}
}

mod accounts {
	use super::*;

	#[test]
	fn a_broker_opens_a_credit_account_for_its_approved_investor() {
		run_test(|| {
			let open =
				|origin, owner, cash, term| Margin::open_credit(origin, owner, cash, 1_000, RATE, SHORT_RATE, term);
			assert_noop!(open(RuntimeOrigin::signed(OUTSIDER), ANN, CNY, 180), DispatchError::BadOrigin);
			assert_noop!(open(RuntimeOrigin::signed(BOB), ANN, CNY, 180), Error::<Test>::NotYourAccount);
			assert_noop!(open(alice(), OUTSIDER, CNY, 180), Error::<Test>::NotYourAccount);
			assert_noop!(open(alice(), AMY, CNY, 180), Error::<Test>::NotApproved);
			assert_noop!(open(alice(), ANN, CNY, 0), Error::<Test>::InvalidTerm);
			assert_noop!(open(alice(), ANN, CNY, 184), Error::<Test>::InvalidTerm);
			assert_noop!(open(alice(), ANN, MOUTAI, 180), Error::<Test>::WrongCash);
			assert_ok!(open(alice(), ANN, CNY, 183));
			let credit = qingsuan_primitives::investors::mock::CREDIT_OFFSET + ANN;
			let today = Settlement::today();
			let contract = Contract {
				cash: CNY,
				line: 1_000,
				rate: RATE,
				short_rate: SHORT_RATE,
				opened: today,
				expires: today + 183,
			};
			System::assert_last_event(Event::CreditOpened { credit, owner: ANN, broker: ALICE, contract }.into());
			assert_eq!((info(credit).owner, info(credit).debt, info(credit).contract), (ANN, 0, contract));
			// One per investor, and none for the credit account itself.
			assert!(open(alice(), ANN, CNY, 180).is_err());
			assert_noop!(open(alice(), credit, CNY, 180), Error::<Test>::NotApproved);
		});
	}

	#[test]
	fn a_contract_is_renewed_before_it_expires_while_its_owner_is_approved() {
		run_test(|| {
			let credit = open_ann(1_000, 0);
			assert_noop!(Margin::renew_credit(RuntimeOrigin::signed(BOB), credit, 90), Error::<Test>::NotYourAccount);
			assert_noop!(Margin::renew_credit(alice(), ANN, 90), Error::<Test>::UnknownCredit);
			assert_noop!(Margin::renew_credit(alice(), credit, 184), Error::<Test>::InvalidTerm);
			advance_days(100);
			assert_ok!(Margin::renew_credit(alice(), credit, 183));
			let today = Settlement::today();
			System::assert_last_event(Event::CreditRenewed { credit, expires: today + 183 }.into());
			assert_eq!(info(credit).contract.opened, today);
			Approved::set(vec![]);
			assert_noop!(Margin::renew_credit(alice(), credit, 183), Error::<Test>::NotApproved);
			Approved::set(vec![ANN]);
			advance_days(183);
			assert_noop!(Margin::renew_credit(alice(), credit, 183), Error::<Test>::ContractExpired);
		});
	}

	#[test]
	fn the_financing_pool_is_funded_and_withdrawn_by_its_broker() {
		run_test(|| {
			assert_noop!(Margin::fund_pool(RuntimeOrigin::signed(OUTSIDER), CNY, 1), DispatchError::BadOrigin);
			assert_noop!(Margin::fund_pool(alice(), CNY, 0), Error::<Test>::ZeroAmount);
			assert_noop!(Margin::fund_pool(alice(), MOUTAI, 1), Error::<Test>::WrongCash);
			assert_noop!(Margin::fund_pool(alice(), CNY, START_CASH + 1), Error::<Test>::InsufficientBalance);
			assert_ok!(Margin::fund_pool(alice(), CNY, 500));
			System::assert_last_event(Event::PoolFunded { broker: ALICE, cash: CNY, amount: 500 }.into());
			assert_eq!((cny(pool()), cny(ALICE)), (500, START_CASH - 500));
			assert_noop!(Margin::withdraw_pool(alice(), CNY, 0), Error::<Test>::ZeroAmount);
			assert_noop!(Margin::withdraw_pool(alice(), CNY, 501), Error::<Test>::PoolShort);
			assert_noop!(Margin::withdraw_pool(RuntimeOrigin::signed(BOB), CNY, 1), Error::<Test>::PoolShort);
			assert_ok!(Margin::withdraw_pool(alice(), CNY, 200));
			System::assert_last_event(Event::PoolWithdrawn { broker: ALICE, cash: CNY, amount: 200 }.into());
			assert_eq!(cny(pool()), 300);
		});
	}

	#[test]
	fn collateral_comes_in_from_the_owner_and_goes_back_while_nothing_is_owed() {
		run_test(|| {
			let credit = open_ann(1_000_000, 100_000);
			let deposit = |asset, amount| Margin::deposit_collateral(alice(), credit, asset, amount);
			assert_noop!(
				Margin::deposit_collateral(RuntimeOrigin::signed(BOB), credit, CNY, 1),
				Error::<Test>::NotYourAccount
			);
			assert_noop!(deposit(CNY, 0), Error::<Test>::ZeroAmount);
			assert_noop!(deposit(NOMARKET, 1), Error::<Test>::NotCollateral);
			assert_noop!(deposit(MOUTAI, 10_001), Error::<Test>::InsufficientBalance);
			assert_ok!(deposit(CNY, 50_000 * YUAN));
			assert_ok!(deposit(MOUTAI, 1_000));
			System::assert_last_event(Event::CollateralDeposited { credit, asset: MOUTAI, amount: 1_000 }.into());
			assert_eq!((cny(credit), Ledger::balance(MOUTAI, &credit)), (50_000 * YUAN, 1_000));
			assert_eq!(info(credit).positions.iter().map(|p| p.security).collect::<Vec<_>>(), vec![MOUTAI]);
			// Positions are bounded (two in the mock).
			assert_ok!(Ledger::mint_into(PINGAN, &ANN, 100));
			assert_ok!(deposit(PINGAN, 100));
			let other = Conversion { category: Category::Share, rate: 500_000 };
			assert_ok!(Margin::set_conversion(consortium(), NOMARKET, Some(other)));
			assert_ok!(Ledger::mint_into(NOMARKET, &ANN, 100));
			// No market prices it in the contract's cash: it could not be valued.
			assert_ok!(Margin::withdraw_collateral(alice(), credit, PINGAN, 100));
			assert_noop!(deposit(NOMARKET, 100), Error::<Test>::UnknownMarket);
			assert_ok!(deposit(PINGAN, 100));
			let band = sp_runtime::Percent::from_percent(10);
			let stp = qingsuan_matching_engine::SelfTradePrevention::CancelNewest;
			assert_ok!(Orderbook::create_market(consortium(), NOMARKET, CNY, 1, 100, 10_000, band, stp));
			assert_noop!(deposit(NOMARKET, 100), Error::<Test>::TooManyPositions);
			// A position the account no longer holds anything of makes room.
			assert_ok!(Margin::withdraw_collateral(alice(), credit, PINGAN, 100));
			assert_ok!(deposit(NOMARKET, 100));
			let held: Vec<_> = info(credit).positions.iter().map(|p| p.security).collect();
			assert_eq!(held, vec![MOUTAI, NOMARKET]);
			let withdraw = |asset, amount| Margin::withdraw_collateral(alice(), credit, asset, amount);
			assert_noop!(withdraw(CNY, 0), Error::<Test>::ZeroAmount);
			assert_noop!(withdraw(MOUTAI, 1_001), Error::<Test>::InsufficientBalance);
			assert_ok!(withdraw(MOUTAI, 1_000));
			System::assert_last_event(Event::CollateralWithdrawn { credit, asset: MOUTAI, amount: 1_000 }.into());
			assert_eq!(Ledger::balance(MOUTAI, &ANN), 10_000);
		});
	}

	#[test]
	fn a_credit_account_closes_with_nothing_owed_no_orders_and_nothing_in_it() {
		run_test(|| {
			let credit = open_ann(1_000_000, 200_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 200_000 * YUAN));
			bob_sells(100, 150_000);
			assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)));
			assert_noop!(Margin::close_credit(alice(), credit), Error::<Test>::DebtOutstanding);
			let owed = info(credit).debt;
			assert_ok!(Margin::repay(alice(), credit, owed));
			assert_ok!(Margin::collateral_buy(alice(), credit, PINGAN_MKT, 100, gtc(5_000)));
			assert_noop!(Margin::close_credit(alice(), credit), Error::<Test>::OrdersOpen);
			let order = EntryOrders::<Test>::iter_keys().next().expect("the resting buy");
			assert_ok!(Orderbook::cancel_order(alice(), order));
			assert_noop!(Margin::close_credit(alice(), credit), Error::<Test>::BalancesLeft);
			assert_noop!(Margin::close_credit(RuntimeOrigin::signed(BOB), credit), Error::<Test>::NotYourAccount);
			assert_ok!(Margin::withdraw_collateral(alice(), credit, MOUTAI, 100));
			let cash = cny(credit);
			assert_ok!(Margin::withdraw_collateral(alice(), credit, CNY, cash));
			assert_ok!(Margin::close_credit(alice(), credit));
			System::assert_last_event(Event::CreditClosed { credit }.into());
			assert_eq!(Credit::<Test>::get(credit), None);
			assert_eq!(TestInvestors::standing(&credit), None);
			assert_noop!(Margin::close_credit(alice(), credit), Error::<Test>::UnknownCredit);
		});
	}
}

mod financing {
	use super::*;

	#[test]
	fn a_financed_buy_lends_what_the_order_holds_and_the_unspent_rest_comes_back_at_its_end() {
		run_test(|| {
			let credit = open_ann(1_000_000, 200_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 200_000 * YUAN));
			bob_sells(100, 149_000);
			let pool_before = cny(pool());
			// Bought at 1,490 with a limit of 1,500: the hold is lent, the fill spends less.
			assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, gtc(150_000)));
			let lent = Orderbook::buy_hold(MOUTAI_MKT, 100, 150_000).unwrap();
			System::assert_has_event(Event::Lent { credit, security: MOUTAI, amount: lent }.into());
			let paid = 100 * 149_000 + Perbill::from_parts(34_100).mul_ceil(100u128 * 149_000);
			let debt = info(credit).debt;
			assert_eq!(debt, paid);
			System::assert_has_event(Event::Repaid { credit, interest: 0, principal: lent - paid }.into());
			assert_eq!(financing(credit, MOUTAI), Some(Financing { amount: paid, quantity: 100 }));
			assert_eq!(Lent::<Test>::get(ALICE, CNY), paid);
			assert_eq!(cny(pool()), pool_before - paid);
			assert_eq!(Ledger::balance(MOUTAI, &credit), 100);
			assert_eq!(cny(credit), 200_000 * YUAN);
			assert_eq!(info(credit).live_orders, 0);
			assert_eq!(EntryOrders::<Test>::iter().count(), 0);
		});
	}

	#[test]
	fn a_resting_financed_buy_cancelled_repays_all_it_borrowed() {
		run_test(|| {
			let credit = open_ann(1_000_000, 300_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 300_000 * YUAN));
			assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 200, gtc(140_000)));
			let lent = Orderbook::buy_hold(MOUTAI_MKT, 200, 140_000).unwrap();
			assert_eq!((info(credit).debt, info(credit).live_orders), (lent, 1));
			let order = EntryOrders::<Test>::iter_keys().next().expect("the resting buy");
			assert_eq!(Ledger::balance_on_hold(CNY, &pallet_orderbook::HoldReason::OpenOrder.into(), &credit), lent);
			// Half of it fills; then it is cancelled.
			assert_ok!(Orderbook::place_order(
				RuntimeOrigin::signed(BOB),
				MOUTAI_MKT,
				Side::Sell,
				100,
				ioc(140_000),
				None
			));
			assert_eq!(financing(credit, MOUTAI).map(|f| f.quantity), Some(100));
			assert_ok!(Orderbook::cancel_order(alice(), order));
			let paid = 100 * 140_000 + Perbill::from_parts(34_100).mul_ceil(100u128 * 140_000);
			assert_eq!((info(credit).debt, info(credit).live_orders), (paid, 0));
			assert_eq!(financing(credit, MOUTAI), Some(Financing { amount: paid, quantity: 100 }));
			assert_eq!(cny(credit), 300_000 * YUAN);
		});
	}

	#[test]
	fn a_resting_financed_buy_pays_interest_for_the_days_it_borrowed_when_it_ends() {
		run_test(|| {
			let credit = open_ann(1_000_000, 300_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 300_000 * YUAN));
			assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, gtc(140_000)));
			let lent = info(credit).debt;
			let order = EntryOrders::<Test>::iter_keys().next().expect("the resting buy");
			advance_days(30);
			assert_ok!(Orderbook::cancel_order(alice(), order));
			let interest = 30 * daily_interest(lent, Ppm(RATE));
			System::assert_has_event(
				Event::InterestCharged { credit, amount: interest, to: Settlement::today() }.into(),
			);
			assert_eq!((info(credit).debt, info(credit).interest), (0, interest));
		});
	}

	#[test]
	fn a_financed_buy_is_refused_beyond_the_rules() {
		run_test(|| {
			let credit = open_ann(200_000, 100_000);
			let buy = |market, quantity, price| Margin::financed_buy(alice(), credit, market, quantity, gtc(price));
			assert_noop!(
				Margin::financed_buy(RuntimeOrigin::signed(BOB), credit, MOUTAI_MKT, 100, gtc(150_000)),
				Error::<Test>::NotYourAccount
			);
			assert_noop!(
				Margin::financed_buy(alice(), ANN, MOUTAI_MKT, 100, gtc(150_000)),
				Error::<Test>::UnknownCredit
			);
			assert_noop!(buy(MOUTAI_MKT, 0, 150_000), Error::<Test>::ZeroAmount);
			assert_noop!(buy(7, 100, 150_000), Error::<Test>::UnknownMarket);
			// Nothing in the account: no margin.
			assert_noop!(buy(PINGAN_MKT, 1_800, 5_000), Error::<Test>::InsufficientMargin);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 100_000 * YUAN));
			// The line is 200,000 yuan; 200 Moutai at 1,500 is 300,000.
			assert_noop!(buy(MOUTAI_MKT, 200, 150_000), Error::<Test>::LineExceeded);
			// 1,800 Ping An at 50 (90,000 and fees) is within the line and the 100,000 of
			// margin; it rests.
			assert_ok!(buy(PINGAN_MKT, 1_800, 5_000));
			// Another 10,000 would need 10,000 of margin: 100,000 - 90,000 - fees is less.
			assert_noop!(buy(PINGAN_MKT, 200, 5_000), Error::<Test>::InsufficientMargin);
			// A security without a rate is not financed.
			assert_ok!(Margin::set_conversion(consortium(), PINGAN, None));
			assert_noop!(buy(PINGAN_MKT, 100, 5_000), Error::<Test>::NotCollateral);
			assert_noop!(
				Margin::collateral_buy(alice(), credit, PINGAN_MKT, 100, gtc(5_000)),
				Error::<Test>::NotCollateral
			);
			let rate = Some(Conversion { category: Category::Share, rate: 650_000 });
			assert_ok!(Margin::set_conversion(consortium(), PINGAN, rate));
			// An empty pool.
			let all = cny(pool());
			assert_ok!(Margin::withdraw_pool(alice(), CNY, all));
			assert_noop!(buy(PINGAN_MKT, 100, 5_000), Error::<Test>::PoolShort);
			// An expired contract lends nothing.
			advance_days(180);
			assert_noop!(buy(PINGAN_MKT, 100, 5_000), Error::<Test>::ContractExpired);
		});
	}

	#[test]
	fn available_margin_is_the_exchanges_formula() {
		run_test(|| {
			let credit = open_ann(10_000_000, 1_000_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 100_000 * YUAN));
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
			// Cash 100,000 + 1,000 Moutai at 1,500 × 65% = 1,075,000 yuan.
			assert_eq!(Margin::available_margin(&credit, &info(credit)), 1_075_000 * 100);
			// A financed buy of 100 at 1,500 (cost c with fees): its margin is c, its value
			// equals... its gain is the fees lost, in full.
			bob_sells(100, 150_000);
			assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)));
			let c = info(credit).debt;
			let loss = c - 100 * 150_000;
			assert_eq!(Margin::available_margin(&credit, &info(credit)), (1_075_000 * 100 - c - loss) as i128);
		});
	}

	#[test]
	fn concentration_tiers_refuse_a_buy_that_puts_too_much_in_one_security() {
		run_test(|| {
			// Tiers raised so that a first financed buy meets them: no limit from 400%, 70%
			// from 300%, 50% below.
			let p = Parameters { concentration_free: 40_000, concentration_mid: 30_000, ..Default::default() };
			assert_ok!(Margin::set_parameters(consortium(), p));
			let credit = open_ann(10_000_000, 0);
			// 1,000 Moutai at 1,500: 1,500,000 yuan of collateral, 975,000 of margin.
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
			// 500 more on financing: 2,250,000 / 750,000 = 300%, all of it in Moutai > 70%.
			bob_sells(500, 150_000);
			assert_noop!(
				Margin::financed_buy(alice(), credit, MOUTAI_MKT, 500, ioc(150_000)),
				Error::<Test>::Concentration
			);
			// 100 Ping An (5,000 yuan) is 0.3% of the collateral.
			assert_ok!(Orderbook::place_order(
				RuntimeOrigin::signed(BOB),
				PINGAN_MKT,
				Side::Sell,
				100,
				gtc(5_000),
				None
			));
			assert_ok!(Margin::financed_buy(alice(), credit, PINGAN_MKT, 100, ioc(5_000)));
			assert_eq!(Ledger::balance(PINGAN, &credit), 100);
		});
	}
}

mod repayment {
	use super::*;

	/// Ann bought 100 Moutai at 1,500 on 150,000 yuan of financing (plus fees), with 200,000
	/// yuan of her own in the account.
	fn financed_ann() -> u64 {
		let credit = open_ann(1_000_000, 200_000);
		assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 200_000 * YUAN));
		bob_sells(100, 150_000);
		assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)));
		credit
	}

	#[test]
	fn interest_accrues_per_day_at_the_yearly_rate_over_360() {
		run_test(|| {
			let credit = financed_ann();
			let debt = info(credit).debt;
			advance_days(10);
			assert_ok!(Margin::repay(alice(), credit, 1));
			let day = daily_interest(debt, Ppm(RATE));
			System::assert_has_event(
				Event::InterestCharged { credit, amount: 10 * day, to: Settlement::today() }.into(),
			);
			// The fen repaid went to interest.
			System::assert_last_event(Event::Repaid { credit, interest: 1, principal: 0 }.into());
			assert_eq!((info(credit).interest, info(credit).debt), (10 * day - 1, debt));
		});
	}

	#[test]
	fn direct_repayment_pays_interest_then_principal_from_free_cash() {
		run_test(|| {
			let credit = financed_ann();
			assert_noop!(Margin::repay(alice(), credit, 0), Error::<Test>::ZeroAmount);
			advance_days(1);
			let (debt, pool_before) = (info(credit).debt, cny(pool()));
			let interest = daily_interest(debt, Ppm(RATE));
			// More than is owed pays what is owed.
			assert_ok!(Margin::repay(alice(), credit, 10 * debt));
			System::assert_last_event(Event::Repaid { credit, interest, principal: debt }.into());
			assert_eq!((info(credit).debt, info(credit).interest), (0, 0));
			assert_eq!(cny(pool()), pool_before + debt + interest);
			assert_eq!(financing(credit, MOUTAI), None);
			assert_eq!(Lent::<Test>::get(ALICE, CNY), 0);
			assert_noop!(Margin::repay(alice(), credit, 1), Error::<Test>::NothingOwed);
		});
	}

	#[test]
	fn a_frozen_credit_accounts_balances_stay_where_they_are() {
		run_test(|| {
			let credit = financed_ann();
			qingsuan_primitives::investors::mock::set_frozen(credit, true);
			assert_noop!(Margin::repay(alice(), credit, 1), Error::<Test>::AccountFrozen);
			assert_noop!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1), Error::<Test>::AccountFrozen);
			assert_noop!(Margin::withdraw_collateral(alice(), credit, CNY, 1), Error::<Test>::AccountFrozen);
			bob_sells(100, 150_000);
			assert_noop!(
				Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)),
				Error::<Test>::AccountFrozen
			);
			assert_noop!(
				Margin::collateral_buy(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)),
				Error::<Test>::AccountFrozen
			);
			assert_noop!(Margin::sell(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)), Error::<Test>::AccountFrozen);
			qingsuan_primitives::investors::mock::set_frozen(credit, false);
			assert_ok!(Margin::repay(alice(), credit, 1));
		});
	}

	#[test]
	fn direct_repayment_needs_the_free_cash() {
		run_test(|| {
			let credit = open_ann(1_000_000, 100_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
			bob_sells(100, 150_000);
			assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, ioc(150_000)));
			assert_noop!(Margin::repay(alice(), credit, 1), Error::<Test>::InsufficientBalance);
		});
	}

	#[test]
	fn a_sells_proceeds_repay_interest_then_principal_and_the_rest_stays() {
		run_test(|| {
			let credit = financed_ann();
			advance_days(2);
			let debt = info(credit).debt;
			let interest = 2 * daily_interest(debt, Ppm(RATE));
			bob_buys(100, 160_000);
			let cash_before = cny(credit);
			assert_ok!(Margin::sell(alice(), credit, MOUTAI_MKT, 100, ioc(160_000)));
			let gross = 100u128 * 160_000;
			let fee = Perbill::from_parts(34_100).mul_ceil(gross) + Perbill::from_parts(500_000).mul_ceil(gross);
			System::assert_has_event(Event::Repaid { credit, interest, principal: debt }.into());
			assert_eq!((info(credit).debt, info(credit).interest), (0, 0));
			assert_eq!(cny(credit), cash_before + gross - fee - interest - debt);
			assert_eq!(financing(credit, MOUTAI), None);
		});
	}

	#[test]
	fn a_sell_smaller_than_the_debt_repays_part_of_it() {
		run_test(|| {
			let credit = financed_ann();
			bob_buys(100, 140_000);
			let debt = info(credit).debt;
			let cash_before = cny(credit);
			assert_ok!(Margin::sell(alice(), credit, MOUTAI_MKT, 100, ioc(140_000)));
			let gross = 100u128 * 140_000;
			let net =
				gross - Perbill::from_parts(34_100).mul_ceil(gross) - Perbill::from_parts(500_000).mul_ceil(gross);
			assert_eq!(info(credit).debt, debt - net);
			assert_eq!(cny(credit), cash_before);
			assert_eq!(financing(credit, MOUTAI), Some(Financing { amount: debt - net, quantity: 0 }));
			assert_noop!(
				Margin::sell(alice(), credit, PINGAN_MKT, 100, ioc(5_000)),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn withdrawals_with_debt_keep_the_ratio_at_the_withdrawal_line() {
		run_test(|| {
			let credit = financed_ann();
			// Assets 200,000 + 100 × 1,500 = 350,000 yuan against about 150,005: 233%.
			let r = Margin::value(&credit, &info(credit)).ratio().unwrap();
			assert!(r < Bps(30_000));
			assert_noop!(Margin::withdraw_collateral(alice(), credit, CNY, 1), Error::<Test>::BelowWithdrawalLine);
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
			// Now 1,850,000 against 150,005: Moutai may go out while 300% of it stays.
			let v = Margin::value(&credit, &info(credit));
			let most = (v.assets - v.liabilities * 3) / 150_000;
			assert_noop!(
				Margin::withdraw_collateral(alice(), credit, MOUTAI, most + 1),
				Error::<Test>::BelowWithdrawalLine
			);
			assert_ok!(Margin::withdraw_collateral(alice(), credit, MOUTAI, most));
			assert!(Margin::value(&credit, &info(credit)).ratio().unwrap() >= Bps(30_000));
		});
	}
}

mod valuation {
	use super::*;

	#[test]
	fn the_ratio_is_the_worked_example() {
		run_test(|| {
			// Cash 100,000 yuan, 1,000 Moutai at 1,500.00 (65%), principal 1,000,000 yuan and
			// interest 1,000 yuan: R = 1,600,000 / 1,001,000 = 159.8%.
			let credit = open_ann(2_000_000, 100_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 100_000 * YUAN));
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
			Credit::<Test>::mutate(credit, |i| {
				let i = i.as_mut().unwrap();
				i.debt = 1_000_000 * YUAN;
				i.interest = 1_000 * YUAN;
			});
			Credit::<Test>::mutate(credit, |i| {
				if let Some(p) = i.as_mut().unwrap().position_mut(MOUTAI) {
					p.financing.amount = 1_000_000 * YUAN;
				}
			});
			Lent::<Test>::insert(ALICE, CNY, 1_000_000 * YUAN);
			// A minute of Moutai at 1,500.
			run_blocks(60);
			let v = Margin::value(&credit, &info(credit));
			assert_eq!((v.assets, v.liabilities), (1_600_000 * YUAN, 1_001_000 * YUAN));
			assert_eq!(v.ratio(), Some(Bps(15_984)));
			// Moutai's band moves to 1,200 and nothing has traded: each block samples the
			// reference, and a minute later the mark is 1,200.
			assert_ok!(Orderbook::set_price_band(
				consortium(),
				MOUTAI_MKT,
				120_000,
				sp_runtime::Percent::from_percent(10)
			));
			run_blocks(1);
			// The first sample after the move: the minute's average (about 1,495) is kept within
			// the band.
			assert_eq!(Margin::mark(MOUTAI, CNY), 132_000);
			run_blocks(60);
			assert_eq!(Margin::mark(MOUTAI, CNY), 120_000);
			let v = Margin::value(&credit, &info(credit));
			assert_eq!(v.ratio(), Some(Bps(12_987)));
			// Below the call line.
			assert!(v.ratio().unwrap() < Bps(MarginParameters::<Test>::get().call.into()));
		});
	}

	#[test]
	fn the_mark_is_the_last_trade_within_the_band() {
		run_test(|| {
			assert_eq!(Margin::mark(MOUTAI, CNY), 150_000);
			bob_sells(100, 151_000);
			assert_ok!(Orderbook::place_order(alice(), MOUTAI_MKT, Side::Buy, 100, ioc(151_000), None));
			assert_eq!(Margin::mark(MOUTAI, CNY), 151_000);
			assert_eq!(Margin::mark(NOMARKET, CNY), 0);
		});
	}
}

mod hooks {
	use super::*;

	#[test]
	fn reports_of_orders_this_pallet_did_not_place_change_nothing() {
		run_test(|| {
			assert_ok!(<Margin as OrderReports<u64>>::on_fill(42, &ANN, 100, 1_000, 1));
			assert_ok!(<Margin as OrderReports<u64>>::on_end(42, &ANN, 1_000));
			assert_eq!(System::events().len(), 0);
		});
	}
}

use sp_runtime::Perbill;

mod liquidation;
mod risk;
mod shorts;

mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Op {
		DepositCash(u128),
		DepositShares(u128),
		FinancedBuy { pingan: bool, lots: u64, tick: i64, rest: bool },
		CollateralBuy { lots: u64, tick: i64 },
		Sell { pingan: bool, lots: u64, tick: i64 },
		BobQuotes { pingan: bool, sell: bool, lots: u64, tick: i64 },
		Repay(u128),
		CancelOne,
		Withdraw { cash: bool, amount: u128 },
		Advance(u64),
		Blocks(u64),
		BandMoves { pingan: bool, percent: i64 },
		Trade { pingan: bool, tick: i64 },
		Liquidate,
		ShortSell { lots: u64, tick: i64, rest: bool },
		BuyToReturn { lots: u64, tick: i64, rest: bool },
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			1 => (1u128..200_000).prop_map(Op::DepositCash),
			1 => (1u128..500).prop_map(Op::DepositShares),
			1 => (any::<bool>(), 1u64..5, -20i64..20, any::<bool>())
				.prop_map(|(pingan, lots, tick, rest)| Op::FinancedBuy { pingan, lots, tick, rest }),
			1 => (1u64..3, -20i64..20).prop_map(|(lots, tick)| Op::CollateralBuy { lots, tick }),
			1 => (any::<bool>(), 1u64..5, -20i64..20).prop_map(|(pingan, lots, tick)| Op::Sell { pingan, lots, tick }),
			1 => (any::<bool>(), any::<bool>(), 1u64..8, -20i64..20).prop_map(|(pingan, sell, lots, tick)| Op::BobQuotes {
				pingan,
				sell,
				lots,
				tick
			}),
			1 => (1u128..200_000 * YUAN).prop_map(Op::Repay),
			1 => Just(Op::CancelOne),
			1 => (any::<bool>(), 1u128..100_000 * YUAN).prop_map(|(cash, amount)| Op::Withdraw { cash, amount }),
			1 => (1u64..4).prop_map(Op::Advance),
			// The market moving, and time for the marks to follow: as often as the rest.
			4 => (1u64..70).prop_map(Op::Blocks),
			2 => (prop::bool::weighted(0.2), -10i64..=3).prop_map(|(pingan, percent)| Op::BandMoves { pingan, percent }),
			4 => (prop::bool::weighted(0.2), -20i64..=4).prop_map(|(pingan, tick)| Op::Trade { pingan, tick }),
			2 => Just(Op::Liquidate),
			2 => (1u64..5, 0i64..20, any::<bool>()).prop_map(|(lots, tick, rest)| Op::ShortSell { lots, tick, rest }),
			1 => (1u64..5, -20i64..20, any::<bool>()).prop_map(|(lots, tick, rest)| Op::BuyToReturn { lots, tick, rest }),
		]
	}

	/// The market's reference price now.
	fn reference(pingan: bool) -> i64 {
		<Orderbook as OrderEntry<u64>>::terms(market(pingan)).map_or(0, |t| t.reference as i64)
	}

	/// A price `tick` ticks of 0.5% from the reference, inside the 10% band.
	fn price(pingan: bool, tick: i64) -> u64 {
		let reference = reference(pingan);
		(reference + reference * tick / 200) as u64
	}

	fn market(pingan: bool) -> u32 {
		if pingan {
			PINGAN_MKT
		} else {
			MOUTAI_MKT
		}
	}

	fn run(op: &Op, credit: u64) -> Result<(), DispatchError> {
		let kind = |pingan, tick, rest: bool| if rest { gtc(price(pingan, tick)) } else { ioc(price(pingan, tick)) };
		match *op {
			Op::DepositCash(yuan) => Margin::deposit_collateral(alice(), credit, CNY, yuan * YUAN),
			Op::DepositShares(n) => Margin::deposit_collateral(alice(), credit, MOUTAI, n),
			Op::FinancedBuy { pingan, lots, tick, rest } => {
				Margin::financed_buy(alice(), credit, market(pingan), lots * 100, kind(pingan, tick, rest))
					.map(|_| ())
					.map_err(|e| e.error)
			},
			Op::CollateralBuy { lots, tick } => {
				Margin::collateral_buy(alice(), credit, PINGAN_MKT, lots * 100, kind(true, tick, true))
					.map(|_| ())
					.map_err(|e| e.error)
			},
			Op::Sell { pingan, lots, tick } => {
				Margin::sell(alice(), credit, market(pingan), lots * 100, kind(pingan, tick, false))
					.map(|_| ())
					.map_err(|e| e.error)
			},
			Op::BobQuotes { pingan, sell, lots, tick } => Orderbook::place_order(
				RuntimeOrigin::signed(BOB),
				market(pingan),
				if sell { Side::Sell } else { Side::Buy },
				lots * 100,
				gtc(price(pingan, tick)),
				None,
			)
			.map(|_| ())
			.map_err(|e| e.error),
			Op::Repay(amount) => Margin::repay(alice(), credit, amount),
			Op::CancelOne => match EntryOrders::<Test>::iter_keys().next() {
				Some(order) => Orderbook::cancel_order(alice(), order).map(|_| ()).map_err(|e| e.error),
				None => Ok(()),
			},
			Op::Withdraw { cash, amount } => {
				let (asset, amount) = if cash { (CNY, amount) } else { (MOUTAI, amount / 100_000 + 1) };
				Margin::withdraw_collateral(alice(), credit, asset, amount)
			},
			Op::Advance(days) => {
				advance_days(days);
				Ok(())
			},
			Op::Blocks(n) => {
				run_blocks(n);
				Ok(())
			},
			Op::BandMoves { pingan, percent } => {
				let reference = reference(pingan);
				let moved = (reference + reference * percent / 100).max(1) as u64;
				let band = sp_runtime::Percent::from_percent(10);
				Orderbook::set_price_band(consortium(), market(pingan), moved, band)
			},
			Op::Trade { pingan, tick } => {
				// Bob sells to Alice: the market's last price moves, Ann's orders aside.
				let (m, p) = (market(pingan), price(pingan, tick));
				let order = |who, side| Orderbook::place_order(RuntimeOrigin::signed(who), m, side, 100, gtc(p), None);
				order(BOB, Side::Sell).and_then(|_| order(ALICE, Side::Buy)).map(|_| ()).map_err(|e| e.error)
			},
			// As the validators' workers would, whenever a step is due.
			Op::Liquidate => Margin::do_liquidate(&credit).map(|_| ()),
			// Ping An, lent from Alice's pool.
			Op::ShortSell { lots, tick, rest } => {
				Margin::short_sell(alice(), credit, PINGAN_MKT, lots * 100, kind(true, tick, rest))
					.map(|_| ())
					.map_err(|e| e.error)
			},
			Op::BuyToReturn { lots, tick, rest } => {
				Margin::buy_to_return(alice(), credit, PINGAN_MKT, lots * 100, kind(true, tick, rest))
					.map(|_| ())
					.map_err(|e| e.error)
			},
		}
	}

	/// What the risk engine guarantees once it has run with budget to spare: an account below
	/// the instant line is being liquidated; no margin call is left past its deadline; no
	/// trigger lies above its market's mark.
	fn engine_caught_up(credit: u64) {
		let i = info(credit);
		let r = Risk::<Test>::get(credit).unwrap_or_default();
		let ratio = Margin::value(&credit, &i).ratio();
		if ratio.is_some_and(|r| r < Bps(MarginParameters::<Test>::get().instant.into())) {
			assert!(r.case.is_some(), "below the instant line without a liquidation case");
		}
		let today = <Settlement as Calendar>::today();
		assert!(r.call.is_none_or(|deadline| deadline >= today), "a margin call past its deadline");
		for market in Watched::<Test>::get() {
			let mark = Marks::<Test>::get(market).map_or(0, |m| m.mark);
			if let Some((key, _)) = Triggers::<Test>::iter_key_prefix((market,)).next() {
				assert!(crate::risk::price_of(key) <= mark, "a trigger above its mark");
			}
			if let Some((key, _)) = TriggersAbove::<Test>::iter_key_prefix((market,)).next() {
				assert!(u128::from_be_bytes(key) >= mark, "a rising trigger below its mark");
			}
		}
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]

		/// Whatever the broker, the market and the liquidating workers do with a leveraged
		/// credit account that also sells Ping An short: the pool's cash plus what it lent is
		/// what the broker put in plus the interest paid (and what write-offs took or the
		/// reserve paid); the lending pool's shares plus those lent are what the broker put in
		/// less those written off; no withdrawal with debt
		/// leaves the ratio below 300%; a failed call changes nothing; once the engine has run,
		/// no account is below the instant line without a case, no call is past its deadline
		/// and no trigger is above its mark; every pallet's invariants hold after every step.
		#[test]
		fn loans_are_conserved_and_the_lines_hold(ops in proptest::collection::vec(op(), 1..40)) {
			run_test(|| {
				let credit = open_ann(2_000_000, 1_000_000);
				// Lines just below the start (about 252%): warning 250%, call 240%, instant 230%.
				let lines = Parameters { warning: 25_000, call: 24_000, instant: 23_000, ..Default::default() };
				assert_ok!(Margin::set_parameters(consortium(), lines));
				// Leveraged from the start: about 252% (100,000 yuan and 1,700 Moutai at 1,500
				// against 1,050,036 yuan lent).
				assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 100_000 * YUAN));
				assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
				bob_sells(700, MOUTAI_REF);
				assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 700, gtc(MOUTAI_REF)));
				exercise(credit, &ops);
			});
		}

		/// The same for an account that is mostly short Ping An, with the market rising
		/// against it: rising triggers open its cases and the workers buy the shares back.
		#[test]
		fn short_accounts_are_bought_back_and_shares_conserved(ops in proptest::collection::vec(short_op(), 1..40)) {
			run_test(|| {
				let credit = open_ann(2_000_000, 100_000);
				// Lines just below the start (about 160%): warning 155%, call 150%, instant 145%.
				let lines = Parameters { warning: 15_500, call: 15_000, instant: 14_500, ..Default::default() };
				assert_ok!(Margin::set_parameters(consortium(), lines));
				assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 60_000 * YUAN));
				assert_ok!(Margin::fund_lending(alice(), PINGAN, 10_000));
				// 2,000 Ping An sold short at 50 yuan: (60,000 + 100,000) / 100,000 = 160%.
				assert_ok!(Margin::short_sell(alice(), credit, PINGAN_MKT, 2_000, gtc(PINGAN_REF)));
				assert_ok!(Orderbook::place_order(RuntimeOrigin::signed(BOB), PINGAN_MKT, Side::Buy, 2_000, gtc(PINGAN_REF), None));
				assert_eq!(info(credit).owed(PINGAN), 2_000);
				exercise(credit, &ops);
			});
		}
	}

	/// What an account mostly short sees: Ping An rising and falling, Bob quoting both sides,
	/// the workers, buy-backs, cash in and out, days and blocks.
	fn short_op() -> impl Strategy<Value = Op> {
		prop_oneof![
			1 => (1u128..50_000).prop_map(Op::DepositCash),
			2 => (1u64..5, 0i64..20, any::<bool>()).prop_map(|(lots, tick, rest)| Op::ShortSell { lots, tick, rest }),
			1 => (1u64..10, -20i64..20, any::<bool>()).prop_map(|(lots, tick, rest)| Op::BuyToReturn { lots, tick, rest }),
			2 => (any::<bool>(), 1u64..20, -20i64..20).prop_map(|(sell, lots, tick)| Op::BobQuotes {
				pingan: true,
				sell,
				lots,
				tick
			}),
			1 => Just(Op::CancelOne),
			1 => (1u128..50_000 * YUAN).prop_map(|amount| Op::Withdraw { cash: true, amount }),
			1 => (1u64..4).prop_map(Op::Advance),
			4 => (1u64..70).prop_map(Op::Blocks),
			2 => (-3i64..=10).prop_map(|percent| Op::BandMoves { pingan: true, percent }),
			4 => (0i64..=20).prop_map(|tick| Op::Trade { pingan: true, tick }),
			6 => Just(Op::Liquidate),
		]
	}

	/// Run `ops` on `credit` (Alice's, her lending pool holding 10,000 Ping An), checking after
	/// each what the property tests promise.
	fn exercise(credit: u64, ops: &[Op]) {
		let funded = cny(pool()) + Lent::<Test>::get(ALICE, CNY);
		if Ledger::balance(PINGAN, &Margin::lending_pool(&ALICE)) + Borrowed::<Test>::get(ALICE, PINGAN) == 0 {
			assert_ok!(Margin::fund_lending(alice(), PINGAN, 10_000));
		}
		let lending = Margin::lending_pool(&ALICE);
		let mut shares_written_off = 0u128;
		let mut interest_paid = 0u128;
		// What write-offs changed: the reserve's payments in, the principal out.
		let mut written_off = 0i128;
		for op in ops {
			System::reset_events();
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let result = run(op, credit);
			if result.is_err() {
				assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root, "{op:?} failed but changed state");
			}
			for record in System::events() {
				if let RuntimeEvent::Margin(Event::Repaid { interest, .. }) = record.event {
					interest_paid += interest;
				}
				if let RuntimeEvent::Margin(Event::BadDebt { principal, covered, .. }) = record.event {
					written_off += covered as i128 - principal as i128;
				}
				if let RuntimeEvent::Margin(Event::SharesWrittenOff { quantity, .. }) = record.event {
					shares_written_off += quantity;
				}
			}
			if result.is_ok() && matches!(op, Op::Withdraw { .. }) {
				let i = info(credit);
				if i.owes() {
					let line = Bps(MarginParameters::<Test>::get().withdrawal.into());
					assert!(Margin::value(&credit, &i).ratio().unwrap() >= line, "{op:?} went below 300%");
				}
			}
			let books = (cny(pool()) + Lent::<Test>::get(ALICE, CNY)) as i128;
			assert_eq!(books, (funded + interest_paid) as i128 + written_off, "after {op:?}");
			let shares = Ledger::balance(PINGAN, &lending) + Borrowed::<Test>::get(ALICE, PINGAN);
			assert_eq!(shares + shares_written_off, 10_000, "shares lent lost after {op:?}");
			if matches!(op, Op::Blocks(_)) {
				engine_caught_up(credit);
			}
			check_invariants();
		}
	}
}
