//! Margin trading end to end on a `--dev` node, through the SDK and the typed margin RPC.
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
	compliance::limit,
	sdk_support::{assert_refused, attest, block_on, dev, execute, wait_until},
	support::{serial, Node, Ports, TempDir},
};
use qingsuan_client::{
	accounts,
	api::{
		self,
		runtime_types::{
			pallet_compliance::types::{AmlResult, RiskCategory, Statement},
			pallet_margin::pallet::Call as MarginCall,
			qingsuan_matching_engine::types::{OrderType, Side, TimeInForce},
			qingsuan_runtime::RuntimeCall,
		},
	},
	pallet_margin_rpc::{CreditAccount, Liquidation, MarginApiClient, MarketHistory, Zone},
	AccountId32, Client,
};
use qingsuan_test_harness::runtime::genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE};
use std::time::Duration;

fn ioc(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Ioc, post_only: false }
}

fn amount(value: &str) -> u128 {
	value.parse().unwrap_or_else(|e| panic!("{value:?} is a decimal amount: {e}"))
}

async fn margin_account(client: &Client, credit: AccountId32) -> CreditAccount<AccountId32> {
	client.margin().account(credit, None).await.expect("margin_account").expect("the credit account exists")
}

/// Alice's investor (`commitment`), with `cash` fen of client money, identified, screened,
/// assessed and approved for margin trading by Eve.
pub(crate) async fn approved_investor(client: &Client, commitment: [u8; 32], cash: u128) -> AccountId32 {
	let alice = dev("alice");
	execute(client, &alice, &api::tx().investors().open_investor(commitment)).await;
	let owner = accounts::investor_account(&alice.account_id(), &commitment);
	execute(client, &alice, &api::tx().investors().fund_client_money(CNY, cash)).await;
	execute(client, &alice, &api::tx().investors().allocate_cash(owner, CNY, cash)).await;
	let statements =
		[Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(RiskCategory::C4), Statement::Margin];
	for statement in statements {
		attest(client, &alice, owner, statement, 1).await;
	}
	owner
}

/// Alice funds her financing pool with 1,000,000 yuan and opens `owner`'s credit account: a line
/// of 1,000,000 yuan at 6% (8% on borrowed shares) for 180 days.
async fn pool_and_credit_account(client: &Client, owner: AccountId32) -> AccountId32 {
	let alice = dev("alice");
	execute(client, &alice, &api::tx().margin().fund_pool(CNY, 100_000_000)).await;
	execute(client, &alice, &api::tx().margin().open_credit(owner, CNY, 100_000_000, 60_000, 80_000, 180)).await;
	accounts::credit_account(&owner)
}

async fn place(client: &Client, who: &str, side: Side, quantity: u64, price: u64, account: Option<AccountId32>) {
	let call = api::tx().orderbook().place_order(MOUTAI_MARKET, side, quantity, limit(price), account);
	execute(client, &dev(who), &call).await;
}

