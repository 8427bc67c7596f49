//! The exchange-core benchmark mix, on our engine and on orderbook-rs 0.15.3.
//!
//! exchange-core's `TestOrdersGenerator` fills one market's book with about a thousand resting
//! GTC orders around a mid price, then replays a pre-generated command stream that is mostly
//! "move" (change a resting order's price): about 9 % GTC placements, 3 % IOC, 6 % cancels and
//! 82 % moves. This bench does the same:
//!
//! - a tiny fixed-seed PRNG (splitmix64) draws the stream outside the timed loop, and a
//!   simulation on a separate [`Book`] keeps track of which orders rest, so every cancel and
//!   move targets a resting order, and the book keeps its size and shape: passive GTCs (a
//!   quarter inside the spread, the rest behind their side's best, as deep as the pre-fill),
//!   IOCs that cross and take a little, moves of a few ticks on the same side (a fifth of them
//!   re-quotes of an order at the top, which tighten the spread) that cross only sometimes;
//!   while the book is below or above its starting size, fewer or more commands take;
//! - a move passes the order's remaining quantity (our `replace` takes the new quantity;
//!   orderbook-rs's `UpdatePrice` keeps it), as the simulation knows it;
//! - every timed iteration starts from the same pre-filled book (cloned, or for orderbook-rs,
//!   whose book is not `Clone`, rebuilt) in untimed setup, and runs the whole stream;
//! - criterion reports ops/s (`Throughput::Elements`); besides, the bench times the stream
//!   itself 11 times per engine and prints the medians and their ratio in one line (the README
//!   figure).
//!
//! Owners are unique per order (order id), so self-trade prevention never fires: orderbook-rs
//! runs with its default (no STP), and both engines must see the same book all along. The bench
//! checks that they end with the same resting orders.
//!
//! Run: `cargo bench -p qingsuan-matching-engine --bench exchange_core`. Under `cargo test
//! --benches` (criterion's test mode) it runs a short stream once.

// criterion's macros define undocumented functions.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use qingsuan_matching_engine::{
	Book, Execution, MarketRules, OrderRequest, OrderType, SelfTradePrevention, Side, TimeInForce,
};

/// The mid price the book starts around (ticks; tick = 1).
const MID: u64 = 1_000_000;
/// Resting orders in the pre-filled book (and the size the stream keeps it near).
const BOOK_ORDERS: usize = 1_000;
/// Pre-filled orders rest up to this many ticks from the mid on their side: 1,000 orders over
/// 2 × 800 prices make about 750 occupied levels.
const PREFILL_SPREAD: u64 = 800;
/// Commands in the measured stream, and in criterion's test mode (`cargo test --benches`).
const COMMANDS: usize = 300_000;
const SMOKE_COMMANDS: usize = 20_000;
/// Self-timed runs per engine; the median is reported.
const RUNS: usize = 11;
/// Step budget: large enough that nothing is ever suspended.
const BUDGET: u32 = u32::MAX;
const SEED: u64 = 0x5153_4245_4e43_4801;

/// splitmix64: tiny, fixed-seed, good enough for a workload.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// Uniform in `lo..=hi`.
	fn range(&mut self, lo: u64, hi: u64) -> u64 {
		lo + self.next() % (hi - lo + 1)
	}

	/// True with probability `percent` %.
	fn chance(&mut self, percent: u64) -> bool {
		self.next() % 100 < percent
	}

	fn side(&mut self) -> Side {
		if self.next() & 1 == 0 {
			Side::Buy
		} else {
			Side::Sell
		}
	}
}

/// One command of the stream. Owners are the order ids.
#[derive(Clone, Copy, Debug)]
enum Cmd {
	/// Place a good-till-cancelled limit order.
	Gtc { id: u64, side: Side, price: u64, quantity: u64 },
	/// Place an immediate-or-cancel limit order.
	Ioc { id: u64, side: Side, price: u64, quantity: u64 },
	/// Cancel a resting order.
	Cancel { id: u64 },
	/// Move a resting order to a new price, same (remaining) quantity.
	Move { id: u64, price: u64, quantity: u64 },
}

fn rules() -> MarketRules {
	MarketRules { tick: 1, lot: 1, stp: SelfTradePrevention::CancelNewest }
}

fn limit(price: u64, tif: TimeInForce) -> OrderType {
	OrderType::Limit { price, tif, post_only: false }
}

