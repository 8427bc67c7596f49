//! Withdrawals with their payee details opened by the regulator's envelope key: every
//! withdrawal requested while the regulator's key was registered is sealed to it too, so reading
//! them needs no bank's cooperation.

use crate::Failure;
use codec::Decode;
use qingsuan_client::{
	api::{self, settlement::events as st},
	settlement::open_payee,
	AccountId32, Client,
};
use qingsuan_sm_crypto::{envelope::Envelope, sm2};
use serde::Serialize;
use std::collections::BTreeMap;

/// One withdrawal and its payee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawalRow {
	/// The request's id.
	pub id: u64,
	/// The block that recorded the request (unknown for one listed as pending at the head).
	pub requested_in: Option<u64>,
	/// The member.
	pub member: String,
	/// The cash asset.
	pub asset: u32,
	/// The amount, in the asset's smallest unit.
	pub amount: String,
	/// `pending`, `confirmed` (paid out) or `rejected`.
	pub status: &'static str,
	/// The block that confirmed or rejected it.
	pub answered_in: Option<u64>,
	/// The payee's bank account details, opened with the regulator's key (UTF-8; invalid bytes
	/// replaced).
	pub payee: Option<String>,
	/// Why the payee could not be opened (empty when it was).
	pub unreadable: String,
}

type Request = api::runtime_types::pallet_settlement::types::WithdrawalRequest<AccountId32>;

fn node(e: impl std::fmt::Display) -> Failure {
	Failure::Node(e.to_string())
}

/// Why `payee` does not open with `key`: not sealed to it (requested before the key was
/// registered, or the wrong key was given), or sealed to it but not openable, which is evidence
/// in itself: the chain cannot check a wrapped key, so a member may list the regulator's key
/// over garbage.
fn why_unreadable(payee: &[u8], key: &sm2::SecretKey, error: impl std::fmt::Display) -> String {
	let listed =
		Envelope::decode(&mut &payee[..]).is_ok_and(|e| e.recipients.iter().any(|r| r.recipient == key.public()));
	match listed {
		true => format!("sealed to this key but does not open: the member's envelope is bad ({error})"),
		false => format!("not sealed to this key (requested before it was registered, or another key): {error}"),
	}
}

/// A pending row with no payee read yet.
fn unopened(id: u64, requested_in: Option<u64>, member: &AccountId32, asset: u32, amount: u128) -> WithdrawalRow {
	WithdrawalRow {
		id,
		requested_in,
		member: member.to_string(),
		asset,
		amount: amount.to_string(),
		status: "pending",
		answered_in: None,
		payee: None,
		unreadable: String::new(),
	}
}

fn row(id: u64, request: &Request, requested_in: Option<u64>, key: &sm2::SecretKey) -> WithdrawalRow {
	let mut row = unopened(id, requested_in, &request.member, request.asset, request.amount);
	match open_payee(key, &request.member, request.asset, request.amount, &request.payee.0) {
		Ok(bytes) => row.payee = Some(String::from_utf8_lossy(&bytes).into_owned()),
		Err(e) => row.unreadable = why_unreadable(&request.payee.0, key, e),
	}
	row
}

/// Every withdrawal pending at the finalized head, by id.
pub async fn pending(client: &Client, key: &sm2::SecretKey) -> Result<Vec<WithdrawalRow>, Failure> {
	let (_, head) = client.finalized_block().await.map_err(node)?;
	let at = client.at(Some(head)).await.map_err(node)?;
	let entry = at.storage().entry(api::storage().settlement().withdrawals()).map_err(node)?;
	let mut iter = entry.iter(()).await.map_err(node)?;
	let mut rows = Vec::new();
	while let Some(kv) = iter.next().await {
		let kv = kv.map_err(node)?;
		let (id,) = kv.key().map_err(node)?.decode().map_err(node)?;
		rows.push(row(id, &kv.value().decode().map_err(node)?, None, key));
	}
	rows.sort_by_key(|r| r.id);
	Ok(rows)
}

/// Every withdrawal requested in finalized blocks `from..=to`, with what became of it by `to`.
/// Each request is read from the state of the block that recorded it (an observer keeps every
/// block's state), so a withdrawal paid out since is still read in full.
pub async fn requested(
	client: &Client,
	key: &sm2::SecretKey,
	from: u64,
	to: u64,
) -> Result<Vec<WithdrawalRow>, Failure> {
	let mut rows: BTreeMap<u64, WithdrawalRow> = BTreeMap::new();
	for number in from..=to {
		let at = client.api().at_block(number).await.map_err(node)?;
		let events = at.events().fetch().await.map_err(node)?;
		let entry = at.storage().entry(api::storage().settlement().withdrawals()).map_err(node)?;
		for e in events.find::<st::WithdrawalRequested>() {
			let e = e.map_err(node)?;
			let row = match entry.try_fetch((e.id,)).await.map_err(node)? {
				Some(request) => row(e.id, &request.decode().map_err(node)?, Some(number), key),
				// Requested and answered in the same block: no block's state holds the request.
				None => WithdrawalRow {
					unreadable: "answered in the block that recorded it: no state holds the request".into(),
					..unopened(e.id, Some(number), &e.member, e.asset, e.amount)
				},
			};
			rows.insert(e.id, row);
		}
		for e in events.find::<st::WithdrawalConfirmed>() {
			let e = e.map_err(node)?;
			if let Some(r) = rows.get_mut(&e.id) {
				(r.status, r.answered_in) = ("confirmed", Some(number));
			}
		}
		for e in events.find::<st::WithdrawalRejected>() {
			let e = e.map_err(node)?;
			if let Some(r) = rows.get_mut(&e.id) {
				(r.status, r.answered_in) = ("rejected", Some(number));
			}
		}
	}
	Ok(rows.into_values().collect())
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	#[test]
	fn an_unreadable_payee_says_whether_it_was_sealed_to_the_key() {
		let key = sm2::SecretKey::from_bytes(&[0x42; 32]).expect("a valid scalar");
		let other = sm2::SecretKey::from_bytes(&[5; 32]).expect("a valid scalar");
		let mut sealed = Envelope::seal(&[key.public()], b"aad", b"payee").expect("seals");
		let not_ours = Envelope::seal(&[other.public()], b"aad", b"payee").expect("seals").encode();
		assert!(why_unreadable(&not_ours, &key, "x").starts_with("not sealed to this key"));
		sealed.recipients[0].wrapped.iter_mut().for_each(|b| *b = 0);
		assert!(why_unreadable(&sealed.encode(), &key, "x").starts_with("sealed to this key but does not open"));
		assert!(why_unreadable(b"garbage", &key, "x").starts_with("not sealed to this key"));
	}
}
