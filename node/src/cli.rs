//! Command-line interface of `qingsuan-node`.

/// Sub-commands besides running the node.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys and node keys; SM2 keys with
	/// `--scheme sm2` (generate, inspect, sign, verify).
	#[command(subcommand)]
	Key(KeyCmd),

	/// Build a chain specification (JSON) from a preset or a spec file; `--raw` for storage form.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a preset or spec file.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallet weights, block overhead, storage (needs `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// `qingsuan-node key`: Substrate's key commands, and SM2 signing and verifying. (SM2
/// `generate` and `inspect` are Substrate's commands with `--scheme sm2`.)
#[derive(Debug, clap::Subcommand)]
pub enum KeyCmd {
	/// Substrate's key commands.
	#[command(flatten)]
	Substrate(sc_cli::KeySubcommand),
	/// Sign a message with an SM2 secret key (`--scheme sm2`); prints the signature in hex.
	Sign(crate::sm2_key::SignCmd),
	/// Verify an SM2 signature (`--scheme sm2`).
	Verify(crate::sm2_key::VerifyCmd),
}

/// The node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A sub-command; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of the running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// How many blocks behind the best block a validator's GRANDPA votes stay. 0 (the default)
	/// votes for the best block: on a consortium network, where Aura forks are rare, finality
	/// then follows a block by one GRANDPA round. 2 is Substrate's default for chains with
	/// frequent forks (it also never votes past three quarters of the unfinalized chain).
	#[arg(long, value_name = "BLOCKS", default_value_t = 0)]
	pub finality_vote_lag: u32,

	/// Run as a regulator's observer: a full, non-validating archive node (every block and
	/// every state kept) that never authors or votes, even with keys in its keystore, and whose
	/// RPC server has no method that writes (submitting or broadcasting transactions, key
	/// insertion, offchain storage writes, peer and log changes): calling one is "method not
	/// found". Needs its own `--base-path` (a pruned database does not open as an archive).
	#[arg(
		long,
		conflicts_with_all = [
			"validator", "force_authoring", "dev", "alice", "bob", "charlie", "dave", "eve", "ferdie",
			"one", "two",
		]
	)]
	pub observer: bool,

	/// Run market surveillance: follow finalized blocks, keep every order's lifecycle and raise
	/// abnormal-trading alerts (high frequency, quick cancels, spoofing, wash and matched trades,
	/// price pushing, holding the band limit), served as `surveillance_*` RPC. Always on with
	/// `--observer`. Best run on an archive node: blocks whose state is pruned before the service
	/// reads them are missed.
	#[arg(long)]
	pub surveillance: bool,

	/// A JSON file of surveillance thresholds overriding the defaults (fields as in
	/// `surveillance_status`'s `config`, e.g. `{"highFrequencyPerSecond": 200}`). Implies
	/// `--surveillance`.
	#[arg(long, value_name = "FILE")]
	pub surveillance_config: Option<std::path::PathBuf>,
}
