//! Securities lending and short positions: the lending pool, valuing an account that owes
//! shares, its restricted proceeds, returning shares, the rising triggers, and liquidation by
//! buy-back and write-off. (Short positions are written into storage here, as a completed short
//! sale leaves them; the calls that make them come with the second half of step 2b.)

use super::liquidation::liquidate;
use super::risk::{band_at, margin_events, ratio, risk, trade_at};
use super::*;
use frame_support::traits::tokens::Preservation::Expendable;

/// What Ann owes of Moutai.
pub(super) fn short(credit: u64) -> Short {
	info(credit).positions.iter().find(|p| p.security == MOUTAI).map(|p| p.short).unwrap_or_default()
}

/// Ann short 100 Moutai sold at 1,500 (150,000 yuan of proceeds, sale value 150,000) from
/// Alice's lending pool, with `own` yuan of her own cash in the credit account.
fn ann_short(own: u128) -> u64 {
	let credit = open_ann(2_000_000, own);
	assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, own * YUAN));
	assert_ok!(Margin::fund_lending(alice(), MOUTAI, 1_000));
	// The sale: the pool's 100 shares went to Bob, the proceeds to Ann.
	let pool = Margin::lending_pool(&ALICE);
	assert_ok!(<Ledger as Mutate<u64>>::transfer(MOUTAI, &pool, &BOB, 100, Expendable));
	let proceeds = 150_000 * YUAN;
	assert_ok!(<Ledger as Mutate<u64>>::transfer(CNY, &BOB, &credit, proceeds, Expendable));
	Credit::<Test>::mutate(credit, |i| {
		let position = Position { short: Short { owed: 100, proceeds, sold: proceeds }, ..Position::new(MOUTAI) };
		i.as_mut().unwrap().positions.try_push(position).unwrap();
	});
	Borrowed::<Test>::insert(ALICE, MOUTAI, 100);
	assert_ok!(Margin::watch(MOUTAI_MKT));
	Dirty::<Test>::insert(credit, ());
	run_blocks(1);
	credit
}

/// Ann's credit account with `own` yuan, and Alice's lending pool with 1,000 Moutai and 10,000
/// Ping An.
fn ann_ready(own: u128) -> u64 {
	let credit = open_ann(2_000_000, own);
	assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, own * YUAN));
	assert_ok!(Margin::fund_lending(alice(), MOUTAI, 1_000));
	assert_ok!(Margin::fund_lending(alice(), PINGAN, 10_000));
	credit
}

/// A call's error, without its weight.
fn error_of(result: frame_support::dispatch::DispatchResultWithPostInfo) -> Result<(), DispatchError> {
	result.map(|_| ()).map_err(|e| e.error)
}

mod lending_pool {
	use super::*;

	#[test]
	fn a_broker_funds_and_empties_its_lending_pool() {
		run_test(|| {
			let pool = Margin::lending_pool(&ALICE);
			assert_ok!(Margin::fund_lending(alice(), MOUTAI, 1_000));
			assert_eq!(Ledger::balance(MOUTAI, &pool), 1_000);
			assert_eq!(Ledger::balance(MOUTAI, &ALICE), START_SHARES - 1_000);
			System::assert_last_event(Event::LendingFunded { broker: ALICE, security: MOUTAI, quantity: 1_000 }.into());
			assert_ok!(Margin::withdraw_lending(alice(), MOUTAI, 400));
			assert_eq!(Ledger::balance(MOUTAI, &pool), 600);
			System::assert_last_event(
				Event::LendingWithdrawn { broker: ALICE, security: MOUTAI, quantity: 400 }.into(),
			);
			// Its own pool only, and only what it holds.
			assert_noop!(Margin::withdraw_lending(alice(), MOUTAI, 601), Error::<Test>::LendingShort);
			assert_noop!(Margin::withdraw_lending(RuntimeOrigin::signed(BOB), MOUTAI, 1), Error::<Test>::LendingShort);
		});
	}

	#[test]
	fn lending_refuses_bad_input() {
		run_test(|| {
			assert_noop!(Margin::fund_lending(alice(), MOUTAI, 0), Error::<Test>::ZeroAmount);
			assert_noop!(Margin::withdraw_lending(alice(), MOUTAI, 0), Error::<Test>::ZeroAmount);
			assert_noop!(Margin::fund_lending(alice(), CNY, 1), Error::<Test>::NotASecurity);
			assert_noop!(Margin::fund_lending(alice(), 777, 1), Error::<Test>::NotASecurity);
			assert_noop!(Margin::fund_lending(alice(), MOUTAI, START_SHARES + 1), Error::<Test>::InsufficientBalance);
			assert_noop!(Margin::fund_lending(RuntimeOrigin::signed(OUTSIDER), MOUTAI, 1), DispatchError::BadOrigin);
		});
	}
}

