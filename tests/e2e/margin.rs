//! Margin trading end to end on a `--dev` node.
//!
//! - Financing: Eve approves an investor of Alice's for margin trading; Alice funds her
//!   financing pool, opens the investor's credit account, moves collateral in and buys Moutai on
//!   financing from Bob's offer; `margin_account` shows the loan, the ratio and the zone; a sale
//!   repays the loan.
//! - Liquidation: an account leveraged to just above tight lines; market trades push Moutai's
//!   time-weighted mark below its instant line; the risk engine opens a case (over RPC:
//!   `liquidation: "instant"`); the validator's off-chain worker submits liquidation steps; its
//!   protected market order fills against Bob's bid; the debt is repaid in part, the case ends and
//!   the rest of the shares stay with the investor.
//! - Short sale: Alice funds her lending pool; a short sale below the last trade is refused (the
//!   uptick rule); one at it is taken by Bob; `margin_account` shows the owed shares and the
//!   restricted proceeds, which cannot be withdrawn; a buy to return from Bob's lower offer
//!   returns the shares and leaves the gain with the investor.

use crate::{
	compliance::{execute, failure, limit, module_error, signed_claim, submit},
	support::{serial, wait_for, Node, Ports, TempDir},
};
use pallet_compliance::{AmlResult, RiskCategory, Statement};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_test_harness::{
	runtime::{
		genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
		AccountId, Runtime, RuntimeCall,
	},
	Chain,
};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::{self, *};
use std::time::Duration;

fn ioc(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Ioc, post_only: false }
}

fn margin_account(chain: &Chain, credit: &str) -> Value {
	chain.rpc().call("margin_account", json!([credit])).expect("margin_account")
}

/// Alice's investor (`commitment`), with `cash` fen of client money, identified, screened,
/// assessed and approved for margin trading by Eve.
fn approved_investor(chain: &Chain, commitment: [u8; 32], cash: u128) -> AccountId {
	execute(chain, Alice, RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment }));
	let owner = pallet_investors::Pallet::<Runtime>::investor_account(&Alice.to_account_id(), &commitment);
	execute(
		chain,
		Alice,
		RuntimeCall::Investors(pallet_investors::Call::fund_client_money { asset: CNY, amount: cash }),
	);
	execute(
		chain,
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
		execute(chain, Alice, signed_claim(chain, &owner, statement, 1));
	}
	owner
}

/// Alice funds her financing pool with 1,000,000 yuan and opens `owner`'s credit account: a line
/// of 1,000,000 yuan at 6% (8% on borrowed shares) for 180 days.
fn pool_and_credit_account(chain: &Chain, owner: &AccountId) -> AccountId {
	let margin = |call| RuntimeCall::Margin(call);
	execute(chain, Alice, margin(pallet_margin::Call::fund_pool { cash: CNY, amount: 100_000_000 }));
	let open = pallet_margin::Call::open_credit {
		owner: owner.clone(),
		cash: CNY,
		line: 100_000_000,
		rate: 60_000,
		short_rate: 80_000,
		term_days: 180,
	};
	execute(chain, Alice, margin(open));
	pallet_investors::Pallet::<Runtime>::credit_account(owner)
}

fn place(chain: &Chain, who: Sr25519Keyring, side: Side, quantity: u64, price: u64, account: Option<AccountId>) {
	let call =
		pallet_orderbook::Call::place_order { market: MOUTAI_MARKET, side, quantity, kind: limit(price), account };
	execute(chain, who, RuntimeCall::Orderbook(call));
}

#[test]
fn an_investor_buys_on_margin_and_the_account_is_read_over_rpc() {
	let _serial = serial();
	let dir = TempDir::new("margin");
	let node = Node::start("margin", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));

	let cash = 50_000_000u128;
	let owner = approved_investor(&chain, [0x4D; 32], cash);
	// The pool, the credit account (a line of 1,000,000 yuan at 6% for 180 days), collateral.
	let margin = |call| RuntimeCall::Margin(call);
	let credit = pool_and_credit_account(&chain, &owner);
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

