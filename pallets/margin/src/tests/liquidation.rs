//! Working liquidation cases: each step (repay, protected sale, write-off), when a case ends,
//! the risk reserve and bad debt, and the off-chain worker's authorized steps.

use super::risk::{ann_below_the_call_line, leveraged_ann, margin_events, ratio, risk, trade_at};
use super::*;
use codec::Decode;
use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
use sp_core::offchain::{testing, OffchainWorkerExt, TransactionPoolExt};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	RuntimeAppPublic,
};

/// Ann below the instant line: Moutai at its band's floor, 1,170 (about 199%).
fn ann_in_liquidation() -> u64 {
	let credit = ann_below_the_call_line();
	trade_at(117_000);
	run_blocks(61);
	assert_eq!(risk(credit).case, Some(CaseReason::Instant));
	credit
}

/// The step due for `credit`, taken.
pub(super) fn liquidate(credit: u64) -> Result<LiquidationStep, DispatchError> {
	Margin::do_liquidate(&credit).map(|(step, _)| step)
}

fn steps() -> Vec<LiquidationStep> {
	margin_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::LiquidationStepped { step, .. } => Some(step),
			_ => None,
		})
		.collect()
}

#[test]
fn a_case_repays_from_cash_then_sells_just_enough_at_a_protected_price_and_ends() {
	run_test(|| {
		let credit = ann_in_liquidation();
		System::reset_events();
		let cash = cny(credit);
		let debt = info(credit).debt + info(credit).interest;
		// First the account's own cash.
		assert_eq!(liquidate(credit), Ok(LiquidationStep::Repay { amount: cash }));
		assert_eq!(cny(credit), 0);
		assert_eq!(info(credit).debt, debt - cash);
		// One step per block.
		assert_noop!(liquidate(credit), Error::<Test>::NoStepDue);
		run_blocks(1);
		assert_eq!(risk(credit).case, Some(CaseReason::Instant), "about 209%: still below the warning line");
		// Then a sale: the mark (1,170) less 2% is below the floor, so the floor protects it;
		// (240% × 950,036 − 1,989,000) / (140% × 1,170) = 177.7 shares: two lots.
		bob_buys(200, 117_000);
		let step = liquidate(credit).expect("a sale is due");
		assert_eq!(step, LiquidationStep::Sell { market: MOUTAI_MKT, security: MOUTAI, quantity: 200, price: 117_000 });
		assert_eq!(Ledger::balance(MOUTAI, &credit), 1_500);
		assert_eq!(info(credit).live_orders, 0, "the market order filled and ended");
		assert!(ratio(credit) >= 24_000);
		run_blocks(1);
		assert!(margin_events().contains(&Event::LiquidationEnded { credit }));
		assert_eq!(risk(credit).case, None);
		assert_eq!(Cases::<Test>::iter().count(), 0);
		// What is left is the investor's: the shares and the debt the ratio carries.
		assert_eq!(Ledger::balance(MOUTAI, &credit), 1_500);
		assert!(info(credit).debt > 0);
		assert_eq!(steps().len(), 2);
		assert_noop!(liquidate(credit), Error::<Test>::NoStepDue);
	});
}

#[test]
fn an_expired_contract_is_liquidated_until_nothing_is_owed_and_the_surplus_stays() {
	run_test(|| {
		let credit = leveraged_ann();
		assert_ok!(Margin::renew_credit(alice(), credit, 1));
		advance_days(1);
		run_blocks(1);
		assert_eq!(risk(credit).case, Some(CaseReason::Expired));
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Repay { .. })));
		run_blocks(1);
		// The whole debt at 1,470 (the mark less 2%): about 647 shares, seven lots.
		bob_buys(700, 147_000);
		let step = liquidate(credit).expect("a sale is due");
		assert!(matches!(step, LiquidationStep::Sell { quantity: 700, price: 147_000, .. }), "{step:?}");
		assert_eq!(info(credit).debt + info(credit).interest, 0);
		let surplus = cny(credit);
		assert!(surplus > 0);
		run_blocks(1);
		assert_eq!(risk(credit).case, None);
		assert_eq!(Risk::<Test>::get(credit), None, "nothing owed, nothing open");
		assert_eq!((cny(credit), Ledger::balance(MOUTAI, &credit)), (surplus, 1_000));
	});
}

