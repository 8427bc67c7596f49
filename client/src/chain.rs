//! One connection to a node: transactions, finalized-block subscriptions, storage and the typed
//! Qingsuan RPC clients.

use crate::{api, keys::Keypair, ClientError, QingsuanConfig};
use jsonrpsee::{core::client::ClientT, rpc_params, ws_client::WsClient};
use std::{sync::Arc, time::Duration};
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	events::Events,
	transactions::{Payload, TransactionStatus},
	utils::{AccountId32, H256},
	OnlineClient,
};

/// How long [`Client::connect`] waits for the node.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// When [`Client::submit`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
	/// Once the transaction is in a block of the best chain (about one block time).
	InBlock,
	/// Once its block is finalized (GRANDPA; a block or two more).
	Finalized,
}

/// A transaction in a block, and what it did.
#[derive(Debug)]
pub struct Included {
	/// The block's hash.
	pub block_hash: H256,
	/// The block's number.
	pub block_number: u64,
	/// The transaction's hash.
	pub extrinsic_hash: H256,
	/// The events the transaction emitted, `System.ExtrinsicSuccess` last.
	pub events: subxt::extrinsics::ExtrinsicEvents<QingsuanConfig>,
}

/// A finalized block and its events.
#[derive(Debug)]
pub struct FinalizedBlock {
	/// Its number.
	pub number: u64,
	/// Its hash.
	pub hash: H256,
	/// Every event of the block, in order.
	pub events: Events<QingsuanConfig>,
}

/// The node's finalized blocks, in order, from the one finalized when subscribed.
pub struct FinalizedBlocks {
	blocks: subxt::client::Blocks<QingsuanConfig>,
}

impl FinalizedBlocks {
	/// The next finalized block with its events; `None` when the connection closed.
	pub async fn next(&mut self) -> Option<Result<FinalizedBlock, ClientError>> {
		let block = match self.blocks.next().await? {
			Ok(block) => block,
			Err(e) => return Some(Err(ClientError::subxt(e))),
		};
		Some(
			async {
				let at = block.at().await.map_err(ClientError::subxt)?;
				let events = at.events().fetch().await.map_err(ClientError::subxt)?;
				Ok(FinalizedBlock { number: block.number(), hash: block.hash(), events })
			}
			.await,
		)
	}
}

/// One websocket connection to a node, shared by subxt and Qingsuan's RPC clients.
#[derive(Clone)]
pub struct Client {
	api: OnlineClient<QingsuanConfig>,
	rpc: Arc<WsClient>,
}

impl std::fmt::Debug for Client {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Client").field("genesis", &self.api.genesis_hash()).finish()
	}
}

