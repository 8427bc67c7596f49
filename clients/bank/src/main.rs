//! `qs-bank`: the clearing bank's settlement client for a Qingsuan node.

use clap::{Parser, Subcommand, ValueEnum};
use qingsuan_client::{
	keys::{self, Keypair, Scheme},
	pallet_settlement_rpc::SettlementApiClient,
	AccountId32, Client,
};
use qingsuan_sm_crypto::sm2;
use qs_bank::{
	metrics::Metrics,
	reconcile,
	service::{self, Config, Service},
	sqlite_ledger::SqliteLedger,
	store::{RunLock, State, Store},
};
use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

/// The clearing bank's settlement client.
#[derive(Debug, Parser)]
#[command(
	name = "qs-bank",
	version,
	about = "The clearing bank's settlement client: deposits and withdrawals between the chain and the core banking system.",
	after_help = "Examples:
  qs-bank --key-file bank.key --envelope-key-file envelope.key run --prometheus-port 9616
  qs-bank --key //Charlie --envelope-key-file envelope.key run
  qs-bank --key //Charlie receive --reference QS-D7 --member 5Grw... --asset 1000 --amount 5000000
  qs-bank --key //Charlie reconcile --day 20425
  qs-bank --key //Charlie status

Exit codes: 0 done; 1 reconciliation found a difference; 2 bad input; 3 the node, the database
or the ledger failed."
)]
struct Cli {
	/// The node's websocket RPC address.
	#[arg(long, global = true, env = "QS_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// A file with the bank's signing key (a secret URI, a keystore file, SM2 hex or PEM).
	#[arg(long, global = true, env = "QS_KEY_FILE", conflicts_with = "key")]
	key_file: Option<PathBuf>,
	/// The signing key itself (development chains: `//Charlie`).
	#[arg(long, global = true, env = "QS_KEY")]
	key: Option<String>,
	/// The signing key's scheme: sr25519, ed25519 or sm2.
	#[arg(long, global = true, default_value = "sr25519")]
	scheme: String,
	/// A file with the bank's SM2 envelope secret (64 hex digits or a PKCS#8 PEM): it opens the
	/// payee details of withdrawals. `run` needs it.
	#[arg(long, global = true, env = "QS_ENVELOPE_KEY_FILE")]
	envelope_key_file: Option<PathBuf>,
	/// The client's own database (cursor, requests and their states).
	#[arg(long, global = true, default_value = "qs-bank.db")]
	db: PathBuf,
	/// The core-banking ledger (the shipped SQLite adapter's database).
	#[arg(long, global = true, default_value = "qs-bank-ledger.db")]
	ledger: PathBuf,
	/// Where reconciliation reports are written.
	#[arg(long, global = true, default_value = "reports")]
	reports: PathBuf,
	/// Log lines as JSON (default) or text.
	#[arg(long, global = true, value_enum, default_value_t = LogFormat::Json)]
	log_format: LogFormat,
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormat {
	Json,
	Text,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Run the service: follow finalized blocks, settle requests, reconcile each day.
	Run {
		/// Serve Prometheus metrics on 127.0.0.1 at this port.
		#[arg(long)]
		prometheus_port: Option<u16>,
		/// Reject a deposit whose wire has not arrived after this many seconds.
		#[arg(long, default_value_t = 3600)]
		deposit_wait_secs: u64,
		/// Poll the node for new finalized blocks this often (milliseconds).
		#[arg(long, default_value_t = 1000)]
		poll_ms: u64,
	},
	/// Reconcile one settlement day now and write its reports.
	Reconcile {
		/// The day (default: today).
		#[arg(long)]
		day: Option<u32>,
	},
	/// The requests the client has seen, with their states, as JSON.
	Status,
	/// Record an incoming wire in the SQLite ledger (what the back office does when money
	/// arrives with a deposit's reference `QS-D<id>`).
	Receive {
		/// The wire's reference.
		#[arg(long)]
		reference: String,
		/// The member who sent it (SS58).
		#[arg(long)]
		member: String,
		/// The cash asset.
		#[arg(long)]
		asset: u32,
		/// The amount in fen.
		#[arg(long)]
		amount: u128,
	},
}

/// A failure and its exit code.
struct Failure(u8, String);

impl qingsuan_client::cli::Failure for Failure {
	fn exit_code(&self) -> u8 {
		self.0
	}