mod valuation {
	use super::*;

	#[test]
	fn owed_shares_are_liabilities_at_the_mark_and_their_margin_is_the_exchanges_formula() {
		run_test(|| {
			let credit = ann_short(100_000);
			let v = Margin::value(&credit, &info(credit));
			// 250,000 yuan of cash against 100 × 1,500 owed: 166.7%.
			assert_eq!((v.assets, v.liabilities), (250_000 * YUAN, 150_000 * YUAN));
			assert_eq!(ratio(credit), 16_666);
			assert_eq!(risk(credit).zone, RiskZone::Safe);
			// cash 250,000 + h(150,000 − 150,000) − 150,000 proceeds − 50% × 150,000 = 25,000.
			assert_eq!(Margin::available_margin(&credit, &info(credit)), 25_000 * YUAN as i128);
			// The view shows the short.
			let view = Margin::account_view(&credit).expect("a view");
			assert_eq!(view.positions[0].short, Short { owed: 100, proceeds: 15_000_000, sold: 15_000_000 });
			assert_eq!(view.liabilities, 150_000 * YUAN);
		});
	}

	#[test]
	fn interest_is_charged_on_the_sale_value_of_owed_shares() {
		run_test(|| {
			let credit = ann_short(100_000);
			advance_days(2);
			run_blocks(1);
			// 8% / 360 of 150,000 yuan a day (33.33, rounded up to the fen), two days.
			let daily = daily_interest(150_000 * YUAN, Ppm(SHORT_RATE));
			assert_eq!(info(credit).interest, 2 * daily);
			assert_eq!(daily, 3_334);
		});
	}
}

mod restrictions {
	use super::*;

	#[test]
	fn short_proceeds_only_buy_the_shares_back() {
		run_test(|| {
			let credit = ann_short(100_000);
			// 250,000 yuan in the account, 150,000 of them proceeds.
			assert_noop!(
				Margin::withdraw_collateral(alice(), credit, CNY, 100_000 * YUAN + 1),
				Error::<Test>::InsufficientBalance
			);
			assert_ok!(Ledger::mint_into(PINGAN, &ANN, 100));
			assert_ok!(Margin::deposit_collateral(alice(), credit, PINGAN, 100));
			// A buy with more than her own cash would spend the proceeds.
			assert_noop!(
				Margin::collateral_buy(alice(), credit, PINGAN_MKT, 2_100, gtc(5_000)),
				Error::<Test>::InsufficientBalance
			);
			// Moutai, which she owes, is bought only to return it.
			assert_noop!(
				Margin::collateral_buy(alice(), credit, MOUTAI_MKT, 100, gtc(150_000)),
				Error::<Test>::OwesShares
			);
			assert_noop!(
				Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, gtc(150_000)),
				Error::<Test>::OwesShares
			);
			// Nor is the account closed while it owes them.
			assert_noop!(Margin::close_credit(alice(), credit), Error::<Test>::DebtOutstanding);
		});
	}

	#[test]
	fn deposited_shares_of_an_owed_security_go_back_to_the_pool_and_free_the_proceeds() {
		run_test(|| {
			let credit = ann_short(100_000);
			let pool = Margin::lending_pool(&ALICE);
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 40));
			System::assert_has_event(
				Event::SharesReturned { credit, security: MOUTAI, quantity: 40, released: 0 }.into(),
			);
			assert_eq!(short(credit), Short { owed: 60, proceeds: 15_000_000, sold: 9_000_000 });
			assert_eq!(Borrowed::<Test>::get(ALICE, MOUTAI), 60);
			assert_eq!(Ledger::balance(MOUTAI, &pool), 940);
			assert_eq!(Ledger::balance(MOUTAI, &credit), 0);
			// The rest, and more: 60 go back, 40 stay as collateral, the proceeds are hers.
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
			System::assert_has_event(
				Event::SharesReturned { credit, security: MOUTAI, quantity: 60, released: 15_000_000 }.into(),
			);
			assert_eq!(short(credit), Short::default());
			assert!(!Borrowed::<Test>::contains_key(ALICE, MOUTAI));
			assert_eq!(Ledger::balance(MOUTAI, &credit), 40);
			// Nothing owed: all of her cash may go.
			assert_ok!(Margin::withdraw_collateral(alice(), credit, CNY, 250_000 * YUAN));
		});
	}
}

mod risk_engine {
	use super::*;
	use crate::risk::ascending;

