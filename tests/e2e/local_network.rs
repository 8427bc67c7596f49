//! The four-validator local consortium (`--chain local`: the node builds the spec from the
//! runtime's `local` preset, so it always carries the runtime under test): finality, a crashed
//! and restarted validator, and node authorization.

use crate::support::{serial, submit_and_wait, wait_for, Node, Ports, TempDir};
use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use pallet_orderbook::{OrderType, Side, TimeInForce};
use qingsuan_test_harness::{
	orderbook,
	runtime::{
		genesis_config_presets::{MOUTAI_MARKET, MOUTAI_REFERENCE, PING_AN_MARKET, PING_AN_REFERENCE},
		RuntimeCall, RuntimeEvent,
	},
	settlement,
	sign::{account_of, signed_extrinsic},
	Chain,
};
use sp_core::{OpaquePeerId, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::{BlakeTwo256, Hash as _};
use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	thread::JoinHandle,
	time::{Duration, Instant},
};

/// Orders a second the background load offers while a validator crashes and restarts.
const LOAD_RATE: u64 = 1_000;
/// Orders per batch of the background load.
const LOAD_BATCH: u64 = 64;

/// The background load: Charlie and Dave (brokers of the local preset) take turns sending
/// batches of one-lot Ping An orders at the reference price to `chain`, one selling and the
/// other buying in each round and the other way round in the next (so their shares go back and
/// forth), `LOAD_RATE` orders a second in all, until `stop`. Returns how many orders it offered.
fn background_load(chain: Chain, stop: Arc<AtomicBool>) -> JoinHandle<u64> {
	std::thread::spawn(move || {
		let params = chain.tx_params().expect("tx params");
		let brokers = [Sr25519Keyring::Charlie.pair(), Sr25519Keyring::Dave.pair()];
		let mut nonces: Vec<u32> = brokers.iter().map(|p| chain.next_nonce(&account_of(p)).expect("nonce")).collect();
		let kind = OrderType::Limit { price: PING_AN_REFERENCE, tif: TimeInForce::Gtc, post_only: false };
		let started = Instant::now();
		let mut offered = 0u64;
		let mut round = 0usize;
		while !stop.load(Ordering::Relaxed) {
			let due = (LOAD_RATE as f64 * started.elapsed().as_secs_f64()) as u64;
			if offered + LOAD_BATCH > due {
				std::thread::sleep(Duration::from_millis(5));
				continue;
			}
			let who = round % 2;
			let side = if (round / 2 + who).is_multiple_of(2) { Side::Sell } else { Side::Buy };
			let orders = (0..LOAD_BATCH)
				.map(|_| pallet_orderbook::NewOrder {
					market: PING_AN_MARKET,
					side,
					quantity: 100,
					kind,
					account: None,
				})
				.collect();
			let call = orderbook::place_orders(orders).expect("a batch fits");
			// A full pool refuses it: the load goes on (what is offered is what was sent).
			if chain.submit(&signed_extrinsic(call, &brokers[who], nonces[who], &params)).is_ok() {
				nonces[who] += 1;
			}
			offered += LOAD_BATCH;
			round += 1;
		}
		offered
	})
}

/// Orders placed and trades settled in `chain`'s blocks `from..=to`.
fn placed_and_traded(chain: &Chain, from: u32, to: u32) -> (u64, u64) {
	let (mut placed, mut traded) = (0, 0);
	for n in from..=to {
		let hash = chain.block_hash(n).expect("rpc").expect("a finalized block");
		for event in chain.events(hash).expect("rpc") {
			match event {
				RuntimeEvent::Orderbook(pallet_orderbook::Event::OrderPlaced { .. }) => placed += 1,
				RuntimeEvent::Settlement(pallet_settlement::Event::TradeSettled { .. }) => traded += 1,
				_ => {},
			}
		}
	}
	(placed, traded)
}

/// `(keyring name flag, node key, PeerId)` of the four validators, as in the local preset.
const VALIDATORS: [(&str, &str, &str); 4] = [
	(
		"--alice",
		"0000000000000000000000000000000000000000000000000000000000000001",
		"12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
	),
	(
		"--bob",
		"0000000000000000000000000000000000000000000000000000000000000002",
		"12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD",
	),
	(
		"--charlie",
		"0000000000000000000000000000000000000000000000000000000000000003",
		"12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x",
	),
	(
		"--dave",
		"0000000000000000000000000000000000000000000000000000000000000004",
		"12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st",
	),
];
/// The fifth node's key; its PeerId is not in the spec's well-known set.
const OUTSIDER_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000005";
/// `PeerId::to_bytes()` of 12D3KooWSuTq6MG9gPt7qZqLFKkYrfxMewTZhj9nmRHJkPwzWDG2.
const OUTSIDER_PEER: &str = "002408011220fde4fba030ad002f7c2f7d4c331f49d13fb0ec747eceebec634f1ff4cbca9def";

fn spec_args(extra: &[&str]) -> Vec<String> {
	let mut args = vec!["--chain".to_string(), "local".to_string()];
	args.extend(extra.iter().map(|s| s.to_string()));
	args
}

