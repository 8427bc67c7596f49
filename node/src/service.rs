//! Assembly of the node: client, import queue, network, transaction pool, off-chain workers,
//! RPC, Aura authoring and the GRANDPA voter.

use futures::FutureExt;
use qingsuan_runtime::{apis::RuntimeApi, opaque::Block};
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};
use std::{sync::Arc, time::Duration};

/// The host functions the runtime may call: Substrate's, and the SM2/SM3 ones.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = (sp_io::SubstrateHostFunctions, qingsuan_sm_crypto::host::sm::HostFunctions);
/// The host functions the runtime may call: Substrate's, the SM2/SM3 ones, and (in a node built
/// for benchmarking, whose runtime has the benchmarks compiled in) the benchmarking ones.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	qingsuan_sm_crypto::host::sm::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

/// The full client.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// Blocks between GRANDPA justifications kept for sync.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts of the node that sub-commands (import, export, revert, benchmarks) also need.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(
		sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
	),
>;

/// Aura's inherent data: the timestamp and the slot it falls in.
fn aura_inherents(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot =
		sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(*timestamp, slot_duration);
	(slot, timestamp)
}

/// Build the client, database, transaction pool and import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) = sc_service::new_full_parts::<Block, RuntimeApi, _>(
		config,
		telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
		executor,
		Vec::new(),
	)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let cidp_client = client.clone();
	let import_queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
		block_import: grandpa_block_import.clone(),
		justification_import: Some(Box::new(grandpa_block_import.clone())),
		client: client.clone(),
		create_inherent_data_providers: move |parent_hash, _| {
			let cidp_client = cidp_client.clone();
			async move {
				let slot_duration = sc_consensus_aura::standalone::slot_duration_at(&*cidp_client, parent_hash)?;
				Ok(aura_inherents(slot_duration))
			}
		},
		spawner: &task_manager.spawn_essential_handle(),
		registry: config.prometheus_registry(),
		check_for_equivocation: Default::default(),
		telemetry: telemetry.as_ref().map(|x| x.handle()),
		compatibility_mode: Default::default(),
	})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// GRANDPA's voting rule: votes for the best block when `lag` is 0; otherwise Substrate's default
/// rules with `lag` blocks instead of two (behind the best block, and never past three quarters
/// of the unfinalized chain).
fn voting_rule(lag: u32) -> impl sc_consensus_grandpa::VotingRule<Block, FullClient> + Clone {
	use sc_consensus_grandpa::{BeforeBestBlockBy, ThreeQuartersOfTheUnfinalizedChain, VotingRule, VotingRulesBuilder};
	let mut rules: Vec<Box<dyn VotingRule<Block, FullClient>>> = Vec::new();
	if lag > 0 {
		rules.push(Box::new(BeforeBestBlockBy(lag)));
		rules.push(Box::new(ThreeQuartersOfTheUnfinalizedChain));
	}
	VotingRulesBuilder::new().add_all(rules).build()
}

/// `spawn_tasks` always starts an RPC server on the configured endpoints; an observer gives it
/// this one instead: one loopback listener on a port the OS picks, taking no connection (an
/// observer serves its own read-only module on the operator's endpoints, [`new_full`]).
fn sealed_rpc(rpc: &sc_service::config::RpcConfiguration) -> sc_service::config::RpcConfiguration {
	use sc_service::config::{RpcBatchRequestConfig, RpcConfiguration, RpcEndpoint, RpcMethods};
	RpcConfiguration {
		addr: Some(vec![RpcEndpoint {
			listen_addr: (std::net::Ipv4Addr::LOCALHOST, 0).into(),
			batch_config: RpcBatchRequestConfig::Disabled,
			max_connections: 0,
			max_payload_in_mb: 1,
			max_payload_out_mb: 1,
			max_subscriptions_per_connection: 0,
			max_buffer_capacity_per_connection: 1,
			rate_limit: None,
			rate_limit_trust_proxy_headers: false,
			rate_limit_whitelisted_ips: Vec::new(),
			cors: None,
			rpc_methods: RpcMethods::Safe,
			is_optional: false,
			retry_random_port: false,
		}]),
		// Sizes the runtime the read-only module's subscriptions also run on.
		max_connections: rpc.max_connections,
		cors: None,
		methods: RpcMethods::Safe,
		max_request_size: rpc.max_request_size,
		max_response_size: rpc.max_response_size,
		id_provider: None,
		max_subs_per_conn: rpc.max_subs_per_conn,
		port: 0,
		message_buffer_capacity: rpc.message_buffer_capacity,
		batch_config: rpc.batch_config,
		rate_limit: None,
		rate_limit_whitelisted_ips: Vec::new(),
		rate_limit_trust_proxy_headers: false,
		request_logger_limit: rpc.request_logger_limit,
	}
}

