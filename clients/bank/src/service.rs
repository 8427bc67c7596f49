//! The service: scan finalized blocks into the client's database, drive each request through the
//! adapter to its confirmation or rejection on chain, reconcile at each new settlement day.

use crate::{
	adapter::{CoreBanking, Decision, Request},
	killpoint,
	metrics::Metrics,
	reconcile,
	store::{Item, Kind, State, Store},
};
use qingsuan_client::{
	api::{self, runtime_types::pallet_ledger::types::InstrumentKind},
	keys::Keypair,
	pallet_settlement_rpc::SettlementApiClient,
	settlement::open_payee,
	subxt::utils::H256,
	AccountId32, Client, ClientError, Wait,
};
use qingsuan_sm_crypto::sm2;
use std::{path::PathBuf, time::Duration};
use tracing::{error, info, warn};

/// How the service runs.
pub struct Config {
	/// The bank's signing key (its account is the cash assets' issuing bank).
	pub key: Keypair,
	/// The bank's SM2 envelope key, to open withdrawals' payee details.
	pub envelope_key: sm2::SecretKey,
	/// Where reconciliation reports go.
	pub report_dir: PathBuf,
	/// How long a deposit waits for its wire before it is rejected (a withdrawal the core
	/// system holds back waits as long as it takes).
	pub deposit_wait: Duration,
	/// How often the chain is polled for new finalized blocks.
	pub poll: Duration,
}

/// The settlement client.
pub struct Service<A> {
	client: Client,
	store: Store,
	adapter: A,
	config: Config,
	bank: AccountId32,
	assets: Vec<u32>,
	metrics: Option<Metrics>,
}

/// The cash assets whose issuing bank is `bank`, at block `at` (the best block if `None`).
pub async fn assets_of(client: &Client, bank: &AccountId32, at: Option<H256>) -> Result<Vec<u32>, ClientError> {
	Ok(client
		.instruments(at)
		.await?
		.into_iter()
		.filter_map(|(asset, info)| match info.kind {
			InstrumentKind::Cash(cash) if &cash.bank == bank => Some(asset),
			_ => None,
		})
		.collect())
}

impl<A: CoreBanking> Service<A> {
	/// A service over `client`, its database `store` and the core-banking `adapter`. Binds the
	/// database to this chain and bank; on first use, takes the chain's cash totals as the
	/// baseline and adopts requests already pending.
	pub async fn new(
		client: Client,
		store: Store,
		adapter: A,
		config: Config,
		metrics: Option<Metrics>,
	) -> Result<Self, String> {
		let bank = config.key.account_id();
		let genesis = format!("{:?}", client.api().genesis_hash());
		store.bind(&genesis, &bank)?;
		let mut service = Service { client, store, adapter, config, bank, assets: Vec::new(), metrics };
		let head = service.finalized_head().await?;
		if service.store.cursor()?.is_none() {
			service.store.record_block(head.0, &[])?;
			info!(block = head.0, "first start: following finalized blocks from here");
		}
		service.refresh_assets(head).await?;
		if service.assets.is_empty() {
			return Err(format!("{} is the issuing bank of no cash asset on this chain", service.bank));
		}
		info!(bank = %service.bank, assets = ?service.assets, "serving");
		Ok(service)
	}

	/// The finalized head: its number and hash.
	async fn finalized_head(&self) -> Result<(u64, H256), String> {
		self.client.finalized_block().await.map_err(|e| e.to_string())
	}