	#[test]
	fn an_account_owing_shares_files_a_rising_trigger_at_its_warning_line() {
		run_test(|| {
			let credit = ann_short(100_000);
			// 250,000 < 150% × 100 p above p = 1,666.67 yuan.
			let filed = risk(credit).triggers.to_vec();
			assert_eq!(filed, vec![Filed { market: MOUTAI_MKT, price: 166_666, rising: true }]);
			assert!(TriggersAbove::<Test>::contains_key((MOUTAI_MKT, ascending(166_666), credit)));
			assert_eq!(Triggers::<Test>::iter().count(), 0);
		});
	}

	#[test]
	fn a_rising_mark_through_the_instant_line_opens_a_case() {
		run_test(|| {
			// 60,000 of her own: 140% at 1,500, below 110% above 1,909.09.
			let credit = ann_short(60_000);
			assert_eq!(risk(credit).zone, RiskZone::Warning);
			let filed = risk(credit).triggers.to_vec();
			assert_eq!(filed, vec![Filed { market: MOUTAI_MKT, price: 190_909, rising: true }]);
			band_at(180_000);
			System::reset_events();
			trade_at(195_000);
			run_blocks(61);
			assert_eq!(Margin::mark(MOUTAI, CNY), 195_000);
			assert_eq!(risk(credit).case, Some(CaseReason::Instant));
			assert!(margin_events().iter().any(|e| matches!(e,
				Event::LiquidationStarted { credit: c, reason: CaseReason::Instant, .. } if *c == credit)));
		});
	}
}

mod liquidation_of_shorts {
	use super::*;

	/// Ann's short in an instant case at a mark of 1,950 (107.7%).
	fn ann_short_in_liquidation() -> u64 {
		let credit = ann_short(60_000);
		band_at(180_000);
		trade_at(195_000);
		run_blocks(61);
		assert_eq!(risk(credit).case, Some(CaseReason::Instant));
		credit
	}

	#[test]
	fn a_case_buys_the_owed_shares_back_at_a_protected_price_and_ends() {
		run_test(|| {
			let credit = ann_short_in_liquidation();
			// 2% above 1,950 is 1,989: within the band (top 1,980)? No: capped at 1,980.
			let step = Margin::due_step(&credit);
			assert_eq!(
				step,
				Some(LiquidationStep::BuyBack { market: MOUTAI_MKT, security: MOUTAI, quantity: 100, price: 198_000 })
			);
			bob_sells(100, 195_000);
			let cash = Ledger::balance(CNY, &credit);
			assert_eq!(liquidate(credit), Ok(step.unwrap()));
			// Filled at Bob's 1,950; the shares went back to the pool.
			assert_eq!(short(credit), Short::default());
			assert!(!Borrowed::<Test>::contains_key(ALICE, MOUTAI));
			assert_eq!(Ledger::balance(MOUTAI, &Margin::lending_pool(&ALICE)), 1_000);
			let paid = cash - Ledger::balance(CNY, &credit);
			assert!((100 * 195_000..100 * 195_000 + 1_000).contains(&paid), "{paid}");
			// Nothing owed: the next valuation ends the case; the rest is Ann's.
			run_blocks(1);
			assert_eq!(risk(credit).case, None);
			assert_eq!(Margin::due_step(&credit), None);
			assert_ok!(Margin::withdraw_collateral(alice(), credit, CNY, cash - paid));
		});
	}

