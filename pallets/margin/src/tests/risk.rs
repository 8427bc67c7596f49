//! The risk engine: the mark falling through market trades, warnings, margin calls at the
//! close and their deadlines, liquidation cases for each reason, and the trigger index.

use super::*;
use crate::risk::price_of;

/// Bob sells `quantity` Moutai to Alice at `price`: a market trade between two accounts that
/// are not Ann's.
pub(super) fn trade_at(price: u64) {
	bob_sells(100, price);
	assert_ok!(Orderbook::place_order(alice(), MOUTAI_MKT, Side::Buy, 100, gtc(price), None));
	assert_eq!(<Orderbook as OrderEntry<u64>>::terms(MOUTAI_MKT).and_then(|t| t.last_price), Some(price.into()));
}

/// The consortium moves Moutai's band to 10% around `reference`.
pub(super) fn band_at(reference: u64) {
	assert_ok!(Orderbook::set_price_band(consortium(), MOUTAI_MKT, reference, sp_runtime::Percent::from_percent(10)));
}

/// The margin pallet's events since the last reset.
pub(super) fn margin_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Margin(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub(super) fn risk(credit: u64) -> RiskState<<Test as Config>::MaxPositions> {
	Risk::<Test>::get(credit).unwrap_or_default()
}

/// Ann under tighter lines (warning 240%, call 220%, instant 200%, so one or two bands reach
/// them): 100,000 yuan and 1,000 Moutai in her credit account and 700 Moutai bought on
/// financing at 1,500 (1,050,000 yuan and the fees lent): about 252%. 400,000 yuan stay in her
/// own account.
pub(super) fn leveraged_ann() -> u64 {
	let credit = open_ann(2_000_000, 500_000);
	let lines = Parameters { warning: 24_000, call: 22_000, instant: 20_000, ..Default::default() };
	assert_ok!(Margin::set_parameters(consortium(), lines));
	assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 100_000 * YUAN));
	assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 1_000));
	bob_sells(700, 150_000);
	assert_ok!(Margin::financed_buy(alice(), credit, MOUTAI_MKT, 700, gtc(150_000)));
	run_blocks(1);
	credit
}

/// Ann's ratio now, in basis points.
pub(super) fn ratio(credit: u64) -> u128 {
	Margin::value(&credit, &info(credit)).ratio().map_or(u128::MAX, |r| r.0)
}

/// No filed trigger lies above its market's mark: the engine has valued every account a fall
/// concerned.
fn no_trigger_left_above_its_mark() {
	for market in Watched::<Test>::get() {
		let mark = Marks::<Test>::get(market).map_or(0, |m| m.mark);
		if let Some((key, _)) = Triggers::<Test>::iter_key_prefix((market,)).next() {
			assert!(price_of(key) <= mark, "a trigger at {} above the mark {mark}", price_of(key));
		}
	}
}

#[test]
fn a_safe_account_files_a_trigger_below_the_mark_at_its_warning_line() {
	run_test(|| {
		let credit = leveraged_ann();
		let r = risk(credit);
		assert_eq!(r.zone, RiskZone::Safe);
		let i = info(credit);
		// 100,000 yuan + 1,700 × p < 240% × (debt + interest): p below the trigger.
		let liabilities = i.debt + i.interest;
		let t = qingsuan_margin_math::trigger(1_700, 0, cny(credit), liabilities, Bps(24_000));
		let qingsuan_margin_math::Trigger::Below(t) = t else { panic!("a long account crosses downwards") };
		assert_eq!(r.triggers.to_vec(), vec![Filed { market: MOUTAI_MKT, price: t, rising: false }]);
		assert!(t < 150_000 && t > 140_000, "about 1,424 yuan: {t}");
		no_trigger_left_above_its_mark();
	});
}

#[test]
fn the_mark_falling_through_trades_raises_a_warning_once() {
	run_test(|| {
		let credit = leveraged_ann();
		System::reset_events();
		trade_at(140_000);
		run_blocks(61);
		assert_eq!(Margin::mark(MOUTAI, CNY), 140_000);
		// (100,000 + 1,700 × 1,400) / 1,050,036 = 236.2%.
		let r = ratio(credit);
		assert!((23_600..24_000).contains(&r), "{r}");
		let warnings: Vec<_> = margin_events()
			.into_iter()
			.filter(|e| matches!(e, Event::MarginWarning { credit: c, .. } if *c == credit))
			.collect();
		assert_eq!(warnings.len(), 1, "one warning for one crossing");
		assert_eq!(risk(credit).zone, RiskZone::Warning);
		// Its trigger now watches the instant line: far below.
		assert!(risk(credit).triggers.iter().all(|t| t.price < 120_000 && !t.rising));
		// No margin call in the day: calls open at the close.
		assert!(risk(credit).call.is_none());
		no_trigger_left_above_its_mark();
	});
}