/// Ann's credit account holding 100 Moutai against 1,000,000 yuan of principal (written in
/// storage: no sequence of trades inside the bands gets there quickly), which the engine finds
/// below the instant line.
fn ann_under_water() -> u64 {
	let credit = ann_owing(1_000_000);
	assert_eq!(risk(credit).case, Some(CaseReason::Instant));
	credit
}

/// Ann's credit account holding 100 Moutai against `yuan` of principal on them, written in
/// storage, valued by the engine.
fn ann_owing(yuan: u128) -> u64 {
	let credit = open_ann(2_000_000, 0);
	assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
	let principal = yuan * YUAN;
	Credit::<Test>::mutate(credit, |i| {
		let i = i.as_mut().unwrap();
		i.debt = principal;
		i.positions[0].financing = Financing { amount: principal, quantity: 100 };
	});
	Lent::<Test>::insert(ALICE, CNY, principal);
	run_blocks(1);
	credit
}

#[test]
fn what_a_sale_cannot_repay_is_bad_debt_the_reserve_covers_as_far_as_it_can() {
	run_test(|| {
		let credit = ann_under_water();
		assert_ok!(Margin::fund_reserve(alice(), CNY, 500_000 * YUAN));
		let reserve = Margin::risk_reserve(&ALICE);
		assert_eq!(cny(reserve), 500_000 * YUAN);
		// Nothing to write off while shares are left: they are sold first.
		bob_buys(100, 147_000);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Sell { quantity: 100, .. })));
		run_blocks(1);
		let owed = info(credit).debt + info(credit).interest;
		let principal = info(credit).debt;
		let pool_before = cny(pool());
		System::reset_events();
		assert_eq!(liquidate(credit), Ok(LiquidationStep::WriteOff));
		let covered = 500_000 * YUAN;
		assert!(margin_events().contains(&Event::BadDebt {
			credit,
			broker: ALICE,
			principal,
			interest: owed - principal,
			covered
		}));
		assert_eq!(cny(reserve), 0);
		assert_eq!(cny(pool()), pool_before + covered);
		assert_eq!(Uncovered::<Test>::get(ALICE, CNY), owed - covered);
		assert_eq!((info(credit).debt, info(credit).interest), (0, 0));
		assert_eq!(Lent::<Test>::get(ALICE, CNY), 0);
		run_blocks(1);
		assert!(margin_events().contains(&Event::LiquidationEnded { credit }));
		assert_noop!(liquidate(credit), Error::<Test>::NoStepDue);
	});
}

