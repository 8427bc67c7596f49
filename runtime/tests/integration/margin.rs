//! Margin trading in the runtime on the `local` preset: an approved investor's credit account,
//! a financed buy through the order book under its owner's compliance claims, repayment from a
//! sale, and a regulator's freeze reaching the credit account.

use crate::{
	compliance_property::{dispatch, register_attestor, submit},
	run,
};
use frame_support::{assert_noop, assert_ok, traits::tokens::fungibles::Inspect};
use pallet_compliance::{AmlResult, ClaimKind, RiskCategory, Statement};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_runtime::{
	genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
	Investors, Ledger, Margin, Runtime, RuntimeCall, RuntimeOrigin,
};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::AccountId32;

/// 100,000 yuan, in fen.
const CASH: u128 = 10_000_000;

fn limit(price: u64, tif: TimeInForce) -> OrderType {
	OrderType::Limit { price, tif, post_only: false }
}

fn alice() -> RuntimeOrigin {
	RuntimeOrigin::signed(Alice.to_account_id())
}

fn margin(call: pallet_margin::Call<Runtime>) -> Result<(), sp_runtime::DispatchError> {
	dispatch(RuntimeCall::Margin(call), alice())
}

/// Alice's investor with `CASH` of client money and only a margin approval.
fn approved_investor(nonce: &mut u64) -> AccountId32 {
	register_attestor();
	let commitment = [0x5A; 32];
	let signed = alice();
	assert_ok!(dispatch(RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment }), signed.clone()));
	let investor = Investors::investor_account(&Alice.to_account_id(), &commitment);
	assert_ok!(dispatch(
		RuntimeCall::Investors(pallet_investors::Call::fund_client_money { asset: CNY, amount: CASH }),
		signed.clone()
	));
	assert_ok!(dispatch(
		RuntimeCall::Investors(pallet_investors::Call::allocate_cash {
			investor: investor.clone(),
			asset: CNY,
			amount: CASH
		}),
		signed
	));
	assert_ok!(submit(&investor, Statement::Margin, 90, nonce));
	investor
}

fn bob_places(side: Side, price: u64) {
	assert_ok!(dispatch(
		RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
			market: MOUTAI_MARKET,
			side,
			quantity: 100,
			kind: limit(price, TimeInForce::Gtc),
			account: None,
		}),
		RuntimeOrigin::signed(Bob.to_account_id())
	));
}