/// Ann at about 212%: below the call line, above the instant line (Moutai at 1,250 under a
/// band around 1,300).
pub(super) fn ann_below_the_call_line() -> u64 {
	let credit = leveraged_ann();
	band_at(130_000);
	trade_at(125_000);
	run_blocks(61);
	let r = ratio(credit);
	assert!((20_000..22_000).contains(&r), "{r}");
	assert_eq!(Margin::account_view(&credit).map(|v| v.zone), Some(RiskZone::BelowCall));
	// The band's move made the engine value every account; a call waits for the close.
	assert_eq!(risk(credit).zone, RiskZone::BelowCall);
	assert_eq!(risk(credit).call, None);
	credit
}

#[test]
fn a_call_opens_at_the_close_and_uncured_by_its_deadline_becomes_a_liquidation() {
	run_test(|| {
		let credit = ann_below_the_call_line();
		assert!(risk(credit).call.is_none());
		System::reset_events();
		advance_days(1);
		run_blocks(1);
		let today = <Settlement as Calendar>::today();
		assert_eq!(risk(credit).call, Some(today));
		assert!(margin_events().iter().any(
			|e| matches!(e, Event::MarginCallOpened { credit: c, deadline, .. } if *c == credit && *deadline == today)
		));
		// The deadline's day passes with nothing done.
		run_blocks(5);
		assert_eq!(risk(credit).case, None);
		advance_days(1);
		run_blocks(1);
		assert_eq!(risk(credit).case, Some(CaseReason::Uncured));
		assert_eq!(risk(credit).call, None);
		assert!(risk(credit).triggers.is_empty());
		// In liquidation: no borrowing, buying or withdrawing; selling and repaying go on.
		assert_noop!(
			Margin::financed_buy(alice(), credit, MOUTAI_MKT, 100, gtc(125_000)),
			Error::<Test>::InLiquidation
		);
		assert_noop!(
			Margin::collateral_buy(alice(), credit, MOUTAI_MKT, 100, gtc(125_000)),
			Error::<Test>::InLiquidation
		);
		assert_noop!(Margin::withdraw_collateral(alice(), credit, CNY, 1), Error::<Test>::InLiquidation);
		bob_buys(1_700, 125_000);
		assert_ok!(Margin::sell(alice(), credit, MOUTAI_MKT, 1_700, ioc(125_000)));
		assert_eq!(info(credit).debt + info(credit).interest, 0);
		System::reset_events();
		run_blocks(1);
		assert!(margin_events().contains(&Event::LiquidationEnded { credit }));
		assert_eq!(Risk::<Test>::get(credit), None);
	});
}

#[test]
fn a_call_is_cured_by_collateral_back_to_the_warning_line() {
	run_test(|| {
		let credit = ann_below_the_call_line();
		advance_days(1);
		run_blocks(1);
		assert!(risk(credit).call.is_some());
		System::reset_events();
		assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 400_000 * YUAN));
		run_blocks(1);
		assert!(ratio(credit) >= 24_000);
		assert!(margin_events().iter().any(|e| matches!(e, Event::MarginCallCured { credit: c, .. } if *c == credit)));
		assert_eq!(risk(credit).call, None);
		assert_eq!(risk(credit).zone, RiskZone::Safe);
		advance_days(1);
		run_blocks(1);
		assert_eq!(risk(credit).case, None);
	});
}

#[test]
fn below_the_instant_line_a_liquidation_starts_at_once() {
	run_test(|| {
		let credit = ann_below_the_call_line();
		System::reset_events();
		// The band's floor, 1,170: (100,000 + 1,700 × 1,170) / 1,050,036 = 198.9%.
		trade_at(117_000);
		run_blocks(61);
		assert!(ratio(credit) < 20_000);
		assert_eq!(risk(credit).case, Some(CaseReason::Instant));
		let started = margin_events()
			.into_iter()
			.filter(|e| matches!(e, Event::LiquidationStarted { reason: CaseReason::Instant, .. }))
			.count();
		assert_eq!(started, 1);
		no_trigger_left_above_its_mark();
	});
}

