//! Contracts on a node: every transaction is dry-run first (pallet-revive's `ReviveApi`), so a
//! call that would revert is refused with its reason before anything is signed, and the
//! transaction carries the weight and storage deposit the dry run measured (plus a margin).

use crate::abi::Artifact;
use alloy_json_abi::Function;
use alloy_primitives::Address;
use qingsuan_client::jsonrpsee::core::client::ClientT;
use qingsuan_client::{
	api::{
		self,
		runtime_types::{
			pallet_revive_types::runtime_api::types::contract::{CodeV1, StorageDepositV1 as StorageDeposit},
			sp_weights::weight_v2::Weight,
		},
	},
	keys::Keypair,
	subxt::utils::H160,
	AccountId32, Client, ClientError, Wait,
};
use serde_json::{json, Value};

/// Why a contract command failed.
#[derive(Debug)]
pub enum ContractError {
	/// The contract reverted (in the dry run, or in its block), or the chain refused the
	/// transaction: the reason.
	Refused(String),
	/// The node could not be reached or answered an error.
	Node(String),
}

impl From<ClientError> for ContractError {
	fn from(e: ClientError) -> Self {
		match e {
			ClientError::Transaction(m) => ContractError::Refused(m),
			other => ContractError::Node(other.to_string()),
		}
	}
}

impl From<ContractError> for qingsuan_client::cli::CommandError {
	fn from(e: ContractError) -> Self {
		match e {
			ContractError::Refused(m) => Self::Refused(m),
			ContractError::Node(m) => Self::Node(m),
		}
	}
}

/// What a dry run measured.
struct DryRun {
	weight: Weight,
	deposit: u128,
	output: Vec<u8>,
}

/// A margin on the dry run's measurements: the state may change a little before the block.
fn with_margin(dry: &DryRun) -> (Weight, u128) {
	let weight = Weight {
		ref_time: dry.weight.ref_time.saturating_mul(12) / 10,
		proof_size: dry.weight.proof_size.saturating_mul(12) / 10,
	};
	(weight, dry.deposit.saturating_mul(12) / 10 + 1)
}

fn charged(deposit: &StorageDeposit<u128>) -> u128 {
	match deposit {
		StorageDeposit::Charge(amount) => *amount,
		StorageDeposit::Refund(_) => 0,
	}
}

fn h160(address: &Address) -> H160 {
	H160(address.0 .0)
}

/// A deployed contract.
#[derive(Debug)]
pub struct Deployed {
	/// Its address.
	pub address: Address,
	/// Its account (what a broker approves).
	pub account: AccountId32,
	/// The block it was deployed in.
	pub block: u64,
}

/// Deploy `artifact` as `key` (a developer): `code` is its init code with the constructor's
/// arguments ([`Artifact::deploy_code`]).
pub async fn deploy(
	client: &Client,
	key: &Keypair,
	artifact: &Artifact,
	code: Vec<u8>,
) -> Result<Deployed, ContractError> {
	let at = client.at(None).await?;
	#[allow(deprecated)]
	let dry = api::runtime_apis().revive_api().instantiate(
		key.account_id(),
		0,
		None,
		None,
		CodeV1::Upload(code.clone()),
		Vec::new(),
		None,
	);
	let result = at.runtime_apis().call(dry).await.map_err(|e| ContractError::Node(e.to_string()))?;
	let returned = match result.result {
		Ok(r) => r,
		Err(e) => return Err(ContractError::Refused(format!("the deployment fails: {}", client.describe(&e).await))),
	};
	if returned.result.flags.bits & 1 == 1 {
		return Err(ContractError::Refused(format!(
			"the constructor reverts: {}",
			artifact.revert_reason(&returned.result.data)
		)));
	}
	let (weight, deposit) = with_margin(&DryRun {
		weight: result.weight_required,
		deposit: charged(&result.storage_deposit).max(charged(&result.max_storage_deposit)),
		output: Vec::new(),
	});
	let tx = api::tx().revive().instantiate_with_code(0, weight, deposit, code, Vec::new(), None);
	let included = client.submit(&tx, key, Wait::InBlock).await?;
	let instantiated = event_of::<api::revive::events::Instantiated>(&included, "the deployment")?;
	let address = Address::from(instantiated.contract.0);
	Ok(Deployed { address, account: crate::address::contract_account(&address), block: included.block_number })
}

/// The event `E` of an included transaction (`what`, for the error if it is missing).
fn event_of<E: qingsuan_client::subxt::events::DecodeAsEvent>(
	included: &qingsuan_client::Included,
	what: &str,
) -> Result<E, ContractError> {
	included
		.events
		.find_first::<E>()
		.transpose()
		.map_err(|e| ContractError::Node(e.to_string()))?
		.ok_or_else(|| ContractError::Node(format!("{what} is in its block without its event")))
}

