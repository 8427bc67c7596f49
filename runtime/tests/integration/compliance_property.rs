//! Issue 14's property, on the whole runtime: over random sequences of claims, revocations,
//! expiries, freezes, orders and instructions, no investor ever increases its position in a
//! security while the compliance rules refuse it that, every call that fails leaves the state
//! root as it was, and every pallet's invariants hold after every step.

use frame_support::traits::{tokens::fungibles::Inspect, UnfilteredDispatchable};
use pallet_compliance::{AmlResult, Claim, ClaimKind, Direction, RiskCategory, Statement};
use pallet_orderbook::{OrderType, Side, TimeInForce};
use proptest::prelude::*;
use qingsuan_runtime::{
	genesis_config_presets::{CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE},
	Compliance, Investors, Ledger, Members, Orderbook, Runtime, RuntimeCall, RuntimeOrigin, Settlement,
};
use qingsuan_sm_crypto::sm2;
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{AccountId32, DispatchError};

/// The attestor this test registers.
pub(crate) fn attestor() -> AccountId32 {
	AccountId32::new([0xA7; 32])
}

pub(crate) fn secret() -> sm2::SecretKey {
	sm2::SecretKey::from_bytes(&qingsuan_primitives::DEV_ATTESTOR_SECRET).expect("a valid scalar")
}

/// Dispatch `call` as a block would; a call that fails must leave the state root as it was.
pub(crate) fn dispatch(call: RuntimeCall, origin: RuntimeOrigin) -> Result<(), DispatchError> {
	let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let described = format!("{call:?}");
	let result = call.dispatch_bypass_filter(origin).map(|_| ()).map_err(|e| e.error);
	if result.is_err() {
		assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "{described} failed but changed state");
	}
	result
}

pub(crate) fn root(call: RuntimeCall) {
	dispatch(call, RuntimeOrigin::root()).expect("the set-up call succeeds");
}

/// Investors: two of Alice's, one of Bob's, one of Charlie's, with their brokers.
fn investors() -> Vec<(AccountId32, AccountId32)> {
	[(Alice, 1u8), (Alice, 2), (Bob, 3), (Charlie, 4)]
		.into_iter()
		.map(|(broker, tag)| (Investors::investor_account(&broker.to_account_id(), &[tag; 32]), broker.to_account_id()))
		.collect()
}

/// Register [`attestor`] with its SM2 key and trust it for every kind of claim.
pub(crate) fn register_attestor() {
	let a = attestor();
	root(RuntimeCall::Members(pallet_members::Call::grant_role {
		who: a.clone(),
		role: qingsuan_primitives::Role::Attestor,
	}));
	dispatch(
		RuntimeCall::Compliance(pallet_compliance::Call::set_attestor_key { key: secret().public() }),
		RuntimeOrigin::signed(a.clone()),
	)
	.expect("the attestor sets its key");
	for kind in ClaimKind::ALL {
		root(RuntimeCall::Compliance(pallet_compliance::Call::set_trust {
			kind,
			attestors: vec![a.clone()].try_into().expect("one"),
		}));
	}
}

/// Register the attestor, trust it for every kind, open the investors, give each 1,000 Moutai and
/// 100,000,000 fen of client money.
fn set_up() {
	register_attestor();
	for (tag, (investor, broker)) in investors().into_iter().enumerate() {
		let signed = RuntimeOrigin::signed(broker.clone());
		dispatch(
			RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment: [tag as u8 + 1; 32] }),
			signed.clone(),
		)
		.expect("opens");
		root(RuntimeCall::Ledger(pallet_ledger::Call::issue { asset: MOUTAI, to: investor.clone(), amount: 1_000 }));
		dispatch(
			RuntimeCall::Investors(pallet_investors::Call::fund_client_money { asset: CNY, amount: 100_000_000 }),
			signed.clone(),
		)
		.expect("the broker has cash");
		dispatch(
			RuntimeCall::Investors(pallet_investors::Call::allocate_cash { investor, asset: CNY, amount: 100_000_000 }),
			signed,
		)
		.expect("allocates");
	}
}

