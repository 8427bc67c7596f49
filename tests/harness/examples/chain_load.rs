//! Chain load: batched orders (or plain transfers) against a running `--dev` node, for a fixed
//! time, and what reached finalized blocks.
//!
//! `scripts/chain-load.sh` starts the node and runs this twice: once with orders, once with
//! transfers. Usage: `chain_load <rpc-port> <orders|transfers> <seconds> <brokers> [rate]`.
//!
//! Without `rate` it saturates (throughput); with `rate` it offers that many items a second,
//! spread evenly over time and brokers, whatever the chain does (latency at a known load), with
//! at most `FIXED_WINDOW` unfinalized batches per broker so a stalled chain cannot grow the pool
//! without bound.
//!
//! Set-up (with the chain's sudo key, Alice, and the cash asset's bank, Charlie on the dev chain,
//! or the one `QINGSUAN_LOAD_BANK=eve` names, the local preset's): each broker account
//! `//Broker<i>` is made a member broker, given fee balance, 10 million shares of both listed
//! securities and 1 trillion yuan of deposited cash (enough for minutes of buying at the load's rates). Then the brokers submit as fast as the chain
//! takes them, with at most 256 unfinalized items each (`WINDOW` batches, or as many
//! transfers; `QINGSUAN_LOAD_WINDOW=<batches>` changes it):
//!
//! - orders: batches of 64 one-lot orders in one market (Moutai, or Ping An for every other pair
//!   of brokers); even brokers sell at the reference price and up to 7 ticks above, odd brokers
//!   buy at 8 ticks above, so every order trades once, as taker or as maker;
//! - transfers: `transfer_keep_alive` of 1 unit to the next broker.
//!
//! It prints items placed per second (orders, or transfers), trades settled per second, and the
//! submit-to-finalized latency of the extrinsics (p50, p99), all counted in finalized blocks.
//!
//! The brokers sign with sr25519, or with SM2 when `QINGSUAN_LOAD_SIGNER=sm2` (an SM2 key per
//! broker, its account the SM2 account-id rule's; the node verifies them through the SM2 host
//! function), so both can be measured under the same load.
//!
//! With `QINGSUAN_LOAD_INVESTORS=<k>`, each broker trades for `k` investor accounts instead of
//! its own (the orders of a batch for its investors in turn): the set-up opens them, allocates
//! them cash from the broker's client money, issues them shares, and has the dev attestor (Eve)
//! sign each an identity, an AML and a C5 risk claim, so every order runs the full compliance
//! rules on an investor's claims. Against `k = 0` (the brokers' own accounts) it measures what
//! compliance costs.

use pallet_orderbook::{NewOrder, OrderType, Side, TimeInForce};
use qingsuan_primitives::Role;
use qingsuan_test_harness::{
	runtime::{
		genesis_config_presets::{
			CNY, MOUTAI, MOUTAI_MARKET, MOUTAI_REFERENCE, PING_AN, PING_AN_MARKET, PING_AN_REFERENCE,
		},
		Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic,
	},
	settlement,
	sign::{account_of, signed_extrinsic, signed_extrinsic_sm2, sm2_account_of, TxParams},
	Chain,
};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::{BlakeTwo256, Hash};
use std::{
	collections::HashMap,
	time::{Duration, Instant},
};

/// Unfinalized order batches a broker may have at once in saturation (4 × 64 orders), unless
/// `QINGSUAN_LOAD_WINDOW` says otherwise; as many transfers (not batched) times `BATCH`, the
/// same number of items in flight as with orders.
const WINDOW: usize = 4;
/// Orders per batch.
const BATCH: usize = 64;
/// Unfinalized batches (or transfers, times `BATCH`) a broker may have at a fixed rate.
const FIXED_WINDOW: usize = 4 * WINDOW;

/// Investor accounts per broker: `QINGSUAN_LOAD_INVESTORS`, or none (the brokers' own).
fn investors_per_broker() -> usize {
	match std::env::var("QINGSUAN_LOAD_INVESTORS") {
		Err(_) => 0,
		Ok(v) => v.parse().unwrap_or_else(|_| fail(format!("QINGSUAN_LOAD_INVESTORS: a number, not {v:?}"))),
	}
}

