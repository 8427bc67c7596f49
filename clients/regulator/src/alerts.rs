//! Surveillance: the observer's alerts with their evidence, live or by day, and an account's
//! order lifecycle of a day from the surveillance store.

use crate::{orders::Step, Failure};
use qingsuan_client::{
	pallet_settlement_rpc::SettlementApiClient,
	qingsuan_surveillance_rpc::{Alert, AlertKind, LifecycleEvent, Side, SurveillanceApiClient, MAX_PAGE},
	AccountId32, Client,
};
use serde::Serialize;
use std::io::Write;

fn node(e: impl std::fmt::Display) -> Failure {
	Failure::Node(e.to_string())
}

/// The alert kind named `name` (`spoofing`, `washTrade`, ...).
pub fn kind(name: &str) -> Result<AlertKind, Failure> {
	serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
		Failure::Input(format!(
			"{name:?} is not an alert kind: highFrequency, quickCancel, spoofing, washTrade, matchedTrades, pricePushing or bandHold"
		))
	})
}

fn kind_name(kind: AlertKind) -> String {
	serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn ids(list: &[u64]) -> String {
	list.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")
}

/// One alert, flat (CSV and JSON alike).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertRow {
	/// Its id.
	pub id: u64,
	/// What was found.
	pub kind: String,
	/// The settlement day.
	pub day: u32,
	/// The finalized block it was found in.
	pub block: u32,
	/// That block's time (Unix milliseconds).
	pub time: u64,
	/// The account.
	pub account: String,
	/// The other account (wash and matched trades).
	pub counterparty: String,
	/// The market.
	pub market: Option<u32>,
	/// What was measured against which threshold.
	pub detail: String,
	/// The orders that show it, space-separated.
	pub orders: String,
	/// The trades (settlement ids) that show it, space-separated.
	pub trades: String,
}

impl From<&Alert<AccountId32>> for AlertRow {
	fn from(a: &Alert<AccountId32>) -> Self {
		AlertRow {
			id: a.id,
			kind: kind_name(a.kind),
			day: a.day,
			block: a.block,
			time: a.time,
			account: a.account.to_string(),
			counterparty: a.counterparty.as_ref().map(ToString::to_string).unwrap_or_default(),
			market: a.market,
			detail: a.detail.clone(),
			orders: ids(&a.orders),
			trades: ids(&a.trades),
		}
	}
}

/// Every alert of `day`, or those about `account`, or of `kind`, in id order.
pub async fn list(
	client: &Client,
	day: u32,
	account: Option<AccountId32>,
	kind: Option<AlertKind>,
) -> Result<Vec<AlertRow>, Failure> {
	let mut rows = Vec::new();
	let mut from = 0;
	loop {
		let page = client.surveillance().alerts(day, account, kind, Some(from), Some(MAX_PAGE)).await.map_err(node)?;
		rows.extend(page.iter().map(AlertRow::from));
		match page.last() {
			Some(last) if page.len() as u32 == MAX_PAGE => from = last.id + 1,
			_ => return Ok(rows),
		}
	}
}

/// The alert `id` with its evidence in full: each order's lifecycle and each trade's
/// settlement record.
pub async fn show(client: &Client, id: u64) -> Result<serde_json::Value, Failure> {
	let alert =
		client.surveillance().alert(id).await.map_err(node)?.ok_or_else(|| Failure::Input(format!("no alert {id}")))?;
	let mut orders = Vec::new();
	for order in &alert.orders {
		orders.push(client.surveillance().order(*order).await.map_err(node)?);
	}
	let mut trades = Vec::new();
	for trade in &alert.trades {
		trades.push(client.settlement().get(*trade).await.map_err(node)?);
	}
	Ok(serde_json::json!({ "alert": alert, "orders": orders, "trades": trades }))
}

/// Print each new alert as one JSON line, until the connection ends.
pub async fn follow(client: &Client) -> Result<(), Failure> {
	let mut alerts = client.surveillance().subscribe_alerts().await.map_err(node)?;
	while let Some(alert) = alerts.next().await {
		let alert = alert.map_err(node)?;
		let line = serde_json::to_string(&AlertRow::from(&alert)).map_err(node)?;
		let mut out = std::io::stdout().lock();
		writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| Failure::Input(e.to_string()))?;
	}
	Err(Failure::Node("the node closed the subscription".into()))
}

fn side(s: Side) -> String {
	match s {
		Side::Buy => "buy".into(),
		Side::Sell => "sell".into(),
	}
}

/// `account`'s order lifecycle of settlement day `day`, from the observer's surveillance store,
/// in the same row shape as the block-range lifecycle.
pub async fn day_lifecycle(client: &Client, account: &AccountId32, day: u32) -> Result<Vec<Step>, Failure> {
	let mut steps = Vec::new();
	loop {
		let page = client
			.surveillance()
			.account_day(*account, day, Some(steps.len() as u64), Some(MAX_PAGE))
			.await
			.map_err(node)?;
		let n = page.entries.len();
		for e in page.entries {
			let step = |event, market, side, quantity, price, detail| Step {
				block: u64::from(e.block),
				time: e.time,
				event,
				order: e.order,
				market,
				side,
				quantity,
				price,
				detail,
			};
			steps.push(match e.event {
				LifecycleEvent::Placed { market, side: s, quantity, limit, stop } => step(
					"placed",
					Some(market),
					Some(side(s)),
					Some(quantity),
					limit,
					if stop { "stop".into() } else { String::new() },
				),
				LifecycleEvent::Replaced { price, quantity } => {
					step("amended", None, None, Some(quantity), Some(price), String::new())
				},
				LifecycleEvent::Filled { price, quantity, counterparty, maker, .. } => step(
					"filled",
					None,
					None,
					Some(quantity),
					Some(price),
					format!("{} with {counterparty}", if maker { "maker" } else { "taker" }),
				),
				LifecycleEvent::Cancelled { remaining, reason } => {
					step("cancelled", None, None, Some(remaining), None, reason)
				},
				LifecycleEvent::Expired { remaining } => {
					step("expired", None, None, Some(remaining), None, String::new())
				},
				LifecycleEvent::Rejected { call, error } => {
					step("refused", None, None, None, None, format!("{call}: {error}"))
				},
			});
		}
		if n < MAX_PAGE as usize || steps.len() as u64 >= page.total {
			return Ok(steps);
		}
	}
}