	/// The README's worked example, with the calls a broker makes: under lines of 160/150/140%,
	/// Ann sells 100 Moutai short at 1,500 with 100,000 yuan of her own; the market rises to
	/// 1,950 and a buy-back at most 1,980 closes her short.
	#[test]
	fn a_short_squeezed_through_its_instant_line_is_bought_back() {
		run_test(|| {
			let lines = Parameters { warning: 16_000, call: 15_000, instant: 14_000, ..Default::default() };
			assert_ok!(Margin::set_parameters(consortium(), lines));
			let credit = open_ann(2_000_000, 100_000);
			assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 100_000 * YUAN));
			assert_ok!(Margin::fund_lending(alice(), MOUTAI, 1_000));
			assert_ok!(Margin::short_sell(alice(), credit, MOUTAI_MKT, 100, gtc(150_000)));
			bob_buys(100, 150_000);
			run_blocks(1);
			// 100,000 + 150,000 less fees against 150,000: 166.6%, safe.
			let proceeds = short(credit).proceeds;
			assert!(proceeds > 149_900 * YUAN && proceeds < 150_000 * YUAN, "{proceeds}");
			assert_eq!(ratio(credit), (100_000 * YUAN + proceeds) * 10_000 / (150_000 * YUAN));
			assert_eq!(risk(credit).zone, RiskZone::Safe);
			// Safe, it watches the warning line: below 160% above (100,000 + proceeds) / 1.6 /
			// 100, about 1,562.
			let filed = risk(credit).triggers[0];
			assert!(filed.rising && (156_100..156_300).contains(&filed.price), "{filed:?}");
			band_at(180_000);
			trade_at(195_000);
			run_blocks(61);
			// (100,000 + proceeds) / 195,000: 128.2%.
			assert_eq!(risk(credit).case, Some(CaseReason::Instant));
			let step = Margin::due_step(&credit);
			assert_eq!(
				step,
				Some(LiquidationStep::BuyBack { market: MOUTAI_MKT, security: MOUTAI, quantity: 100, price: 198_000 })
			);
			bob_sells(100, 195_000);
			assert_ok!(liquidate(credit));
			assert_eq!(short(credit), Short::default());
			let left = cny(credit);
			// 250,000 less fees, less 195,000 and its fees: about 55,000 yuan.
			assert!(left > 54_900 * YUAN && left < 100_000 * YUAN + proceeds - 195_000 * YUAN, "{left}");
			run_blocks(1);
			assert_eq!(risk(credit).case, None);
		});
	}

	#[test]
	fn a_buy_back_that_buys_nothing_is_retried_after_a_pause_and_sells_nothing_for_nothing() {
		run_test(|| {
			let credit = ann_short_in_liquidation();
			// Ping An pledged too, and bid for: selling it would only add cash beside the debt.
			assert_ok!(Ledger::mint_into(PINGAN, &ANN, 1_000));
			assert_ok!(Margin::deposit_collateral(alice(), credit, PINGAN, 1_000));
			assert_ok!(Orderbook::place_order(
				RuntimeOrigin::signed(BOB),
				PINGAN_MKT,
				Side::Buy,
				1_000,
				gtc(PINGAN_REF),
				None
			));
			run_blocks(1);
			// No Moutai offer within 1,980: the buy-back buys nothing.
			assert!(matches!(liquidate(credit), Ok(LiquidationStep::BuyBack { .. })));
			assert_eq!(short(credit).owed, 100);
			assert!(risk(credit).unfilled);
			// Nothing for 10 blocks (no sale helps: nothing but shares is owed), then again.
			run_blocks(9);
			assert_eq!(Margin::due_step(&credit), None);
			run_blocks(1);
			assert!(matches!(Margin::due_step(&credit), Some(LiquidationStep::BuyBack { .. })));
			assert_eq!(Ledger::balance(PINGAN, &credit), 1_000);
		});
	}

	#[test]
	fn a_buy_back_that_buys_nothing_lets_a_sale_repay_the_financing_first() {
		run_test(|| {
			let credit = ann_short(100_000);
			// 5,000 Ping An pledged with 50,000 yuan of financing on them; none of her own cash
			// left (160,000 yuan of proceeds, say from a sale at 1,600, are all she has), and the
			// contract has expired.
			assert_ok!(Ledger::mint_into(PINGAN, &ANN, 5_000));
			assert_ok!(Margin::deposit_collateral(alice(), credit, PINGAN, 5_000));
			let principal = 50_000 * YUAN;
			Credit::<Test>::mutate(credit, |i| {
				let i = i.as_mut().unwrap();
				i.debt = principal;
				i.position_mut(PINGAN).unwrap().financing = Financing { amount: principal, quantity: 5_000 };
				i.position_mut(MOUTAI).unwrap().short.proceeds = 160_000 * YUAN;
			});
			Lent::<Test>::insert(ALICE, CNY, principal);
			assert_ok!(<Ledger as Mutate<u64>>::transfer(CNY, &credit, &BOB, 90_000 * YUAN, Expendable));
			Risk::<Test>::mutate(credit, |r| r.get_or_insert_with(Default::default).case = Some(CaseReason::Expired));
			Cases::<Test>::insert(credit, ());
			Dirty::<Test>::insert(credit, ());
			assert_ok!(Orderbook::place_order(
				RuntimeOrigin::signed(BOB),
				PINGAN_MKT,
				Side::Buy,
				5_000,
				gtc(PINGAN_REF),
				None
			));
			run_blocks(1);
			assert!(matches!(liquidate(credit), Ok(LiquidationStep::BuyBack { .. })));
			assert!(risk(credit).unfilled);
			run_blocks(1);
			// A sale of what repays the 50,000 yuan at 49.00 (1,021 shares, in lots: 1,100), not
			// of all that would repay the owed shares too: their buy-back lacked offers, not cash.
			assert_eq!(
				Margin::due_step(&credit),
				Some(LiquidationStep::Sell { market: PINGAN_MKT, security: PINGAN, quantity: 1_100, price: 4_900 })
			);
		});
	}

	#[test]
	fn owed_shares_its_cash_cannot_buy_are_written_off_at_the_mark() {
		run_test(|| {
			let credit = ann_short_in_liquidation();
			// Most of her cash gone (say, a fee dispute settled out of it): 150,000 yuan left,
			// less than a lot at the protection price (198,000).
			let gone = Ledger::balance(CNY, &credit) - 150_000 * YUAN;
			assert_ok!(<Ledger as Mutate<u64>>::transfer(CNY, &credit, &BOB, gone, Expendable));
			Credit::<Test>::mutate(credit, |i| i.as_mut().unwrap().positions[0].short.proceeds = 150_000 * YUAN);
			// The reserve has 20,000 yuan.
			assert_ok!(Margin::fund_reserve(alice(), CNY, 20_000 * YUAN));
			assert_eq!(Margin::due_step(&credit), Some(LiquidationStep::WriteOff));
			assert_ok!(liquidate(credit));
			let worth = 100 * 195_000u128;
			System::assert_has_event(
				Event::SharesWrittenOff {
					credit,
					broker: ALICE,
					security: MOUTAI,
					quantity: 100,
					value: worth,
					paid: 150_000 * YUAN,
					covered: 20_000 * YUAN,
				}
				.into(),
			);
			let lending = Margin::lending_pool(&ALICE);
			assert_eq!(Ledger::balance(CNY, &lending), 170_000 * YUAN);
			assert_eq!(Uncovered::<Test>::get(ALICE, CNY), worth - 170_000 * YUAN);
			assert_eq!(short(credit), Short::default());
			assert_eq!(Ledger::balance(CNY, &credit), 0);
			run_blocks(1);
			assert_eq!(risk(credit).case, None);
		});
	}
}