#[test]
fn debt_left_at_the_contracts_expiry_is_liquidated() {
	run_test(|| {
		let credit = leveraged_ann();
		assert_ok!(Margin::renew_credit(alice(), credit, 1));
		advance_days(1);
		run_blocks(1);
		assert_eq!(risk(credit).case, Some(CaseReason::Expired));
	});
}

#[test]
fn a_revoked_brokers_credit_accounts_are_liquidated() {
	run_test(|| {
		let credit = leveraged_ann();
		Revoked::set(vec![ALICE]);
		advance_days(1);
		run_blocks(1);
		assert_eq!(risk(credit).case, Some(CaseReason::RevokedBroker));
		Revoked::set(vec![]);
	});
}

#[test]
fn the_engine_values_no_more_accounts_per_block_than_its_budget_and_catches_up() {
	run_test(|| {
		let credit = leveraged_ann();
		RiskChecks::set(1);
		// The close pass and the dirty account compete for one valuation per block.
		assert_ok!(Margin::deposit_collateral(alice(), credit, CNY, 1));
		advance_days(1);
		run_blocks(1);
		assert!(Dirty::<Test>::contains_key(credit) || Pass::<Test>::get().is_some());
		run_blocks(3);
		assert!(!Dirty::<Test>::contains_key(credit));
		assert_eq!(Pass::<Test>::get(), None);
		RiskChecks::set(16);
	});
}

#[test]
fn a_band_move_files_every_trigger_again() {
	run_test(|| {
		let credit = leveraged_ann();
		// Ping An too: Moutai's trigger counts it at its band's floor.
		assert_ok!(Ledger::mint_into(PINGAN, &ANN, 10_000));
		assert_ok!(Margin::deposit_collateral(alice(), credit, PINGAN, 10_000));
		run_blocks(1);
		let moutai_trigger = || risk(credit).triggers.iter().find(|t| t.market == MOUTAI_MKT).map(|t| t.price);
		let expected = |pingan_floor: u128| {
			let i = info(credit);
			let others = cny(credit) + 10_000 * pingan_floor;
			match qingsuan_margin_math::trigger(1_700, 0, others, i.debt + i.interest, Bps(24_000)) {
				qingsuan_margin_math::Trigger::Below(t) => t.min(150_000),
				t => panic!("{t:?}"),
			}
		};
		assert_eq!(moutai_trigger(), Some(expected(4_500)));
		// Ping An's band moves down (reference 40.00, floor 36.00): Moutai's trigger rises.
		assert_ok!(Orderbook::set_price_band(consortium(), PINGAN_MKT, 4_000, sp_runtime::Percent::from_percent(10)));
		run_blocks(1);
		assert_eq!(moutai_trigger(), Some(expected(3_600)));
		assert!(expected(3_600) > expected(4_500));
		no_trigger_left_above_its_mark();
	});
}

#[test]
fn a_pass_covers_more_accounts_than_a_blocks_budget_and_one_asked_meanwhile_runs_after() {
	run_test(|| {
		let ann = leveraged_ann();
		// Amy, approved too, with a small loan.
		Approved::mutate(|a| a.push(AMY));
		assert_ok!(Margin::open_credit(alice(), AMY, CNY, 1_000_000 * YUAN, RATE, SHORT_RATE, 180));
		let amy = qingsuan_primitives::investors::mock::CREDIT_OFFSET + AMY;
		assert_ok!(Ledger::mint_into(MOUTAI, &AMY, 1_000));
		assert_ok!(Margin::deposit_collateral(alice(), amy, MOUTAI, 1_000));
		bob_sells(100, 150_000);
		assert_ok!(Margin::financed_buy(alice(), amy, MOUTAI_MKT, 100, gtc(150_000)));
		run_blocks(1);
		RiskChecks::set(1);
		System::reset_events();
		advance_days(1);
		run_blocks(1);
		// One account valued: the close goes on next block.
		assert!(Pass::<Test>::get().is_some_and(|p| p.close && p.cursor.is_some()));
		// A band move asks for another pass: it waits for the close.
		band_at(149_000);
		run_blocks(1);
		assert_eq!(Pass::<Test>::get().and_then(|p| p.next), Some(false));
		run_blocks(4);
		assert_eq!(Pass::<Test>::get(), None);
		let charged: Vec<_> = margin_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::InterestCharged { credit, .. } => Some(credit),
				_ => None,
			})
			.collect();
		assert!(charged.contains(&ann) && charged.contains(&amy), "both valued at the close: {charged:?}");
		RiskChecks::set(16);
	});
}

