//! `qingsuan-node benchmark …` (built with `--features runtime-benchmarks`).

use crate::{cli::Cli, service};
use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use qingsuan_runtime::opaque::Block;
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

/// Run one benchmark sub-command.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;
	runner.sync_run(|config| match cmd {
		BenchmarkCmd::Pallet(cmd) => cmd
			.run_with_spec::<sp_runtime::traits::HashingFor<Block>, qingsuan_sm_crypto::host::sm::HostFunctions>(Some(
				config.chain_spec,
			)),
		BenchmarkCmd::Block(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			cmd.run(client)
		},
		BenchmarkCmd::Storage(cmd) => {
			let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_cache)
		},
		BenchmarkCmd::Overhead(cmd) => cmd
			.run_with_default_builder_and_spec::<Block, qingsuan_sm_crypto::host::sm::HostFunctions>(Some(
				config.chain_spec,
			)),
		BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
		BenchmarkCmd::Extrinsic(_) => {
			Err("`benchmark extrinsic` is not offered: use `benchmark overhead` for block and extrinsic base weights"
				.into())
		},
	})
}
