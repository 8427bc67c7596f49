//! Margin financing end to end on a `--dev` node: Eve approves an investor of Alice's for margin
//! trading; Alice funds her financing pool, opens the investor's credit account, moves collateral
//! in and buys Moutai on financing from Bob's offer; `margin_account` shows the loan, the ratio
//! and the zone; a sale repays the loan.

use crate::{
	compliance::{execute, failure, limit, module_error, signed_claim, submit},
	support::{serial, wait_for, Node, Ports, TempDir},
};
use pallet_compliance::{AmlResult, RiskCategory, Statement};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_client::{
	runtime::{
		genesis_config_presets::{CNY, MOUTAI_MARKET, MOUTAI_REFERENCE},
		Runtime, RuntimeCall,
	},
	Chain,
};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::*;
use std::time::Duration;

fn ioc(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Ioc, post_only: false }
}

fn margin_account(chain: &Chain, credit: &str) -> Value {
	chain.rpc().call("margin_account", json!([credit])).expect("margin_account")
}

#[test]
fn an_investor_buys_on_margin_and_the_account_is_read_over_rpc() {
	let _serial = serial();
	let dir = TempDir::new("margin");
	let node = Node::start("margin", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));

	// Alice's investor, with 500,000 yuan of client money, identified, screened, assessed and
	// approved for margin trading by Eve.
	let commitment = [0x4D; 32];
	execute(&chain, Alice, RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment }));
	let owner = pallet_investors::Pallet::<Runtime>::investor_account(&Alice.to_account_id(), &commitment);
	let cash = 50_000_000u128;
	execute(
		&chain,
		Alice,
		RuntimeCall::Investors(pallet_investors::Call::fund_client_money { asset: CNY, amount: cash }),
	);
	execute(
		&chain,
		Alice,
		RuntimeCall::Investors(pallet_investors::Call::allocate_cash {
			investor: owner.clone(),
			asset: CNY,
			amount: cash,
		}),
	);
	let statements =
		[Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(RiskCategory::C4), Statement::Margin];
	for statement in statements {
		execute(&chain, Alice, signed_claim(&chain, &owner, statement, 1));
	}

	// The pool, the credit account (a line of 1,000,000 yuan at 6% for 180 days), collateral.
	let margin = |call| RuntimeCall::Margin(call);
	execute(&chain, Alice, margin(pallet_margin::Call::fund_pool { cash: CNY, amount: 100_000_000 }));
	execute(
		&chain,
		Alice,
		margin(pallet_margin::Call::open_credit {
			owner: owner.clone(),
			cash: CNY,
			line: 100_000_000,
			rate: 60_000,
			term_days: 180,
		}),
	);
	let credit = pallet_investors::Pallet::<Runtime>::credit_account(&owner);
	let found = chain.rpc().call("margin_creditAccountOf", json!([owner.to_string()])).expect("creditAccountOf");
	assert_eq!(found, json!(credit.to_string()));
	execute(
		&chain,
		Alice,
		margin(pallet_margin::Call::deposit_collateral { credit: credit.clone(), asset: CNY, amount: cash }),
	);
	let view = margin_account(&chain, &credit.to_string());
	assert_eq!((view["zone"].as_str(), view["debt"].as_str()), (Some("noDebt"), Some("0")));

	// A financed buy beyond the line is refused; 100 Moutai at 1,500 from Bob is bought.
	execute(
		&chain,
		Bob,
		RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
			market: MOUTAI_MARKET,
			side: Side::Sell,
			quantity: 100,
			kind: limit(MOUTAI_REFERENCE),
			account: None,
		}),
	);
	let buy = |quantity| {
		margin(pallet_margin::Call::financed_buy {
			credit: credit.clone(),
			market: MOUTAI_MARKET,
			quantity,
			kind: ioc(MOUTAI_REFERENCE),
		})
	};
	let refused = submit(&chain, Alice, buy(1_000));
	assert_eq!(failure(&refused), module_error(pallet_margin::Error::<Runtime>::LineExceeded));
	execute(&chain, Alice, buy(100));
	let view = margin_account(&chain, &credit.to_string());
	let debt: u128 = view["debt"].as_str().expect("a string").parse().expect("a number");
	assert!(debt >= 100 * u128::from(MOUTAI_REFERENCE), "{view}");
	assert_eq!(view["positions"][0]["shares"], "100");
	assert_eq!(view["positions"][0]["financedShares"], "100");
	assert_eq!(view["zone"], "safe");
	// (500,000 + 150,000) / 150,005: 433%.
	let ratio: u128 = view["ratioBps"].as_str().expect("a ratio").parse().expect("a number");
	assert!((43_000..43_400).contains(&ratio), "{view}");

	// Bob bids; the credit account sells: the loan is repaid.
	execute(
		&chain,
		Bob,
		RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
			market: MOUTAI_MARKET,
			side: Side::Buy,
			quantity: 100,
			kind: limit(MOUTAI_REFERENCE + 500),
			account: None,
		}),
	);
	execute(
		&chain,
		Alice,
		margin(pallet_margin::Call::sell {
			credit: credit.clone(),
			market: MOUTAI_MARKET,
			quantity: 100,
			kind: ioc(MOUTAI_REFERENCE + 500),
		}),
	);
	let view = margin_account(&chain, &credit.to_string());
	assert_eq!((view["zone"].as_str(), view["debt"].as_str()), (Some("noDebt"), Some("0")), "{view}");
	assert_eq!(chain.rpc().call("margin_account", json!([owner.to_string()])).expect("a call"), Value::Null);
}