mod migration {
	use super::*;
	use crate::migrations::{layout_v1, v2::InnerMigrateV1ToV2};
	use frame_support::traits::UncheckedOnRuntimeUpgrade;

	#[test]
	fn v1_records_gain_an_empty_short_and_falling_triggers() {
		run_test(|| {
			let credit = open_ann(2_000_000, 0);
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
			let now = info(credit);
			let old = layout_v1::CreditInfo {
				owner: now.owner,
				broker: now.broker,
				contract: layout_v1::Contract {
					cash: now.contract.cash,
					line: now.contract.line,
					rate: now.contract.rate,
					opened: now.contract.opened,
					expires: now.contract.expires,
				},
				debt: 0,
				interest: 0,
				charged_to: now.charged_to,
				positions: vec![layout_v1::Position { security: MOUTAI, financing: Financing::default(), orders: 0 }],
				live_orders: 0,
			};
			layout_v1::Credit::<Test>::insert(credit, old);
			let old_risk = layout_v1::RiskState {
				zone: RiskZone::Warning,
				call: Some(3),
				case: None,
				triggers: vec![(MOUTAI_MKT, 140_000)],
				stepped: 7,
			};
			frame_support::storage::unhashed::put(&Risk::<Test>::hashed_key_for(credit), &old_risk);
			// v1 kept closes without tracking them.
			Tracked::<Test>::kill();
			Closes::<Test>::insert(MOUTAI_MKT, frame_support::BoundedVec::truncate_from(vec![150_000]));
			InnerMigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(Tracked::<Test>::get().to_vec(), vec![MOUTAI_MKT]);
			// The short fee starts at the financing rate.
			let mut expected = now;
			expected.contract.short_rate = expected.contract.rate;
			assert_eq!(info(credit), expected);
			let r = risk(credit);
			assert_eq!((r.zone, r.call, r.stepped), (RiskZone::Warning, Some(3), 7));
			assert_eq!(r.triggers.to_vec(), vec![Filed { market: MOUTAI_MKT, price: 140_000, rising: false }]);
			// The trigger index is unchanged; put the record back as the engine keeps it.
			Risk::<Test>::remove(credit);
		});
	}
}

mod short_sales {
	use super::*;

	fn short_sell(credit: u64, quantity: u64, kind: OrderType) -> frame_support::dispatch::DispatchResult {
		error_of(Margin::short_sell(alice(), credit, MOUTAI_MKT, quantity, kind))
	}

	fn buy_to_return(credit: u64, quantity: u64, kind: OrderType) -> frame_support::dispatch::DispatchResult {
		error_of(Margin::buy_to_return(alice(), credit, MOUTAI_MKT, quantity, kind))
	}