/// The commitment of broker `i`'s `j`th investor.
fn commitment(i: usize, j: usize) -> [u8; 32] {
	let mut c = [0u8; 32];
	c[..8].copy_from_slice(&(i as u64).to_le_bytes());
	c[8..16].copy_from_slice(&(j as u64).to_le_bytes());
	c
}

/// The saturation window in batches per broker: `QINGSUAN_LOAD_WINDOW`, or `WINDOW`.
fn saturation_window() -> usize {
	match std::env::var("QINGSUAN_LOAD_WINDOW") {
		Err(_) => WINDOW,
		Ok(v) => match v.parse::<usize>() {
			Ok(w) if w > 0 => w,
			_ => fail(format!("QINGSUAN_LOAD_WINDOW: a number of batches above 0, not {v:?}")),
		},
	}
}

struct Broker {
	key: Key,
	nonce: u32,
	in_flight: usize,
	/// The accounts its orders are for, in turn (empty: its own).
	investors: Vec<qingsuan_test_harness::runtime::AccountId>,
}

/// A broker's signing key (the sr25519 pair boxed: it is several times the SM2 key's size).
enum Key {
	Sr25519(Box<sr25519::Pair>),
	Sm2(qingsuan_sm_crypto::sm2::SecretKey),
}

impl Key {
	/// Broker `i`'s key of the kind `QINGSUAN_LOAD_SIGNER` names.
	fn broker(i: usize) -> Key {
		match std::env::var("QINGSUAN_LOAD_SIGNER").as_deref() {
			Ok("sr25519") | Err(_) => Key::Sr25519(Box::new(
				sr25519::Pair::from_string(&format!("//Broker{i}"), None).expect("valid derivation"),
			)),
			Ok("sm2") => {
				let seed = qingsuan_sm_crypto::sm3::sm3(format!("qingsuan chain-load broker {i}").as_bytes());
				Key::Sm2(
					qingsuan_sm_crypto::sm2::SecretKey::from_bytes(&seed)
						.unwrap_or_else(|e| fail(format!("SM2 key of broker {i}: {e:?}"))),
				)
			},
			Ok(other) => fail(format!("QINGSUAN_LOAD_SIGNER: sr25519 or sm2, not {other}")),
		}
	}

	fn account(&self) -> qingsuan_test_harness::runtime::AccountId {
		match self {
			Key::Sr25519(pair) => account_of(pair.as_ref()),
			Key::Sm2(secret) => sm2_account_of(secret),
		}
	}

	fn sign(&self, call: RuntimeCall, nonce: u32, params: &TxParams) -> UncheckedExtrinsic {
		match self {
			Key::Sr25519(pair) => signed_extrinsic(call, pair.as_ref(), nonce, params),
			Key::Sm2(secret) => signed_extrinsic_sm2(call, secret, nonce, params)
				.unwrap_or_else(|e| fail(format!("SM2 signing: {e:?}"))),
		}
	}
}

