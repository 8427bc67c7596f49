//! Dispatch of the command line to the node's services and sub-commands.

use crate::{
	chain_spec,
	cli::{Cli, KeyCmd, Subcommand},
	service,
};
use qingsuan_runtime::opaque::Block;
use sc_cli::{OffchainWorkerEnabled, SubstrateCli};
use sc_service::PartialComponents;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Qingsuan Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/qingsuan/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id)
	}
}

/// Whether `flag` was given on the command line (as `--flag` or `--flag=value`).
fn flag_given(flag: &str) -> bool {
	std::env::args().any(|a| a == flag || a.starts_with(&format!("{flag}=")))
}

/// Fail early, naming the address, if a port the node must listen on is taken.
fn check_ports_free(config: &sc_service::Configuration) -> sc_cli::Result<()> {
	let rpc = config.rpc.addr.iter().flatten().filter(|e| !e.is_optional).map(|e| ("RPC", e.listen_addr));
	let prometheus = config.prometheus_config.iter().map(|p| ("Prometheus", p.port));
	for (what, addr) in rpc.chain(prometheus) {
		if let Err(e) = std::net::TcpListener::bind(addr) {
			return Err(sc_cli::Error::Input(format!("cannot listen for {what} on {addr}: {e}")));
		}
	}
	Ok(())
}

/// An observer keeps every block and every state: archive pruning, or a clear error if the
/// operator asked for less.
fn observer_pruning(pruning: &mut sc_cli::PruningParams) -> sc_cli::Result<()> {
	use sc_cli::DatabasePruningMode::Archive;
	if pruning.state_pruning.is_some_and(|mode| mode != Archive) {
		return Err(sc_cli::Error::Input("--observer keeps every state: drop --state-pruning".into()));
	}
	if pruning.blocks_pruning != Archive && flag_given("--blocks-pruning") {
		return Err(sc_cli::Error::Input("--observer keeps every block: drop --blocks-pruning".into()));
	}
	pruning.state_pruning = Some(Archive);
	pruning.blocks_pruning = Archive;
	Ok(())
}

/// The surveillance thresholds if the service is to run (`--surveillance`, a
/// `--surveillance-config` file, or `--observer`); a file that does not read or parse is an error
/// before the node starts.
fn surveillance_config(cli: &Cli) -> sc_cli::Result<Option<qingsuan_surveillance::Config>> {
	match &cli.surveillance_config {
		Some(path) => {
			let text = std::fs::read_to_string(path)
				.map_err(|e| sc_cli::Error::Input(format!("--surveillance-config {}: {e}", path.display())))?;
			qingsuan_surveillance::Config::from_json(&text)
				.map(Some)
				.map_err(|e| sc_cli::Error::Input(format!("--surveillance-config {}: {e}", path.display())))
		},
		None => Ok((cli.surveillance || cli.observer).then(qingsuan_surveillance::Config::default)),
	}
}

/// A one-line description of an error, for the terminal.
pub fn describe_error(e: &sc_cli::Error) -> String {
	let text = match e {
		sc_cli::Error::Service(sc_service::Error::Other(s)) => s.clone(),
		other => other.to_string(),
	};
	text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(": ")
}

/// The command line, parsed as Substrate's CLI does, with two defaults of ours:
///
/// - the single-state transaction pool. GRANDPA votes for the best block here
///   (`--finality-vote-lag 0`), so a block is final as soon as it is imported, and under a heavy
///   load of single transactions the fork-aware pool then lost transactions it had accepted (a
///   broker's nonce gap stalls all its later ones: 4 of 6 runs of `chain_load transfers`); the
///   single-state pool lost none.
/// - a 256 MiB trie cache (Substrate's default is 1 GiB). The chain's state is small (about a
///   megabyte besides the runtime after a million orders: open orders, balances, the day's
///   digests), but trading rewrites it thousands of times a second, and the cache keeps the
///   nodes of every version it saw up to its size: with 1 GiB a dev node passed 1.3 GiB of RSS
///   after a million orders. `--trie-cache-size` still chooses.
fn parse_cli() -> Cli {
	use clap::{CommandFactory, FromArgMatches};
	let command = <Cli as SubstrateCli>::setup_command(Cli::command())
		.mut_arg("pool_type", |arg| arg.default_value("single-state"))
		.mut_arg("trie_cache_size", |arg| arg.default_value(TRIE_CACHE_SIZE));
	let matches = command.try_get_matches_from(std::env::args_os()).unwrap_or_else(|e| e.exit());
	Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The node's default trie cache, in bytes (256 MiB; see [`parse_cli`]).
const TRIE_CACHE_SIZE: &str = "268435456";

/// Parse and run the command line.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = parse_cli();
	// Node authorization is enforced by each node's off-chain worker, so every node runs it
	// unless the operator says otherwise.
	if !flag_given("--offchain-worker") {
		cli.run.offchain_worker_params.enabled = OffchainWorkerEnabled::Always;
	}

	if cli.observer {
		observer_pruning(&mut cli.run.import_params.pruning_params)?;
	}

	match &cli.subcommand {
		Some(Subcommand::Key(KeyCmd::Substrate(cmd))) => cmd.run(&cli),
		// With `--scheme sm2` they were run before parsing (`sm2_key`); any other scheme is
		// refused here.
		Some(Subcommand::Key(KeyCmd::Sign(cmd))) => Err(sc_cli::Error::Input(crate::sm2_key::sm2_only(&cmd.scheme))),
		Some(Subcommand::Key(KeyCmd::Verify(cmd))) => Err(sc_cli::Error::Input(crate::sm2_key::sm2_only(&cmd.scheme))),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } = service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => crate::benchmarking::run(&cli, cmd),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let options = service::NodeOptions {
				vote_lag: cli.finality_vote_lag,
				observer: cli.observer,
				surveillance: surveillance_config(&cli)?,
			};
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|mut config| async move {
				// A node whose RPC port is taken must say so, not move to a random port that
				// brokers' and banks' clients do not know about.
				for endpoint in config.rpc.addr.iter_mut().flatten() {
					endpoint.retry_random_port = false;
				}
				check_ports_free(&config)?;
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<Block, <Block as sp_runtime::traits::Block>::Hash>,
					>(config, &options)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config, &options)
							.map_err(sc_cli::Error::Service)
					},
				}
			})
		},
	}
}