#[test]
fn an_approved_investor_buys_on_margin_under_its_claims_and_a_sale_repays_the_loan() {
	run(|| {
		let mut nonce = 0;
		let owner = approved_investor(&mut nonce);
		let (a, cny) = (Alice.to_account_id(), |who: &AccountId32| Ledger::balance(CNY, who));
		assert_ok!(margin(pallet_margin::Call::fund_pool { cash: CNY, amount: 50 * CASH }));
		assert_ok!(margin(pallet_margin::Call::open_credit {
			owner: owner.clone(),
			cash: CNY,
			line: 10 * CASH,
			rate: 60_000,
			short_rate: 80_000,
			term_days: 180
		}));
		let credit = Investors::credit_account(&owner);
		assert_eq!(pallet_margin::Credit::<Runtime>::get(&credit).map(|i| i.owner), Some(owner.clone()));
		assert_ok!(margin(pallet_margin::Call::deposit_collateral {
			credit: credit.clone(),
			asset: CNY,
			amount: CASH
		}));
		// The order book takes a credit account's orders only from the margin pallet.
		assert_noop!(
			dispatch(
				RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
					market: MOUTAI_MARKET,
					side: Side::Buy,
					quantity: 100,
					kind: limit(MOUTAI_REFERENCE, TimeInForce::Gtc),
					account: Some(credit.clone()),
				}),
				alice()
			),
			pallet_orderbook::Error::<Runtime>::CreditAccount
		);

		// 100 Moutai at 1,500 is 150,000 yuan: more than the 100,000 of margin.
		bob_places(Side::Sell, MOUTAI_REFERENCE);
		let buy = |quantity| pallet_margin::Call::financed_buy {
			credit: credit.clone(),
			market: MOUTAI_MARKET,
			quantity,
			kind: limit(MOUTAI_REFERENCE, TimeInForce::Ioc),
		};
		assert_noop!(margin(buy(100)), pallet_margin::Error::<Runtime>::InsufficientMargin);
		// Enough margin, but the owner has no identity claim: the compliance rules refuse the
		// credit account's buy, as they would the owner's.
		let more = 10 * CASH;
		assert_ok!(dispatch(
			RuntimeCall::Investors(pallet_investors::Call::fund_client_money { asset: CNY, amount: more }),
			alice()
		));
		assert_ok!(dispatch(
			RuntimeCall::Investors(pallet_investors::Call::allocate_cash {
				investor: owner.clone(),
				asset: CNY,
				amount: more
			}),
			alice()
		));
		assert_ok!(margin(pallet_margin::Call::deposit_collateral {
			credit: credit.clone(),
			asset: CNY,
			amount: more
		}));
		assert_noop!(margin(buy(100)), pallet_compliance::Error::<Runtime>::MissingClaim(ClaimKind::Kyc));
		for statement in [Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(RiskCategory::C4)] {
			assert_ok!(submit(&owner, statement, 90, &mut nonce));
		}
		let pool_before = cny(&Margin::financing_pool(&a));
		assert_ok!(margin(buy(100)));
		let info = pallet_margin::Credit::<Runtime>::get(&credit).expect("open");
		assert!(
			info.debt > 100 * u128::from(MOUTAI_REFERENCE)
				&& info.debt < 100 * u128::from(MOUTAI_REFERENCE) * 1001 / 1000
		);
		assert_eq!(Ledger::balance(MOUTAI, &credit), 100);
		assert_eq!(cny(&Margin::financing_pool(&a)), pool_before - info.debt);
		assert_eq!(cny(&credit), 11 * CASH);
		let ratio = Margin::value(&credit, &info).ratio().expect("a debt");
		assert!(ratio.0 > 80_000, "{ratio:?}");
		// What the runtime API (`margin_account`) shows.
		let view = Margin::account_view(&credit).expect("a credit account");
		assert_eq!((view.debt, view.ratio, view.zone), (info.debt, Some(ratio.0), pallet_margin::RiskZone::Safe));
		assert_eq!(view.positions.iter().map(|p| (p.security, p.shares)).collect::<Vec<_>>(), vec![(MOUTAI, 100)]);
		assert_eq!(Margin::account_view(&owner), None);

		// Bob bids higher; the credit account sells: the proceeds repay the loan first.
		bob_places(Side::Buy, MOUTAI_REFERENCE + 1_000);
		assert_ok!(margin(pallet_margin::Call::sell {
			credit: credit.clone(),
			market: MOUTAI_MARKET,
			quantity: 100,
			kind: limit(MOUTAI_REFERENCE + 1_000, TimeInForce::Ioc),
		}));
		let info = pallet_margin::Credit::<Runtime>::get(&credit).expect("open");
		assert_eq!((info.debt, info.interest, info.live_orders), (0, 0, 0));
		assert_eq!(cny(&Margin::financing_pool(&a)), pool_before);
		assert!(cny(&credit) > 11 * CASH);

		// The regulator freezes the owner: the credit account is frozen too.
		assert_ok!(dispatch(
			RuntimeCall::Investors(pallet_investors::Call::freeze { investor: owner.clone() }),
			RuntimeOrigin::signed(Ferdie.to_account_id())
		));
		bob_places(Side::Sell, MOUTAI_REFERENCE);
		assert_noop!(margin(buy(100)), pallet_margin::Error::<Runtime>::AccountFrozen);
	});
}