fn fail(message: String) -> ! {
	eprintln!("chain_load: {message}");
	std::process::exit(2);
}

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let (port, mode, seconds, brokers, rate) = match args.as_slice() {
		[_, port, mode, seconds, brokers] => (port, mode, seconds, brokers, None),
		[_, port, mode, seconds, brokers, rate] => (port, mode, seconds, brokers, Some(rate)),
		_ => fail("usage: chain_load <rpc-port> <orders|transfers> <seconds> <brokers> [items-per-second]".into()),
	};
	let rate: Option<u64> = rate.map(|r| {
		r.parse()
			.ok()
			.filter(|r| *r > 0)
			.unwrap_or_else(|| fail(format!("rate: a positive number of items a second, not {r}")))
	});
	let port: u16 = port.parse().unwrap_or_else(|_| fail(format!("bad port {port}")));
	let orders = match mode.as_str() {
		"orders" => true,
		"transfers" => false,
		m => fail(format!("mode must be orders or transfers, not {m}")),
	};
	let seconds: u64 = seconds.parse().unwrap_or_else(|_| fail(format!("bad duration {seconds}")));
	let n: usize = brokers
		.parse()
		.ok()
		.filter(|n| *n >= 2 && n % 2 == 0)
		.unwrap_or_else(|| fail("brokers: an even number, at least 2".into()));

	let chain = Chain::local(port);
	let params = chain.tx_params().unwrap_or_else(|e| fail(format!("node not reachable: {e}")));
	let k = investors_per_broker();
	let mut brokers: Vec<Broker> = (0..n)
		.map(|i| {
			let key = Key::broker(i);
			let investors = (0..k)
				.map(|j| pallet_investors::Pallet::<Runtime>::investor_account(&key.account(), &commitment(i, j)))
				.collect();
			Broker { key, nonce: 0, in_flight: 0, investors }
		})
		.collect();
	set_up(&chain, &params, &brokers);
	if k > 0 {
		set_up_investors(&chain, &params, &brokers);
	}
	for b in &mut brokers {
		b.nonce = chain.next_nonce(&b.key.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
	}

	let mut submitted: HashMap<H256, (usize, Instant)> = HashMap::new();
	let mut latencies: Vec<Duration> = Vec::new();
	let (mut items, mut trades, mut failed_items, mut settlements) = (0u64, 0u64, 0u64, 0u64);
	let mut failures: HashMap<String, u64> = HashMap::new();
	let mut round = 0u64;
	let saturation_window = saturation_window();
	let window = match (orders, rate) {
		(true, None) => saturation_window,
		(false, None) => saturation_window * BATCH,
		(true, Some(_)) => FIXED_WINDOW,
		(false, Some(_)) => FIXED_WINDOW * BATCH,
	};
	let per_submission = if orders { BATCH as u64 } else { 1 };
	let mut offered = 0u64;
	let mut next_broker = 0usize;
	let (_, start_block) = chain.finalized().unwrap_or_else(|e| fail(format!("finalized: {e}")));
	let mut next_final = start_block + 1;
	let started = Instant::now();
	let deadline = started + Duration::from_secs(seconds);
	let mut last_counted = started;
	// Submit until the deadline, then keep counting until every submission is final (at most
	// 30 s more).
	while Instant::now() < deadline || (!submitted.is_empty() && started.elapsed() < Duration::from_secs(seconds + 30))
	{
		if Instant::now() < deadline {
			// Saturation: fill every broker's window. Fixed rate: what is due by now, spread
			// over the brokers in turn.
			let due = rate.map(|r| (r as f64 * started.elapsed().as_secs_f64()) as u64);
			let mut idle = 0;
			while idle < brokers.len() {
				if due.is_some_and(|due| offered + per_submission > due) {
					break;
				}
				let i = next_broker;
				next_broker = (next_broker + 1) % brokers.len();
				if brokers[i].in_flight >= window {
					idle += 1;
					continue;
				}
				let call = if orders { batch(i, round, &brokers[i].investors) } else { transfer(&brokers, i) };
				let b = &mut brokers[i];
				let xt = b.key.sign(call, b.nonce, &params);
				match chain.submit(&xt) {
					Ok(hash) => {
						submitted.insert(hash, (i, Instant::now()));
						b.nonce += 1;
						b.in_flight += 1;
						offered += per_submission;
						idle = 0;
					},
					// The pool is full: try again after the next block.
					Err(_) => break,
				}
				if i + 1 == brokers.len() {
					round += 1;
				}
			}
		}
		// Count what the newly finalized blocks hold.
		let (_, finalized) = chain.finalized().unwrap_or_else(|e| fail(format!("finalized: {e}")));
		while next_final <= finalized {
			let hash =
				chain.block_hash(next_final).ok().flatten().unwrap_or_else(|| fail(format!("block {next_final}")));
			let now = Instant::now();
			for xt in chain.block_extrinsics(hash).unwrap_or_default() {
				if let Some((i, at)) = submitted.remove(&BlakeTwo256::hash(&xt)) {
					latencies.push(now - at);
					brokers[i].in_flight -= 1;
				}
			}
			for event in chain.events(hash).unwrap_or_default() {
				match event {
					RuntimeEvent::Orderbook(pallet_orderbook::Event::OrderPlaced { .. }) => items += 1,
					RuntimeEvent::Orderbook(pallet_orderbook::Event::OrderFilled { .. }) => trades += 1,
					RuntimeEvent::Orderbook(pallet_orderbook::Event::BatchCompleted { failed, .. }) => {
						failed_items += u64::from(failed)
					},
					RuntimeEvent::Orderbook(pallet_orderbook::Event::BatchItemFailed { error, .. }) => {
						*failures.entry(format!("{error:?}")).or_default() += 1;
					},
					RuntimeEvent::Balances(pallet_balances::Event::Transfer { .. }) if !orders => items += 1,
					e if is_settlement(&e) => settlements += 1,
					_ => {},
				}
			}
			last_counted = now;
			next_final += 1;
		}
		std::thread::sleep(Duration::from_millis(50));
	}
	let elapsed = (last_counted - started).as_secs_f64().max(1.0);
	latencies.sort();
	let pct =
		|p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1))).copied();
	let ms = |d: Option<Duration>| d.map_or("-".to_string(), |d| format!("{:.0} ms", d.as_secs_f64() * 1e3));
	let offered_rate = rate.map_or("saturation".to_string(), |r| format!("{r} offered/s"));
	println!(
		"{mode} ({offered_rate}): {:.0} {}/s placed, {:.0} trades/s settled, {} items failed, {} extrinsics final ({} not final), submit->finalized p50 {} p99 {} max {}, over {:.1} s",
		items as f64 / elapsed,
		if orders { "orders" } else { "transfers" },
		trades as f64 / elapsed,
		failed_items,
		latencies.len(),
		submitted.len(),
		ms(pct(0.50)),
		ms(pct(0.99)),
		ms(latencies.last().copied()),
		elapsed,
	);
	if !failures.is_empty() {
		let mut failures: Vec<_> = failures.into_iter().collect();
		failures.sort_by_key(|f| std::cmp::Reverse(f.1));
		println!("failed items by error: {failures:?}");
	}
	check_trade_store(&chain, start_block, next_final - 1, settlements);
	println!(
		"RESULT mode={mode} items_per_s={:.1} trades_per_s={:.1} p50_ms={} p99_ms={} max_ms={}",
		items as f64 / elapsed,
		trades as f64 / elapsed,
		pct(0.50).map_or(0, |d| d.as_millis()),
		pct(0.99).map_or(0, |d| d.as_millis()),
		latencies.last().map_or(0, |d| d.as_millis())
	);
}

