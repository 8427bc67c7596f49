//! The command line.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The regulator's read-only client for a Qingsuan observer node.
#[derive(Debug, Parser)]
#[command(
	name = "qs-regulator",
	version,
	about = "The regulator's read-only client: connects only to an observer node (qingsuan-node --observer); needs no key.",
	after_help = "Examples:
  qs-regulator --url ws://127.0.0.1:9950 check
  qs-regulator trades --follow
  qs-regulator trades --day 20425 --format csv --output trades.csv
  qs-regulator orders 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --from 1 --to 5000
  qs-regulator orders 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --day 20425
  qs-regulator alerts --day 20425 --kind spoofing --format csv
  qs-regulator alerts --follow
  qs-regulator alert 7
  qs-regulator net-positions --day 20425 --format csv --output net.csv
  qs-regulator cash --format json
  qs-regulator withdrawals --envelope-key-file regulator-envelope.key
  qs-regulator withdrawals --envelope-key-file regulator-envelope.key --from 1 --format csv

Exit codes: 0 done; 2 bad input, or the node is not an observer (it accepts transactions);
3 the node could not be reached or answered an error."
)]
pub struct Cli {
	/// The observer node's websocket RPC address.
	#[arg(long, global = true, env = "QS_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	#[command(subcommand)]
	pub command: Command,
}

/// How a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
	/// A JSON document (an array of rows).
	Json,
	/// CSV with a header row.
	Csv,
}

/// Where and how a report goes.
#[derive(Debug, clap::Args)]
pub struct Output {
	/// The format.
	#[arg(long, value_enum, default_value_t = Format::Json)]
	pub format: Format,
	/// Write to this file instead of standard output.
	#[arg(long)]
	pub output: Option<PathBuf>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Check that the node is an observer (no method that writes) and print where it stands.
	Check,
	/// Trades: a settlement day's from the node's trade store, or live as blocks are finalized
	/// (`--follow`, one JSON line per trade).
	Trades {
		/// Follow finalized blocks and print each trade as it settles.
		#[arg(long, conflicts_with = "day")]
		follow: bool,
		/// The settlement day (default: today).
		#[arg(long)]
		day: Option<u32>,
		#[command(flatten)]
		output: Output,
	},
	/// An account's order lifecycle (placed, rested, filled, amended, cancelled, expired, stop
	/// triggered, refused in a batch) from the events of finalized blocks `--from`..=`--to`;
	/// or, with `--day`, a settlement day's from the observer's surveillance store (no block
	/// walk; no `rested` or `stopTriggered` steps).
	Orders {
		/// The account (SS58).
		account: String,
		/// The first block.
		#[arg(long, required_unless_present = "day", conflicts_with = "day")]
		from: Option<u64>,
		/// The last block (default: the finalized head).
		#[arg(long, conflicts_with = "day")]
		to: Option<u64>,
		/// A settlement day, read from the surveillance store.
		#[arg(long)]
		day: Option<u32>,
		#[command(flatten)]
		output: Output,
	},
	/// Surveillance alerts of a settlement day (all, an account's, or one kind's), or live as
	/// the observer raises them (`--follow`, one JSON line per alert).
	Alerts {
		/// Follow new alerts.
		#[arg(long, conflicts_with_all = ["day", "account", "kind"])]
		follow: bool,
		/// The settlement day (default: today).
		#[arg(long)]
		day: Option<u32>,
		/// Only alerts about this account (SS58), on either side.
		#[arg(long)]
		account: Option<String>,
		/// Only this kind: highFrequency, quickCancel, spoofing, washTrade, matchedTrades,
		/// pricePushing or bandHold.
		#[arg(long)]
		kind: Option<String>,
		#[command(flatten)]
		output: Output,
	},
	/// One alert with its evidence in full: each order's lifecycle and each trade's settlement
	/// record (JSON).
	Alert {
		/// The alert's id.
		id: u64,
	},
	/// Each account's receipts, deliveries and net per asset over a settlement day.
	NetPositions {
		/// The settlement day (default: today).
		#[arg(long)]
		day: Option<u32>,
		#[command(flatten)]
		output: Output,
	},
	/// Every cash asset's issuing bank and its confirmed deposits and withdrawals, at the
	/// finalized head.
	Cash {
		#[command(flatten)]
		output: Output,
	},
	/// Withdrawals with their payee's bank account details, opened with the regulator's SM2
	/// envelope key (registered on chain with `settlement.set_regulator_key`): those pending at
	/// the finalized head, or with `--from` those requested in finalized blocks `--from..=--to`
	/// and what became of them.
	Withdrawals {
		/// A file with the regulator's SM2 envelope secret (64 hex digits, a PKCS#8 PEM, or the JSON
		/// of `qingsuan-node key generate --scheme sm2 --output-type json`).
		#[arg(long, env = "QS_ENVELOPE_KEY_FILE")]
		envelope_key_file: PathBuf,
		/// The first block.
		#[arg(long)]
		from: Option<u64>,
		/// The last block (default: the finalized head).
		#[arg(long, requires = "from")]
		to: Option<u64>,
		#[command(flatten)]
		output: Output,
	},
}