/// Submit `call` signed by `who` and wait for it in a block; returns that block's events.
fn submit(chain: &Chain, who: Sr25519Keyring, call: RuntimeCall) -> Vec<RuntimeEvent> {
	let pair = who.pair();
	let params = chain.tx_params().expect("tx params");
	let nonce = chain.next_nonce(&account_of(&pair)).expect("nonce");
	submit_and_wait(chain, &signed_extrinsic(call, &pair, nonce, &params)).2
}

/// Alice sells 100 Moutai to Bob at the reference price: one trade, settled T+0 in the block of
/// Bob's order. Returns its settlement day.
fn trade(chain: &Chain) -> u32 {
	let limit = OrderType::Limit { price: MOUTAI_REFERENCE, tif: TimeInForce::Gtc, post_only: false };
	submit(chain, Sr25519Keyring::Alice, orderbook::place_order(MOUTAI_MARKET, Side::Sell, 100, limit));
	let events = submit(chain, Sr25519Keyring::Bob, orderbook::place_order(MOUTAI_MARKET, Side::Buy, 100, limit));
	assert!(
		events.iter().any(|e| matches!(e, RuntimeEvent::Settlement(pallet_settlement::Event::TradeSettled { .. }))),
		"the orders traded: {events:?}"
	);
	settlement::today(chain).expect("today")
}

/// The consortium (4 of the 5 council members) authorises `peer` as a well-known node.
fn consortium_authorises(chain: &Chain, peer: Vec<u8>) {
	let proposal = RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_well_known_node {
		node: OpaquePeerId(peer),
		owner: Sr25519Keyring::Ferdie.to_account_id().into(),
	});
	let length_bound = proposal.encoded_size() as u32;
	let weight_bound = proposal.get_dispatch_info().call_weight;
	let proposal_hash: H256 = BlakeTwo256::hash(&proposal.encode());

	let events = submit(
		chain,
		Sr25519Keyring::Alice,
		RuntimeCall::Council(pallet_collective::Call::propose {
			threshold: 4,
			proposal: Box::new(proposal),
			length_bound,
		}),
	);
	let index = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Council(pallet_collective::Event::Proposed { proposal_index, .. }) => Some(*proposal_index),
			_ => None,
		})
		.unwrap_or_else(|| panic!("the motion was proposed: {events:?}"));

	// The proposer's aye is not implied: four of the five members vote.
	for voter in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Eve] {
		submit(
			chain,
			voter,
			RuntimeCall::Council(pallet_collective::Call::vote { proposal: proposal_hash, index, approve: true }),
		);
	}
	let events = submit(
		chain,
		Sr25519Keyring::Alice,
		RuntimeCall::Council(pallet_collective::Call::close {
			proposal_hash,
			index,
			proposal_weight_bound: weight_bound,
			length_bound,
		}),
	);
	assert!(
		events
			.iter()
			.any(|e| matches!(e, RuntimeEvent::NodeAuthorization(pallet_node_authorization::Event::NodeAdded { .. }))),
		"the motion executed and added the node: {events:?}"
	);
}

