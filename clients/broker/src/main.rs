//! `qs-broker`: a member broker's command-line client for a Qingsuan node.

mod batch;
mod cli;
mod order;
mod view;

use clap::Parser;
use cli::{Cli, Command};
use qingsuan_client::{api, AccountId32, Client, Wait};
use serde_json::json;
use std::process::ExitCode;

/// Why a command failed, and its exit code.
type Failure = qingsuan_client::cli::CommandError;

/// The account a read is about: `--account`, else the signing key's.
fn whose(account: &Option<String>, args: &qingsuan_client::cli::KeyArgs) -> Result<AccountId32, Failure> {
	match account {
		Some(a) => order::account(a).map_err(Failure::Input),
		None => args
			.keypair()
			.map(|k| k.account_id())
			.map_err(|_| Failure::Input("give --account, or a key (--key-file or --key) whose account to read".into())),
	}
}

fn print(json_out: bool, value: serde_json::Value, text: impl FnOnce() -> String) {
	if json_out {
		println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
	} else {
		print!("{}", text());
	}
}

async fn run(cli: Cli) -> Result<(), Failure> {
	let client = Client::connect(&cli.url).await?;
	match cli.command {
		Command::Markets => {
			let markets = view::markets(&client).await?;
			print(cli.json, json!(markets), || {
				markets
					.iter()
					.map(|m| {
						format!(
							"{:>4}  security {:<6} cash {:<6} tick {:<6} lot {:<6} band {}..{}  {:?}  last {}\n",
							m.id,
							m.security,
							m.cash,
							m.tick,
							m.lot,
							m.band[0],
							m.band[1],
							m.status,
							m.last_price.as_deref().unwrap_or("-")
						)
					})
					.collect()
			});
		},
		Command::Place(args) => {
			let terms = order::Terms {
				market: args.market,
				side: args.side,
				quantity: args.quantity,
				price: args.price,
				tif: args.tif,
				post_only: args.post_only,
				protection: if args.market_order { args.protection } else { None },
				account: args.account,
			};
			let new = terms.to_new_order().map_err(Failure::Input)?;
			let signer = cli.key.keypair()?;
			let call = api::tx().orderbook().place_order(new.market, new.side, new.quantity, new.kind, new.account);
			let included = client.submit(&call, &signer, Wait::InBlock).await?;
			let placed = included.events.find_first::<api::orderbook::events::OrderPlaced>().and_then(Result::ok);
			let fills = included.events.find::<api::orderbook::events::OrderFilled>().filter_map(Result::ok).count();
			let id = placed.map(|p| p.order_id);
			print(cli.json, json!({ "order": id, "block": included.block_number, "fills": fills }), || {
				format!(
					"order {} placed in block {} ({fills} fills)\n",
					id.map_or("?".into(), |i| i.to_string()),
					included.block_number
				)
			});
		},
		Command::Cancel { order } => {
			let signer = cli.key.keypair()?;
			let included = client.submit(&api::tx().orderbook().cancel_order(order), &signer, Wait::InBlock).await?;
			print(cli.json, json!({ "order": order, "block": included.block_number }), || {
				format!("order {order} cancelled in block {}\n", included.block_number)
			});
		},
		Command::Replace { order, price, quantity } => {
			let signer = cli.key.keypair()?;
			let call = api::tx().orderbook().replace_order(order, price, quantity);
			let included = client.submit(&call, &signer, Wait::InBlock).await?;
			let kept = included
				.events
				.find_first::<api::orderbook::events::OrderReplaced>()
				.and_then(Result::ok)
				.map(|r| r.kept_priority);
			print(cli.json, json!({ "order": order, "block": included.block_number, "keptPriority": kept }), || {
				format!(
					"order {order} replaced in block {}{}\n",
					included.block_number,
					if kept == Some(true) { ", priority kept" } else { "" }
				)
			});
		},
		Command::Batch { file, results } => {
			let signer = cli.key.keypair()?;
			let results = results.unwrap_or_else(|| {
				let mut name = file.clone().into_os_string();
				name.push(".results.csv");
				name.into()
			});
			let outcomes = batch::run(&client, &signer, &file, &results, cli.json).await.map_err(|e| match e {
				batch::BatchError::Input(m) => Failure::Input(m),
				batch::BatchError::Node(e) => Failure::from(e),
			})?;
			let ok = outcomes.iter().filter(|o| o.status == "ok").count();
			let failed = outcomes.len() - ok;
			print(cli.json, json!({ "rows": outcomes.len(), "ok": ok, "failed": failed, "results": results }), || {
				format!("{} rows: {ok} ok, {failed} not; results in {}\n", outcomes.len(), results.display())
			});
			if failed > 0 {
				return Err(Failure::Refused(format!("{failed} of {} rows did not go through", outcomes.len())));
			}
		},
		Command::Positions { account } => {
			let who = whose(&account, &cli.key)?;
			let (balances, _) = view::balances(&client, &who).await?;
			print(cli.json, json!({ "account": who.to_string(), "balances": balances }), || {
				let mut s = format!("{who}\n{:>8} {:<8} {:>20} {:>20}\n", "asset", "symbol", "free", "held");
				for b in &balances {
					s.push_str(&format!("{:>8} {:<8} {:>20} {:>20}\n", b.asset, b.symbol, b.free, b.held));
				}
				s
			});
		},
		Command::Holds { account } => {
			let who = whose(&account, &cli.key)?;
			let (_, holds) = view::balances(&client, &who).await?;
			print(cli.json, json!({ "account": who.to_string(), "holds": holds }), || {
				let mut s = format!("{who}\n");
				for h in &holds {
					s.push_str(&format!("{:>8} {:>20}  {}\n", h.asset, h.amount, h.reason));
				}
				s
			});
		},
		Command::Orders { account } => {
			let who = whose(&account, &cli.key)?;
			let orders = view::open_orders(&client, &who).await?;
			print(cli.json, json!(orders), || orders.iter().map(|o| view::order_line(o) + "\n").collect());
		},
		Command::Watch { market, levels, trades, once } => {
			view::watch(&client, market, levels, trades, once, cli.json).await?;
		},
	}
	Ok(())
}

fn main() -> ExitCode {
	qingsuan_client::cli::run(run(Cli::parse()))
}