#[test]
fn the_reserve_is_the_brokers_to_fund_and_take_back() {
	run_test(|| {
		assert_noop!(Margin::fund_reserve(RuntimeOrigin::signed(OUTSIDER), CNY, 1), DispatchError::BadOrigin);
		assert_noop!(Margin::fund_reserve(alice(), CNY, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Margin::fund_reserve(alice(), MOUTAI, 1), Error::<Test>::WrongCash);
		assert_noop!(Margin::fund_reserve(alice(), CNY, START_CASH + 1), Error::<Test>::InsufficientBalance);
		assert_ok!(Margin::fund_reserve(alice(), CNY, 1_000));
		assert_noop!(Margin::withdraw_reserve(alice(), CNY, 1_001), Error::<Test>::InsufficientBalance);
		assert_noop!(Margin::withdraw_reserve(RuntimeOrigin::signed(BOB), CNY, 1), Error::<Test>::InsufficientBalance);
		let before = cny(ALICE);
		assert_ok!(Margin::withdraw_reserve(alice(), CNY, 1_000));
		assert_eq!(cny(ALICE), before + 1_000);
	});
}

#[test]
fn a_frozen_account_is_not_liquidated_until_it_thaws() {
	run_test(|| {
		let credit = ann_in_liquidation();
		qingsuan_primitives::investors::mock::set_frozen(credit, true);
		assert_eq!(Margin::due_step(&credit), None);
		assert_noop!(liquidate(credit), Error::<Test>::NoStepDue);
		qingsuan_primitives::investors::mock::set_frozen(credit, false);
		assert!(Margin::due_step(&credit).is_some());
	});
}

fn call(credit: u64, block: u64, worker: u64) -> Call<Test> {
	let worker = UintAuthorityId(worker);
	let signature = worker.sign(&crate::worker::liquidation_payload(&credit, &block)).unwrap();
	Call::liquidate { credit, block, worker, signature }
}

fn authorize(call: &Call<Test>) -> Result<(), TransactionValidityError> {
	call.authorize(TransactionSource::External).expect("liquidation is authorized by the pallet").map(|_| ())
}

#[test]
fn only_current_authorities_signing_a_due_step_over_a_recent_block_are_authorized() {
	run_test(|| {
		let amy_credit = qingsuan_primitives::investors::mock::CREDIT_OFFSET + AMY;
		let credit = ann_in_liquidation();
		let now = System::block_number();
		assert_eq!(authorize(&call(credit, now, 7)), Ok(()));
		assert_eq!(authorize(&call(credit, now - 4, 7)), Ok(()));
		assert_eq!(authorize(&call(credit, now - 5, 7)), Err(InvalidTransaction::Stale.into()));
		assert_eq!(authorize(&call(credit, now + 1, 7)), Err(InvalidTransaction::Future.into()));
		assert_eq!(authorize(&call(credit, now, 8)), Err(InvalidTransaction::BadSigner.into()));
		let Call::liquidate { signature, .. } = call(amy_credit, now, 7) else { unreachable!() };
		let forged = Call::liquidate { credit, block: now, worker: UintAuthorityId(7), signature };
		assert_eq!(authorize(&forged), Err(InvalidTransaction::BadProof.into()));
		// No case, no step.
		assert_eq!(authorize(&call(amy_credit, now, 7)), Err(InvalidTransaction::Stale.into()));
		// Only as an authorized transaction.
		let Call::liquidate { signature, .. } = call(credit, now, 7) else { unreachable!() };
		assert_noop!(
			Margin::liquidate(alice(), credit, now, UintAuthorityId(7), signature.clone()),
			DispatchError::BadOrigin
		);
		let authorized = RuntimeOrigin::from(frame_system::RawOrigin::Authorized);
		assert_ok!(Margin::liquidate(authorized, credit, now, UintAuthorityId(7), signature));
		// Its step taken, nothing more is due in this block.
		assert_eq!(authorize(&call(credit, now, 7)), Err(InvalidTransaction::Stale.into()));
		let _ = TestSignature(7, vec![]);
	});
}

#[test]
fn the_worker_submits_each_due_step_in_its_turn() {
	let (offchain, _state) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	let mut ext = new_test_ext();
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys(vec![7u64]);
		let credit = ann_in_liquidation();
		let now = System::block_number();
		Margin::run_worker(now);
		let submitted: Vec<Extrinsic> =
			pool_state.read().transactions.iter().map(|t| Extrinsic::decode(&mut &t[..]).unwrap()).collect();
		assert_eq!(submitted.len(), 1);
		let RuntimeCall::Margin(call) = submitted[0].function.clone() else { panic!("not ours") };
		assert!(matches!(call, Call::liquidate { credit: c, block, .. } if c == credit && block == now));
		assert_eq!(authorize(&call), Ok(()));
		// Another authority's turn: nothing from this node.
		Workers::set(vec![UintAuthorityId(7), UintAuthorityId(8)]);
		let theirs = if now % 2 == 1 { now } else { now + 1 };
		System::set_block_number(theirs);
		Margin::run_worker(theirs);
		assert_eq!(pool_state.read().transactions.len(), 1);
		Workers::set(vec![UintAuthorityId(7)]);
		check_invariants();
	});
}

#[test]
fn calls_that_place_orders_are_charged_what_placing_cost_not_the_books_worst_case() {
	use frame_support::dispatch::GetDispatchInfo;
	run_test(|| {
		let credit = leveraged_ann();
		bob_sells(100, 150_000);
		let declared = Call::<Test>::collateral_buy { credit, market: MOUTAI_MKT, quantity: 100, kind: gtc(150_000) }
			.get_dispatch_info()
			.call_weight;
		assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 200_000 * YUAN));
		let post = Margin::collateral_buy(alice(), credit, MOUTAI_MKT, 100, gtc(150_000)).expect("bought");
		let actual = post.actual_weight.expect("charged for what it did");
		assert!(actual.all_lt(declared), "{actual:?} < {declared:?}");
		assert!(actual.all_gt(<() as WeightInfo>::collateral_buy()));
	});
}