#[test]
fn local_consortium_finalizes_survives_a_crash_and_admits_only_authorised_nodes() {
	let _serial = serial();

	let dir = TempDir::new("local");
	let ports: Vec<Ports> = (0..4).map(|_| Ports::free()).collect();
	let bootnodes: Vec<String> = VALIDATORS
		.iter()
		.zip(&ports)
		.map(|((_, _, peer), p)| format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer}", p.p2p))
		.collect();

	let mut validators: Vec<Node> = VALIDATORS
		.iter()
		.zip(&ports)
		.enumerate()
		.map(|(i, ((flag, key, _), p))| {
			let mut args = spec_args(&["--validator", flag, "--node-key", key, "--bootnodes"]);
			args.extend(bootnodes.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, b)| b.clone()));
			Node::start(&flag[2..], &dir.path().join(&flag[2..]), *p, &args)
		})
		.collect();
	let alice = validators[0].chain();

	// The network runs the runtime these tests encode calls for.
	let (spec_version, _) = alice.runtime_version().expect("version");
	assert_eq!(spec_version, qingsuan_test_harness::runtime::VERSION.spec_version);

	let started = std::time::Instant::now();
	wait_for("4 validators to finalize block 3", Duration::from_secs(120), || {
		alice.finalized_number().ok().filter(|n| *n >= 3)
	});
	let best = alice.best_number().expect("best");
	let finalized = alice.finalized_number().expect("finalized");
	eprintln!("local network: best {best}, finalized {finalized} after {:?}", started.elapsed());
	wait_for("alice to be connected to the other three validators", Duration::from_secs(60), || {
		alice.health().ok().filter(|h| h.peers == 3)
	});

	// A trade before the crash, and one while a validator is down (below).
	let mut days = vec![trade(&alice)];

	// From here until dave is back, orders arrive at LOAD_RATE a second.
	let stop = Arc::new(AtomicBool::new(false));
	let load_from = alice.finalized_number().expect("finalized") + 1;
	let load_started = Instant::now();
	let load = background_load(validators[0].chain(), stop.clone());
	std::thread::sleep(Duration::from_secs(5));

	// A validator crashes (SIGKILL): the other three (more than two thirds) keep finalizing.
	validators[3].kill();
	let at_crash = alice.finalized_number().expect("finalized");
	let crash = std::time::Instant::now();
	wait_for("finality to continue without dave", Duration::from_secs(90), || {
		alice.finalized_number().ok().filter(|n| *n >= at_crash + 5)
	});
	eprintln!("local network: 5 more blocks finalized without dave in {:?}", crash.elapsed());
	days.push(trade(&alice));

	// It restarts from its database and catches up to the finalized head.
	validators[3].restart();
	// Not just what it had before the crash: it must follow blocks finalized after its restart.
	let target = alice.finalized_number().expect("finalized") + 3;
	let dave = validators[3].chain();
	let restart = std::time::Instant::now();
	wait_for("dave to catch up to the finalized head", Duration::from_secs(90), || {
		dave.finalized_number().ok().filter(|n| *n >= target)
	});
	eprintln!("local network: restarted dave reached finalized #{target} in {:?}", restart.elapsed());
	stop.store(true, Ordering::Relaxed);
	let offered = load.join().expect("the load thread");
	let load_secs = load_started.elapsed().as_secs_f64();
	// What the load left, once its last batches are final.
	std::thread::sleep(Duration::from_secs(5));
	let load_to = alice.finalized_number().expect("finalized");
	let target = target.max(load_to);
	let (placed, traded) = placed_and_traded(&alice, load_from, load_to);
	eprintln!(
		"local network: under load ({offered} orders offered in {load_secs:.1} s, {LOAD_RATE}/s), {placed} placed \
		 and {traded} trades settled in finalized blocks #{load_from}..#{load_to}; dave caught up in {:?}",
		restart.elapsed()
	);
	assert!(traded > 0, "the load traded");
	days.push(settlement::today(&alice).expect("today"));

	// No finalized trade lost or changed: dave's trade store, resumed from its database after
	// the crash, holds what alice's holds, and both chain to each day's hash chain on chain.
	for (name, chain) in [("alice", &alice), ("dave", &dave)] {
		wait_for(&format!("{name}'s trade store to index #{target}"), Duration::from_secs(30), || {
			settlement::indexed_block(chain).ok().flatten().filter(|n| *n >= target)
		});
		let status = settlement::store_status(chain).expect("rpc");
		assert_eq!(status["missedBlocks"], 0, "{name}: {status}");
		assert!(status["mismatchedDay"].is_null(), "{name}: {status}");
	}
	days.sort();
	days.dedup();
	let mut trades = 0;
	for day in days {
		let (a, d) =
			(settlement::day_digest(&alice, day).expect("rpc"), settlement::day_digest(&dave, day).expect("rpc"));
		assert_eq!(a["store"], a["chain"], "alice: {a}");
		assert_eq!(d["store"], d["chain"], "dave: {d}");
		assert_eq!(a["store"], d["store"]);
		assert_eq!(
			settlement::settlements_on(&alice, day).expect("rpc"),
			settlement::settlements_on(&dave, day).expect("rpc")
		);
		trades += a["store"]["count"].as_u64().expect("a count");
	}
	// Every trade of the finalized chain up to the load's end (the two single trades among
	// them), each once; trades of the load's last batches may follow.
	let all_traded = placed_and_traded(&alice, 1, load_from - 1).1 + traded;
	assert!(all_traded >= 2 && trades >= all_traded, "{trades} settlements in the stores, {all_traded} traded");
	eprintln!("local network: dave's trade store equals alice's and the day's hash chain after the crash");

	// A node whose PeerId is not authorised gets no peers and does not sync.
	let outsider_ports = Ports::free();
	let mut args = spec_args(&["--node-key", OUTSIDER_KEY, "--bootnodes"]);
	args.extend(bootnodes.iter().cloned());
	let outsider = Node::start("outsider", &dir.path().join("outsider"), outsider_ports, &args);
	let out_chain = outsider.chain();
	std::thread::sleep(Duration::from_secs(15));
	assert_eq!(out_chain.health().expect("health").peers, 0, "an unauthorised node gets no peers");
	assert_eq!(out_chain.best_number().expect("best"), 0, "an unauthorised node does not sync");

	// The consortium authorises it: it connects and syncs.
	consortium_authorises(&alice, hex::decode(OUTSIDER_PEER).expect("hex"));
	let head = alice.finalized_number().expect("finalized");
	let authorised = std::time::Instant::now();
	wait_for("the authorised node to connect", Duration::from_secs(90), || {
		out_chain.health().ok().filter(|h| h.peers >= 1)
	});
	wait_for("the authorised node to sync", Duration::from_secs(90), || {
		out_chain.best_number().ok().filter(|n| *n >= head)
	});
	eprintln!(
		"local network: authorised node synced to #{head} {:?} after the motion closed; alice best {}, finalized {}",
		authorised.elapsed(),
		alice.best_number().expect("best"),
		alice.finalized_number().expect("finalized"),
	);
}