#[derive(Clone, Debug)]
enum Op {
	Claim { subject: usize, statement: Statement, days: u64 },
	Revoke { subject: usize, kind: ClaimKind },
	Advance { days: u64 },
	Freeze { subject: usize, frozen: bool },
	Order { who: usize, buy: bool, ticks: i64 },
	Instruct { seller: usize, buyer: usize, ticks: i64 },
}

fn statement() -> impl Strategy<Value = Statement> {
	prop_oneof![
		3 => Just(Statement::Kyc),
		3 => Just(Statement::Aml(AmlResult::Passed)),
		1 => Just(Statement::Aml(AmlResult::Blocked)),
		3 => (0usize..5).prop_map(|c| Statement::Risk(
			[RiskCategory::C1, RiskCategory::C2, RiskCategory::C3, RiskCategory::C4, RiskCategory::C5][c]
		)),
		1 => Just(Statement::Professional),
	]
}

fn kind() -> impl Strategy<Value = ClaimKind> {
	prop_oneof![Just(ClaimKind::Kyc), Just(ClaimKind::Aml), Just(ClaimKind::Risk), Just(ClaimKind::Professional)]
}

fn op() -> impl Strategy<Value = Op> {
	let who = 0usize..4;
	prop_oneof![
		2 => (who.clone(), statement(), 1u64..400).prop_map(|(subject, statement, days)| Op::Claim { subject, statement, days }),
		1 => (who.clone(), kind()).prop_map(|(subject, kind)| Op::Revoke { subject, kind }),
		1 => (0u64..15).prop_map(|days| Op::Advance { days }),
		1 => (who.clone(), prop::bool::weighted(0.3)).prop_map(|(subject, frozen)| Op::Freeze { subject, frozen }),
		6 => (who.clone(), any::<bool>(), -3i64..=3).prop_map(|(who, buy, ticks)| Op::Order { who, buy, ticks }),
		2 => (who.clone(), who, -3i64..=3).prop_map(|(seller, buyer, ticks)| Op::Instruct { seller, buyer, ticks }),
	]
}

/// A price `ticks` hundred fen from the reference.
fn price(ticks: i64) -> u64 {
	(MOUTAI_REFERENCE as i64 + ticks * 100) as u64
}

/// `attestor()`'s claim of `statement` about `subject`, valid for `days` from now.
pub(crate) fn submit(
	subject: &AccountId32,
	statement: Statement,
	days: u64,
	nonce: &mut u64,
) -> Result<(), DispatchError> {
	*nonce += 1;
	let now = pallet_timestamp::Now::<Runtime>::get();
	let claim = Claim {
		attestor: attestor(),
		subject: subject.clone(),
		statement,
		issued_at: now,
		expires_at: now + days * 86_400_000,
		nonce: *nonce,
	};
	let signature = secret().sign(&claim.payload(&Compliance::genesis())).expect("signs");
	dispatch(
		RuntimeCall::Compliance(pallet_compliance::Call::submit_claim { claim, signature }),
		RuntimeOrigin::signed(Dave.to_account_id()),
	)
}

/// Every investor starts suitable for Moutai (an R3 product): identity, screening and a C4
/// assessment, expiring 10, 20, 30 and 40 days from now; the operations take it away.
fn initial_claims(nonce: &mut u64) {
	for (n, (investor, _)) in investors().iter().enumerate() {
		let days = 10 * (n as u64 + 1);
		for statement in [Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(RiskCategory::C4)] {
			submit(investor, statement, days, nonce).expect("a valid claim");
		}
	}
}

