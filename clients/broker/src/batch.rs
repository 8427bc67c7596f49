//! CSV batches: every row checked first, places and cancels sent in batch calls of at most the
//! runtime's `MaxBatch`, replaces one by one, and one result per row.
//!
//! The file has a header; columns may come in any order and all but `action` may be empty:
//! `action,market,side,quantity,price,protection,tif,post_only,account,order`. `action` is
//! `place`, `cancel` (needs `order`) or `replace` (needs `order`, `price`, `quantity`).

use crate::order::Terms;
use indicatif::{ProgressBar, ProgressStyle};
use qingsuan_client::{api, keys::Keypair, AccountId32, Client, ClientError, Wait};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One row as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Row {
	action: String,
	market: Option<u32>,
	side: Option<String>,
	quantity: Option<u64>,
	price: Option<u64>,
	protection: Option<u64>,
	tif: Option<String>,
	post_only: Option<bool>,
	account: Option<String>,
	order: Option<u64>,
}

/// One row's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
	/// The row's number in the file (the header is row 1, the first order row 2).
	pub row: usize,
	/// What it asked for.
	pub action: String,
	/// `ok`, `failed` (the chain refused it) or `invalid` (never sent).
	pub status: &'static str,
	/// The order it placed, cancelled or replaced.
	pub order: Option<u64>,
	/// Why it failed.
	pub error: String,
}

enum Planned {
	Place(api::runtime_types::pallet_orderbook::types::NewOrder<AccountId32>),
	Cancel(u64),
	Replace { order: u64, price: u64, quantity: u64 },
}

fn plan(row: Row) -> Result<Planned, String> {
	match row.action.trim().to_ascii_lowercase().as_str() {
		"place" => Terms {
			market: row.market.ok_or("place needs a market")?,
			side: row.side.unwrap_or_default(),
			quantity: row.quantity.ok_or("place needs a quantity")?,
			price: row.price,
			tif: row.tif.unwrap_or_default(),
			post_only: row.post_only.unwrap_or(false),
			protection: row.protection,
			account: row.account.filter(|a| !a.trim().is_empty()),
		}
		.to_new_order()
		.map(Planned::Place),
		"cancel" => Ok(Planned::Cancel(row.order.ok_or("cancel needs an order")?)),
		"replace" => Ok(Planned::Replace {
			order: row.order.ok_or("replace needs an order")?,
			price: row.price.ok_or("replace needs a price")?,
			quantity: row.quantity.ok_or("replace needs a quantity")?,
		}),
		other => Err(format!("action must be place, cancel or replace, not {other:?}")),
	}
}

/// Read and check every row of `file`: the planned ones with their row numbers, and an outcome
/// for each invalid one.
/// A checked row: its number, its action as written, and what it will send.
type Checked = (usize, String, Planned);

fn read(file: &Path) -> Result<(Vec<Checked>, Vec<Outcome>), String> {
	let mut reader = csv::ReaderBuilder::new()
		.trim(csv::Trim::All)
		.flexible(true)
		.from_path(file)
		.map_err(|e| format!("cannot read {}: {e}", file.display()))?;
	let headers = reader.headers().map_err(|e| format!("{}: no header: {e}", file.display()))?.clone();
	if !headers.iter().any(|h| h == "action") {
		return Err(format!("{}: the header has no `action` column", file.display()));
	}
	let (mut planned, mut invalid) = (Vec::new(), Vec::new());
	for (i, record) in reader.records().enumerate() {
		let row = i + 2;
		let parsed = record
			.map_err(|e| e.to_string())
			.and_then(|r| r.deserialize::<Row>(Some(&headers)).map_err(|e| e.to_string()));
		let action = parsed.as_ref().map(|r| r.action.clone()).unwrap_or_default();
		match parsed.and_then(plan) {
			Ok(p) => planned.push((row, action, p)),
			Err(error) => invalid.push(Outcome { row, action, status: "invalid", order: None, error }),
		}
	}
	Ok((planned, invalid))
}