	#[test]
	fn a_short_sale_borrows_sells_and_keeps_the_proceeds_restricted() {
		run_test(|| {
			// 50% of 200 × 1,500 is 150,000 yuan of margin: she has 200,000.
			let credit = ann_ready(200_000);
			let pool = Margin::lending_pool(&ALICE);
			assert_ok!(short_sell(credit, 200, gtc(150_000)));
			System::assert_has_event(Event::SharesLent { credit, security: MOUTAI, quantity: 200 }.into());
			assert_eq!(Ledger::balance(MOUTAI, &pool), 800);
			assert_eq!(short(credit).owed, 200);
			assert_eq!(Borrowed::<Test>::get(ALICE, MOUTAI), 200);
			// Bob takes 100: the proceeds (net of the fees) are kept, restricted.
			let before = cny(credit);
			bob_buys(100, 150_000);
			let proceeds = cny(credit) - before;
			assert!(proceeds > 0 && proceeds < 100 * 150_000);
			assert_eq!(short(credit), Short { owed: 200, proceeds, sold: 100 * 150_000 });
			assert_noop!(
				Margin::withdraw_collateral(alice(), credit, CNY, 200_000 * YUAN + 1),
				Error::<Test>::InsufficientBalance
			);
			// The broker cancels the rest: the 100 unsold go back to the pool.
			let order = EntryOrders::<Test>::iter_keys().next().expect("the short sale rests");
			assert_ok!(Orderbook::cancel_order(alice(), order));
			System::assert_has_event(
				Event::SharesReturned { credit, security: MOUTAI, quantity: 100, released: 0 }.into(),
			);
			assert_eq!(short(credit), Short { owed: 100, proceeds, sold: 100 * 150_000 });
			assert_eq!(Ledger::balance(MOUTAI, &pool), 900);
			assert_eq!(Ledger::balance(MOUTAI, &credit), 0);
			assert_eq!(info(credit).live_orders, 0);
			run_blocks(1);
			assert_eq!(risk(credit).triggers.len(), 1);
			assert!(risk(credit).triggers[0].rising);
		});
	}

	#[test]
	fn a_buy_to_return_spends_the_proceeds_first_and_frees_the_rest() {
		run_test(|| {
			let credit = ann_ready(100_000);
			assert_ok!(short_sell(credit, 100, gtc(150_000)));
			bob_buys(100, 150_000);
			let proceeds = short(credit).proceeds;
			assert!(proceeds > 0);
			// The price falls: Bob offers at 1,400, Ann buys back at a gain.
			bob_sells(100, 140_000);
			let before = cny(credit);
			assert_ok!(buy_to_return(credit, 100, gtc(140_000)));
			let paid = before - cny(credit);
			let released = proceeds - paid;
			System::assert_has_event(
				Event::SharesReturned { credit, security: MOUTAI, quantity: 100, released }.into(),
			);
			assert_eq!(short(credit), Short::default());
			assert!(!Borrowed::<Test>::contains_key(ALICE, MOUTAI));
			assert_eq!(Ledger::balance(MOUTAI, &Margin::lending_pool(&ALICE)), 1_000);
			// Nothing owed: the gain is hers, all of the cash may go.
			assert_eq!(cny(credit), 100_000 * YUAN + released);
			assert_ok!(Margin::withdraw_collateral(alice(), credit, CNY, cny(credit)));
		});
	}

	#[test]
	fn a_buy_back_at_a_loss_spends_the_proceeds_then_her_own_cash() {
		run_test(|| {
			let credit = ann_ready(100_000);
			assert_ok!(short_sell(credit, 100, gtc(150_000)));
			bob_buys(100, 150_000);
			let proceeds = short(credit).proceeds;
			bob_sells(100, 160_000);
			let before = cny(credit);
			assert_ok!(buy_to_return(credit, 100, gtc(160_000)));
			let paid = before - cny(credit);
			assert!(paid > proceeds);
			assert_eq!(short(credit), Short::default());
			assert_eq!(cny(credit), 100_000 * YUAN - (paid - proceeds));
		});
	}

	#[test]
	fn a_short_sale_refuses_what_the_rules_refuse() {
		run_test(|| {
			let credit = ann_ready(10_000);
			// The uptick rule: a limit at or above the last trade (the reference before one).
			assert_noop!(short_sell(credit, 100, gtc(149_999)), Error::<Test>::UptickRule);
			assert_noop!(short_sell(credit, 100, OrderType::Market { protection: 140_000 }), Error::<Test>::UptickRule);
			trade_at(151_000);
			assert_noop!(short_sell(credit, 100, gtc(150_000)), Error::<Test>::UptickRule);
			// 50% of 200 × 1,510 = 151,000 yuan of margin; she has 10,000.
			assert_noop!(short_sell(credit, 200, gtc(151_000)), Error::<Test>::InsufficientMargin);
			// Not on the consortium's list.
			assert_ok!(Margin::set_conversion(consortium(), PINGAN, None));
			assert_noop!(
				Margin::short_sell(alice(), credit, PINGAN_MKT, 100, gtc(5_000)).map_err(|e| e.error),
				Error::<Test>::NotCollateral
			);
			// Zero; another broker's account; no market.
			assert_noop!(short_sell(credit, 0, gtc(151_000)), Error::<Test>::ZeroAmount);
			assert_noop!(
				Margin::short_sell(RuntimeOrigin::signed(BOB), credit, MOUTAI_MKT, 100, gtc(151_000))
					.map_err(|e| e.error),
				Error::<Test>::NotYourAccount
			);
			assert_noop!(
				Margin::short_sell(alice(), credit, 99, 100, gtc(151_000)).map_err(|e| e.error),
				Error::<Test>::UnknownMarket
			);
		});
	}