	fn message(&self) -> &str {
		&self.1
	}
}

fn input(m: impl ToString) -> Failure {
	Failure(2, m.to_string())
}

fn failed(m: impl ToString) -> Failure {
	Failure(3, m.to_string())
}

fn signing_key(cli: &Cli) -> Result<Keypair, Failure> {
	let scheme: Scheme = cli.scheme.parse().map_err(input)?;
	match (&cli.key_file, &cli.key) {
		(Some(path), _) => Keypair::from_file(scheme, path).map_err(input),
		(None, Some(secret)) => Keypair::from_secret(scheme, secret).map_err(input),
		(None, None) => Err(input("give the bank's key: --key-file (or --key)")),
	}
}

fn envelope_key(cli: &Cli) -> Result<sm2::SecretKey, Failure> {
	let Some(path) = &cli.envelope_key_file else {
		return Err(input(
			"give the bank's SM2 envelope key: --envelope-key-file (it opens withdrawals' payee details)",
		));
	};
	keys::envelope_secret_from_file(path).map_err(input)
}

fn init_logs(format: LogFormat) {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
	match format {
		LogFormat::Json => builder.json().flatten_event(true).init(),
		LogFormat::Text => builder.init(),
	}
}

async fn run(cli: Cli) -> Result<(), Failure> {
	if let Command::Receive { reference, member, asset, amount } = &cli.command {
		let member: AccountId32 =
			member.parse().map_err(|e| input(format!("{member:?} is not an SS58 account: {e:?}")))?;
		let ledger = SqliteLedger::open(&cli.ledger).map_err(failed)?;
		return ledger.receive(reference, &member.to_string(), *asset, *amount).map_err(failed);
	}
	let key = signing_key(&cli)?;
	let envelope_key = match cli.command {
		Command::Run { .. } => Some(envelope_key(&cli)?),
		_ => None,
	};
	// One service per database: taken before anything is read or written, held until exit.
	let _run_lock = match cli.command {
		Command::Run { .. } => Some(RunLock::acquire(&cli.db).map_err(input)?),
		_ => None,
	};
	let client = Client::connect(&cli.url).await.map_err(failed)?;
	let store = match cli.command {
		Command::Run { .. } => Store::open(&cli.db),
		_ => Store::open_existing(&cli.db),
	}
	.map_err(failed)?;
	let ledger = SqliteLedger::open(&cli.ledger).map_err(failed)?;
	match cli.command {
		Command::Run { prometheus_port, deposit_wait_secs, poll_ms } => {
			let metrics = match prometheus_port {
				Some(port) => {
					let registry = substrate_prometheus_endpoint::Registry::new();
					let metrics = Metrics::register(&registry).map_err(failed)?;
					let addr = SocketAddr::from(([127, 0, 0, 1], port));
					tokio::spawn(async move {
						if let Err(e) = substrate_prometheus_endpoint::init_prometheus(addr, registry).await {
							tracing::error!(error = %e, "the metrics server stopped");
						}
					});
					Some(metrics)
				},
				None => None,
			};
			let config = Config {
				key,
				envelope_key: envelope_key.ok_or_else(|| input("run needs --envelope-key-file"))?,
				report_dir: cli.reports,
				deposit_wait: Duration::from_secs(deposit_wait_secs),
				poll: Duration::from_millis(poll_ms.max(100)),
			};
			let mut service = Service::new(client, store, ledger, config, metrics).await.map_err(failed)?;
			tokio::select! {
				_ = service.run() => Ok(()),
				_ = tokio::signal::ctrl_c() => {
					tracing::info!("stopping");
					Ok(())
				},
			}
		},
		Command::Reconcile { day } => {
			let bank = key.account_id();
			let assets = service::assets_of(&client, &bank, None).await.map_err(failed)?;
			let day = match day {
				Some(d) => d,
				None => client.settlement().today(None).await.map_err(failed)?,
			};
			let reports =
				reconcile::reconcile(&client, &store, &ledger, &assets, day, &cli.reports).await.map_err(failed)?;
			println!("{}", serde_json::to_string_pretty(&reports).unwrap_or_default());
			if reports.iter().all(|r| r.matches()) {
				Ok(())
			} else {
				Err(Failure(1, format!("chain and ledger differ on day {day}; reports in {}", cli.reports.display())))
			}
		},
		Command::Status => {
			let items: Vec<_> = store
				.all_items()
				.map_err(failed)?
				.into_iter()
				.map(|i| {
					let (state, note) = match i.state {
						State::Recorded => ("recorded".to_string(), String::new()),
						State::Decided { approve, note } => {
							(format!("decided:{}", if approve { "approve" } else { "reject" }), note)
						},
						State::Done { outcome } => (format!("done:{outcome}"), String::new()),
					};
					serde_json::json!({
						"id": i.request.id, "kind": i.kind.as_str(), "member": i.request.member.to_string(),
						"asset": i.request.asset, "amount": i.request.amount.to_string(), "block": i.block,
						"state": state, "note": note,
					})
				})
				.collect();
			let cursor = store.cursor().map_err(failed)?;
			println!("{}", serde_json::json!({ "cursor": cursor, "requests": items }));
			Ok(())
		},
		Command::Receive { .. } => Ok(()),
	}
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	init_logs(cli.log_format);
	qingsuan_client::cli::run(run(cli))
}
