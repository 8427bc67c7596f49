//! Typed helpers over the node's standard JSON-RPC methods.

use crate::{sign::TxParams, ClientError, RpcClient};
use codec::{Decode, Encode};
use qingsuan_runtime::{AccountId, Balance, BlockNumber, Nonce, Runtime, RuntimeEvent, UncheckedExtrinsic};
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, H256};
use sp_runtime::traits::{BlakeTwo256, Hash as _};
use std::time::{Duration, Instant};

/// A node's view of its peers (`system_health`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Health {
	/// Connected peers.
	pub peers: u64,
	/// Whether the node is catching up.
	pub is_syncing: bool,
}

/// Typed access to one node.
#[derive(Clone, Debug)]
pub struct Chain {
	rpc: RpcClient,
}

fn hex_bytes(v: &Value) -> Result<Vec<u8>, ClientError> {
	let s = v.as_str().ok_or_else(|| ClientError::Decode(format!("expected a hex string, got {v}")))?;
	hex::decode(s.trim_start_matches("0x")).map_err(|e| ClientError::Decode(e.to_string()))
}

fn hash(v: &Value) -> Result<H256, ClientError> {
	let bytes = hex_bytes(v)?;
	if bytes.len() != 32 {
		return Err(ClientError::Decode(format!("expected 32 bytes, got {}", bytes.len())));
	}
	Ok(H256::from_slice(&bytes))
}

fn number(v: &Value) -> Result<BlockNumber, ClientError> {
	let s = v.as_str().ok_or_else(|| ClientError::Decode(format!("expected a block number, got {v}")))?;
	BlockNumber::from_str_radix(s.trim_start_matches("0x"), 16).map_err(|e| ClientError::Decode(e.to_string()))
}

impl Chain {
	/// Typed access through `rpc`.
	pub fn new(rpc: RpcClient) -> Self {
		Chain { rpc }
	}

	/// The node on 127.0.0.1 at `port`.
	pub fn local(port: u16) -> Self {
		Self::new(RpcClient::local(port))
	}

	/// The raw JSON-RPC client.
	pub fn rpc(&self) -> &RpcClient {
		&self.rpc
	}

	/// The hash of block `n` of the best chain, if the node has it.
	pub fn block_hash(&self, n: BlockNumber) -> Result<Option<H256>, ClientError> {
		let v = self.rpc.call("chain_getBlockHash", json!([n]))?;
		if v.is_null() {
			Ok(None)
		} else {
			hash(&v).map(Some)
		}
	}

	/// The hash of the genesis block.
	pub fn genesis_hash(&self) -> Result<H256, ClientError> {
		self.block_hash(0)?.ok_or_else(|| ClientError::Decode("the node has no genesis block".into()))
	}

	/// The number of the best block.
	pub fn best_number(&self) -> Result<BlockNumber, ClientError> {
		let header = self.rpc.call("chain_getHeader", json!([]))?;
		number(&header["number"])
	}

	/// The hash and number of the last finalized block.
	pub fn finalized(&self) -> Result<(H256, BlockNumber), ClientError> {
		let head = hash(&self.rpc.call("chain_getFinalizedHead", json!([]))?)?;
		let header = self.rpc.call("chain_getHeader", json!([format!("{head:?}")]))?;
		Ok((head, number(&header["number"])?))
	}

	/// The number of the last finalized block.
	pub fn finalized_number(&self) -> Result<BlockNumber, ClientError> {
		Ok(self.finalized()?.1)
	}

	/// The node's peer count and sync status.
	pub fn health(&self) -> Result<Health, ClientError> {
		let v = self.rpc.call("system_health", json!([]))?;
		Ok(Health {
			peers: v["peers"].as_u64().unwrap_or_default(),
			is_syncing: v["isSyncing"].as_bool().unwrap_or_default(),
		})
	}