/// Apply one command to our engine.
#[inline(always)]
fn apply(book: &mut Book<u64>, cmd: Cmd, out: &mut Execution<u64>) -> bool {
	let result = match cmd {
		Cmd::Gtc { id, side, price, quantity } => book.place(
			OrderRequest { id, owner: id, side, quantity, kind: limit(price, TimeInForce::Gtc) },
			0,
			BUDGET,
			out,
		),
		Cmd::Ioc { id, side, price, quantity } => book.place(
			OrderRequest { id, owner: id, side, quantity, kind: limit(price, TimeInForce::Ioc) },
			0,
			BUDGET,
			out,
		),
		Cmd::Cancel { id } => book.cancel(id).map(|_| ()),
		Cmd::Move { id, price, quantity } => book.replace(id, price, quantity, 0, BUDGET, out),
	};
	result.is_ok()
}

/// The pre-filled book's orders and the command stream.
struct Workload {
	prefill: Vec<Cmd>,
	commands: Vec<Cmd>,
}

#[derive(Default, Debug)]
struct Stats {
	gtc: usize,
	ioc: usize,
	cancel: usize,
	moves: usize,
	/// Cancels and moves whose order rested when they ran.
	hits: usize,
	fills: usize,
	crossing_moves: usize,
	/// Sum over commands of the spread and of the book's size before it (for the means).
	spread_sum: u64,
	size_sum: u64,
}

/// The generator: draws commands and runs them on a simulation book to know what rests.
struct Generator {
	rng: Rng,
	sim: Book<u64>,
	out: Execution<u64>,
	live: Vec<u64>,
	slot: HashMap<u64, usize>,
	next_id: u64,
	stats: Stats,
}

impl Generator {
	fn new() -> Self {
		Generator {
			rng: Rng(SEED),
			sim: Book::new(rules()),
			out: Execution::default(),
			live: Vec::new(),
			slot: HashMap::new(),
			next_id: 1,
			stats: Stats::default(),
		}
	}

	fn fresh_id(&mut self) -> u64 {
		self.next_id += 1;
		self.next_id - 1
	}

	fn track(&mut self, id: u64) {
		let rests = self.sim.contains(id);
		match (rests, self.slot.get(&id).copied()) {
			(true, None) => {
				self.slot.insert(id, self.live.len());
				self.live.push(id);
			},
			(false, Some(at)) => {
				self.slot.remove(&id);
				self.live.swap_remove(at);
				if let Some(&moved) = self.live.get(at) {
					self.slot.insert(moved, at);
				}
			},
			_ => {},
		}
	}

	/// Run `cmd` on the simulation and update the live set.
	fn run(&mut self, cmd: Cmd) {
		let ok = apply(&mut self.sim, cmd, &mut self.out);
		let target = match cmd {
			Cmd::Gtc { id, .. } | Cmd::Ioc { id, .. } => id,
			Cmd::Cancel { id } | Cmd::Move { id, .. } => {
				self.stats.hits += usize::from(ok);
				id
			},
		};
		self.stats.fills += self.out.fills.len();
		let gone: Vec<u64> = self
			.out
			.fills
			.iter()
			.filter(|f| f.maker_remaining == 0)
			.map(|f| f.maker)
			.chain(self.out.removals.iter().map(|r| r.order.id))
			.collect();
		for id in gone {
			self.track(id);
		}
		self.track(target);
	}

	fn best_bid(&self) -> u64 {
		self.sim.best_bid().unwrap_or(MID - 1)
	}

	fn best_ask(&self) -> u64 {
		self.sim.best_ask().unwrap_or(MID + 1)
	}

	/// A passive price for `side`: sometimes inside the spread, otherwise behind its side's
	/// best, as deep as the pre-filled orders.
	fn passive_price(&mut self, side: Side) -> u64 {
		let (bid, ask) = (self.best_bid(), self.best_ask());
		if ask - bid > 1 && self.rng.chance(25) {
			return self.rng.range(bid + 1, ask - 1);
		}
		let depth = self.rng.range(0, PREFILL_SPREAD - 1);
		match side {
			Side::Buy => bid.min(ask - 1).saturating_sub(depth).max(1),
			Side::Sell => ask.max(bid + 1) + depth,
		}
	}