/// Whether `event` announces a settlement (what the node's trade store indexes).
fn is_settlement(event: &RuntimeEvent) -> bool {
	matches!(
		event,
		RuntimeEvent::Settlement(
			pallet_settlement::Event::TradeSettled { .. } | pallet_settlement::Event::InstructionSettled { .. }
		)
	)
}

/// The node's trade store must index every settlement of the finalized chain, and keep up:
/// wait (at most 30 s) until it has block `last`, then compare its count with the settlement
/// events of blocks 1 to `last` (`counted` of them after `start`). Exits non-zero if it lags or
/// misses any.
fn check_trade_store(chain: &Chain, start: u32, last: u32, counted: u64) {
	let mut expected = counted;
	for n in 1..=start {
		let hash = chain.block_hash(n).ok().flatten().unwrap_or_else(|| fail(format!("block {n}")));
		expected += chain.events(hash).unwrap_or_default().iter().filter(|e| is_settlement(e)).count() as u64;
	}
	let waited = Instant::now();
	let status = loop {
		let status = settlement::store_status(chain).unwrap_or_else(|e| fail(format!("settlement_storeStatus: {e}")));
		if status["lastBlock"].as_u64().is_some_and(|b| b >= u64::from(last)) {
			break status;
		}
		if waited.elapsed() > Duration::from_secs(30) {
			fail(format!("the trade store is not at block {last} 30 s after the load: {status}"));
		}
		std::thread::sleep(Duration::from_millis(20));
	};
	let indexed = status["settlements"].as_u64().unwrap_or(0);
	let missed = status["missedBlocks"].as_u64().unwrap_or(0);
	println!(
		"trade store: {indexed} settlements indexed through block {} ({expected} in the finalized events to block {last}), {missed} blocks missed, at block {last} {} ms after the load counted it",
		status["lastBlock"],
		waited.elapsed().as_millis(),
	);
	if indexed < expected || missed > 0 || !status["mismatchedDay"].is_null() {
		fail(format!("the trade store misses settlements or differs from the day's hash chain: {status}"));
	}
}