fn apply(op: &Op, nonce: &mut u64) -> Result<(), DispatchError> {
	let people = investors();
	let now = pallet_timestamp::Now::<Runtime>::get();
	match op.clone() {
		Op::Claim { subject, statement, days } => submit(&people[subject].0, statement, days, nonce),
		Op::Revoke { subject, kind } => dispatch(
			RuntimeCall::Compliance(pallet_compliance::Call::revoke_claim { subject: people[subject].0.clone(), kind }),
			RuntimeOrigin::signed(attestor()),
		),
		Op::Advance { days } => {
			pallet_timestamp::Now::<Runtime>::put(now + days * 86_400_000);
			Ok(())
		},
		Op::Freeze { subject, frozen } => {
			let investor = people[subject].0.clone();
			let call = if frozen {
				pallet_investors::Call::freeze { investor }
			} else {
				pallet_investors::Call::unfreeze { investor }
			};
			dispatch(RuntimeCall::Investors(call), RuntimeOrigin::signed(Ferdie.to_account_id()))
		},
		Op::Order { who, buy, ticks } => {
			let (investor, broker) = people[who].clone();
			dispatch(
				RuntimeCall::Orderbook(pallet_orderbook::Call::place_order {
					market: MOUTAI_MARKET,
					side: if buy { Side::Buy } else { Side::Sell },
					quantity: 100,
					kind: OrderType::Limit { price: price(ticks), tif: TimeInForce::Gtc, post_only: false },
					account: Some(investor),
				}),
				RuntimeOrigin::signed(broker),
			)
		},
		Op::Instruct { seller, buyer, ticks } => {
			let ((s, sb), (b, bb)) = (people[seller].clone(), people[buyer].clone());
			let legs = vec![
				pallet_settlement::Leg { from: s.clone(), to: b.clone(), asset: MOUTAI, amount: 100 },
				pallet_settlement::Leg { from: b, to: s, asset: CNY, amount: 100 * u128::from(price(ticks)) },
			];
			let expires_at = qingsuan_runtime::System::block_number() + 10;
			dispatch(
				RuntimeCall::Settlement(pallet_settlement::Call::create_instruction {
					legs: legs.try_into().expect("two legs"),
					settle_at: None,
					expires_at,
				}),
				RuntimeOrigin::signed(sb.clone()),
			)?;
			let id = pallet_settlement::NextInstructionId::<Runtime>::get() - 1;
			for broker in [sb, bb] {
				dispatch(
					RuntimeCall::Settlement(pallet_settlement::Call::affirm_instruction { id }),
					RuntimeOrigin::signed(broker),
				)?;
			}
			Ok(())
		},
	}
}

fn invariants() -> Result<(), TestCaseError> {
	let fail = |e| TestCaseError::fail(format!("{e:?}"));
	Ledger::do_try_state().map_err(fail)?;
	Settlement::do_try_state().map_err(fail)?;
	Orderbook::do_try_state().map_err(fail)?;
	Investors::do_try_state().map_err(fail)?;
	Compliance::do_try_state().map_err(fail)?;
	Members::do_try_state().map_err(fail)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	#[test]
	fn no_investor_acquires_what_the_rules_refuse_it(ops in proptest::collection::vec(op(), 1..40)) {
		crate::local_ext().execute_with(|| -> Result<(), TestCaseError> {
			set_up();
			let mut nonce = 0u64;
			initial_claims(&mut nonce);
			for op in &ops {
				let before: Vec<u128> = investors().iter().map(|(i, _)| Ledger::total_balance(MOUTAI, i)).collect();
				// Each dispatch checks that a failure changed nothing; a step of several calls
				// (an instruction created, then affirmed) may stop half way, as brokers' would.
				let _ = apply(op, &mut nonce);
				for ((investor, _), was) in investors().iter().zip(before) {
					if Ledger::total_balance(MOUTAI, investor) > was {
						prop_assert!(
							Compliance::may_change(investor, MOUTAI, Direction::Increase).is_ok(),
							"{:?} acquired Moutai against the rules in {:?}", investor, op
						);
					}
				}
				invariants()?;
			}
			Ok(())
		})?;
	}
}