	fn prefill(&mut self) -> Vec<Cmd> {
		(0..BOOK_ORDERS)
			.map(|_| {
				let id = self.fresh_id();
				let side = self.rng.side();
				let depth = self.rng.range(0, PREFILL_SPREAD - 1);
				let price = match side {
					Side::Buy => MID - 1 - depth,
					Side::Sell => MID + 1 + depth,
				};
				let cmd = Cmd::Gtc { id, side, price, quantity: self.rng.range(1, 20) };
				self.run(cmd);
				cmd
			})
			.collect()
	}

	fn next_command(&mut self) -> Cmd {
		let roll = self.rng.next() % 100;
		self.stats.spread_sum += self.best_ask() - self.best_bid();
		self.stats.size_sum += self.live.len() as u64;
		let surplus = self.live.len() as i64 - BOOK_ORDERS as i64;
		if roll < 9 || self.live.is_empty() {
			self.stats.gtc += 1;
			let id = self.fresh_id();
			let side = self.rng.side();
			let quantity = self.rng.range(1, 20);
			// Mostly passive; when the book has grown, sometimes marketable (it takes, then
			// rests what is left).
			let price = if surplus > 0 && self.rng.chance(30) {
				match side {
					Side::Buy => self.best_ask() + self.rng.range(0, 2),
					Side::Sell => self.best_bid().saturating_sub(self.rng.range(0, 2)).max(1),
				}
			} else {
				self.passive_price(side)
			};
			Cmd::Gtc { id, side, price, quantity }
		} else if roll < 12 {
			self.stats.ioc += 1;
			let id = self.fresh_id();
			let side = self.rng.side();
			// Takes a little: less while the book is below its size.
			let quantity = self.rng.range(1, if surplus > 0 { 30 } else { 12 });
			let price = match side {
				Side::Buy => self.best_ask() + self.rng.range(0, 3),
				Side::Sell => self.best_bid().saturating_sub(self.rng.range(0, 3)).max(1),
			};
			Cmd::Ioc { id, side, price, quantity }
		} else if roll < 18 {
			self.stats.cancel += 1;
			let id = self.live[(self.rng.next() % self.live.len() as u64) as usize];
			Cmd::Cancel { id }
		} else {
			self.stats.moves += 1;
			// Mostly any resting order; sometimes one at the top of the book (a re-quote).
			let requote = self.rng.chance(20);
			let id = if requote {
				let side = self.rng.side();
				let nth = self.rng.range(0, 2) as usize;
				self.sim.orders(side).nth(nth).map(|(_, o)| o.id)
			} else {
				None
			}
			.unwrap_or_else(|| self.live[(self.rng.next() % self.live.len() as u64) as usize]);
			let view = self.sim.get(id).expect("live orders rest");
			let (price, side) = (view.price, view.side);
			// Ticks from the other side's best: how far the order is from crossing.
			let gap = match side {
				Side::Buy => self.best_ask().saturating_sub(price),
				Side::Sell => price.saturating_sub(self.best_bid()),
			};
			// Re-quotes mostly tighten, possibly up to the other side's best; far-out orders
			// drift back, so the book does not spread out forever; the rest wander a few ticks.
			// A move that would cross goes ahead only sometimes (it trades) and otherwise backs
			// off.
			let towards = self.rng.chance(if requote {
				70
			} else if gap > PREFILL_SPREAD {
				75
			} else {
				50
			});
			let step = if requote && towards { self.rng.range(1, gap.max(1)) } else { self.rng.range(1, 4) };
			let crosses = towards && step >= gap;
			let towards = towards && (!crosses || self.rng.chance(if surplus > 0 { 50 } else { 5 }));
			if towards && crosses {
				self.stats.crossing_moves += 1;
			}
			let new_price = match (side, towards) {
				(Side::Buy, true) | (Side::Sell, false) => price + step,
				(Side::Buy, false) | (Side::Sell, true) => price.saturating_sub(step).max(1),
			};
			Cmd::Move { id, price: new_price, quantity: view.order.remaining }
		}
	}