	/// The runtime's `(spec_version, transaction_version)`.
	pub fn runtime_version(&self) -> Result<(u32, u32), ClientError> {
		let v = self.rpc.call("state_getRuntimeVersion", json!([]))?;
		let field = |name: &str| {
			v[name].as_u64().map(|x| x as u32).ok_or_else(|| ClientError::Decode(format!("no {name} in {v}")))
		};
		Ok((field("specVersion")?, field("transactionVersion")?))
	}

	/// What signatures for this chain must commit to.
	pub fn tx_params(&self) -> Result<TxParams, ClientError> {
		let (spec_version, transaction_version) = self.runtime_version()?;
		Ok(TxParams { genesis_hash: self.genesis_hash()?, spec_version, transaction_version })
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub fn next_nonce(&self, who: &AccountId) -> Result<Nonce, ClientError> {
		let v = self.rpc.call("system_accountNextIndex", json!([who.to_ss58check()]))?;
		v.as_u64().map(|n| n as Nonce).ok_or_else(|| ClientError::Decode(format!("bad nonce {v}")))
	}

	/// The SCALE value stored at `key` (at the best block, or at `at`).
	pub fn storage<T: Decode>(&self, key: &[u8], at: Option<H256>) -> Result<Option<T>, ClientError> {
		let params = match at {
			Some(h) => json!([format!("0x{}", hex::encode(key)), format!("{h:?}")]),
			None => json!([format!("0x{}", hex::encode(key))]),
		};
		let v = self.rpc.call("state_getStorage", params)?;
		if v.is_null() {
			return Ok(None);
		}
		let bytes = hex_bytes(&v)?;
		T::decode(&mut &bytes[..]).map(Some).map_err(|e| ClientError::Decode(e.to_string()))
	}

	/// The free balance of `who` (at the best block, or at `at`).
	pub fn free_balance(&self, who: &AccountId, at: Option<H256>) -> Result<Balance, ClientError> {
		let key = frame_system::Account::<Runtime>::hashed_key_for(who);
		let info: Option<frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>> =
			self.storage(&key, at)?;
		Ok(info.map(|i| i.data.free).unwrap_or_default())
	}

	/// The events of block `at`.
	pub fn events(&self, at: H256) -> Result<Vec<RuntimeEvent>, ClientError> {
		let key = frame_support::storage::storage_prefix(b"System", b"Events").to_vec();
		let records: Option<Vec<frame_system::EventRecord<RuntimeEvent, H256>>> = self.storage(&key, Some(at))?;
		Ok(records.unwrap_or_default().into_iter().map(|r| r.event).collect())
	}

	/// Submit a signed extrinsic to the pool; returns its hash.
	pub fn submit(&self, xt: &UncheckedExtrinsic) -> Result<H256, ClientError> {
		let v = self.rpc.call("author_submitExtrinsic", json!([format!("0x{}", hex::encode(xt.encode()))]))?;
		hash(&v)
	}

	/// The encoded extrinsics of block `at`.
	pub fn block_extrinsics(&self, at: H256) -> Result<Vec<Vec<u8>>, ClientError> {
		let v = self.rpc.call("chain_getBlock", json!([format!("{at:?}")]))?;
		v["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| ClientError::Decode(format!("no extrinsics in {v}")))?
			.iter()
			.map(hex_bytes)
			.collect()
	}

	/// Wait until the extrinsic with hash `xt_hash` is in a block of the best chain at or after
	/// `from`; returns that block's number and hash. Gives up after `timeout`.
	pub fn wait_for_inclusion(
		&self,
		xt_hash: H256,
		from: BlockNumber,
		timeout: Duration,
	) -> Result<Option<(BlockNumber, H256)>, ClientError> {
		let deadline = Instant::now() + timeout;
		let mut next = from;
		while Instant::now() < deadline {
			while let Some(block) = self.block_hash(next)? {
				if self.block_extrinsics(block)?.iter().any(|xt| BlakeTwo256::hash(xt) == xt_hash) {
					return Ok(Some((next, block)));
				}
				next += 1;
			}
			std::thread::sleep(Duration::from_millis(200));
		}
		Ok(None)
	}
}