/// Dry-run `function(args)` on `contract` as `origin`: the raw output, or the revert reason.
async fn dry_run(
	client: &Client,
	origin: AccountId32,
	contract: &Address,
	artifact: &Artifact,
	data: Vec<u8>,
) -> Result<DryRun, ContractError> {
	let at = client.at(None).await?;
	#[allow(deprecated)]
	let dry = api::runtime_apis().revive_api().call(origin, h160(contract), 0, None, None, data);
	let result = at.runtime_apis().call(dry).await.map_err(|e| ContractError::Node(e.to_string()))?;
	let returned = match result.result {
		Ok(r) => r,
		Err(e) => return Err(ContractError::Refused(client.describe(&e).await)),
	};
	if returned.flags.bits & 1 == 1 {
		return Err(ContractError::Refused(format!("reverts: {}", artifact.revert_reason(&returned.data))));
	}
	Ok(DryRun {
		weight: result.weight_required,
		deposit: charged(&result.storage_deposit).max(charged(&result.max_storage_deposit)),
		output: returned.data,
	})
}

/// Read `function` of `contract` with the call data `data` ([`Artifact::call_data`]) in a dry
/// run, nothing signed, as `origin` (its `msg.sender`): its return value as JSON.
pub async fn read(
	client: &Client,
	origin: AccountId32,
	contract: &Address,
	artifact: &Artifact,
	function: &Function,
	data: Vec<u8>,
) -> Result<Value, ContractError> {
	let dry = dry_run(client, origin, contract, artifact, data).await?;
	artifact.output(function, &dry.output).map_err(ContractError::Node)
}

/// Call `function` on `contract` with the call data `data` in a transaction signed by `key`:
/// the dry run's return value, the block, and the contract's logs in the transaction, decoded.
pub async fn call(
	client: &Client,
	key: &Keypair,
	contract: &Address,
	artifact: &Artifact,
	function: &Function,
	data: Vec<u8>,
) -> Result<Value, ContractError> {
	let dry = dry_run(client, key.account_id(), contract, artifact, data.clone()).await?;
	let output = artifact.output(function, &dry.output).map_err(ContractError::Node)?;
	let (weight, deposit) = with_margin(&dry);
	let tx = api::tx().revive().call(h160(contract), 0, weight, deposit, data);
	let included = client.submit(&tx, key, Wait::InBlock).await?;
	let logs: Vec<Value> = included
		.events
		.find::<api::revive::events::ContractEmitted>()
		.filter_map(Result::ok)
		.filter(|e| e.contract.0 == contract.0 .0)
		.map(|e| decode(artifact, &e))
		.collect();
	Ok(json!({ "block": included.block_number, "returned": output, "events": logs }))
}

fn decode(artifact: &Artifact, e: &api::revive::events::ContractEmitted) -> Value {
	let topics: Vec<[u8; 32]> = e.topics.iter().map(|t| t.0).collect();
	artifact.decode_log(&topics, &e.data).unwrap_or_else(|| {
		json!({ "event": null, "topics": topics.iter().map(|t| format!("0x{}", hex::encode(t))).collect::<Vec<_>>(),
			"data": format!("0x{}", hex::encode(&e.data)) })
	})
}

/// The logs `contract` emitted in blocks `from..=to` (default: the best block), decoded, each
/// with its block number.
pub async fn events(
	client: &Client,
	contract: &Address,
	artifact: &Artifact,
	from: u64,
	to: Option<u64>,
) -> Result<Vec<Value>, ContractError> {
	let to = match to {
		Some(to) => to,
		None => client.best_block().await?.0,
	};
	let mut out = Vec::new();
	for number in from..=to {
		let hash: Option<qingsuan_client::subxt::utils::H256> = client
			.rpc()
			.request("chain_getBlockHash", qingsuan_client::jsonrpsee::rpc_params![number])
			.await
			.map_err(|e| ContractError::Node(e.to_string()))?;
		let Some(hash) = hash else { break };
		let events = client.events(hash).await?;
		for emitted in events.find::<api::revive::events::ContractEmitted>().filter_map(Result::ok) {
			if emitted.contract.0 == contract.0 .0 {
				let mut log = decode(artifact, &emitted);
				log["block"] = json!(number);
				out.push(log);
			}
		}
	}
	Ok(out)
}

/// `key` (the owner's broker) approves `contract` to hold up to `limit` of `owner`'s `asset`.
pub async fn approve(
	client: &Client,
	key: &Keypair,
	owner: AccountId32,
	contract: &Address,
	asset: u32,
	limit: u128,
) -> Result<u64, ContractError> {
	let tx = api::tx().settlement().approve_contract(owner, crate::address::contract_account(contract), asset, limit);
	Ok(client.submit(&tx, key, Wait::InBlock).await?.block_number)
}

/// What a broker took back from a former contract.
pub struct Reclaimed {
	/// The amount released to the owner's free balance.
	pub amount: u128,
	/// The block it is in.
	pub block: u64,
}

/// `key` (the owner's broker) takes back all of `owner`'s `asset` that the former contract
/// `contract` held (`settlement.reclaim_contract_hold`).
pub async fn reclaim(
	client: &Client,
	key: &Keypair,
	owner: AccountId32,
	contract: &Address,
	asset: u32,
) -> Result<Reclaimed, ContractError> {
	let tx = api::tx().settlement().reclaim_contract_hold(owner, crate::address::contract_account(contract), asset);
	let included = client.submit(&tx, key, Wait::InBlock).await?;
	let event = event_of::<api::settlement::events::ContractHoldReclaimed>(&included, "the reclaim")?;
	Ok(Reclaimed { amount: event.amount, block: included.block_number })
}
