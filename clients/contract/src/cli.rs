//! The command line.

use clap::{Parser, Subcommand};
use qingsuan_client::cli::KeyArgs;
use std::path::PathBuf;

/// A contract developer's client for a Qingsuan node.
#[derive(Debug, Parser)]
#[command(
	name = "qs-contract",
	version,
	about = "A contract developer's client for a Qingsuan node: a project with the Solidity SDK, compile, deploy, call, read, events.",
	after_help = "Examples:
  qs-contract new escrow && cd escrow
  qs-contract compile src/DvpEscrow.sol
  qs-contract --key //Ferdie deploy artifacts/DvpEscrow.json
  qs-contract --key //Alice approve 0x… --owner //Alice --asset 1 --limit 100
  qs-contract --key //Alice reclaim 0x… --asset 1
  qs-contract --key //Alice call 0x… artifacts/DvpEscrow.json open //Alice //Bob 1 100 1000 15000000 1767225600
  qs-contract read 0x… artifacts/DvpEscrow.json deals 0
  qs-contract events 0x… artifacts/DvpEscrow.json --from 1
  qs-contract address //Alice

Arguments are parsed by the ABI's types: numbers in decimal or 0x-hex, true/false, arrays [a,b]
and tuples (a,b); an address may be 0x-hex of 20 bytes, an account (SS58) or a secret URI
(//Alice), as its contract address.

Exit codes: 0 done; 1 the contract reverted or the chain refused the transaction; 2 bad input
(arguments, key, artifact, a compilation error); 3 the node could not be reached or answered an
error."
)]
pub struct Cli {
	/// The node's websocket RPC address.
	#[arg(long, global = true, env = "QS_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	#[command(flatten)]
	pub key: KeyArgs,

	#[command(subcommand)]
	pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Create a contract project in DIR: the SDK, the example contracts, the pinned compiler.
	New {
		/// The directory (created; it must not exist or be empty).
		dir: PathBuf,
	},
	/// Compile Solidity files with the project's pinned solc-js into artifacts (ABI and EVM
	/// bytecode), installing the compiler first if needed (npm ci).
	Compile {
		/// The .sol files.
		#[arg(required = true)]
		files: Vec<PathBuf>,
		/// Where the artifacts go (default: the project's `artifacts/`). The project is the
		/// nearest directory above the first file with `scripts/compile.js`.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Deploy a compiled contract (the key must hold the Developer role).
	Deploy {
		/// The artifact (`artifacts/<Contract>.json`).
		artifact: PathBuf,
		/// The constructor's arguments.
		args: Vec<String>,
	},
	/// Call a function in a transaction; prints what it returned and the logs it emitted.
	Call {
		/// The contract's address.
		contract: String,
		/// Its artifact (for the ABI).
		artifact: PathBuf,
		/// The function: its name, or its signature if it is overloaded.
		function: String,
		/// Its arguments.
		args: Vec<String>,
	},
	/// Call a function without a transaction (a dry run at the best block): what it returns.
	Read {
		/// The contract's address.
		contract: String,
		/// Its artifact (for the ABI).
		artifact: PathBuf,
		/// The function: its name, or its signature if it is overloaded.
		function: String,
		/// Its arguments.
		args: Vec<String>,
	},
	/// The logs a contract emitted, decoded with its ABI.
	Events {
		/// The contract's address.
		contract: String,
		/// Its artifact (for the ABI).
		artifact: PathBuf,
		/// The first block to read.
		#[arg(long, default_value_t = 1)]
		from: u64,
		/// The last block to read (default: the best block).
		#[arg(long)]
		to: Option<u64>,
	},
	/// As the owner's broker, approve a contract to hold up to LIMIT of the owner's asset.
	Approve {
		/// The contract's address.
		contract: String,
		/// Whose asset: an account (SS58, 0x-hex) or a secret URI; default the signer's own.
		#[arg(long)]
		owner: Option<String>,
		/// The ledger asset.
		#[arg(long)]
		asset: u32,
		/// The most the contract may hold at once (0 withdraws the approval).
		#[arg(long)]
		limit: u128,
	},
	/// As the owner's broker, take back all of the owner's asset that a contract which no longer
	/// exists (it terminated) held, and withdraw what was left of its approval for the asset.
	/// Refused while the contract exists: a live contract releases what it holds itself.
	Reclaim {
		/// The former contract's address.
		contract: String,
		/// Whose asset: an account (SS58, 0x-hex) or a secret URI; default the signer's own.
		#[arg(long)]
		owner: Option<String>,
		/// The ledger asset.
		#[arg(long)]
		asset: u32,
	},
	/// The contract address of an account (SS58, 0x-hex of 32 bytes, or a secret URI such as
	/// //Alice), and the account of a contract address.
	Address {
		/// The account or address.
		who: String,
	},
}