/// Our options of a running node, beyond Substrate's.
pub struct NodeOptions {
	/// How many blocks behind the best block GRANDPA votes stay (`--finality-vote-lag`).
	pub vote_lag: u32,
	/// A regulator's observer (`--observer`).
	pub observer: bool,
	/// Run market surveillance with these thresholds (`--surveillance`, `--observer`).
	pub surveillance: Option<qingsuan_surveillance::Config>,
}

/// Build and start a full node (an authority if `--validator`); its GRANDPA votes stay
/// `vote_lag` blocks behind the best block (`--finality-vote-lag`).
///
/// With `observer` (`--observer`): a full node whatever the other flags say, with an in-memory
/// keystore (keys on disk are never loaded, so it can neither author nor vote), offchain workers
/// without keys or transaction pool (node authorization still applies), and an RPC server
/// without write methods (`crate::rpc::observer_module`). The CLI has made it an archive.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>>(
	mut config: Configuration,
	options: &NodeOptions,
) -> Result<TaskManager, ServiceError> {
	let NodeOptions { vote_lag, observer, .. } = *options;
	let mut public_rpc = None;
	if observer {
		config.role = sc_service::Role::Full;
		config.force_authoring = false;
		config.dev_key_seed = None;
		config.keystore = sc_service::config::KeystoreConfig::InMemory;
		config.state_pruning = Some(sc_service::PruningMode::ArchiveAll);
		config.blocks_pruning = sc_service::BlocksPruning::KeepAll;
		let sealed = sealed_rpc(&config.rpc);
		public_rpc = Some(std::mem::replace(&mut config.rpc, sealed));
	}
	let tokio_handle = config.tokio_handle.clone();
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name = sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) = sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
		grandpa_protocol_name.clone(),
		metrics.clone(),
		peer_store_handle,
	);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers = sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
			runtime_api_provider: client.clone(),
			is_validator: config.role.is_authority(),
			keystore: (!observer).then(|| keystore_container.keystore()),
			offchain_db: backend.offchain_storage(),
			transaction_pool: (!observer).then(|| OffchainTransactionPoolFactory::new(transaction_pool.clone())),
			network_provider: Arc::new(network.clone()),
			enable_http_requests: false,
			custom_extensions: |_| vec![],
		})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	// The trade store follows finality on a blocking task of its own; RPC reads it.
	let trade_store = Arc::new(crate::trade_indexer::store(client.clone()));
	task_manager.spawn_handle().spawn_blocking(
		"trade-store-indexer",
		Some("rpc"),
		crate::trade_indexer::run(client.clone(), backend.clone(), trade_store.clone()),
	);

	// Surveillance, if on, follows finality the same way; RPC reads its store and relays its
	// new alerts to subscribers.
	let surveillance = options.surveillance.clone().map(|thresholds| {
		let store = Arc::new(crate::surveillance::store(client.clone(), thresholds));
		let alerts = qingsuan_surveillance::server::alert_channel();
		task_manager.spawn_handle().spawn_blocking(
			"surveillance",
			Some("rpc"),
			crate::surveillance::run(client.clone(), backend.clone(), store.clone(), alerts.clone()),
		);
		(store, alerts)
	});

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let store = trade_store.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				store: store.clone(),
				surveillance: surveillance.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if let Some(mut public) = public_rpc {
		// The same methods `spawn_tasks` built, less the writes, on the operator's endpoints.
		let module = crate::rpc::observer_module((*rpc_handlers.handle()).clone()).map_err(ServiceError::Other)?;
		let runtime = sc_service::create_rpc_runtime(public.max_connections)
			.map_err(|e| ServiceError::Other(format!("cannot start the RPC runtime: {e}")))?;
		let ids = public.id_provider.take();
		let server = sc_service::start_rpc_servers(&public, None, &tokio_handle, module, runtime, ids)?;
		task_manager.keep_alive(server);
		log::info!("👁  Observer: archive, never authors or votes, RPC without write methods");
	}

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);

		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(StartAuraParams {
			slot_duration,
			client,
			select_chain,
			block_import,
			proposer_factory,
			create_inherent_data_providers: move |_, ()| async move { Ok(aura_inherents(slot_duration)) },
			force_authoring,
			backoff_authoring_blocks: Option::<()>::None,
			keystore: keystore_container.keystore(),
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

		// Block authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only an authority needs its keystore to vote.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			// A round takes about four gossip periods. The consortium's validators sit on a few
			// well-connected networks, so rounds can be short: finality follows a trade by
			// about a second instead of three to four (measured with scripts/chain-load.sh).
			gossip_duration: Duration::from_millis(150),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: voting_rule(vote_lag),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		// The voter is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