fn amount(view: &Value, field: &str) -> u128 {
	view[field].as_str().unwrap_or_else(|| panic!("{field} in {view}")).parse().expect("a decimal string")
}

#[test]
fn a_mark_falling_through_the_instant_line_is_liquidated_by_the_off_chain_worker() {
	let _serial = serial();
	let dir = TempDir::new("liquidation");
	let node = Node::start("liquidation", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let margin = |call| RuntimeCall::Margin(call);

	// The consortium (sudo on the dev chain) sets lines just under 300%, so one band's move
	// reaches them: warning 299%, call 295%, instant 290%.
	let parameters = pallet_margin::Parameters { warning: 29_900, call: 29_500, instant: 29_000, ..Default::default() };
	let set = margin(pallet_margin::Call::set_parameters { parameters });
	execute(&chain, Alice, RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(set) }));

	// The investor buys 200 Moutai at 1,500 with its own money and pledges them.
	let owner = approved_investor(&chain, [0x4E; 32], 40_000_000);
	place(&chain, Bob, Side::Sell, 200, MOUTAI_REFERENCE, None);
	place(&chain, Alice, Side::Buy, 200, MOUTAI_REFERENCE, Some(owner.clone()));
	let credit = pool_and_credit_account(&chain, &owner);
	let deposit = pallet_margin::Call::deposit_collateral { credit: credit.clone(), asset: MOUTAI, amount: 200 };
	execute(&chain, Alice, margin(deposit));

	// 100 more on financing (the pledge's 65% covers its 100% margin): 300 × 1,500 against
	// 150,005 yuan lent, 299.99%, just above the warning line.
	place(&chain, Bob, Side::Sell, 100, MOUTAI_REFERENCE, None);
	let buy = pallet_margin::Call::financed_buy {
		credit: credit.clone(),
		market: MOUTAI_MARKET,
		quantity: 100,
		kind: ioc(MOUTAI_REFERENCE),
	};
	execute(&chain, Alice, margin(buy));
	let view = margin_account(&chain, &credit.to_string());
	let debt = amount(&view, "debt");
	assert_eq!(view["zone"], "safe", "{view}");
	assert_eq!(view["liquidation"], Value::Null);

	// The market trades at 1,400: within a minute the mark is below 1,450, where 300 shares
	// cover 290% of the debt, and the engine opens a case.
	place(&chain, Bob, Side::Sell, 100, 140_000, None);
	place(&chain, Alice, Side::Buy, 100, 140_000, None);
	let view = wait_for("a liquidation case", Duration::from_secs(120), || {
		Some(margin_account(&chain, &credit.to_string())).filter(|v| v["liquidation"] == "instant")
	});
	assert_eq!(view["zone"], "belowInstant", "{view}");
	// Alice's VaR report lists it nearest its lines.
	let alice = Alice.to_account_id().to_string();
	let report = chain.rpc().call("margin_var", json!([alice, CNY, null, 5])).expect("margin_var");
	assert_eq!(report["nearest"][0]["credit"], json!(credit.to_string()), "{report}");
	assert_eq!(report["nearest"][0]["zone"], "belowInstant", "{report}");
	assert_eq!(report["confidencePpm"], 990_000);
	// No close yet: no scenario, and the report says Moutai has no history rather than a
	// silent zero.
	assert_eq!(report["scenarios"], 0, "{report}");
	assert_eq!(report["markets"], json!([{ "market": MOUTAI_MARKET, "returns": 0 }]), "{report}");
	// Another cash asset's book is empty.
	let other = chain.rpc().call("margin_var", json!([alice, CNY + 1, null, 5])).expect("margin_var");
	assert_eq!((other["accounts"].clone(), other["exposure"].clone()), (json!(0), json!("0")), "{other}");

	// Bob bids 1,400 for 100: the worker's protected market order (no lower than 2% under the
	// mark) sells into it; the proceeds repay the loan and the case ends at the warning line.
	place(&chain, Bob, Side::Buy, 100, 140_000, None);
	let view = wait_for("the case to end", Duration::from_secs(150), || {
		Some(margin_account(&chain, &credit.to_string())).filter(|v| v["liquidation"].is_null())
	});
	// Repaid in part by the sale, not written off: the rest of the debt is the investor's.
	let left = amount(&view, "debt");
	assert!(left > 0 && left < debt / 10, "{view}");
	assert_eq!(view["positions"][0]["shares"], "200", "the rest stays the investor's: {view}");
	assert_eq!(view["zone"], "safe", "{view}");
}