/// Run the batch in `file`; write the results to `results`. Returns every row's outcome, in
/// row order.
pub async fn run(
	client: &Client,
	key: &Keypair,
	file: &Path,
	results: &Path,
	quiet: bool,
) -> Result<Vec<Outcome>, BatchError> {
	let (planned, mut outcomes) = read(file).map_err(BatchError::Input)?;
	let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new((planned.len() + outcomes.len()) as u64) };
	bar.set_style(
		ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}")
			.unwrap_or_else(|_| ProgressStyle::default_bar()),
	);
	bar.inc(outcomes.len() as u64);
	let max_batch = max_batch(client).await?;
	let broker = key.account_id();

	let (mut places, mut cancels, mut replaces) = (Vec::new(), Vec::new(), Vec::new());
	for (row, action, p) in planned {
		match p {
			Planned::Place(order) => places.push((row, action, order)),
			Planned::Cancel(id) => cancels.push((row, action, id)),
			Planned::Replace { order, price, quantity } => replaces.push((row, action, order, price, quantity)),
		}
	}

	for chunk in places.chunks(max_batch) {
		let orders: Vec<_> = chunk.iter().map(|(_, _, o)| o.clone()).collect();
		let call = api::tx()
			.orderbook()
			.place_orders(api::runtime_types::bounded_collections::bounded_vec::BoundedVec(orders));
		let done = client.submit(&call, key, Wait::InBlock).await;
		let mut ids: Vec<Result<u64, String>> = Vec::with_capacity(chunk.len());
		match done {
			Ok(included) => {
				let failed = batch_failures(client, &included).await;
				let mut placed = included
					.events
					.find::<api::orderbook::events::OrderPlaced>()
					.filter_map(Result::ok)
					.collect::<Vec<_>>();
				for (index, (_, _, order)) in chunk.iter().enumerate() {
					if let Some(error) = failed.iter().find(|(i, _)| *i as usize == index).map(|(_, e)| e.clone()) {
						ids.push(Err(error));
						continue;
					}
					let owner = order.account.unwrap_or(broker);
					// The item's own OrderPlaced: the first left for its owner, market and size.
					match placed
						.iter()
						.position(|p| p.who == owner && p.market == order.market && p.quantity == order.quantity)
					{
						Some(at) => ids.push(Ok(placed.remove(at).order_id)),
						None => ids.push(Err("placed, but its OrderPlaced event was not found".into())),
					}
				}
			},
			Err(e) => ids.extend(chunk.iter().map(|_| Err(e.to_string()))),
		}
		for ((row, action, _), id) in chunk.iter().zip(ids) {
			outcomes.push(outcome(*row, action, id));
			bar.inc(1);
		}
	}

	for chunk in cancels.chunks(max_batch) {
		let ids: Vec<u64> = chunk.iter().map(|(_, _, id)| *id).collect();
		let call =
			api::tx().orderbook().cancel_orders(api::runtime_types::bounded_collections::bounded_vec::BoundedVec(ids));
		let failed = match client.submit(&call, key, Wait::InBlock).await {
			Ok(included) => Ok(batch_failures(client, &included).await),
			Err(e) => Err(e.to_string()),
		};
		for (index, (row, action, id)) in chunk.iter().enumerate() {
			let result = match &failed {
				Ok(failed) => match failed.iter().find(|(i, _)| *i as usize == index) {
					Some((_, error)) => Err(error.clone()),
					None => Ok(*id),
				},
				Err(e) => Err(e.clone()),
			};
			outcomes.push(outcome(*row, action, result));
			bar.inc(1);
		}
	}

	for (row, action, order, price, quantity) in replaces {
		let call = api::tx().orderbook().replace_order(order, price, quantity);
		let result = client.submit(&call, key, Wait::InBlock).await.map(|_| order).map_err(|e| e.to_string());
		outcomes.push(outcome(row, &action, result));
		bar.inc(1);
	}
	bar.finish_and_clear();

	outcomes.sort_by_key(|o| o.row);
	write_results(results, &outcomes).map_err(BatchError::Input)?;
	Ok(outcomes)
}

fn outcome(row: usize, action: &str, result: Result<u64, String>) -> Outcome {
	match result {
		Ok(id) => Outcome { row, action: action.into(), status: "ok", order: Some(id), error: String::new() },
		Err(error) => Outcome { row, action: action.into(), status: "failed", order: None, error },
	}
}

/// The items of a batch call that failed, with their errors named.
async fn batch_failures(client: &Client, included: &qingsuan_client::Included) -> Vec<(u32, String)> {
	let mut failed = Vec::new();
	for event in included.events.find::<api::orderbook::events::BatchItemFailed>().filter_map(Result::ok) {
		failed.push((event.index, client.describe(&event.error).await));
	}
	failed
}

async fn max_batch(client: &Client) -> Result<usize, BatchError> {
	let at = client.at(None).await.map_err(BatchError::Node)?;
	let n = at
		.constants()
		.entry(api::constants().orderbook().max_batch())
		.map_err(|e| BatchError::Node(ClientError::subxt(e)))?;
	Ok((n as usize).max(1))
}

fn write_results(path: &Path, outcomes: &[Outcome]) -> Result<(), String> {
	let mut writer = csv::Writer::from_path(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
	for o in outcomes {
		writer.serialize(o).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
	}
	writer.flush().map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Why a batch could not run at all.
#[derive(Debug)]
pub enum BatchError {
	/// The file could not be read or the results written.
	Input(String),
	/// The node failed.
	Node(ClientError),
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn rows_are_checked_before_anything_is_sent() {
		let dir = std::env::temp_dir().join(format!("qs-broker-batch-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let file = dir.join("orders.csv");
		std::fs::write(
			&file,
			"action,market,side,quantity,price,tif,order\n\
			 place,0,buy,100,150000,gtc,\n\
			 place,0,hold,100,150000,,\n\
			 cancel,,,,,,7\n\
			 replace,,,,,,\n\
			 place,0,sell,ten,1,,\n\
			 launch,,,,,,\n",
		)
		.unwrap();
		let (planned, invalid) = read(&file).expect("reads");
		assert_eq!(planned.iter().map(|(row, _, _)| *row).collect::<Vec<_>>(), vec![2, 4]);
		let rows: Vec<_> = invalid.iter().map(|o| (o.row, o.status)).collect();
		assert_eq!(rows, vec![(3, "invalid"), (5, "invalid"), (6, "invalid"), (7, "invalid")]);
		assert!(invalid[0].error.contains("buy or sell"), "{:?}", invalid[0]);
		assert!(invalid[1].error.contains("replace needs"), "{:?}", invalid[1]);
		assert!(invalid[3].error.contains("action must be"), "{:?}", invalid[3]);
		std::fs::write(&file, "market,side\n0,buy\n").unwrap();
		assert!(matches!(read(&file), Err(e) if e.contains("no `action` column")));
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
