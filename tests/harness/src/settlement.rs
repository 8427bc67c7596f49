//! Settlement and clearing-bank helpers: sealing payee details for a withdrawal, reading and
//! opening a withdrawal as the bank, and the settlement RPC reports.

use crate::{Chain, ClientError};
use codec::Encode;
use pallet_settlement::{withdrawal_aad, BankKeys, RequestId, WithdrawalOf, Withdrawals};
use qingsuan_primitives::market::{Amount, AssetId, Day};
use qingsuan_runtime::{AccountId, Runtime};
use qingsuan_sm_crypto::{envelope::Envelope, sm2};
use serde_json::{json, Value};
use sp_core::H256;

/// A withdrawal request as stored on chain.
pub type Withdrawal = WithdrawalOf<Runtime>;

/// The bank's registered SM2 envelope key, if it has one.
pub fn bank_key(chain: &Chain, bank: &AccountId, at: Option<H256>) -> Result<Option<sm2::Public>, ClientError> {
	chain.storage(&BankKeys::<Runtime>::hashed_key_for(bank), at)
}

/// Seal the payee's bank account `details` to `recipients` (the bank's key, and the regulator's
/// if one is registered) for `member`'s withdrawal of `amount` of `asset`: the bytes to pass as
/// `request_withdrawal`'s `payee`.
pub fn seal_payee(
	recipients: &[sm2::Public],
	member: &AccountId,
	asset: AssetId,
	amount: Amount,
	details: &[u8],
) -> Result<Vec<u8>, ClientError> {
	let envelope = Envelope::seal(recipients, &withdrawal_aad(member, asset, amount), details)
		.map_err(|e| ClientError::Decode(format!("cannot seal the payee details: {e:?}")))?;
	Ok(envelope.encode())
}

/// The pending withdrawal `id`, if any.
pub fn withdrawal(chain: &Chain, id: RequestId, at: Option<H256>) -> Result<Option<Withdrawal>, ClientError> {
	chain.storage(&Withdrawals::<Runtime>::hashed_key_for(id), at)
}

/// As the bank: open a withdrawal's payee details with the bank's secret key. Fails unless the
/// envelope is bound to this very member, asset and amount.
pub fn open_payee(bank_secret: &sm2::SecretKey, request: &Withdrawal) -> Result<Vec<u8>, ClientError> {
	let envelope = <Envelope as codec::Decode>::decode(&mut &request.payee[..])
		.map_err(|e| ClientError::Decode(format!("payee is not an envelope: {e}")))?;
	if envelope.aad != withdrawal_aad(&request.member, request.asset, request.amount) {
		return Err(ClientError::Decode("the envelope is bound to another withdrawal".into()));
	}
	envelope.open(bank_secret).map_err(|e| ClientError::Decode(format!("cannot open the payee details: {e:?}")))
}

/// `settlement_today`.
pub fn today(chain: &Chain) -> Result<Day, ClientError> {
	let v = chain.rpc().call("settlement_today", json!([]))?;
	v.as_u64().and_then(|d| Day::try_from(d).ok()).ok_or_else(|| ClientError::Decode(format!("not a day: {v}")))
}

/// The whole `settlement_netPositions` report for `day` (today if `None`), page by page.
pub fn net_positions(chain: &Chain, day: Option<Day>) -> Result<Vec<Value>, ClientError> {
	const PAGE: usize = 1_000;
	let mut report = Vec::new();
	loop {
		let v = chain.rpc().call("settlement_netPositions", json!([day, report.len(), PAGE]))?;
		let page = v.as_array().cloned().ok_or_else(|| ClientError::Decode(format!("not a report: {v}")))?;
		let last = page.len() < PAGE;
		report.extend(page);
		if last {
			return Ok(report);
		}
	}
}

/// `day`'s settlement hash chain on chain and as the node's trade store rebuilt it
/// (`settlement_dayDigest`): `{"day", "chain": {"count", "head"}, "store": {"count", "head"}}`.
pub fn day_digest(chain: &Chain, day: Day) -> Result<Value, ClientError> {
	chain.rpc().call("settlement_dayDigest", json!([day]))
}

/// How far the node's trade store has indexed (`settlement_storeStatus`): `firstBlock`,
/// `lastBlock`, `lastHash`, `settlements`, `missedBlocks`.
pub fn store_status(chain: &Chain) -> Result<Value, ClientError> {
	chain.rpc().call("settlement_storeStatus", json!([]))
}

/// The last finalized block the node's trade store has indexed.
pub fn indexed_block(chain: &Chain) -> Result<Option<u32>, ClientError> {
	let v = store_status(chain)?;
	match &v["lastBlock"] {
		Value::Null => Ok(None),
		n => n
			.as_u64()
			.and_then(|n| u32::try_from(n).ok())
			.map(Some)
			.ok_or_else(|| ClientError::Decode(format!("not a status: {v}"))),
	}
}

/// Every settlement of `day` (`settlement_onDay`, page by page).
pub fn settlements_on(chain: &Chain, day: Day) -> Result<Vec<Value>, ClientError> {
	let mut all: Vec<Value> = Vec::new();
	loop {
		let from = all.last().and_then(|r| r["id"].as_u64()).map_or(0, |id| id + 1);
		let v = chain.rpc().call("settlement_onDay", json!([day, from, 1_000]))?;
		let page = v.as_array().cloned().ok_or_else(|| ClientError::Decode(format!("not a list: {v}")))?;
		let last = page.len() < 1_000;
		all.extend(page);
		if last {
			return Ok(all);
		}
	}
}

/// `settlement_ofAccount` for `who` on `day`.
pub fn settlements_of(chain: &Chain, who: &AccountId, day: Day) -> Result<Vec<Value>, ClientError> {
	let v = chain.rpc().call("settlement_ofAccount", json!([who.to_string(), day]))?;
	v.as_array().cloned().ok_or_else(|| ClientError::Decode(format!("not a list: {v}")))
}