#[test]
fn closing_an_account_forgets_its_risk_and_stops_watching_its_markets() {
	run_test(|| {
		let credit = leveraged_ann();
		assert!(!risk(credit).triggers.is_empty());
		// Everything sold and withdrawn within one block: its triggers are still filed.
		bob_buys(1_700, 150_000);
		assert_ok!(Margin::sell(alice(), credit, MOUTAI_MKT, 1_700, ioc(150_000)));
		assert_eq!(info(credit).debt + info(credit).interest, 0);
		assert_ok!(Margin::withdraw_collateral(alice(), credit, CNY, cny(credit)));
		assert!(!risk(credit).triggers.is_empty());
		assert_ok!(Margin::close_credit(alice(), credit));
		assert!(Watched::<Test>::get().is_empty());
		assert_eq!(Marks::<Test>::iter().count(), 0);
		assert_eq!(Risk::<Test>::get(credit), None);
		assert_eq!(Triggers::<Test>::iter().count(), 0);
		assert!(!Dirty::<Test>::contains_key(credit));
	});
}

#[test]
fn a_position_emptied_stops_being_watched_when_the_account_is_next_valued() {
	run_test(|| {
		let credit = open_ann(2_000_000, 100_000);
		assert_ok!(Margin::deposit_collateral(alice(), credit, MOUTAI, 100));
		assert_eq!(Watched::<Test>::get().to_vec(), vec![MOUTAI_MKT]);
		assert_ok!(Margin::withdraw_collateral(alice(), credit, MOUTAI, 100));
		run_blocks(1);
		assert!(info(credit).positions.is_empty());
		assert!(Watched::<Test>::get().is_empty());
	});
}

#[test]
fn the_v1_migration_watches_every_position_and_has_the_engine_value_every_account() {
	use crate::migrations::layout_v1;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run_test(|| {
		let credit = leveraged_ann();
		// As version 0 left it: no watched markets, marks, risk records, triggers or day.
		Watched::<Test>::kill();
		let _ = Marks::<Test>::clear(u32::MAX, None);
		let _ = Risk::<Test>::clear(u32::MAX, None);
		let _ = Triggers::<Test>::clear(u32::MAX, None);
		RiskDay::<Test>::kill();
		// Its credit record in the layout of that version.
		let now = info(credit);
		let c = now.contract;
		let old = layout_v1::CreditInfo {
			owner: now.owner,
			broker: now.broker,
			contract: layout_v1::Contract {
				cash: c.cash,
				line: c.line,
				rate: c.rate,
				opened: c.opened,
				expires: c.expires,
			},
			debt: now.debt,
			interest: now.interest,
			charged_to: now.charged_to,
			positions: now
				.positions
				.iter()
				.map(|p| layout_v1::Position { security: p.security, financing: p.financing, orders: p.orders })
				.collect(),
			live_orders: now.live_orders,
		};
		layout_v1::Credit::<Test>::insert(credit, old);
		StorageVersion::new(0).put::<Margin>();
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Margin::on_chain_storage_version(), 1);
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Margin::on_chain_storage_version(), 2);
		assert_eq!(info(credit).positions, now.positions);
		assert_eq!(Watched::<Test>::get().to_vec(), vec![MOUTAI_MKT]);
		assert!(Dirty::<Test>::contains_key(credit));
		assert_eq!(RiskDay::<Test>::get(), <Settlement as Calendar>::today());
		run_blocks(1);
		assert_eq!(risk(credit).zone, RiskZone::Safe);
		assert_eq!(risk(credit).triggers.len(), 1);
		// It runs once.
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Watched::<Test>::get().to_vec(), vec![MOUTAI_MKT]);
		assert_eq!(Marks::<Test>::get(MOUTAI_MKT).map(|m| m.positions), Some(1));
	});
}
