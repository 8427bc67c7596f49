//! The command line.

use clap::{Args, Parser, Subcommand};
use qingsuan_client::cli::KeyArgs;
use std::path::PathBuf;

/// A member broker's client for a Qingsuan node.
#[derive(Debug, Parser)]
#[command(
	name = "qs-broker",
	version,
	about = "A member broker's client for a Qingsuan node: orders, batches, positions, live depth.",
	after_help = "Examples:
  qs-broker --key-file broker.key markets
  qs-broker --key //Alice place --market 0 --side buy --quantity 100 --price 150000
  qs-broker --key //Alice place --market 0 --side sell --quantity 100 --market-order --protection 149000
  qs-broker --key //Alice cancel 42
  qs-broker --key //Alice replace 42 --price 150100 --quantity 200
  qs-broker --key //Alice batch orders.csv --results results.csv
  qs-broker --key //Alice --json positions
  qs-broker watch 0

Exit codes: 0 done; 1 the chain refused something (a failed transaction, a failed batch row);
2 bad input (arguments, key, CSV file); 3 the node could not be reached or answered an error."
)]
pub struct Cli {
	/// The node's websocket RPC address.
	#[arg(long, global = true, env = "QS_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	#[command(flatten)]
	pub key: KeyArgs,

	/// Print JSON (one document, or one line per refresh for `watch`) instead of text.
	#[arg(long, global = true)]
	pub json: bool,

	#[command(subcommand)]
	pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Every market with its rules, price band and last price.
	Markets,
	/// Place one order.
	Place(PlaceArgs),
	/// Cancel a live order.
	Cancel {
		/// The order's id.
		order: u64,
	},
	/// Change a resting order's price and remaining quantity (it keeps its priority only if the
	/// price is unchanged and the quantity does not grow).
	Replace {
		/// The order's id.
		order: u64,
		/// The new limit price.
		#[arg(long)]
		price: u64,
		/// The new remaining quantity.
		#[arg(long)]
		quantity: u64,
	},
	/// Run the rows of a CSV file, with a progress bar and a result per row. The header names
	/// the columns, in any order: action (place, cancel or replace), market, side, quantity,
	/// price, protection, tif, post_only, account, order.
	Batch {
		/// The CSV file.
		file: PathBuf,
		/// Where to write each row's result (default: `<file>.results.csv`).
		#[arg(long)]
		results: Option<PathBuf>,
	},
	/// Balances of every asset: free and on hold.
	Positions {
		/// Whose (default: the signing key's account).
		#[arg(long)]
		account: Option<String>,
	},
	/// What is on hold, and why.
	Holds {
		/// Whose (default: the signing key's account).
		#[arg(long)]
		account: Option<String>,
	},
	/// Live orders.
	Orders {
		/// Whose (default: the signing key's account).
		#[arg(long)]
		account: Option<String>,
	},
	/// A market's depth and recent trades, refreshed at every new block until interrupted.
	Watch {
		/// The market.
		market: u32,
		/// Price levels a side.
		#[arg(long, default_value_t = 10)]
		levels: u32,
		/// Recent trades shown.
		#[arg(long, default_value_t = 10)]
		trades: u32,
		/// Show once and exit.
		#[arg(long)]
		once: bool,
	},
}

/// One order.
#[derive(Debug, Args)]
pub struct PlaceArgs {
	/// The market.
	#[arg(long)]
	pub market: u32,
	/// buy or sell.
	#[arg(long)]
	pub side: String,
	/// Shares (a multiple of the market's lot).
	#[arg(long)]
	pub quantity: u64,
	/// The limit price, in the cash asset's smallest unit (fen).
	#[arg(long, required_unless_present = "market_order")]
	pub price: Option<u64>,
	/// How long a limit order lives: gtc, ioc, fok, or gtd:<block>.
	#[arg(long, default_value = "gtc")]
	pub tif: String,
	/// Refuse the order rather than let it trade on arrival.
	#[arg(long)]
	pub post_only: bool,
	/// A market order (needs --protection) instead of a limit order.
	#[arg(long, requires = "protection", conflicts_with_all = ["price", "post_only"])]
	pub market_order: bool,
	/// A market order's worst price.
	#[arg(long)]
	pub protection: Option<u64>,
	/// The investor account the order is for (default: the broker's own).
	#[arg(long)]
	pub account: Option<String>,
}