#[test]
fn a_case_cancels_the_accounts_orders_before_it_sells() {
	run_test(|| {
		let credit = ann_below_the_call_line();
		// A take-profit order resting from before the case holds 300 shares out of reach.
		assert_ok!(Margin::sell(alice(), credit, MOUTAI_MKT, 300, gtc(142_000)));
		trade_at(117_000);
		run_blocks(61);
		assert_eq!(risk(credit).case, Some(CaseReason::Instant));
		// In liquidation it may sell at once, not rest another order.
		assert_noop!(Margin::sell(alice(), credit, MOUTAI_MKT, 100, gtc(142_000)), Error::<Test>::InLiquidation);
		assert_eq!(liquidate(credit), Ok(LiquidationStep::CancelOrders));
		assert_eq!(info(credit).live_orders, 0);
		assert_eq!(Ledger::balance_on_hold(MOUTAI, &pallet_orderbook::HoldReason::OpenOrder.into(), &credit), 0);
		run_blocks(1);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Repay { .. })));
		run_blocks(1);
		bob_buys(300, 117_000);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Sell { .. })));
	});
}

#[test]
fn odd_lots_are_not_sold_and_stay_the_investors_when_the_rest_is_written_off() {
	run_test(|| {
		let credit = ann_under_water();
		// 50 more: one lot and an odd 50 (the book trades whole lots only).
		assert_ok!(Ledger::mint_into(MOUTAI, &ANN, 50));
		assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 50));
		run_blocks(1);
		bob_buys(100, 147_000);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Sell { quantity: 100, .. })));
		run_blocks(1);
		assert_eq!(liquidate(credit), Ok(LiquidationStep::WriteOff));
		assert_eq!(Ledger::balance(MOUTAI, &credit), 50);
		assert_eq!(info(credit).debt, 0);
	});
}

#[test]
fn a_step_the_order_book_refuses_changes_nothing_and_waits_ten_blocks() {
	run_test(|| {
		let credit = ann_in_liquidation();
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Repay { .. })));
		run_blocks(1);
		// The registry now names another broker: the book refuses Alice's order for it.
		qingsuan_primitives::investors::mock::set_broker(credit, BOB);
		bob_buys(200, 117_000);
		System::reset_events();
		let before = (Ledger::balance(MOUTAI, &credit), info(credit).debt);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Sell { .. })));
		assert!(margin_events()
			.iter()
			.any(|e| matches!(e, Event::LiquidationStepFailed { credit: c, .. } if *c == credit)));
		assert_eq!((Ledger::balance(MOUTAI, &credit), info(credit).debt), before);
		assert_eq!(info(credit).live_orders, 0);
		run_blocks(9);
		assert_eq!(Margin::due_step(&credit), None);
		run_blocks(1);
		assert!(Margin::due_step(&credit).is_some());
		qingsuan_primitives::investors::mock::set_broker(credit, ALICE);
	});
}

#[test]
fn a_revoked_brokers_account_is_sold_until_nothing_is_owed() {
	run_test(|| {
		let credit = leveraged_ann();
		Revoked::set(vec![ALICE]);
		advance_days(1);
		run_blocks(1);
		assert_eq!(risk(credit).case, Some(CaseReason::RevokedBroker));
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Repay { .. })));
		run_blocks(1);
		bob_buys(700, 147_000);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Sell { quantity: 700, .. })));
		assert_eq!(info(credit).debt + info(credit).interest, 0);
		run_blocks(1);
		assert_eq!(risk(credit).case, None);
		Revoked::set(vec![]);
	});
}

#[test]
fn an_account_back_at_its_line_is_not_stepped_while_its_case_waits_to_close() {
	run_test(|| {
		let credit = ann_in_liquidation();
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Repay { .. })));
		run_blocks(1);
		bob_buys(200, 117_000);
		assert!(matches!(liquidate(credit), Ok(LiquidationStep::Sell { .. })));
		// The next block's step comes before the engine has ended the case: none is due (no
		// write-off of an account holding shares, no sale it does not need).
		System::set_block_number(System::block_number() + 1);
		assert!(ratio(credit) >= 24_000);
		assert_eq!(Margin::due_step(&credit), None);
		let debt = info(credit).debt;
		assert!(debt > 0);
		run_blocks(1);
		assert_eq!(risk(credit).case, None);
		assert_eq!(info(credit).debt, debt);
	});
}