#[test]
fn an_investor_buys_on_margin_and_the_account_is_read_over_rpc() {
	let _serial = serial();
	let dir = TempDir::new("margin");
	let node = Node::start("margin", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(300), async {
		let client = &Client::connect(&node.ws_url()).await.expect("connects");
		let (alice, rpc) = (dev("alice"), client.margin());
		let cash = 50_000_000u128;
		let owner = approved_investor(client, [0x4D; 32], cash).await;
		// The pool, the credit account (a line of 1,000,000 yuan at 6% for 180 days), collateral.
		let credit = pool_and_credit_account(client, owner).await;
		assert_eq!(rpc.credit_account_of(owner, None).await.expect("creditAccountOf"), Some(credit));
		execute(client, &alice, &api::tx().margin().deposit_collateral(credit, CNY, cash)).await;
		let view = margin_account(client, credit).await;
		assert_eq!((view.zone, view.debt.as_str()), (Zone::NoDebt, "0"));

		// A financed buy beyond the line is refused; 100 Moutai at 1,500 from Bob is bought.
		place(client, "bob", Side::Sell, 100, MOUTAI_REFERENCE, None).await;
		let buy = |quantity| api::tx().margin().financed_buy(credit, MOUTAI_MARKET, quantity, ioc(MOUTAI_REFERENCE));
		assert_refused(client, &alice, &buy(1_000), "Margin::LineExceeded").await;
		execute(client, &alice, &buy(100)).await;
		let view = margin_account(client, credit).await;
		assert!(amount(&view.debt) >= 100 * u128::from(MOUTAI_REFERENCE), "{view:?}");
		assert_eq!((view.positions[0].shares.as_str(), view.positions[0].financed_shares.as_str()), ("100", "100"));
		assert_eq!(view.zone, Zone::Safe);
		// (500,000 + 150,000) / 150,005: 433%.
		let ratio = amount(view.ratio_bps.as_deref().expect("a ratio while in debt"));
		assert!((43_000..43_400).contains(&ratio), "{view:?}");

		// Bob bids; the credit account sells: the loan is repaid.
		place(client, "bob", Side::Buy, 100, MOUTAI_REFERENCE + 500, None).await;
		let sell = api::tx().margin().sell(credit, MOUTAI_MARKET, 100, ioc(MOUTAI_REFERENCE + 500));
		execute(client, &alice, &sell).await;
		let view = margin_account(client, credit).await;
		assert_eq!((view.zone, view.debt.as_str()), (Zone::NoDebt, "0"), "{view:?}");
		// The investor's own account is not a credit account.
		assert_eq!(rpc.account(owner, None).await.expect("a call"), None);
	});
}

#[test]
fn a_mark_falling_through_the_instant_line_is_liquidated_by_the_off_chain_worker() {
	let _serial = serial();
	let dir = TempDir::new("liquidation");
	let node = Node::start("liquidation", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(480), async {
		let client = &Client::connect(&node.ws_url()).await.expect("connects");
		let alice = dev("alice");

		// The consortium (sudo on the dev chain) sets lines just under 300%, so one band's move
		// reaches them: warning 299%, call 295%, instant 290%.
		let at = client.at(None).await.expect("best block");
		let entry = at.storage().entry(api::storage().margin().margin_parameters()).expect("an entry");
		let mut parameters = entry.fetch(()).await.expect("reads").decode().expect("decodes");
		(parameters.warning, parameters.call, parameters.instant) = (29_900, 29_500, 29_000);
		let set = RuntimeCall::Margin(MarginCall::set_parameters { parameters });
		execute(client, &alice, &api::tx().sudo().sudo(set)).await;

		// The investor buys 200 Moutai at 1,500 with its own money and pledges them.
		let owner = approved_investor(client, [0x4E; 32], 40_000_000).await;
		place(client, "bob", Side::Sell, 200, MOUTAI_REFERENCE, None).await;
		place(client, "alice", Side::Buy, 200, MOUTAI_REFERENCE, Some(owner)).await;
		let credit = pool_and_credit_account(client, owner).await;
		execute(client, &alice, &api::tx().margin().deposit_collateral(credit, MOUTAI, 200)).await;

		// 100 more on financing (the pledge's 65% covers its 100% margin): 300 × 1,500 against
		// 150,005 yuan lent, 299.99%, just above the warning line.
		place(client, "bob", Side::Sell, 100, MOUTAI_REFERENCE, None).await;
		let buy = api::tx().margin().financed_buy(credit, MOUTAI_MARKET, 100, ioc(MOUTAI_REFERENCE));
		execute(client, &alice, &buy).await;
		let view = margin_account(client, credit).await;
		let debt = amount(&view.debt);
		assert_eq!((view.zone, view.liquidation), (Zone::Safe, None), "{view:?}");

		// The market trades at 1,400: within a minute the mark is below 1,450, where 300 shares
		// cover 290% of the debt, and the engine opens a case.
		place(client, "bob", Side::Sell, 100, 140_000, None).await;
		place(client, "alice", Side::Buy, 100, 140_000, None).await;
		let view = wait_until("a liquidation case", Duration::from_secs(120), || async move {
			Some(margin_account(client, credit).await).filter(|v| v.liquidation == Some(Liquidation::Instant))
		})
		.await;
		assert_eq!(view.zone, Zone::BelowInstant, "{view:?}");
		// Alice's VaR report lists it nearest its lines.
		let report = client.margin().var(alice.account_id(), CNY, None, Some(5), None).await.expect("margin_var");
		assert_eq!((report.nearest[0].credit, report.nearest[0].zone), (credit, Zone::BelowInstant), "{report:?}");
		assert_eq!(report.confidence_ppm, 990_000);
		// No close yet: no scenario, and the report says Moutai has no history rather than a
		// silent zero.
		assert_eq!(report.scenarios, 0, "{report:?}");
		assert_eq!(report.markets, vec![MarketHistory { market: MOUTAI_MARKET, returns: 0 }], "{report:?}");
		// Another cash asset's book is empty.
		let other = client.margin().var(alice.account_id(), CNY + 1, None, Some(5), None).await.expect("margin_var");
		assert_eq!((other.accounts, other.exposure.as_str()), (0, "0"), "{other:?}");

		// Bob bids 1,400 for 100: the worker's protected market order (no lower than 2% under
		// the mark) sells into it; the proceeds repay the loan and the case ends at the warning
		// line.
		place(client, "bob", Side::Buy, 100, 140_000, None).await;
		let view = wait_until("the case to end", Duration::from_secs(150), || async move {
			Some(margin_account(client, credit).await).filter(|v| v.liquidation.is_none())
		})
		.await;
		// Repaid in part by the sale, not written off: the rest of the debt is the investor's.
		let left = amount(&view.debt);
		assert!(left > 0 && left < debt / 10, "{view:?}");
		assert_eq!(view.positions[0].shares, "200", "the rest stays the investor's: {view:?}");
		assert_eq!(view.zone, Zone::Safe, "{view:?}");
	});
}

