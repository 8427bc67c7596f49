//! End-of-day reconciliation: the chain's confirmed cash flows against the core-banking ledger.

use crate::{
	adapter::{CoreBanking, Totals},
	store::{Kind, State, Store},
};
use qingsuan_client::{
	api,
	pallet_settlement_rpc::{NetPosition, SettlementApiClient},
	AccountId32, Client,
};
use serde::Serialize;
use std::path::Path;
use tracing::{error, info};

/// Deposits and withdrawals of one cash asset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flows {
	/// Deposits.
	pub deposited: u128,
	/// Withdrawals.
	pub withdrawn: u128,
}

/// One cash asset's reconciliation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
	/// The settlement day reconciled.
	pub day: u32,
	/// The cash asset.
	pub asset: u32,
	/// The finalized block the chain was read at.
	pub block: u64,
	/// The chain's confirmed flows since the client's baseline.
	pub chain: Flows,
	/// The ledger's credits and payments.
	pub ledger: Flows,
	/// Approved by the ledger, not yet confirmed on chain at `block`.
	pub in_flight: Flows,
	/// `chain - (ledger - in_flight)`: zero when they agree.
	pub difference: [i128; 2],
	/// `ok` or `mismatch`.
	pub status: &'static str,
	/// The day's net positions of the asset (each member's receipts, deliveries and net).
	pub net_positions: Vec<NetPosition<AccountId32>>,
}

impl Report {
	/// Whether chain and ledger agree.
	pub fn matches(&self) -> bool {
		self.difference == [0, 0]
	}
}

fn flows(t: Totals) -> Flows {
	Flows { deposited: t.deposited, withdrawn: t.withdrawn }
}

fn parse(s: &str) -> Option<u128> {
	s.parse().ok()
}

/// Reconcile `day` for each of `assets` at the finalized head; write one JSON report per asset
/// to `dir` (`reconciliation-<day>-<asset>.json`) and log an alert for each difference.
pub async fn reconcile<A: CoreBanking>(
	client: &Client,
	store: &Store,
	adapter: &A,
	assets: &[u32],
	day: u32,
	dir: &Path,
) -> Result<Vec<Report>, String> {
	std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
	let (block, hash) = client.finalized_block().await.map_err(|e| e.to_string())?;
	let at = client.at(Some(hash)).await.map_err(|e| e.to_string())?;
	let deposits = at.storage().entry(api::storage().settlement().deposits()).map_err(|e| e.to_string())?;
	let withdrawals = at.storage().entry(api::storage().settlement().withdrawals()).map_err(|e| e.to_string())?;
	let positions = client.day_net_positions(day).await.map_err(|e| e.to_string())?;
	let items = store.all_items()?;
	let mut reports = Vec::new();
	for &asset in assets {
		let totals = client.settlement().cash_totals(asset, Some(hash)).await.map_err(|e| e.to_string())?;
		let baseline = store.meta(&format!("baseline:{asset}"))?.unwrap_or_else(|| "0,0".into());
		let (base_d, base_w) =
			baseline.split_once(',').and_then(|(d, w)| Some((parse(d)?, parse(w)?))).unwrap_or((0, 0));
		let chain = Flows {
			deposited: parse(&totals.deposited).unwrap_or(0).saturating_sub(base_d),
			withdrawn: parse(&totals.withdrawn).unwrap_or(0).saturating_sub(base_w),
		};
		let ledger = flows(adapter.totals(asset)?);
		// Approved in the ledger but still pending on chain at this block.
		let mut in_flight = Flows::default();
		for item in items.iter().filter(|i| i.request.asset == asset) {
			// Decided for approval, not yet settled: the ledger has paid or credited it. (A
			// confirmed one is settled on chain, so it is in the chain's totals already.)
			let approved = matches!(item.state, State::Decided { approve: true, .. });
			if !approved {
				continue;
			}
			let pending = match item.kind {
				Kind::Deposit => deposits.try_fetch((item.request.id,)).await.map_err(|e| e.to_string())?.is_some(),
				Kind::Withdrawal => {
					withdrawals.try_fetch((item.request.id,)).await.map_err(|e| e.to_string())?.is_some()
				},
			};
			if pending {
				match item.kind {
					Kind::Deposit => in_flight.deposited += item.request.amount,
					Kind::Withdrawal => in_flight.withdrawn += item.request.amount,
				}
			}
		}
		let difference = [
			chain.deposited as i128 - (ledger.deposited as i128 - in_flight.deposited as i128),
			chain.withdrawn as i128 - (ledger.withdrawn as i128 - in_flight.withdrawn as i128),
		];
		let status = if difference == [0, 0] { "ok" } else { "mismatch" };
		let report = Report {
			day,
			asset,
			block,
			chain,
			ledger,
			in_flight,
			difference,
			status,
			net_positions: positions.iter().filter(|p| p.asset == asset).cloned().collect(),
		};
		let path = dir.join(format!("reconciliation-{day}-{asset}.json"));
		let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
		std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
		if report.matches() {
			info!(day, asset, block, report = %path.display(), "reconciled: chain and ledger agree");
		} else {
			error!(
				alert = "reconciliation_mismatch",
				day,
				asset,
				block,
				deposits = difference[0],
				withdrawals = difference[1],
				report = %path.display(),
				"chain and ledger differ"
			);
		}
		reports.push(report);
	}
	Ok(reports)
}
