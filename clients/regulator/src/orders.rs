//! An account's order lifecycle, read from the events of finalized blocks: what a regulator
//! reconstructs when it examines one account.

use crate::Failure;
use qingsuan_client::{
	api::{self, orderbook::events as ob, system::events as sys},
	subxt::events::Phase,
	AccountId32, Client,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// One step of an order's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
	/// The block.
	pub block: u64,
	/// The block's time (Unix milliseconds).
	pub time: u64,
	/// `placed`, `rested`, `filled`, `amended`, `cancelled`, `expired`, `stopTriggered` or
	/// `refused`.
	pub event: &'static str,
	/// The order, where the event names one (a refused call has none).
	pub order: Option<u64>,
	/// The market.
	pub market: Option<u32>,
	/// `buy` or `sell`.
	pub side: Option<String>,
	/// Quantity placed, filled, left, or the new quantity of an amendment.
	pub quantity: Option<u64>,
	/// Limit price, fill price or new price.
	pub price: Option<u64>,
	/// The other account of a fill; the call of a refusal; the reason of a cancellation.
	pub detail: String,
}

fn node(e: impl std::fmt::Display) -> Failure {
	Failure::Node(e.to_string())
}

/// The lifecycle of `account`'s orders over finalized blocks `from..=to`, in order. Orders placed
/// before `from` appear from their first event in the range that names the account.
pub async fn lifecycle(client: &Client, account: &AccountId32, from: u64, to: u64) -> Result<Vec<Step>, Failure> {
	let mut steps = Vec::new();
	let mut ours: BTreeSet<u64> = BTreeSet::new();
	for number in from..=to {
		let at = client.api().at_block(number).await.map_err(node)?;
		let events = at.events().fetch().await.map_err(node)?;
		let mut found: Vec<Step> = Vec::new();
		// Extrinsics whose batch is this account's, and extrinsics that failed.
		let mut batches: BTreeSet<u32> = BTreeSet::new();
		let mut failed: HashMap<u32, api::runtime_types::sp_runtime::DispatchError> = HashMap::new();
		let mut batch_failures: Vec<(u32, u32, api::runtime_types::sp_runtime::DispatchError)> = Vec::new();
		let step = |event, order, market, side: Option<String>, quantity, price, detail: String| Step {
			block: number,
			time: 0,
			event,
			order,
			market,
			side,
			quantity,
			price,
			detail,
		};
		for event in events.iter() {
			let event = event.map_err(node)?;
			let phase = match event.phase() {
				Phase::ApplyExtrinsic(i) => Some(i),
				_ => None,
			};
			if let Some(e) = event.decode_fields_as::<ob::OrderPlaced>() {
				let e = e.map_err(node)?;
				if &e.who == account {
					ours.insert(e.order_id);
					let price = match &e.kind {
						api::runtime_types::qingsuan_matching_engine::types::OrderType::Limit { price, .. } => {
							Some(*price)
						},
						_ => None,
					};
					let side = Some(format!("{:?}", e.side).to_lowercase());
					found.push(step(
						"placed",
						Some(e.order_id),
						Some(e.market),
						side,
						Some(e.quantity),
						price,
						String::new(),
					));
				}
			} else if let Some(e) = event.decode_fields_as::<ob::OrderRested>() {
				let e = e.map_err(node)?;
				if ours.contains(&e.order_id) {
					found.push(step("rested", Some(e.order_id), None, None, Some(e.remaining), None, String::new()));
				}
			} else if let Some(e) = event.decode_fields_as::<ob::OrderFilled>() {
				let e = e.map_err(node)?;
				for (who, order, other, maker) in
					[(&e.maker, e.maker_order, &e.taker, true), (&e.taker, e.taker_order, &e.maker, false)]
				{
					if who == account {
						ours.insert(order);
						let taker_side = format!("{:?}", e.taker_side).to_lowercase();
						let side = if maker {
							if taker_side == "buy" {
								"sell".to_string()
							} else {
								"buy".to_string()
							}
						} else {
							taker_side
						};
						let role = if maker { "maker" } else { "taker" };
						found.push(step(
							"filled",
							Some(order),
							Some(e.market),
							Some(side),
							Some(e.quantity),
							Some(e.price),
							format!("{role} against {other}, settlement {}", e.settlement),
						));
					}
				}
			} else if let Some(e) = event.decode_fields_as::<ob::OrderReplaced>() {
				let e = e.map_err(node)?;
				if ours.contains(&e.order_id) {
					let priority = if e.kept_priority { "kept priority" } else { "lost priority" };
					found.push(step(
						"amended",
						Some(e.order_id),
						None,
						None,
						Some(e.quantity),
						Some(e.price),
						priority.into(),
					));
				}
			} else if let Some(e) = event.decode_fields_as::<ob::OrderCancelled>() {
				let e = e.map_err(node)?;
				if &e.who == account {
					ours.insert(e.order_id);
					let reason = format!("{:?}", e.reason);
					found.push(step("cancelled", Some(e.order_id), None, None, Some(e.remaining), None, reason));
				}
			} else if let Some(e) = event.decode_fields_as::<ob::OrderExpired>() {
				let e = e.map_err(node)?;
				if &e.who == account {
					found.push(step("expired", Some(e.order_id), None, None, Some(e.remaining), None, String::new()));
				}
			} else if let Some(e) = event.decode_fields_as::<ob::StopTriggered>() {
				let e = e.map_err(node)?;
				if ours.contains(&e.order_id) {
					let detail = format!("stop {} reached by last price {}", e.stop, e.last_price);
					found.push(step(
						"stopTriggered",
						Some(e.order_id),
						Some(e.market),
						None,
						None,
						Some(e.stop),
						detail,
					));
				}
			} else if let Some(e) = event.decode_fields_as::<ob::BatchCompleted>() {
				let e = e.map_err(node)?;
				if let (true, Some(i)) = (&e.who == account, phase) {
					batches.insert(i);
				}
			} else if let Some(e) = event.decode_fields_as::<ob::BatchItemFailed>() {
				let e = e.map_err(node)?;
				if let Some(i) = phase {
					batch_failures.push((i, e.index, e.error));
				}
			} else if let Some(e) = event.decode_fields_as::<sys::ExtrinsicFailed>() {
				let e = e.map_err(node)?;
				if let Some(i) = phase {
					failed.insert(i, e.dispatch_error);
				}
			}
		}
		for (i, index, error) in batch_failures.into_iter().filter(|(i, _, _)| batches.contains(i)) {
			let why = client.describe(&error).await;
			found.push(step(
				"refused",
				None,
				None,
				None,
				None,
				None,
				format!("batch item {index} of extrinsic {i}: {why}"),
			));
		}
		if !failed.is_empty() {
			let extrinsics = at.extrinsics().fetch().await.map_err(node)?;
			for extrinsic in extrinsics.iter() {
				let extrinsic = extrinsic.map_err(node)?;
				let Some(error) = failed.get(&(extrinsic.index() as u32)) else { continue };
				// A `MultiAddress::Id`: variant 0, then the account.
				let signer = extrinsic.address_bytes().filter(|a| a.len() == 33 && a[0] == 0).map(|a| &a[1..]);
				let trading = matches!(extrinsic.pallet_name(), "Orderbook" | "Margin");
				if trading && signer == Some(&account.0[..]) {
					let why = client.describe(error).await;
					let call = format!("{}.{}: {why}", extrinsic.pallet_name(), extrinsic.call_name());
					found.push(step("refused", None, None, None, None, None, call));
				}
			}
		}
		if !found.is_empty() {
			// The block's time (its `Timestamp::Now`, Unix milliseconds), read from the block
			// already open.
			let now = at.storage().entry(api::storage().timestamp().now()).map_err(node)?;
			let time = now.fetch(()).await.map_err(node)?.decode().map_err(node)?;
			steps.extend(found.into_iter().map(|s| Step { time, ..s }));
		}
	}
	Ok(steps)
}
