//! Investor accounts and compliance end to end on a `--dev` node: the dev attestor (Eve) signs
//! claims with `qingsuan-node key sign --scheme sm2`; a broker (Alice) opens two investors and
//! gives them cash; the suitable one buys, the unsuitable one is refused with the condition that
//! failed, then gets the claim it lacked and buys.

use crate::support::{run_node_command, serial, submit_and_wait, wait_for, Node, Ports, TempDir};
use pallet_compliance::{AmlResult, Claim, RiskCategory, Statement};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_sm_crypto::sm2;
use qingsuan_test_harness::{
	orderbook,
	runtime::{
		genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
		AccountId, Runtime, RuntimeCall, RuntimeEvent,
	},
	sign::{account_of, signed_extrinsic},
	Chain,
};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{DispatchError, ModuleError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Sign `call` as `who`, submit it and wait for its block; returns its events.
pub(crate) fn submit(chain: &Chain, who: Sr25519Keyring, call: RuntimeCall) -> Vec<RuntimeEvent> {
	let pair = who.pair();
	let params = chain.tx_params().expect("tx params");
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	submit_and_wait(chain, &signed_extrinsic(call, &pair, nonce, &params)).2
}

/// As [`submit`]; panics unless the call succeeded.
pub(crate) fn execute(chain: &Chain, who: Sr25519Keyring, call: RuntimeCall) -> Vec<RuntimeEvent> {
	let events = submit(chain, who, call.clone());
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }))),
		"{call:?} failed: {events:?}"
	);
	events
}

/// The module error the block's failed extrinsic ended with.
pub(crate) fn failure(events: &[RuntimeEvent]) -> ModuleError {
	events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error: DispatchError::Module(m),
				..
			}) => Some(*m),
			_ => None,
		})
		.unwrap_or_else(|| panic!("no failed extrinsic in {events:?}"))
}

/// `error` as the runtime reports it.
pub(crate) fn module_error(error: impl Into<DispatchError>) -> ModuleError {
	match error.into() {
		DispatchError::Module(m) => m,
		other => panic!("not a module error: {other:?}"),
	}
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as u64
}

/// Eve's claim `statement` about `subject`, signed with the node's own SM2 `key sign`.
pub(crate) fn signed_claim(chain: &Chain, subject: &AccountId, statement: Statement, nonce: u64) -> RuntimeCall {
	let claim = Claim {
		attestor: Eve.to_account_id(),
		subject: subject.clone(),
		statement,
		// A minute back: the chain's clock is the last block's.
		issued_at: now_ms() - 60_000,
		expires_at: now_ms() + 365 * 86_400_000,
		nonce,
	};
	let genesis: [u8; 32] = chain.genesis_hash().expect("genesis").into();
	let payload = hex::encode(claim.payload(&genesis));
	let secret = hex::encode(qingsuan_primitives::DEV_ATTESTOR_SECRET);
	let out = run_node_command(
		&["key", "sign", "--scheme", "sm2", "--secret", &secret, "--message", &payload, "--hex"],
		Duration::from_secs(30),
	);
	assert!(out.status.success(), "key sign: {}", String::from_utf8_lossy(&out.stderr));
	let hex_sig = String::from_utf8(out.stdout).expect("utf-8");
	let bytes = hex::decode(hex_sig.trim().trim_start_matches("0x")).expect("a hex signature");
	let signature = sm2::Signature(bytes.try_into().expect("64 bytes"));
	RuntimeCall::Compliance(pallet_compliance::Call::submit_claim { claim, signature })
}

pub(crate) fn limit(price: u64) -> OrderType {
	OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false }
}