#[test]
fn an_investor_sells_short_and_buys_back_at_a_gain() {
	let _serial = serial();
	let dir = TempDir::new("short");
	let node = Node::start("short", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(300), async {
		let client = &Client::connect(&node.ws_url()).await.expect("connects");
		let alice = dev("alice");
		let cash = 40_000_000u128;
		let owner = approved_investor(client, [0x4F; 32], cash).await;
		let credit = pool_and_credit_account(client, owner).await;
		execute(client, &alice, &api::tx().margin().deposit_collateral(credit, CNY, cash)).await;
		execute(client, &alice, &api::tx().margin().fund_lending(MOUTAI, 1_000)).await;

		// Below the last trade (the reference before any): refused.
		let short = |price| api::tx().margin().short_sell(credit, MOUTAI_MARKET, 100, limit(price));
		assert_refused(client, &alice, &short(MOUTAI_REFERENCE - 100), "Margin::UptickRule").await;
		// At it, resting; Bob takes it.
		execute(client, &alice, &short(MOUTAI_REFERENCE)).await;
		place(client, "bob", Side::Buy, 100, MOUTAI_REFERENCE, None).await;
		let view = margin_account(client, credit).await;
		assert_eq!(view.positions[0].owed_shares, "100", "{view:?}");
		let proceeds = amount(&view.positions[0].short_proceeds);
		assert!(proceeds > 0 && proceeds <= 100 * u128::from(MOUTAI_REFERENCE), "{view:?}");
		assert_eq!(amount(&view.liabilities), 100 * u128::from(MOUTAI_REFERENCE), "{view:?}");
		// (400,000 + the proceeds) / 150,000: about 366%.
		assert_eq!(view.zone, Zone::Safe, "{view:?}");
		// The proceeds are not the investor's to take.
		let withdraw = api::tx().margin().withdraw_collateral(credit, CNY, cash + 1);
		assert_refused(client, &alice, &withdraw, "Margin::InsufficientBalance").await;

		// Bob offers at 1,450: the buy to return fills, the shares go back, the gain stays.
		place(client, "bob", Side::Sell, 100, MOUTAI_REFERENCE - 5_000, None).await;
		let back = api::tx().margin().buy_to_return(credit, MOUTAI_MARKET, 100, ioc(MOUTAI_REFERENCE - 5_000));
		execute(client, &alice, &back).await;
		let view = margin_account(client, credit).await;
		// Nothing owed (the next valuation drops the empty position).
		assert!(view.positions.iter().all(|p| p.owed_shares == "0" && p.short_proceeds == "0"), "{view:?}");
		assert_eq!(view.zone, Zone::NoDebt, "{view:?}");
		assert!(amount(&view.cash) > cash, "the gain is the investor's: {view:?}");
	});
}