	/// Read which cash assets the bank issues at the finalized head `(number, hash)`. An asset
	/// served for the first time gets its baseline (the chain's cash totals there) and its
	/// pending requests adopted, in one database transaction; later requests come from the scan
	/// of blocks.
	async fn refresh_assets(&mut self, (number, hash): (u64, H256)) -> Result<(), String> {
		let assets = assets_of(&self.client, &self.bank, Some(hash)).await.map_err(|e| e.to_string())?;
		for &asset in &assets {
			if self.store.serves(asset)? {
				continue;
			}
			let totals = self.client.settlement().cash_totals(asset, Some(hash)).await.map_err(|e| e.to_string())?;
			let baseline = (amount(&totals.deposited)?, amount(&totals.withdrawn)?);
			let pending = pending_at(&self.client, &[asset], hash).await.map_err(|e| e.to_string())?;
			let adopted = self.store.adopt_asset(asset, baseline, number, &pending)?;
			info!(asset, block = number, adopted, "now serving the asset: baseline taken, pending requests adopted");
		}
		self.assets = assets;
		Ok(())
	}

	/// The client's database.
	pub fn store(&self) -> &Store {
		&self.store
	}

	/// Run until the process is stopped: each round scans, drives and reconciles; an error is
	/// logged and the round retried after the poll interval.
	pub async fn run(&mut self) {
		loop {
			if let Err(e) = self.round().await {
				error!(error = %e, "round failed; retrying");
				if let Some(m) = &self.metrics {
					m.errors.inc();
				}
			}
			tokio::time::sleep(self.config.poll).await;
		}
	}

	/// One round: scan new finalized blocks, drive every open request, reconcile a finished day.
	pub async fn round(&mut self) -> Result<(), String> {
		// One read of the finalized head for the round's assets, scan and checks.
		let head = self.finalized_head().await?;
		self.refresh_assets(head).await?;
		self.scan(head).await?;
		for item in self.store.open_items()? {
			let (id, kind) = (item.request.id, item.kind.as_str());
			// One request's failure (the node refusing a transaction, the adapter down) does not
			// hold up the others; it is retried next round.
			if let Err(e) = self.drive(item, head.1).await {
				error!(id, kind, error = %e, "request not settled; retrying next round");
				if let Some(m) = &self.metrics {
					m.errors.inc();
				}
			}
		}
		let open = self.store.open_items()?.len();
		if let Some(m) = &self.metrics {
			m.open.set(open as u64);
		}
		self.end_of_day().await
	}

	async fn scan(&mut self, (finalized, hash): (u64, H256)) -> Result<(), String> {
		let mut cursor = self.store.cursor()?.unwrap_or(finalized);
		while cursor < finalized {
			let number = cursor + 1;
			let found = match requests_in(&self.client, &self.assets, number).await {
				Ok(found) => found,
				Err(e) => {
					// The block's state is pruned (the client was down longer than the node
					// keeps state): what is still pending is in the finalized state.
					warn!(block = number, error = %e, "cannot read the block's events; adopting pending requests instead");
					let pending = pending_at(&self.client, &self.assets, hash).await.map_err(|e| e.to_string())?;
					self.note_seen(&pending);
					self.store.record_block(finalized, &pending)?;
					cursor = finalized;
					continue;
				},
			};
			self.note_seen(&found);
			let added = self.store.record_block(number, &found)?;
			if added > 0 {
				info!(block = number, requests = added, "recorded");
				killpoint::reached("recorded");
			}
			cursor = number;
		}
		if let Some(m) = &self.metrics {
			m.cursor.set(cursor);
		}
		Ok(())
	}

	fn note_seen(&self, found: &[(Kind, Request)]) {
		if let Some(m) = &self.metrics {
			for (kind, _) in found {
				m.seen.with_label_values(&[kind.as_str()]).inc();
			}
		}
	}