/// Broker `i`'s `round`th batch, for `investors` in turn (none: its own account): see the
/// module docs.
fn batch(i: usize, round: u64, investors: &[qingsuan_test_harness::runtime::AccountId]) -> RuntimeCall {
	let (market, reference) =
		if (i / 2).is_multiple_of(2) { (MOUTAI_MARKET, MOUTAI_REFERENCE) } else { (PING_AN_MARKET, PING_AN_REFERENCE) };
	let kind = |price| OrderType::Limit { price, tif: TimeInForce::Gtc, post_only: false };
	let orders = (0..BATCH as u64)
		.map(|j| {
			let account = (!investors.is_empty()).then(|| investors[j as usize % investors.len()].clone());
			if i.is_multiple_of(2) {
				NewOrder { market, side: Side::Sell, quantity: 100, kind: kind(reference + (j + round) % 8), account }
			} else {
				NewOrder { market, side: Side::Buy, quantity: 100, kind: kind(reference + 8), account }
			}
		})
		.collect();
	qingsuan_test_harness::orderbook::place_orders(orders).expect("a batch fits")
}

fn transfer(brokers: &[Broker], i: usize) -> RuntimeCall {
	let to = brokers[(i + 1) % brokers.len()].key.account();
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: to.into(), value: 1 })
}

/// Sign `call` with `key` at `*nonce`, submit it (the tool stops if the pool refuses it) and
/// count the nonce.
fn send_set_up(chain: &Chain, params: &TxParams, key: &Key, nonce: &mut u32, call: RuntimeCall) {
	let xt = key.sign(call, *nonce, params);
	chain.submit(&xt).unwrap_or_else(|e| fail(format!("set-up submission: {e}")));
	*nonce += 1;
}

