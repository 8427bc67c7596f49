//! Reads: markets, balances, holds, open orders, and the live depth-and-trades view.

use qingsuan_client::{
	api,
	pallet_orderbook_rpc::{Depth, Market, Order, OrderKind, OrderbookApiClient, RecentTrade},
	AccountId32, Client, ClientError,
};
use serde::Serialize;
use std::{io::Write, time::Duration};

/// One asset's balance.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Balance {
	/// The asset.
	pub asset: u32,
	/// Its symbol.
	pub symbol: String,
	/// Free to trade or withdraw.
	pub free: String,
	/// On hold (open orders, withdrawals, margin).
	pub held: String,
}

/// One hold.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hold {
	/// The asset.
	pub asset: u32,
	/// Why it is held (the pallet and reason).
	pub reason: String,
	/// How much.
	pub amount: String,
}

/// Every instrument with its symbol (a security's code, a cash asset's currency).
async fn instruments(client: &Client) -> Result<Vec<(u32, String)>, ClientError> {
	use api::runtime_types::pallet_ledger::types::InstrumentKind;
	Ok(client
		.instruments(None)
		.await?
		.into_iter()
		.map(|(asset, info)| match info.kind {
			InstrumentKind::Security(s) => (asset, String::from_utf8_lossy(&s.code.0).into_owned()),
			InstrumentKind::Cash(c) => (asset, String::from_utf8_lossy(&c.currency).into_owned()),
		})
		.collect())
}

/// `who`'s balance and holds of every asset it has.
pub async fn balances(client: &Client, who: &AccountId32) -> Result<(Vec<Balance>, Vec<Hold>), ClientError> {
	let at = client.at(None).await?;
	let accounts = at.storage().entry(api::storage().ledger().accounts()).map_err(ClientError::subxt)?;
	let (mut balances, mut holds) = (Vec::new(), Vec::new());
	for (asset, symbol) in instruments(client).await? {
		let Some(value) = accounts.try_fetch((asset, *who)).await.map_err(ClientError::subxt)? else {
			continue;
		};
		let account = value.decode().map_err(ClientError::subxt)?;
		let held: u128 = account.holds.0.iter().map(|h| h.amount).sum();
		if account.free == 0 && held == 0 {
			continue;
		}
		for h in &account.holds.0 {
			holds.push(Hold { asset, reason: format!("{:?}", h.reason), amount: h.amount.to_string() });
		}
		balances.push(Balance { asset, symbol, free: account.free.to_string(), held: held.to_string() });
	}
	Ok((balances, holds))
}

/// Every market.
pub async fn markets(client: &Client) -> Result<Vec<Market>, ClientError> {
	Ok(client.orderbook().markets(None).await?)
}

/// `who`'s live orders.
pub async fn open_orders(client: &Client, who: &AccountId32) -> Result<Vec<Order<AccountId32>>, ClientError> {
	Ok(client.orderbook().open_orders(*who, None).await?)
}

/// A market's depth and recent trades.
#[derive(Debug, Serialize)]
pub struct Snapshot {
	/// The block it was read at.
	pub block: u64,
	/// The depth.
	pub depth: Depth,
	/// The most recent finalized trades, newest first.
	pub trades: Vec<RecentTrade<AccountId32>>,
}

async fn snapshot(client: &Client, market: u32, levels: u32, trades: u32) -> Result<Snapshot, ClientError> {
	let (block, hash) = client.best_block().await?;
	let depth = client.orderbook().depth(market, Some(levels), Some(hash)).await?;
	let trades = client.orderbook().recent_trades(market, Some(trades), None).await?;
	Ok(Snapshot { block, depth, trades })
}

/// Show `market`'s depth and trades, redrawn at every new best block (polled each 500 ms); once
/// only with `once`. With `json`, one JSON line per refresh.
pub async fn watch(
	client: &Client,
	market: u32,
	levels: u32,
	trades: u32,
	once: bool,
	json: bool,
) -> Result<(), ClientError> {
	let mut shown = None;
	loop {
		let best = client.best_hash().await?;
		if shown != Some(best) {
			let snap = snapshot(client, market, levels, trades).await?;
			let mut out = std::io::stdout().lock();
			if json {
				let _ = writeln!(out, "{}", serde_json::to_string(&snap).unwrap_or_default());
			} else {
				if !once {
					// Clear the screen and go home, so the view refreshes in place.
					let _ = write!(out, "\x1b[2J\x1b[H");
				}
				let _ = write!(out, "{}", render(&snap));
			}
			let _ = out.flush();
			shown = Some(best);
		}
		if once {
			return Ok(());
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// The text view of a snapshot.
pub fn render(snap: &Snapshot) -> String {
	let d = &snap.depth;
	let mut s = format!(
		"market {}  block {}  {:?}  last {}\n\n{:>14} {:>12} {:>6} | {:<12} {:<14} {:<6}\n",
		d.market,
		snap.block,
		d.status,
		d.last_price.as_deref().unwrap_or("-"),
		"bid qty",
		"bid",
		"orders",
		"ask",
		"ask qty",
		"orders"
	);
	for i in 0..d.bids.len().max(d.asks.len()) {
		let (bq, bp, bo) = d.bids.get(i).map_or((String::new(), String::new(), String::new()), |l| {
			(l.quantity.clone(), l.price.clone(), l.orders.to_string())
		});
		let (ap, aq, ao) = d.asks.get(i).map_or((String::new(), String::new(), String::new()), |l| {
			(l.price.clone(), l.quantity.clone(), l.orders.to_string())
		});
		s.push_str(&format!("{bq:>14} {bp:>12} {bo:>6} | {ap:<12} {aq:<14} {ao:<6}\n"));
	}
	s.push_str(&format!("\nrecent trades\n{:>10} {:>8} {:>12} {:>12}\n", "settlement", "block", "price", "quantity"));
	for t in &snap.trades {
		s.push_str(&format!("{:>10} {:>8} {:>12} {:>12}\n", t.settlement, t.block, t.price, t.quantity));
	}
	s
}

/// The text line of an order.
pub fn order_line(o: &Order<AccountId32>) -> String {
	let terms = match &o.order {
		OrderKind::Limit { price, time_in_force, expires_at, post_only } => format!(
			"limit {price} {time_in_force:?}{}{}",
			expires_at.map(|b| format!(" until {b}")).unwrap_or_default(),
			if *post_only { " post-only" } else { "" }
		),
		OrderKind::Market { protection } => format!("market protection {protection}"),
	};
	format!(
		"{:>8}  market {:<4} {:<4} {:>10} of {:<10} held {:<14} {terms}{}",
		o.id,
		o.market,
		format!("{:?}", o.side).to_lowercase(),
		o.remaining,
		o.quantity,
		o.held,
		o.stop.as_ref().map(|s| format!(" stop {s}")).unwrap_or_default()
	)
}
