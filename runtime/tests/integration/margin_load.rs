//! Issue 15's load figure: `QS_MARGIN_LOAD_ACCOUNTS` (1,000) credit accounts fall through their
//! instant line at once. How many blocks the risk engine takes to open every case, and how many
//! blocks the liquidation steps take to end them when each block holds as many `liquidate`
//! transactions as their declared weight lets into its normal share. Prints its figures; run by
//! `scripts/margin-load.sh` (ignored in the test suite: it takes a minute).

use crate::{
	compliance_property::{attestor, register_attestor, secret},
	run,
};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::{Get, Hooks, UnfilteredDispatchable},
};
use pallet_compliance::{AmlResult, Claim, RiskCategory, Statement};
use pallet_margin::WeightInfo;
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_runtime::{
	genesis_config_presets::{CNY, PING_AN, PING_AN_MARKET, PING_AN_REFERENCE},
	Compliance, Investors, Margin, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::AccountId32;
use std::time::Instant;

fn call(call: RuntimeCall, origin: RuntimeOrigin) {
	let described = format!("{call:?}");
	if let Err(e) = call.dispatch_bypass_filter(origin) {
		panic!("{described}: {:?}", e.error);
	}
}

fn alice() -> RuntimeOrigin {
	RuntimeOrigin::signed(Alice.to_account_id())
}

fn limit(price: u64, tif: TimeInForce) -> OrderType {
	OrderType::Limit { price, tif, post_only: false }
}

fn order(who: RuntimeOrigin, side: Side, quantity: u64, price: u64, tif: TimeInForce) {
	let place = pallet_orderbook::Call::place_order {
		market: PING_AN_MARKET,
		side,
		quantity,
		kind: limit(price, tif),
		account: None,
	};
	call(RuntimeCall::Orderbook(place), who);
}

/// The attestor's claims that make `investor` suitable for Ping An and approved for margin.
fn claims(investor: &AccountId32, nonce: &mut u64) {
	let statements =
		[Statement::Kyc, Statement::Aml(AmlResult::Passed), Statement::Risk(RiskCategory::C4), Statement::Margin];
	for statement in statements {
		*nonce += 1;
		let now = pallet_timestamp::Now::<Runtime>::get();
		let claim = Claim {
			attestor: attestor(),
			subject: investor.clone(),
			statement,
			issued_at: now,
			expires_at: now + 90 * 86_400_000,
			nonce: *nonce,
		};
		let signature = secret().sign(&claim.payload(&Compliance::genesis())).expect("signs");
		let submit = pallet_compliance::Call::submit_claim { claim, signature };
		call(RuntimeCall::Compliance(submit), RuntimeOrigin::signed(Dave.to_account_id()));
	}
}

/// Start block `n`: the clock one second on, the margin pallet's upkeep.
fn start_block(n: u32) {
	System::set_block_number(n);
	pallet_timestamp::Now::<Runtime>::mutate(|t| *t += 1_000);
	Margin::on_initialize(n);
}

#[test]
#[ignore = "a load figure: run by scripts/margin-load.sh"]
fn accounts_falling_through_the_instant_line_at_once() {
	let accounts: u32 = std::env::var("QS_MARGIN_LOAD_ACCOUNTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
	run(|| {
		let started = Instant::now();
		register_attestor();
		// Lines just under 300%, so one band reaches them: warning 299%, call 295%, instant 290%.
		let parameters =
			pallet_margin::Parameters { warning: 29_900, call: 29_500, instant: 29_000, ..Default::default() };
		call(RuntimeCall::Margin(pallet_margin::Call::set_parameters { parameters }), RuntimeOrigin::root());
		let price = PING_AN_REFERENCE;
		let lent_each = 510_000u128;
		let pool = pallet_margin::Call::fund_pool { cash: CNY, amount: lent_each * u128::from(accounts) };
		call(RuntimeCall::Margin(pool), alice());
		// Bob offers what the financed buys take: 100 Ping An each at 50.00.
		order(
			RuntimeOrigin::signed(Bob.to_account_id()),
			Side::Sell,
			100 * u64::from(accounts),
			price,
			TimeInForce::Gtc,
		);
		let mut nonce = 0;
		let mut credits = Vec::new();
		for i in 0..accounts {
			let mut commitment = [0x6C; 32];
			commitment[..4].copy_from_slice(&i.to_le_bytes());
			call(RuntimeCall::Investors(pallet_investors::Call::open_investor { commitment }), alice());
			let owner = Investors::investor_account(&Alice.to_account_id(), &commitment);
			claims(&owner, &mut nonce);
			// 200 Ping An of its own, pledged; 100 more bought on financing: 300 × 50.00
			// against 5,000.17 yuan lent, 299.99%.
			let issue = pallet_ledger::Call::issue { asset: PING_AN, to: owner.clone(), amount: 200 };
			call(RuntimeCall::Ledger(issue), RuntimeOrigin::root());
			let open = pallet_margin::Call::open_credit {
				owner: owner.clone(),
				cash: CNY,
				line: lent_each,
				rate: 60_000,
				short_rate: 80_000,
				term_days: 180,
			};
			call(RuntimeCall::Margin(open), alice());
			let credit = Investors::credit_account(&owner);
			let deposit =
				pallet_margin::Call::deposit_collateral { credit: credit.clone(), asset: PING_AN, amount: 200 };
			call(RuntimeCall::Margin(deposit), alice());
			let buy = pallet_margin::Call::financed_buy {
				credit: credit.clone(),
				market: PING_AN_MARKET,
				quantity: 100,
				kind: limit(price, TimeInForce::Ioc),
			};
			call(RuntimeCall::Margin(buy), alice());
			credits.push(credit);
		}
		let set_up = started.elapsed();
		// A minute of trading at 50.00: every account valued, its triggers filed.
		let mut block = System::block_number();
		for _ in 0..60 {
			block += 1;
			start_block(block);
		}
		assert_eq!(pallet_margin::Cases::<Runtime>::iter().count(), 0, "all safe before the fall");
		// The market trades at 47.00: below 48.33, 300 shares cover less than 290% of the debt.
		let crash = block;
		order(RuntimeOrigin::signed(Charlie.to_account_id()), Side::Sell, 100, 4_700, TimeInForce::Gtc);
		order(alice(), Side::Buy, 100, 4_700, TimeInForce::Ioc);
		// Bob bids 47.50 for everything the liquidations will sell.
		order(
			RuntimeOrigin::signed(Bob.to_account_id()),
			Side::Buy,
			100 * u64::from(accounts),
			4_750,
			TimeInForce::Gtc,
		);
		let threshold = 4_833u128;
		let mut crossed = None;
		let mut first_case = None;
		while (pallet_margin::Cases::<Runtime>::iter().count() as u32) < accounts && block < crash + 2_000 {
			block += 1;
			start_block(block);
			let mark = Margin::mark(PING_AN, CNY);
			if crossed.is_none() && mark < threshold {
				crossed = Some(block - crash);
			}
			if first_case.is_none() && pallet_margin::Cases::<Runtime>::iter().next().is_some() {
				first_case = Some(block - crash);
			}
		}
		let all_open = block - crash;
		assert_eq!(pallet_margin::Cases::<Runtime>::iter().count() as u32, accounts, "every account has a case");

		// Liquidation: each block takes as many steps as their declared weight lets in.
		let weights = <Runtime as frame_system::Config>::BlockWeights::get();
		let normal = weights.get(DispatchClass::Normal);
		let room = normal.max_total.unwrap_or(weights.max_block);
		// Checking a step's authorization is charged too, in full (the transaction extension's
		// weight).
		let authorizing = <Runtime as pallet_margin::Config>::WeightInfo::authorize_liquidation();
		let per_step = RuntimeCall::Margin(pallet_margin::Call::liquidate {
			credit: credits[0].clone(),
			block: 0,
			worker: sp_consensus_aura::sr25519::AuthorityId::from(sp_core::sr25519::Public::from_raw([0; 32])),
			signature: sp_consensus_aura::sr25519::AuthoritySignature::from(sp_core::sr25519::Signature::from_raw(
				[0; 64],
			)),
		})
		.get_dispatch_info()
		.total_weight()
		.saturating_add(normal.base_extrinsic)
		.saturating_add(authorizing);
		// A block admits a transaction while its declared weight fits what is left, then
		// counts what it used (the post-dispatch refund), as the block builder does.
		let step_weight = <Runtime as pallet_margin::Config>::WeightInfo::liquidate_sell()
			.max(<Runtime as pallet_margin::Config>::WeightInfo::liquidate_write_off());
		let liquidation_start = block;
		let (mut steps, mut most_in_a_block, mut used_total, mut last_step) = (0u32, 0usize, 0u64, 0u32);
		while pallet_margin::Cases::<Runtime>::iter().next().is_some() && block < liquidation_start + 5_000 {
			block += 1;
			start_block(block);
			let due: Vec<_> =
				pallet_margin::Cases::<Runtime>::iter_keys().filter(|c| Margin::due_step(c).is_some()).collect();
			let mut used = 0u64;
			let mut taken = 0usize;
			for credit in due {
				if used + per_step.ref_time() > room.ref_time() {
					break;
				}
				let (_, placing) = Margin::do_liquidate(&credit).expect("a due step runs");
				used += step_weight
					.saturating_add(placing)
					.saturating_add(authorizing)
					.saturating_add(normal.base_extrinsic)
					.ref_time();
				taken += 1;
				steps += 1;
			}
			most_in_a_block = most_in_a_block.max(taken);
			used_total += used;
			if taken > 0 {
				last_step = block - liquidation_start;
			}
		}
		let liquidation_blocks = block - liquidation_start;
		assert_eq!(pallet_margin::Cases::<Runtime>::iter().count(), 0, "every case ended");
		assert_eq!(pallet_margin::Uncovered::<Runtime>::iter().count(), 0, "sold, not written off");
		let repaid = credits
			.iter()
			.filter(|c| pallet_margin::Credit::<Runtime>::get(c).is_some_and(|i| i.debt > 0 && i.debt < 100_000))
			.count();
		println!(
			"margin load: {accounts} credit accounts (set up in {:.1} s)\n\
			 the fall: the market trades at 47.00 after a minute at 50.00; the instant line is at 48.33\n\
			 the one-minute mark crossed it {} blocks later; the first case opened {} blocks later, \
			 all {accounts} cases {all_open} blocks later ({} valuations per block)\n\
			 liquidation: {steps} steps (up to {most_in_a_block} per block: {:.1} ms declared each, {:.2} ms used on \
			 average, of {:.0} ms): the last step {last_step} blocks later, every case closed (the engine valuing \
			 each account after its sale) {liquidation_blocks} blocks later; {repaid} accounts left owing \
			 between nothing and 1,000 yuan (sold, not written off)",
			set_up.as_secs_f64(),
			crossed.unwrap_or(0),
			first_case.unwrap_or(0),
			<<Runtime as pallet_margin::Config>::MaxRiskChecksPerBlock as Get<u32>>::get(),
			per_step.ref_time() as f64 / 1e9,
			used_total as f64 / f64::from(steps.max(1)) / 1e9,
			room.ref_time() as f64 / 1e9,
		);
	});
}
