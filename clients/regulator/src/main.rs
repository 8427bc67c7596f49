//! `qs-regulator`: the regulator's read-only client. It connects only to an observer node
//! (`qingsuan-node --observer`) and needs no signing key; `withdrawals` reads the regulator's SM2
//! envelope key to open payees.

mod alerts;
mod cli;
mod observer;
mod orders;
mod reports;
mod withdrawals;

use clap::Parser;
use cli::{Cli, Command};
use qingsuan_client::{api, keys, AccountId32, Client};
use std::{io::Write, process::ExitCode};

/// Why a command failed, and its exit code.
#[derive(Debug)]
pub enum Failure {
	/// Bad input, or a node that is not an observer (exit 2).
	Input(String),
	/// The node could not be reached or answered an error (exit 3).
	Node(String),
}

impl qingsuan_client::cli::Failure for Failure {
	fn exit_code(&self) -> u8 {
		match self {
			Failure::Input(_) => 2,
			Failure::Node(_) => 3,
		}
	}

	fn message(&self) -> &str {
		match self {
			Failure::Input(m) | Failure::Node(m) => m,
		}
	}
}

fn node(e: impl std::fmt::Display) -> Failure {
	Failure::Node(e.to_string())
}

/// Print each trade of each newly finalized block as one JSON line, until the connection ends.
async fn follow_trades(client: &Client) -> Result<(), Failure> {
	let mut blocks = client.finalized_blocks().await.map_err(node)?;
	while let Some(block) = blocks.next().await {
		let block = block.map_err(node)?;
		for trade in block.events.find::<api::settlement::events::TradeSettled>() {
			let t = trade.map_err(node)?;
			let line = serde_json::json!({
				"block": block.number, "id": t.id, "buyer": t.buyer.to_string(), "seller": t.seller.to_string(),
				"security": t.security, "cash": t.cash, "quantity": t.quantity.to_string(),
				"price": t.price.to_string(), "cashAmount": t.cash_amount.to_string(),
				"buyerFee": t.buyer_fee.to_string(), "sellerFee": t.seller_fee.to_string(),
				"stampDuty": t.stamp_duty.to_string(),
			});
			let mut out = std::io::stdout().lock();
			writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| Failure::Input(e.to_string()))?;
		}
	}
	Err(Failure::Node("the node closed the connection".into()))
}

fn parse_account(account: &str) -> Result<AccountId32, Failure> {
	account.parse().map_err(|e| Failure::Input(format!("{account:?} is not an SS58 account: {e:?}")))
}

/// `from..=to` (`to` defaulting to the finalized head), checked to be finalized blocks.
async fn finalized_range(client: &Client, from: u64, to: Option<u64>) -> Result<(u64, u64), Failure> {
	let (head, _) = client.finalized_block().await.map_err(node)?;
	let to = to.unwrap_or(head);
	if from > to || to > head {
		return Err(Failure::Input(format!(
			"blocks {from}..={to} are not a range of finalized blocks (the finalized head is {head})"
		)));
	}
	Ok((from, to))
}

async fn run(cli: Cli) -> Result<(), Failure> {
	// Input first: a bad key file is exit 2 whether or not the node answers.
	let envelope_key = match &cli.command {
		Command::Withdrawals { envelope_key_file, .. } => {
			Some(keys::envelope_secret_from_file(envelope_key_file).map_err(|e| Failure::Input(e.to_string()))?)
		},
		_ => None,
	};
	let client = observer::connect(&cli.url).await?;
	match cli.command {
		Command::Check => {
			let (best, _) = client.best_block().await.map_err(node)?;
			let (finalized, _) = client.finalized_block().await.map_err(node)?;
			let genesis = client.api().genesis_hash();
			println!(
				"{}",
				serde_json::json!({
					"observer": true, "genesis": format!("{genesis:?}"), "best": best, "finalized": finalized,
				})
			);
			Ok(())
		},
		Command::Trades { follow: true, .. } => follow_trades(&client).await,
		Command::Trades { day, output, .. } => {
			let day = reports::day_or_today(&client, day).await?;
			reports::write(&reports::settlements(&client, day).await?, &output)
		},
		Command::Orders { account, day: Some(day), output, .. } => {
			let account = parse_account(&account)?;
			reports::write(&alerts::day_lifecycle(&client, &account, day).await?, &output)
		},
		Command::Orders { account, from, to, output, .. } => {
			let account = parse_account(&account)?;
			let from = from.ok_or_else(|| Failure::Input("give --from (or --day)".into()))?;
			let (from, to) = finalized_range(&client, from, to).await?;
			reports::write(&orders::lifecycle(&client, &account, from, to).await?, &output)
		},
		Command::Withdrawals { from, to, output, .. } => {
			let key = envelope_key.ok_or_else(|| Failure::Input("no envelope key".into()))?;
			let rows = match from {
				Some(from) => {
					let (from, to) = finalized_range(&client, from, to).await?;
					withdrawals::requested(&client, &key, from, to).await?
				},
				None => withdrawals::pending(&client, &key).await?,
			};
			reports::write(&rows, &output)
		},
		Command::NetPositions { day, output } => {
			let day = reports::day_or_today(&client, day).await?;
			reports::write(&reports::net_positions(&client, day).await?, &output)
		},
		Command::Cash { output } => reports::write(&reports::cash(&client).await?, &output),
		Command::Alerts { follow: true, .. } => alerts::follow(&client).await,
		Command::Alerts { day, account, kind, output, .. } => {
			let account = account.as_deref().map(parse_account).transpose()?;
			let kind = kind.as_deref().map(alerts::kind).transpose()?;
			let day = reports::day_or_today(&client, day).await?;
			reports::write(&alerts::list(&client, day, account, kind).await?, &output)
		},
		Command::Alert { id } => {
			let shown = alerts::show(&client, id).await?;
			println!("{}", serde_json::to_string_pretty(&shown).map_err(node)?);
			Ok(())
		},
	}
}

fn main() -> ExitCode {
	qingsuan_client::cli::run(run(Cli::parse()))
}