	#[test]
	fn a_short_sale_needs_shares_in_the_pool_room_under_the_line_and_no_long_position() {
		run_test(|| {
			let credit = ann_ready(1_000_000);
			assert_noop!(short_sell(credit, 1_100, gtc(150_000)), Error::<Test>::LendingShort);
			// The line (2,000,000 yuan) covers financing and short sales together.
			assert_ok!(Margin::fund_lending(alice(), MOUTAI, 100_000));
			assert_noop!(short_sell(credit, 13_400, gtc(150_000)), Error::<Test>::LineExceeded);
			// Holding Moutai, she sells it before selling it short.
			assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
			assert_noop!(short_sell(credit, 100, gtc(150_000)), Error::<Test>::HoldsSecurity);
			assert_ok!(Margin::withdraw_collateral(alice(), credit, MOUTAI, 100));
			// An expired contract lends nothing; a case sells nothing short.
			advance_days(180);
			assert_noop!(short_sell(credit, 100, gtc(150_000)), Error::<Test>::ContractExpired);
		});
	}

	#[test]
	fn a_buy_to_return_refuses_what_is_not_owed() {
		run_test(|| {
			let credit = ann_ready(100_000);
			assert_noop!(buy_to_return(credit, 100, gtc(150_000)), Error::<Test>::NothingOwed);
			assert_ok!(short_sell(credit, 100, gtc(150_000)));
			bob_buys(100, 150_000);
			assert_noop!(buy_to_return(credit, 200, gtc(150_000)), Error::<Test>::ExceedsOwed);
			assert_noop!(buy_to_return(credit, 0, gtc(150_000)), Error::<Test>::ZeroAmount);
		});
	}

	#[test]
	fn a_case_refuses_a_new_short_sale_and_a_resting_buy_back() {
		run_test(|| {
			let credit = ann_short(60_000);
			band_at(180_000);
			trade_at(195_000);
			run_blocks(61);
			assert_eq!(risk(credit).case, Some(CaseReason::Instant));
			assert_noop!(short_sell(credit, 100, gtc(195_000)), Error::<Test>::InLiquidation);
			assert_noop!(buy_to_return(credit, 100, gtc(195_000)), Error::<Test>::InLiquidation);
			// At once, it may.
			bob_sells(100, 195_000);
			assert_ok!(buy_to_return(credit, 100, ioc(195_000)));
			assert_eq!(short(credit), Short::default());
		});
	}
}

mod review {
	use super::*;

	#[test]
	fn a_security_with_an_open_order_is_not_sold_short() {
		run_test(|| {
			let credit = ann_ready(100_000);
			// A collateral buy of Ping An rests; Ping An cannot be sold short beside it.
			assert_ok!(Margin::collateral_buy(alice(), credit, PINGAN_MKT, 100, gtc(4_900)));
			assert_noop!(
				error_of(Margin::short_sell(alice(), credit, PINGAN_MKT, 100, gtc(PINGAN_REF))),
				Error::<Test>::OrdersOpen
			);
		});
	}