#[test]
fn an_investor_sells_short_and_buys_back_at_a_gain() {
	let _serial = serial();
	let dir = TempDir::new("short");
	let node = Node::start("short", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));
	let margin = |call| RuntimeCall::Margin(call);

	let cash = 40_000_000u128;
	let owner = approved_investor(&chain, [0x4F; 32], cash);
	let credit = pool_and_credit_account(&chain, &owner);
	let deposit = pallet_margin::Call::deposit_collateral { credit: credit.clone(), asset: CNY, amount: cash };
	execute(&chain, Alice, margin(deposit));
	execute(&chain, Alice, margin(pallet_margin::Call::fund_lending { security: MOUTAI, quantity: 1_000 }));

	// Below the last trade (the reference before any): refused.
	let short = |price| {
		margin(pallet_margin::Call::short_sell {
			credit: credit.clone(),
			market: MOUTAI_MARKET,
			quantity: 100,
			kind: limit(price),
		})
	};
	let refused = submit(&chain, Alice, short(MOUTAI_REFERENCE - 100));
	assert_eq!(failure(&refused), module_error(pallet_margin::Error::<Runtime>::UptickRule));
	// At it, resting; Bob takes it.
	execute(&chain, Alice, short(MOUTAI_REFERENCE));
	place(&chain, Bob, Side::Buy, 100, MOUTAI_REFERENCE, None);
	let view = margin_account(&chain, &credit.to_string());
	assert_eq!(view["positions"][0]["owedShares"], "100", "{view}");
	let proceeds = amount(&view["positions"][0], "shortProceeds");
	assert!(proceeds > 0 && proceeds <= 100 * u128::from(MOUTAI_REFERENCE), "{view}");
	assert_eq!(amount(&view, "liabilities"), 100 * u128::from(MOUTAI_REFERENCE), "{view}");
	// (400,000 + the proceeds) / 150,000: about 366%.
	assert_eq!(view["zone"], "safe", "{view}");
	// The proceeds are not the investor's to take.
	let withdraw =
		margin(pallet_margin::Call::withdraw_collateral { credit: credit.clone(), asset: CNY, amount: cash + 1 });
	let refused = submit(&chain, Alice, withdraw);
	assert_eq!(failure(&refused), module_error(pallet_margin::Error::<Runtime>::InsufficientBalance));

	// Bob offers at 1,450: the buy to return fills, the shares go back, the gain stays.
	place(&chain, Bob, Side::Sell, 100, MOUTAI_REFERENCE - 5_000, None);
	let back = pallet_margin::Call::buy_to_return {
		credit: credit.clone(),
		market: MOUTAI_MARKET,
		quantity: 100,
		kind: ioc(MOUTAI_REFERENCE - 5_000),
	};
	execute(&chain, Alice, margin(back));
	let view = margin_account(&chain, &credit.to_string());
	// Nothing owed (the next valuation drops the empty position).
	let positions = view["positions"].as_array().expect("positions");
	assert!(positions.iter().all(|p| p["owedShares"] == "0" && p["shortProceeds"] == "0"), "{view}");
	assert_eq!(view["zone"], "noDebt", "{view}");
	assert!(amount(&view, "cash") > cash, "the gain is the investor's: {view}");
}