	fn workload(n: usize) -> Workload {
		let mut g = Generator::new();
		let prefill = g.prefill();
		let levels = g.sim.level_count(Side::Buy) + g.sim.level_count(Side::Sell);
		let mut commands = Vec::with_capacity(n);
		for _ in 0..n {
			let cmd = g.next_command();
			g.run(cmd);
			commands.push(cmd);
		}
		let s = &g.stats;
		let pct = |k: usize| 100.0 * k as f64 / n as f64;
		eprintln!(
			"exchange-core mix: pre-filled {} orders on {} levels; {} commands: {:.1}% GTC, {:.1}% \
			 IOC, {:.1}% cancel, {:.1}% move ({:.1}% of moves cross); cancels/moves that hit a \
			 resting order: {:.2}%; {} fills; mean spread {:.1} ticks, mean book {:.0} orders; \
			 book at the end: {} orders on {} levels",
			prefill.len(),
			levels,
			n,
			pct(s.gtc),
			pct(s.ioc),
			pct(s.cancel),
			pct(s.moves),
			100.0 * s.crossing_moves as f64 / s.moves.max(1) as f64,
			100.0 * s.hits as f64 / (s.cancel + s.moves).max(1) as f64,
			s.fills,
			s.spread_sum as f64 / n as f64,
			s.size_sum as f64 / n as f64,
			g.sim.len(),
			g.sim.level_count(Side::Buy) + g.sim.level_count(Side::Sell),
		);
		Workload { prefill, commands }
	}
}

// --- Our engine ----------------------------------------------------------------------------

fn qingsuan_book(prefill: &[Cmd]) -> Book<u64> {
	let mut book = Book::new(rules());
	let mut out = Execution::default();
	for &cmd in prefill {
		assert!(apply(&mut book, cmd, &mut out));
	}
	book
}

fn run_qingsuan(book: &mut Book<u64>, commands: &[Cmd], out: &mut Execution<u64>) -> usize {
	let mut ok = 0;
	for &cmd in commands {
		ok += usize::from(apply(book, black_box(cmd), out));
	}
	ok
}

// --- orderbook-rs --------------------------------------------------------------------------

mod ob {
	use super::Cmd;
	use orderbook_rs::OrderBook;
	use pricelevel::{Id, OrderUpdate, Price, Side, TimeInForce};

	pub type Book = OrderBook<()>;

	fn side(s: qingsuan_matching_engine::Side) -> Side {
		match s {
			qingsuan_matching_engine::Side::Buy => Side::Buy,
			qingsuan_matching_engine::Side::Sell => Side::Sell,
		}
	}

	/// Apply one command; whether the engine accepted it (and, for cancels and moves, found the
	/// order).
	#[inline(always)]
	pub fn apply(book: &Book, cmd: Cmd) -> bool {
		match cmd {
			Cmd::Gtc { id, side: s, price, quantity } => book
				.add_limit_order(Id::sequential(id), u128::from(price), quantity, side(s), TimeInForce::Gtc, None)
				.is_ok(),
			Cmd::Ioc { id, side: s, price, quantity } => book
				.add_limit_order(Id::sequential(id), u128::from(price), quantity, side(s), TimeInForce::Ioc, None)
				.is_ok(),
			Cmd::Cancel { id } => matches!(book.cancel_order(Id::sequential(id)), Ok(Some(_))),
			Cmd::Move { id, price, .. } => matches!(
				book.update_order(OrderUpdate::UpdatePrice {
					order_id: Id::sequential(id),
					new_price: Price::new(u128::from(price)),
				}),
				Ok(Some(_))
			),
		}
	}

	pub fn book(prefill: &[Cmd]) -> Book {
		let book = OrderBook::new("QSBENCH");
		for &cmd in prefill {
			assert!(apply(&book, cmd));
		}
		book
	}

	pub fn run(book: &Book, commands: &[Cmd]) -> usize {
		let mut ok = 0;
		for &cmd in commands {
			ok += usize::from(apply(book, super::black_box(cmd)));
		}
		ok
	}

	/// The resting orders as (id, side is buy, price, quantity), sorted by id.
	pub fn resting(book: &Book) -> Vec<(u64, bool, u64, u64)> {
		let mut v: Vec<_> = book
			.get_all_orders()
			.iter()
			.map(|o| {
				let id = match o.id() {
					Id::Sequential(n) => n,
					other => panic!("unexpected id {other:?}"),
				};
				(
					id,
					o.side() == Side::Buy,
					o.price().as_u128() as u64,
					o.visible_quantity().as_u64() + o.hidden_quantity().as_u64(),
				)
			})
			.collect();
		v.sort();
		v
	}
}

