//! Investor accounts and compliance end to end on a `--dev` node, through the SDK: the dev
//! attestor (Eve) signs claims with `qingsuan-node key sign --scheme sm2` over the payload the
//! SDK builds; a broker (Alice) opens two investors and gives them cash; the suitable one buys,
//! the unsuitable one is refused with the condition that failed, then gets the claim it lacked
//! and buys.

use crate::{
	sdk_support::{assert_refused, block_on, claim, dev, event, events, execute, genesis},
	support::{run_node_command, serial, Node, Ports, TempDir},
};
use qingsuan_client::{
	accounts,
	api::{
		self,
		runtime_types::{
			pallet_compliance::types::{AmlResult, RiskCategory, Statement},
			qingsuan_matching_engine::types::{OrderType, Side, TimeInForce},
		},
	},
	compliance::claim_payload,
	AccountId32, Client,
};
use qingsuan_test_harness::runtime::genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE};
use std::time::Duration;

/// Eve's claim `statement` about `subject`: the SDK builds the payload, the node's own SM2
/// `key sign` signs it.
fn cli_signed_claim(
	client: &Client,
	subject: AccountId32,
	statement: Statement,
	nonce: u64,
) -> impl qingsuan_client::subxt::transactions::Payload {
	let claim = claim(subject, statement, nonce);
	let payload = hex::encode(claim_payload(&claim, &genesis(client)));
	let secret = hex::encode(qingsuan_primitives::DEV_ATTESTOR_SECRET);
	let out = run_node_command(
		&["key", "sign", "--scheme", "sm2", "--secret", &secret, "--message", &payload, "--hex"],
		Duration::from_secs(30),
	);
	assert!(out.status.success(), "key sign: {}", String::from_utf8_lossy(&out.stderr));
	let hex_sig = String::from_utf8(out.stdout).expect("utf-8");
	let bytes = hex::decode(hex_sig.trim().trim_start_matches("0x")).expect("a hex signature");
	let signature = api::runtime_types::qingsuan_sm_crypto::sm2::Signature(bytes.try_into().expect("64 bytes"));
	api::tx().compliance().submit_claim(claim, signature)
}

pub(crate) fn limit(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

#[test]
fn a_suitable_investor_trades_an_unsuitable_one_is_refused_until_attested() {
	let _serial = serial();
	let dir = TempDir::new("compliance");
	let node = Node::start("compliance", dir.path(), Ports::free(), &["--dev".to_string()]);
	block_on(Duration::from_secs(300), async {
		let client = &Client::connect(&node.ws_url()).await.expect("connects");
		let (alice, bob) = (dev("alice"), dev("bob"));

		// 1. Alice opens two investor accounts and gives each 200,000 yuan from her client money.
		let mut investors = Vec::new();
		for commitment in [[1u8; 32], [2u8; 32]] {
			let opened = execute(client, &alice, &api::tx().investors().open_investor(commitment)).await;
			let investor = event::<api::investors::events::InvestorOpened>(&opened).investor;
			assert_eq!(investor, accounts::investor_account(&alice.account_id(), &commitment));
			investors.push(investor);
		}
		let (suitable, cautious) = (investors[0], investors[1]);
		let cash = 20_000_000u128;
		execute(client, &alice, &api::tx().investors().fund_client_money(CNY, 2 * cash)).await;
		for investor in &investors {
			execute(client, &alice, &api::tx().investors().allocate_cash(*investor, CNY, cash)).await;
		}

		// 2. Eve attests: both identified and screened; one balanced (C3), one conservative (C1).
		for investor in &investors {
			execute(client, &alice, &cli_signed_claim(client, *investor, Statement::Kyc, 1)).await;
			let aml = cli_signed_claim(client, *investor, Statement::Aml(AmlResult::Passed), 1);
			execute(client, &alice, &aml).await;
		}
		execute(client, &alice, &cli_signed_claim(client, suitable, Statement::Risk(RiskCategory::C3), 1)).await;
		let conservative = cli_signed_claim(client, cautious, Statement::Risk(RiskCategory::C1), 1);
		execute(client, &alice, &conservative).await;
		// The same signed claim submitted again (a replay) is refused, as is another one with a
		// used nonce.
		assert_refused(client, &bob, &conservative, "Compliance::StaleNonce").await;
		let reused = cli_signed_claim(client, cautious, Statement::Risk(RiskCategory::C5), 1);
		assert_refused(client, &alice, &reused, "Compliance::StaleNonce").await;

		// 3. Bob offers Moutai (an R3 product); Alice buys for the balanced investor: it trades.
		let offer = api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Sell, 200, limit(MOUTAI_REFERENCE), None);
		execute(client, &bob, &offer).await;
		let buy = |who: AccountId32| {
			api::tx().orderbook().place_order(MOUTAI_MARKET, Side::Buy, 100, limit(MOUTAI_REFERENCE), Some(who))
		};
		let bought = execute(client, &alice, &buy(suitable)).await;
		assert!(
			events::<api::settlement::events::TradeSettled>(&bought).iter().any(|t| t.buyer == suitable),
			"the balanced investor's buy settles"
		);
		let shares =
			|who: AccountId32| async move { client.ledger_balance(MOUTAI, &who, None).await.expect("reads").0 };
		assert_eq!(shares(suitable).await, 100);

		// 4. The conservative investor is refused, with the condition that failed.
		assert_refused(client, &alice, &buy(cautious), "Compliance::NotSuitable").await;
		assert_eq!(shares(cautious).await, 0);

		// 5. A new assessment (C4, nonce 2) makes it suitable; the same order now trades.
		execute(client, &alice, &cli_signed_claim(client, cautious, Statement::Risk(RiskCategory::C4), 2)).await;
		execute(client, &alice, &buy(cautious)).await;
		assert_eq!(shares(cautious).await, 100);
	});
}
