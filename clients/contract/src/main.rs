//! `qs-contract`: a contract developer's command-line client for a Qingsuan node. Every command
//! prints one JSON document on stdout.

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use qingsuan_client::{
	keys::{Keypair, Scheme},
	AccountId32, Client,
};
use qs_contract::{abi::Artifact, address, chain, project};
use serde_json::{json, Value};
use std::{path::Path, process::ExitCode};

/// Why a command failed, and its exit code.
type Failure = qingsuan_client::cli::CommandError;

/// An account: SS58, 0x-hex of 32 bytes, or an sr25519 secret URI (`//Alice`).
fn account(s: &str) -> Result<AccountId32, Failure> {
	if s.starts_with("//") {
		return Keypair::from_secret(Scheme::Sr25519, s).map(|k| k.account_id()).map_err(Failure::from);
	}
	qingsuan_client::accounts::parse(s).map_err(Failure::Input)
}

/// The owner a broker acts for: the one given, or the signer's own account.
fn owner_or(owner: Option<String>, signer: &Keypair) -> Result<AccountId32, Failure> {
	match owner {
		Some(o) => account(&o),
		None => Ok(signer.account_id()),
	}
}

fn artifact(path: &Path) -> Result<Artifact, Failure> {
	Artifact::load(path).map_err(Failure::Input)
}

fn contract(s: &str) -> Result<alloy_primitives::Address, Failure> {
	s.trim().parse().map_err(|e| Failure::Input(format!("{s:?} is not a contract address (0x and 20 bytes): {e}")))
}

fn print(value: Value) {
	println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
}

async fn run(cli: Cli) -> Result<(), Failure> {
	match cli.command {
		Command::New { dir } => {
			let written = project::create(&dir).map_err(Failure::Input)?;
			print(json!({ "project": dir, "files": written }));
		},
		Command::Compile { files, out } => {
			let first = files.first().ok_or_else(|| Failure::Input("give the .sol files to compile".into()))?;
			let root = project::find(first.parent().unwrap_or(Path::new("."))).map_err(Failure::Input)?;
			let out = out.unwrap_or_else(|| root.join("artifacts"));
			let written = project::compile(&root, &out, &files).map_err(|e| {
				// solc's messages span lines; the failure line only says where they are.
				eprintln!("{e}");
				Failure::Input("the compilation failed (solc's messages above)".into())
			})?;
			print(json!({ "artifacts": written }));
		},
		Command::Address { who } => {
			let value = match who.trim().strip_prefix("0x").filter(|h| h.len() == 40) {
				Some(_) => {
					let address = contract(&who)?;
					json!({ "address": address.to_string(), "account": address::contract_account(&address).to_string() })
				},
				None => {
					let account = account(&who)?;
					json!({ "account": account.to_string(), "address": address::of(&account).to_string() })
				},
			};
			print(value);
		},
		Command::Deploy { artifact: path, args } => {
			let artifact = artifact(&path)?;
			let code = artifact.deploy_code(&args).map_err(Failure::Input)?;
			let signer = cli.key.keypair()?;
			let client = Client::connect(&cli.url).await?;
			let deployed = chain::deploy(&client, &signer, &artifact, code).await?;
			print(json!({
				"contract": artifact.name,
				"address": deployed.address.to_string(),
				"account": deployed.account.to_string(),
				"block": deployed.block,
			}));
		},
		Command::Call { contract: at, artifact: path, function, args } => {
			let artifact = artifact(&path)?;
			let function = artifact.function(&function).map_err(Failure::Input)?;
			let data = artifact.call_data(function, &args).map_err(Failure::Input)?;
			let address = contract(&at)?;
			let signer = cli.key.keypair()?;
			let client = Client::connect(&cli.url).await?;
			print(chain::call(&client, &signer, &address, &artifact, function, data).await?);
		},
		Command::Read { contract: at, artifact: path, function, args } => {
			let artifact = artifact(&path)?;
			let function = artifact.function(&function).map_err(Failure::Input)?;
			let data = artifact.call_data(function, &args).map_err(Failure::Input)?;
			let address = contract(&at)?;
			// The reader is `msg.sender`: the signer if a key is given, else the zero account.
			let origin = if cli.key.given() { cli.key.keypair()?.account_id() } else { AccountId32([0; 32]) };
			let client = Client::connect(&cli.url).await?;
			let value = chain::read(&client, origin, &address, &artifact, function, data).await?;
			print(json!({ "returned": value }));
		},
		Command::Events { contract: at, artifact: path, from, to } => {
			let artifact = artifact(&path)?;
			let address = contract(&at)?;
			let client = Client::connect(&cli.url).await?;
			print(json!(chain::events(&client, &address, &artifact, from, to).await?));
		},
		Command::Approve { contract: at, owner, asset, limit } => {
			let address = contract(&at)?;
			let signer = cli.key.keypair()?;
			let owner = owner_or(owner, &signer)?;
			let client = Client::connect(&cli.url).await?;
			let block = chain::approve(&client, &signer, owner, &address, asset, limit).await?;
			print(json!({
				"owner": owner.to_string(),
				"contract": address::contract_account(&address).to_string(),
				"asset": asset,
				"limit": limit.to_string(),
				"block": block,
			}));
		},
		Command::Reclaim { contract: at, owner, asset } => {
			let address = contract(&at)?;
			let signer = cli.key.keypair()?;
			let owner = owner_or(owner, &signer)?;
			let client = Client::connect(&cli.url).await?;
			let reclaimed = chain::reclaim(&client, &signer, owner, &address, asset).await?;
			print(json!({
				"owner": owner.to_string(),
				"contract": address::contract_account(&address).to_string(),
				"asset": asset,
				"amount": reclaimed.amount.to_string(),
				"block": reclaimed.block,
			}));
		},
	}
	Ok(())
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	qingsuan_client::cli::run(run(cli))
}