#[test]
fn a_suitable_investor_trades_an_unsuitable_one_is_refused_until_attested() {
	let _serial = serial();
	let dir = TempDir::new("compliance");
	let node = Node::start("compliance", dir.path(), Ports::free(), &["--dev".to_string()]);
	let chain = node.chain();
	wait_for("block 1", Duration::from_secs(60), || chain.best_number().ok().filter(|n| *n >= 1));

	// 1. Alice opens two investor accounts and gives each 200,000 yuan from her client money.
	let mut investors = Vec::new();
	for commitment in [[1u8; 32], [2u8; 32]] {
		let events =
			execute(&chain, Alice, RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment }));
		let investor = events
			.iter()
			.find_map(|e| match e {
				RuntimeEvent::Investors(pallet_investors::Event::InvestorOpened { investor, .. }) => {
					Some(investor.clone())
				},
				_ => None,
			})
			.expect("InvestorOpened");
		assert_eq!(
			investor,
			pallet_investors::Pallet::<Runtime>::investor_account(&Alice.to_account_id(), &commitment)
		);
		investors.push(investor);
	}
	let (suitable, cautious) = (investors[0].clone(), investors[1].clone());
	let cash = 20_000_000u128;
	execute(
		&chain,
		Alice,
		RuntimeCall::Investors(pallet_investors::Call::fund_client_money { asset: CNY, amount: 2 * cash }),
	);
	for investor in &investors {
		let call = pallet_investors::Call::allocate_cash { investor: investor.clone(), asset: CNY, amount: cash };
		execute(&chain, Alice, RuntimeCall::Investors(call));
	}

	// 2. Eve attests: both identified and screened; one balanced (C3), one conservative (C1).
	for investor in &investors {
		execute(&chain, Alice, signed_claim(&chain, investor, Statement::Kyc, 1));
		execute(&chain, Alice, signed_claim(&chain, investor, Statement::Aml(AmlResult::Passed), 1));
	}
	execute(&chain, Alice, signed_claim(&chain, &suitable, Statement::Risk(RiskCategory::C3), 1));
	let conservative = signed_claim(&chain, &cautious, Statement::Risk(RiskCategory::C1), 1);
	execute(&chain, Alice, conservative.clone());
	// The same signed claim submitted again (a replay) is refused, as is another one with a
	// used nonce.
	let replay = submit(&chain, Bob, conservative);
	assert_eq!(failure(&replay), module_error(pallet_compliance::Error::<Runtime>::StaleNonce));
	let reused = submit(&chain, Alice, signed_claim(&chain, &cautious, Statement::Risk(RiskCategory::C5), 1));
	assert_eq!(failure(&reused), module_error(pallet_compliance::Error::<Runtime>::StaleNonce));

	// 3. Bob offers Moutai (an R3 product); Alice buys for the balanced investor: it trades.
	let offer = orderbook::place_order(MOUTAI_MARKET, Side::Sell, 200, limit(MOUTAI_REFERENCE));
	execute(&chain, Bob, offer);
	let buy = |who: &AccountId| {
		orderbook::place_order_for(Some(who.clone()), MOUTAI_MARKET, Side::Buy, 100, limit(MOUTAI_REFERENCE))
	};
	let events = execute(&chain, Alice, buy(&suitable));
	assert!(
		events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Settlement(pallet_settlement::Event::TradeSettled { buyer, .. }) if *buyer == suitable
		)),
		"{events:?}"
	);
	let shares = |who: &AccountId| orderbook::ledger_balance(&chain, MOUTAI, who, None).expect("rpc").0;
	assert_eq!(shares(&suitable), 100);

	// 4. The conservative investor is refused, with the condition that failed.
	let refused = submit(&chain, Alice, buy(&cautious));
	assert_eq!(failure(&refused), module_error(pallet_compliance::Error::<Runtime>::NotSuitable));
	assert_eq!(shares(&cautious), 0);

	// 5. A new assessment (C4, nonce 2) makes it suitable; the same order now trades.
	execute(&chain, Alice, signed_claim(&chain, &cautious, Statement::Risk(RiskCategory::C4), 2));
	execute(&chain, Alice, buy(&cautious));
	assert_eq!(shares(&cautious), 100);
}