impl Client {
	/// Connect to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self, ClientError> {
		let rpc = jsonrpsee::ws_client::WsClientBuilder::default()
			.connection_timeout(CONNECT_TIMEOUT)
			.max_request_size(16 * 1024 * 1024)
			.max_response_size(64 * 1024 * 1024)
			.build(url)
			.await
			.map_err(|e| ClientError::Connect(format!("{url}: {e}")))?;
		let rpc = Arc::new(rpc);
		let api = OnlineClient::from_rpc_client_with_config(QingsuanConfig::default(), rpc.clone())
			.await
			.map_err(|e| ClientError::Connect(format!("{url}: {e}")))?;
		Ok(Client { api, rpc })
	}

	/// The subxt client, for anything this type does not wrap.
	pub fn api(&self) -> &OnlineClient<QingsuanConfig> {
		&self.api
	}

	/// The JSON-RPC connection, for methods this type does not wrap (Qingsuan's own are typed
	/// through [`Client::settlement`], [`Client::orderbook`], [`Client::margin`] and
	/// [`Client::surveillance`]).
	pub fn rpc(&self) -> &WsClient {
		&self.rpc
	}

	/// The `settlement_*` methods, typed: `client.settlement().today(None).await` (with
	/// `pallet_settlement_rpc::SettlementApiClient` in scope).
	pub fn settlement(&self) -> &(impl pallet_settlement_rpc::SettlementApiClient<H256, AccountId32> + Send + Sync) {
		&*self.rpc
	}

	/// The `orderbook_*` methods, typed (with `pallet_orderbook_rpc::OrderbookApiClient` in scope).
	pub fn orderbook(&self) -> &(impl pallet_orderbook_rpc::OrderbookApiClient<H256, AccountId32> + Send + Sync) {
		&*self.rpc
	}

	/// The `margin_*` methods, typed (with `pallet_margin_rpc::MarginApiClient` in scope).
	pub fn margin(&self) -> &(impl pallet_margin_rpc::MarginApiClient<H256, AccountId32> + Send + Sync) {
		&*self.rpc
	}

	/// The `surveillance_*` methods, typed (with
	/// `qingsuan_surveillance_rpc::SurveillanceApiClient` in scope). A node serves them with
	/// `--surveillance` or `--observer`.
	pub fn surveillance(&self) -> &(impl qingsuan_surveillance_rpc::SurveillanceApiClient<AccountId32> + Send + Sync) {
		&*self.rpc
	}

	/// The next nonce of `who`, counting its transactions in the node's pool.
	pub async fn next_nonce(&self, who: &AccountId32) -> Result<u64, ClientError> {
		Ok(self.rpc.request("system_accountNextIndex", rpc_params![who.to_string()]).await?)
	}

	/// The hash of the node's best block.
	pub async fn best_hash(&self) -> Result<H256, ClientError> {
		Ok(self.rpc.request("chain_getBlockHash", rpc_params![]).await?)
	}

	/// The number and hash of the node's best block.
	pub async fn best_block(&self) -> Result<(u64, H256), ClientError> {
		let hash = self.best_hash().await?;
		let at = self.api.at_block(hash).await.map_err(ClientError::subxt)?;
		Ok((at.block_number(), hash))
	}

	/// A subxt client at block `at`, or at the best block (not the finalized one, which is
	/// subxt's `at_current_block`).
	pub async fn at(
		&self,
		at: Option<H256>,
	) -> Result<
		subxt::client::ClientAtBlock<QingsuanConfig, subxt::client::OnlineClientAtBlockImpl<QingsuanConfig>>,
		ClientError,
	> {
		let hash = match at {
			Some(hash) => hash,
			None => self.best_hash().await?,
		};
		self.api.at_block(hash).await.map_err(ClientError::subxt)
	}

	/// The number and hash of the last finalized block.
	pub async fn finalized_block(&self) -> Result<(u64, H256), ClientError> {
		let hash: H256 = self.rpc.request("chain_getFinalizedHead", rpc_params![]).await?;
		let at = self.api.at_block(hash).await.map_err(ClientError::subxt)?;
		Ok((at.block_number(), hash))
	}

	/// Sign `call` with `key` (nonce from the pool, immortal, no tip), submit it, and wait for
	/// it to be in a block (`wait`). A transaction the pool refuses, or that fails in its block,
	/// is an error naming why (for a failed call, the pallet and error name).
	pub async fn submit<C: Payload>(&self, call: &C, key: &Keypair, wait: Wait) -> Result<Included, ClientError> {
		let nonce = self.next_nonce(&key.account_id()).await?;
		self.submit_with_nonce(call, key, nonce, wait).await
	}

	/// As [`Client::submit`], with the nonce given (for several transactions in flight).
	pub async fn submit_with_nonce<C: Payload>(
		&self,
		call: &C,
		key: &Keypair,
		nonce: u64,
		wait: Wait,
	) -> Result<Included, ClientError> {
		let at = self.api.at_current_block().await.map_err(ClientError::subxt)?;
		let params = DefaultExtrinsicParamsBuilder::<QingsuanConfig>::new().nonce(nonce).build();
		let mut signable = at.transactions().create_signable_offline(call, params).map_err(ClientError::subxt)?;
		let signature = key.sign(&signable.signer_payload().map_err(ClientError::subxt)?)?;
		let tx = signable.sign_with_account_and_signature(&key.account_id(), &signature).map_err(ClientError::subxt)?;
		let mut progress = tx.submit_and_watch().await.map_err(|e| ClientError::Transaction(e.to_string()))?;
		while let Some(status) = progress.next().await {
			let in_block = match status.map_err(|e| ClientError::Transaction(e.to_string()))? {
				TransactionStatus::InBestBlock(b) if wait == Wait::InBlock => b,
				TransactionStatus::InFinalizedBlock(b) => b,
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => return Err(ClientError::Transaction(message)),
				_ => continue,
			};
			let block_hash = in_block.block_hash();
			let events = in_block.wait_for_success().await.map_err(|e| ClientError::Transaction(e.to_string()))?;
			let block_number = self.api.at_block(block_hash).await.map_err(ClientError::subxt)?.block_number();
			return Ok(Included { block_hash, block_number, extrinsic_hash: in_block.extrinsic_hash(), events });
		}
		Err(ClientError::Transaction("the node stopped reporting the transaction's status".into()))
	}

	/// A dispatch error from an event (`BatchItemFailed`, …) as `Pallet::Error`, named from the
	/// node's metadata.
	pub async fn describe(&self, error: &api::runtime_types::sp_runtime::DispatchError) -> String {
		use api::runtime_types::sp_runtime::DispatchError;
		let DispatchError::Module(module) = error else { return format!("{error:?}") };
		let Ok(at) = self.api.at_current_block().await else { return format!("{error:?}") };
		let metadata = at.metadata();
		metadata
			.pallet_by_error_index(module.index)
			.and_then(|pallet| {
				pallet.error_variant_by_index(module.error[0]).map(|v| format!("{}::{}", pallet.name(), v.name))
			})
			.unwrap_or_else(|| format!("{error:?}"))
	}

	/// Every net position of settlement day `day` (each account's receipts, deliveries and net
	/// per asset), all pages of `settlement_netPositions`.
	pub async fn day_net_positions(
		&self,
		day: u32,
	) -> Result<Vec<pallet_settlement_rpc::NetPosition<AccountId32>>, ClientError> {
		use pallet_settlement_rpc::{SettlementApiClient, MAX_PAGE};
		let mut all = Vec::new();
		loop {
			let page = self.settlement().net_positions(Some(day), Some(all.len() as u64), Some(MAX_PAGE)).await?;
			let last = (page.len() as u32) < MAX_PAGE;
			all.extend(page);
			if last {
				return Ok(all);
			}
		}
	}

	/// Every finalized settlement of day `day` (trades and instructions), all pages of
	/// `settlement_onDay`.
	pub async fn day_settlements(
		&self,
		day: u32,
	) -> Result<Vec<pallet_settlement_rpc::Record<AccountId32>>, ClientError> {
		use pallet_settlement_rpc::{SettlementApiClient, MAX_PAGE};
		let mut all: Vec<pallet_settlement_rpc::Record<AccountId32>> = Vec::new();
		loop {
			let from = all.last().map(|r| r.id + 1);
			let page = self.settlement().on_day(day, from, Some(MAX_PAGE)).await?;
			let last = (page.len() as u32) < MAX_PAGE;
			all.extend(page);
			if last {
				return Ok(all);
			}
		}
	}

	/// Finalized blocks with their events, from now on.
	pub async fn finalized_blocks(&self) -> Result<FinalizedBlocks, ClientError> {
		Ok(FinalizedBlocks { blocks: self.api.stream_blocks().await.map_err(ClientError::subxt)? })
	}

	/// The events of block `at`.
	pub async fn events(&self, at: H256) -> Result<Events<QingsuanConfig>, ClientError> {
		let at = self.api.at_block(at).await.map_err(ClientError::subxt)?;
		at.events().fetch().await.map_err(ClientError::subxt)
	}

	/// Every ledger instrument (security or cash asset) at block `at` (default: the best block),
	/// by asset id.
	pub async fn instruments(
		&self,
		at: Option<H256>,
	) -> Result<Vec<(u32, api::runtime_types::pallet_ledger::types::Instrument<AccountId32>)>, ClientError> {
		let at = self.at(at).await?;
		let entry = at.storage().entry(api::storage().ledger().instruments()).map_err(ClientError::subxt)?;
		let mut iter = entry.iter(()).await.map_err(ClientError::subxt)?;
		let mut out = Vec::new();
		while let Some(kv) = iter.next().await {
			let kv = kv.map_err(ClientError::subxt)?;
			let (asset,) = kv.key().map_err(ClientError::subxt)?.decode().map_err(ClientError::subxt)?;
			out.push((asset, kv.value().decode().map_err(ClientError::subxt)?));
		}
		out.sort_by_key(|(asset, _)| *asset);
		Ok(out)
	}

	/// `who`'s free and held balance of the ledger asset `asset` at block `at` (default: the
	/// best block).
	pub async fn ledger_balance(
		&self,
		asset: u32,
		who: &AccountId32,
		at: Option<H256>,
	) -> Result<(u128, u128), ClientError> {
		let at = self.at(at).await?;
		let entry = at.storage().entry(api::storage().ledger().accounts()).map_err(ClientError::subxt)?;
		let value = entry.try_fetch((asset, *who)).await.map_err(ClientError::subxt)?;
		let Some(value) = value else { return Ok((0, 0)) };
		let account = value.decode().map_err(ClientError::subxt)?;
		Ok((account.free, account.holds.0.iter().map(|h| h.amount).sum()))
	}
}