#[test]
fn the_var_report_applies_each_past_days_returns_to_the_book() {
	run_test(|| {
		let credit = ann_under_water();
		// Closes: 1,500 (the first day's start), then 1,400 and 1,470 after a minute's trades.
		for price in [140_000, 147_000] {
			trade_at(price);
			run_blocks(61);
			advance_days(1);
			run_blocks(1);
		}
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).to_vec(), vec![150_000, 140_000, 147_000]);
		let view = Margin::account_view(&credit).expect("an account");
		let owed = view.liabilities;
		let held = 100 * 147_000u128;
		// Yesterday's return (1,470 / 1,400) and the day before's (1,400 / 1,500), applied to
		// 100 Moutai at 1,470: the shortfall is what they leave of the debt.
		let losses = [owed - held * 147_000 / 140_000, owed - held * 140_000 / 150_000];
		let report = Margin::var_report(&ALICE, CNY, 250, 5);
		assert_eq!((report.scenarios, report.accounts, report.exposure), (2, 1, owed));
		// 99% of two scenarios: the worse.
		assert_eq!((report.var, report.worst), (losses[1], losses[1]));
		assert_eq!(report.nearest.len(), 1);
		assert_eq!(report.nearest[0].credit, credit);
		assert_eq!(report.nearest[0].zone, RiskZone::BelowInstant);
		// Only the last day: its loss. Another broker's report is empty.
		assert_eq!(report.markets, vec![MarketHistory { market: MOUTAI_MKT, returns: 2 }]);
		assert_eq!(Margin::var_report(&ALICE, CNY, 1, 5).var, losses[0]);
		let bob = Margin::var_report(&BOB, CNY, 250, 5);
		assert_eq!((bob.scenarios, bob.var, bob.accounts), (0, 0, 0));
	});
}

/// Ann with 100 Moutai pledged and 50,000 yuan of principal owed, and 1,000 Ping An of her own
/// to pledge.
fn ann_with_two_markets() -> u64 {
	let credit = ann_owing(50_000);
	assert_ok!(Ledger::mint_into(PINGAN, &ANN, 1_000));
	credit
}

#[test]
fn a_day_without_a_new_price_adds_no_scenario_and_each_market_reports_its_history() {
	run_test(|| {
		let credit = ann_with_two_markets();
		trade_at(140_000);
		run_blocks(61);
		advance_days(1);
		run_blocks(1);
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).to_vec(), vec![150_000, 140_000]);
		// A weekend: no trade, so no close and no zero-return scenario.
		for _ in 0..2 {
			advance_days(1);
			run_blocks(1);
		}
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).len(), 2);
		// Ping An pledged now is tracked from the next day's start: one close, no return yet.
		assert_ok!(Margin::deposit_collateral(alice(), credit, PINGAN, 1_000));
		trade_at(147_000);
		run_blocks(61);
		advance_days(1);
		run_blocks(1);
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).to_vec(), vec![150_000, 140_000, 147_000]);
		assert_eq!(Closes::<Test>::get(PINGAN_MKT).to_vec(), vec![PINGAN_REF as u128]);
		let report = Margin::var_report(&ALICE, CNY, 250, 5);
		assert_eq!(report.scenarios, 2);
		assert_eq!(
			report.markets,
			vec![MarketHistory { market: MOUTAI_MKT, returns: 2 }, MarketHistory { market: PINGAN_MKT, returns: 0 }]
		);
		// Only the book lending CNY: nothing lends another cash asset.
		let other = Margin::var_report(&ALICE, CNY + 1, 250, 5);
		assert_eq!((other.accounts, other.exposure, other.markets.len()), (0, 0, 0));
		Margin::do_try_state().expect("invariants");
	});
}

#[test]
fn a_market_no_longer_held_keeps_its_history() {
	run_test(|| {
		let credit = open_ann(2_000_000, 0);
		assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
		run_blocks(1);
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).to_vec(), vec![150_000]);
		// Withdrawn (no debt) and dropped by the next valuation: no longer watched.
		assert_ok!(Margin::withdraw_collateral(alice(), credit, MOUTAI, 100));
		run_blocks(1);
		assert!(Watched::<Test>::get().is_empty());
		// Still tracked: the next day's close is its last trade.
		trade_at(140_000);
		advance_days(1);
		run_blocks(1);
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).to_vec(), vec![150_000, 140_000]);
		// Pledged again, its history is there for the report.
		assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
		assert_eq!(Closes::<Test>::get(MOUTAI_MKT).len(), 2);
		Margin::do_try_state().expect("invariants");
	});
}