	#[test]
	fn a_resting_short_sale_is_alone_in_its_security() {
		run_test(|| {
			let credit = ann_ready(100_000);
			assert_ok!(Margin::short_sell(alice(), credit, MOUTAI_MKT, 100, gtc(150_000)));
			// Nothing sold yet: no return against it, no second order beside it.
			assert_noop!(
				error_of(Margin::buy_to_return(alice(), credit, MOUTAI_MKT, 100, gtc(150_000))),
				Error::<Test>::OrdersOpen
			);
			assert_noop!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100), Error::<Test>::OrdersOpen);
			assert_noop!(
				error_of(Margin::short_sell(alice(), credit, MOUTAI_MKT, 100, gtc(150_000))),
				Error::<Test>::OrdersOpen
			);
		});
	}

	#[test]
	fn a_buy_to_return_spends_only_its_own_shorts_proceeds() {
		run_test(|| {
			// Short 100 Moutai (150,000 of proceeds) with 10,000 of her own, and 2,000 Ping An
			// (100,000 of proceeds), as completed short sales leave them.
			let credit = ann_short(10_000);
			assert_ok!(Margin::fund_lending(alice(), PINGAN, 10_000));
			let pool = Margin::lending_pool(&ALICE);
			assert_ok!(<Ledger as Mutate<u64>>::transfer(PINGAN, &pool, &BOB, 2_000, Expendable));
			assert_ok!(<Ledger as Mutate<u64>>::transfer(CNY, &BOB, &credit, 100_000 * YUAN, Expendable));
			Credit::<Test>::mutate(credit, |i| {
				let short = Short { owed: 2_000, proceeds: 100_000 * YUAN, sold: 100_000 * YUAN };
				i.as_mut().unwrap().positions.try_push(Position { short, ..Position::new(PINGAN) }).unwrap();
			});
			Borrowed::<Test>::insert(ALICE, PINGAN, 2_000);
			assert_ok!(Margin::watch(PINGAN_MKT));
			// 100 Moutai at 1,650 would hold 165,000 and fees: more than Moutai's proceeds and
			// her own 10,000, so Ping An's would pay.
			assert_noop!(
				error_of(Margin::buy_to_return(alice(), credit, MOUTAI_MKT, 100, gtc(165_000))),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(
				error_of(Margin::buy_to_return(alice(), credit, MOUTAI_MKT, 200, gtc(150_000))),
				Error::<Test>::ExceedsOwed
			);
			// At 1,550, within them: fine (at once: at 106.7% the account is being liquidated).
			assert_ok!(Margin::buy_to_return(alice(), credit, MOUTAI_MKT, 100, ioc(155_000)));
		});
	}

	#[test]
	fn the_line_counts_resting_short_sales_and_financing_counts_short_sales() {
		run_test(|| {
			// A line of 2,000,000 yuan; 1,000,000 of her own.
			let credit = ann_ready(1_000_000);
			assert_ok!(Margin::fund_lending(alice(), MOUTAI, 100_000));
			// 100,000 of Ping An resting, unsold: 1,950,000 of Moutai more would pass 2,000,000.
			assert_ok!(Margin::short_sell(alice(), credit, PINGAN_MKT, 2_000, gtc(PINGAN_REF)));
			assert_noop!(
				error_of(Margin::short_sell(alice(), credit, MOUTAI_MKT, 1_300, gtc(150_000))),
				Error::<Test>::LineExceeded
			);
			assert_ok!(Margin::short_sell(alice(), credit, MOUTAI_MKT, 1_200, gtc(150_000)));
		});
		run_test(|| {
			let credit = ann_ready(1_000_000);
			assert_ok!(Margin::fund_lending(alice(), MOUTAI, 100_000));
			// 1,800,000 of Moutai sold short: a financed buy of 250,000 of Ping An is over.
			assert_ok!(Margin::short_sell(alice(), credit, MOUTAI_MKT, 1_200, gtc(150_000)));
			bob_buys(1_200, 150_000);
			assert_noop!(
				error_of(Margin::financed_buy(alice(), credit, PINGAN_MKT, 5_000, gtc(PINGAN_REF))),
				Error::<Test>::LineExceeded
			);
		});
	}

	#[test]
	fn owed_shares_in_a_young_market_take_the_higher_price() {
		run_test(|| {
			// Moutai traded up to 1,600 before anyone held it: a holder's mark is capped at the
			// previous close for a minute, a short's is not.
			trade_at(160_000);
			let credit = ann_short(100_000);
			assert_eq!(Margin::mark(MOUTAI, CNY), 150_000);
			let v = Margin::value(&credit, &info(credit));
			assert_eq!(v.liabilities, 100 * 160_000);
		});
	}

	#[test]
	fn the_var_report_moves_owed_shares_with_the_returns() {
		run_test(|| {
			let credit = ann_short(10_000);
			// Closes 1,500, then 1,650 (a 10% rise): the scenario raises what she owes.
			band_at(165_000);
			trade_at(165_000);
			run_blocks(61);
			advance_days(1);
			run_blocks(1);
			assert_eq!(Closes::<Test>::get(MOUTAI_MKT).to_vec(), vec![150_000, 165_000]);
			let report = Margin::var_report(&ALICE, CNY, 250, 5);
			assert_eq!((report.scenarios, report.accounts), (1, 1));
			// 160,000 of cash against 100 × 1,650 × 1.1 = 181,500 and the interest: the loss is
			// what the rise leaves unpaid.
			let owed = 100 * 165_000u128 * 165_000 / 150_000;
			let interest = info(credit).interest;
			assert_eq!(report.var, (owed + interest).saturating_sub(cny(credit)));
			assert!(report.var > 0);
			assert_eq!(report.exposure, 100 * 165_000 + interest);
		});
	}
}