	/// Move one request forward as far as it goes now.
	async fn drive(&mut self, item: Item, head: H256) -> Result<(), String> {
		let id = item.request.id;
		let pending = self.pending_request(item.kind, id, head).await?;
		let Some(payee) = pending else {
			// Settled on chain (by this client before a restart, or never pending).
			let outcome = match &item.state {
				State::Decided { approve: true, .. } => "confirmed",
				State::Decided { approve: false, .. } => "rejected",
				_ => "gone",
			};
			return self.finish(&item, outcome);
		};
		let (approve, note) = match &item.state {
			State::Recorded => {
				let decision = match item.kind {
					Kind::Deposit => self.adapter.deposit(&item.request)?,
					Kind::Withdrawal => {
						let r = &item.request;
						let opened = match open_payee(&self.config.envelope_key, &r.member, r.asset, r.amount, &payee) {
							Ok(details) => Some(details),
							Err(e) => {
								warn!(id, error = %e, "the withdrawal's payee envelope does not open with the bank's key");
								None
							},
						};
						self.adapter.withdraw(r, opened.as_deref())?
					},
				};
				let (approve, note) = match decision {
					Decision::Approve(reference) => (true, reference),
					Decision::Reject(reason) => (false, reason),
					// A deposit whose wire has not come waits `deposit_wait`; a withdrawal the
					// core system holds back (a review, a cut-off) waits for it.
					Decision::Wait => match item.kind {
						Kind::Deposit => {
							let waited = now().saturating_sub(item.seen_at);
							if waited < self.config.deposit_wait.as_secs() as i64 {
								return Ok(());
							}
							(false, format!("no wire with reference QS-D{id} arrived within {waited} s"))
						},
						Kind::Withdrawal => return Ok(()),
					},
				};
				killpoint::reached("paid");
				self.store.decide(id, approve, &note)?;
				info!(id, kind = item.kind.as_str(), approve, note = %note, "decided");
				killpoint::reached("decided");
				(approve, note)
			},
			State::Decided { approve, note } => (*approve, note.clone()),
			State::Done { .. } => return Ok(()),
		};
		let submitted = match (item.kind, approve) {
			(Kind::Deposit, true) => self.submit(&api::tx().settlement().confirm_deposit(id)).await,
			(Kind::Deposit, false) => self.submit(&api::tx().settlement().reject_deposit(id)).await,
			(Kind::Withdrawal, true) => self.submit(&api::tx().settlement().confirm_withdrawal(id)).await,
			(Kind::Withdrawal, false) => self.submit(&api::tx().settlement().reject_withdrawal(id)).await,
		};
		match submitted {
			Ok(block) => {
				killpoint::reached("submitted");
				info!(id, kind = item.kind.as_str(), approve, note = %note, block, "settled on chain");
				self.finish(&item, if approve { "confirmed" } else { "rejected" })
			},
			// A duplicate after a restart (the first one settled it): the chain refused it.
			Err(e) if self.pending_request(item.kind, id, self.finalized_head().await?.1).await?.is_none() => {
				info!(id, kind = item.kind.as_str(), refused = %e, "already settled on chain");
				self.finish(&item, if approve { "confirmed" } else { "rejected" })
			},
			Err(e) => Err(format!("request {id}: {e}")),
		}
	}

	async fn submit<C: qingsuan_client::subxt::transactions::Payload>(&self, call: &C) -> Result<u64, ClientError> {
		self.client.submit(call, &self.config.key, Wait::Finalized).await.map(|i| i.block_number)
	}

	fn finish(&self, item: &Item, outcome: &str) -> Result<(), String> {
		self.store.finish(item.request.id, outcome)?;
		if let Some(m) = &self.metrics {
			m.done.with_label_values(&[item.kind.as_str(), outcome]).inc();
		}
		Ok(())
	}

	/// The request `id` if still pending at the finalized block `head`: `Some(payee)` (empty
	/// for a deposit). Read at a finalized block, not the best block, so that a confirmation in a
	/// block that is later abandoned is not taken as done.
	async fn pending_request(&self, kind: Kind, id: u64, head: H256) -> Result<Option<Vec<u8>>, String> {
		let at = self.client.at(Some(head)).await.map_err(|e| e.to_string())?;
		let storage = at.storage();
		Ok(match kind {
			Kind::Deposit => {
				let entry = storage.entry(api::storage().settlement().deposits()).map_err(|e| e.to_string())?;
				entry.try_fetch((id,)).await.map_err(|e| e.to_string())?.map(|_| Vec::new())
			},
			Kind::Withdrawal => {
				let entry = storage.entry(api::storage().settlement().withdrawals()).map_err(|e| e.to_string())?;
				match entry.try_fetch((id,)).await.map_err(|e| e.to_string())? {
					Some(value) => Some(value.decode().map_err(|e| e.to_string())?.payee.0),
					None => None,
				}
			},
		})
	}