/// `call` with the chain's sudo key (Alice on the dev chain).
fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// Make the brokers members with fees, shares and cash.
fn set_up(chain: &Chain, params: &TxParams, brokers: &[Broker]) {
	let alice = Key::Sr25519(Box::new(Sr25519Keyring::Alice.pair()));
	let charlie = match std::env::var("QINGSUAN_LOAD_BANK").as_deref() {
		Ok("eve") => Key::Sr25519(Box::new(Sr25519Keyring::Eve.pair())),
		Ok("charlie") | Err(_) => Key::Sr25519(Box::new(Sr25519Keyring::Charlie.pair())),
		Ok(other) => fail(format!("QINGSUAN_LOAD_BANK: charlie or eve, not {other}")),
	};
	let mut alice_nonce = chain.next_nonce(&alice.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
	let send = |key: &Key, nonce: &mut u32, call: RuntimeCall| send_set_up(chain, params, key, nonce, call);
	// Fee balance: 50,000 units each, or an equal share of 800,000 of Alice's 1,000,000 when
	// there are more than 16 brokers.
	let fee_balance = (800_000 / brokers.len().max(1) as u128).min(50_000) * qingsuan_primitives::UNIT;
	for b in brokers {
		let who = b.key.account();
		send(
			&alice,
			&mut alice_nonce,
			sudo(RuntimeCall::Members(pallet_members::Call::grant_role { who: who.clone(), role: Role::MemberBroker })),
		);
		send(
			&alice,
			&mut alice_nonce,
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: who.clone().into(),
				value: fee_balance,
			}),
		);
		for asset in [MOUTAI, PING_AN] {
			send(
				&alice,
				&mut alice_nonce,
				sudo(RuntimeCall::Ledger(pallet_ledger::Call::issue { asset, to: who.clone(), amount: 10_000_000 })),
			);
		}
	}
	wait_final(chain, Duration::from_secs(60));
	// Each broker asks for a deposit; the bank confirms them in order of their request ids.
	let key = pallet_settlement::NextRequestId::<qingsuan_test_harness::runtime::Runtime>::hashed_key();
	let first_request: u64 =
		chain.storage(&key, None).unwrap_or_else(|e| fail(format!("request id: {e}"))).unwrap_or_default();
	for b in brokers {
		let mut nonce = chain.next_nonce(&b.key.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
		send(
			&b.key,
			&mut nonce,
			RuntimeCall::Settlement(pallet_settlement::Call::request_deposit {
				asset: CNY,
				amount: 100_000_000_000_000,
			}),
		);
	}
	wait_final(chain, Duration::from_secs(60));
	let mut charlie_nonce = chain.next_nonce(&charlie.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
	for k in 0..brokers.len() as u64 {
		send(
			&charlie,
			&mut charlie_nonce,
			RuntimeCall::Settlement(pallet_settlement::Call::confirm_deposit { id: first_request + k }),
		);
	}
	wait_final(chain, Duration::from_secs(60));
}

/// Open each broker's investors, give them cash (from the broker's client money) and shares,
/// and have the dev attestor sign the claims every order of theirs needs.
fn set_up_investors(chain: &Chain, params: &TxParams, brokers: &[Broker]) {
	let send = |key: &Key, nonce: &mut u32, call: RuntimeCall| send_set_up(chain, params, key, nonce, call);
	// Cash per investor: its broker's deposit shared out, less a tenth for the broker.
	let cash = 90_000_000_000_000 / brokers[0].investors.len().max(1) as u128;
	for (i, b) in brokers.iter().enumerate() {
		let mut nonce = chain.next_nonce(&b.key.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
		for j in 0..b.investors.len() {
			let call = pallet_investors::Call::open_investor { commitment: commitment(i, j) };
			send(&b.key, &mut nonce, RuntimeCall::Investors(call));
		}
		let total = cash * b.investors.len() as u128;
		let fund = pallet_investors::Call::fund_client_money { asset: CNY, amount: total };
		send(&b.key, &mut nonce, RuntimeCall::Investors(fund));
		for investor in &b.investors {
			let call = pallet_investors::Call::allocate_cash { investor: investor.clone(), asset: CNY, amount: cash };
			send(&b.key, &mut nonce, RuntimeCall::Investors(call));
		}
	}
	wait_final(chain, Duration::from_secs(120));
	let alice = Key::Sr25519(Box::new(Sr25519Keyring::Alice.pair()));
	let eve = Key::Sr25519(Box::new(Sr25519Keyring::Eve.pair()));
	let attestor = qingsuan_sm_crypto::sm2::SecretKey::from_bytes(&qingsuan_primitives::DEV_ATTESTOR_SECRET)
		.unwrap_or_else(|e| fail(format!("the dev attestor key: {e:?}")));
	let genesis: [u8; 32] = params.genesis_hash.into();
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_else(|e| fail(format!("clock: {e}")));
	let mut alice_nonce = chain.next_nonce(&alice.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
	let mut eve_nonce = chain.next_nonce(&eve.account()).unwrap_or_else(|e| fail(format!("nonce: {e}")));
	for investor in brokers.iter().flat_map(|b| &b.investors) {
		for asset in [MOUTAI, PING_AN] {
			let issue = pallet_ledger::Call::issue { asset, to: investor.clone(), amount: 10_000_000 };
			send(&alice, &mut alice_nonce, sudo(RuntimeCall::Ledger(issue)));
		}
		let statements = [
			pallet_compliance::Statement::Kyc,
			pallet_compliance::Statement::Aml(pallet_compliance::AmlResult::Passed),
			pallet_compliance::Statement::Risk(pallet_compliance::RiskCategory::C5),
		];
		for statement in statements {
			let claim = pallet_compliance::Claim {
				attestor: eve.account(),
				subject: investor.clone(),
				statement,
				issued_at: now - 60_000,
				expires_at: now + 86_400_000,
				nonce: 1,
			};
			let signature =
				attestor.sign(&claim.payload(&genesis)).unwrap_or_else(|e| fail(format!("signing a claim: {e:?}")));
			let call = pallet_compliance::Call::submit_claim { claim, signature };
			send(&eve, &mut eve_nonce, RuntimeCall::Compliance(call));
		}
	}
	wait_final(chain, Duration::from_secs(120));
}

/// Wait until the pool is empty, then until the best block of that moment is final.
fn wait_final(chain: &Chain, timeout: Duration) {
	let deadline = Instant::now() + timeout;
	std::thread::sleep(Duration::from_secs(2));
	let mut target = None;
	while Instant::now() < deadline {
		if target.is_none() {
			let pending = chain.rpc().call("author_pendingExtrinsics", serde_json::json!([])).ok();
			if pending.as_ref().and_then(|p| p.as_array()).is_some_and(|a| a.is_empty()) {
				target = chain.best_number().ok();
			}
		}
		let (_, finalized) = chain.finalized().unwrap_or_default();
		if target.is_some_and(|t| finalized >= t) {
			return;
		}
		std::thread::sleep(Duration::from_millis(300));
	}
	fail("set-up did not finalize in time".into());
}