fn qingsuan_resting(book: &Book<u64>) -> Vec<(u64, bool, u64, u64)> {
	let mut v: Vec<_> = book
		.orders(Side::Buy)
		.map(|(p, o)| (o.id, true, p, o.remaining))
		.chain(book.orders(Side::Sell).map(|(p, o)| (o.id, false, p, o.remaining)))
		.collect();
	v.sort();
	v
}

// --- Timing ----------------------------------------------------------------------------------

fn median(mut samples: Vec<Duration>) -> Duration {
	samples.sort();
	samples[samples.len() / 2]
}

fn rate(n: usize, d: Duration) -> (f64, f64) {
	let ns_per_op = d.as_nanos() as f64 / n as f64;
	(1e3 / ns_per_op, ns_per_op)
}

fn fmt_ns(ns: f64) -> String {
	if ns >= 1_000.0 {
		format!("{:.2} µs/op", ns / 1_000.0)
	} else {
		format!("{ns:.0} ns/op")
	}
}

/// Time both engines on the stream with `Instant`, `runs` times each, print the medians, and
/// check that they end with the same book.
fn self_timing(w: &Workload, runs: usize, label: &str) {
	let n = w.commands.len();
	let start = qingsuan_book(&w.prefill);
	let mut out = Execution::default();
	let mut ours = Vec::new();
	let mut our_ok = 0;
	let mut our_end = None;
	for _ in 0..runs {
		let mut book = start.clone();
		let t = Instant::now();
		our_ok = run_qingsuan(&mut book, &w.commands, &mut out);
		ours.push(t.elapsed());
		our_end = Some(book);
	}
	let our_end = our_end.expect("runs > 0");
	our_end.check_invariants().expect("invariants hold after the stream");

	let mut theirs = Vec::new();
	let mut their_ok = 0;
	let mut their_end = None;
	for _ in 0..runs {
		let book = ob::book(&w.prefill);
		let t = Instant::now();
		their_ok = ob::run(&book, &w.commands);
		theirs.push(t.elapsed());
		their_end = Some(book);
	}
	let their_end = their_end.expect("runs > 0");

	let same = qingsuan_resting(&our_end) == ob::resting(&their_end);
	eprintln!(
		"exchange-core mix: accepted commands (place ok / cancel or move found its order): \
		 qingsuan {our_ok}/{n}, orderbook-rs {their_ok}/{n}; both engines end with the same \
		 resting orders: {same} ({} orders)",
		our_end.len()
	);
	let (our_rate, our_ns) = rate(n, median(ours));
	let (their_rate, their_ns) = rate(n, median(theirs));
	eprintln!(
		"exchange-core mix{label}: qingsuan {our_rate:.2} M ops/s ({} median), orderbook-rs \
		 {their_rate:.2} M ops/s ({}), ratio {:.1}x  [{n} commands, median of {runs} runs]",
		fmt_ns(our_ns),
		fmt_ns(their_ns),
		our_rate / their_rate,
	);
}

fn exchange_core(c: &mut Criterion) {
	let measuring = std::env::args().any(|a| a == "--bench");
	let n = if measuring { COMMANDS } else { SMOKE_COMMANDS };
	let w = Generator::workload(n);
	if measuring {
		self_timing(&w, RUNS, "");
	} else {
		self_timing(&w, 1, " (test mode: one short run, not a measurement)");
	}

	let mut group = c.benchmark_group("exchange_core_mix");
	group.throughput(Throughput::Elements(n as u64));
	group.sample_size(10);
	// An orderbook-rs iteration takes about 2 s: room for its 10 samples.
	group.measurement_time(Duration::from_secs(25));
	let start = qingsuan_book(&w.prefill);
	group.bench_function("qingsuan", |b| {
		let mut out = Execution::default();
		b.iter_batched(
			|| start.clone(),
			|mut book| {
				run_qingsuan(&mut book, &w.commands, &mut out);
				book
			},
			BatchSize::LargeInput,
		)
	});
	group.bench_function("orderbook_rs", |b| {
		b.iter_batched(
			|| ob::book(&w.prefill),
			|book| {
				ob::run(&book, &w.commands);
				book
			},
			BatchSize::LargeInput,
		)
	});
	group.finish();
}

criterion_group!(benches, exchange_core);
criterion_main!(benches);