	async fn end_of_day(&mut self) -> Result<(), String> {
		let today = self.client.settlement().today(None).await.map_err(|e| e.to_string())?;
		let last: Option<u32> = self.store.meta("day")?.and_then(|d| d.parse().ok());
		match last {
			Some(day) if day < today => {
				let reports = reconcile::reconcile(
					&self.client,
					&self.store,
					&self.adapter,
					&self.assets,
					day,
					&self.config.report_dir,
				)
				.await?;
				let mismatch = reports.iter().any(|r| !r.matches());
				if let Some(m) = &self.metrics {
					m.mismatch.set(mismatch as u64);
				}
				self.store.set_meta("day", &today.to_string())
			},
			Some(_) => Ok(()),
			None => self.store.set_meta("day", &today.to_string()),
		}
	}

	/// The bank's account.
	pub fn bank(&self) -> &AccountId32 {
		&self.bank
	}
}

fn amount(s: &str) -> Result<u128, String> {
	s.parse().map_err(|e| format!("the node returned a bad amount {s:?}: {e}"))
}

fn now() -> i64 {
	std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The deposit and withdrawal requests of `assets` in finalized block `number`.
async fn requests_in(client: &Client, assets: &[u32], number: u64) -> Result<Vec<(Kind, Request)>, ClientError> {
	let at = client.api().at_block(number).await.map_err(ClientError::subxt)?;
	let events = at.events().fetch().await.map_err(ClientError::subxt)?;
	let mut found = Vec::new();
	for e in events.find::<api::settlement::events::DepositRequested>() {
		let e = e.map_err(ClientError::subxt)?;
		if assets.contains(&e.asset) {
			found.push((Kind::Deposit, Request { id: e.id, member: e.member, asset: e.asset, amount: e.amount }));
		}
	}
	for e in events.find::<api::settlement::events::WithdrawalRequested>() {
		let e = e.map_err(ClientError::subxt)?;
		if assets.contains(&e.asset) {
			found.push((Kind::Withdrawal, Request { id: e.id, member: e.member, asset: e.asset, amount: e.amount }));
		}
	}
	Ok(found)
}

/// Every request of `assets` pending at block `at`.
async fn pending_at(client: &Client, assets: &[u32], at: H256) -> Result<Vec<(Kind, Request)>, ClientError> {
	let at = client.at(Some(at)).await?;
	let storage = at.storage();
	let mut found = Vec::new();
	let deposits = storage.entry(api::storage().settlement().deposits()).map_err(ClientError::subxt)?;
	let mut iter = deposits.iter(()).await.map_err(ClientError::subxt)?;
	while let Some(kv) = iter.next().await {
		let kv = kv.map_err(ClientError::subxt)?;
		let (id,) = kv.key().map_err(ClientError::subxt)?.decode().map_err(ClientError::subxt)?;
		let d = kv.value().decode().map_err(ClientError::subxt)?;
		if assets.contains(&d.asset) {
			found.push((Kind::Deposit, Request { id, member: d.member, asset: d.asset, amount: d.amount }));
		}
	}
	let withdrawals = storage.entry(api::storage().settlement().withdrawals()).map_err(ClientError::subxt)?;
	let mut iter = withdrawals.iter(()).await.map_err(ClientError::subxt)?;
	while let Some(kv) = iter.next().await {
		let kv = kv.map_err(ClientError::subxt)?;
		let (id,) = kv.key().map_err(ClientError::subxt)?.decode().map_err(ClientError::subxt)?;
		let w = kv.value().decode().map_err(ClientError::subxt)?;
		if assets.contains(&w.asset) {
			found.push((Kind::Withdrawal, Request { id, member: w.member, asset: w.asset, amount: w.amount }));
		}
	}
	Ok(found)
}
