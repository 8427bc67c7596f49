//! The shipped adapter: a core-banking ledger in an SQLite file that a bank's back office (or a
//! test) writes incoming wires into and reads payments from.
//!
//! Tables:
//! - `receipts(reference PRIMARY KEY, member, asset, amount, received_at)`: wires that arrived;
//!   a deposit is credited when a receipt with its reference (`QS-D<id>`) and amount is here;
//! - `credits(request PRIMARY KEY, reference, member, asset, amount, at)`: deposits credited;
//! - `payments(request PRIMARY KEY, member, asset, amount, payee, at)`: withdrawals paid, each
//!   once (the primary key is the request id).

use crate::adapter::{deposit_reference, CoreBanking, Decision, Request, Totals};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// The SQLite core-banking ledger.
pub struct SqliteLedger {
	db: Connection,
}

fn err(e: rusqlite::Error) -> String {
	format!("core-banking ledger: {e}")
}

impl SqliteLedger {
	/// Open (creating if needed) the ledger at `path`.
	pub fn open(path: &Path) -> Result<Self, String> {
		let db = Connection::open(path).map_err(err)?;
		db.execute_batch(
			"PRAGMA journal_mode = WAL;
			 PRAGMA synchronous = FULL;
			 CREATE TABLE IF NOT EXISTS receipts (
				reference TEXT PRIMARY KEY, member TEXT NOT NULL, asset INTEGER NOT NULL,
				amount TEXT NOT NULL, received_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
			 CREATE TABLE IF NOT EXISTS credits (
				request INTEGER PRIMARY KEY, reference TEXT NOT NULL, member TEXT NOT NULL,
				asset INTEGER NOT NULL, amount TEXT NOT NULL, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
			 CREATE TABLE IF NOT EXISTS payments (
				request INTEGER PRIMARY KEY, member TEXT NOT NULL, asset INTEGER NOT NULL,
				amount TEXT NOT NULL, payee TEXT NOT NULL, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);",
		)
		.map_err(err)?;
		Ok(SqliteLedger { db })
	}

	/// Record an incoming wire (what the back office does when money arrives).
	pub fn receive(&self, reference: &str, member: &str, asset: u32, amount: u128) -> Result<(), String> {
		self.db
			.execute(
				"INSERT INTO receipts (reference, member, asset, amount) VALUES (?1, ?2, ?3, ?4)",
				params![reference, member, asset, amount.to_string()],
			)
			.map(|_| ())
			.map_err(err)
	}

	fn sum(&self, table: &str, asset: u32) -> Result<u128, String> {
		let mut stmt = self.db.prepare(&format!("SELECT amount FROM {table} WHERE asset = ?1")).map_err(err)?;
		let amounts = stmt.query_map(params![asset], |r| r.get::<_, String>(0)).map_err(err)?;
		let mut total = 0u128;
		for a in amounts {
			let a: u128 = a.map_err(err)?.parse().map_err(|e| format!("core-banking ledger: a bad amount: {e}"))?;
			total = total.checked_add(a).ok_or("core-banking ledger: totals overflow")?;
		}
		Ok(total)
	}
}

impl CoreBanking for SqliteLedger {
	fn deposit(&mut self, request: &Request) -> Result<Decision, String> {
		let reference = deposit_reference(request.id);
		if self
			.db
			.query_row("SELECT reference FROM credits WHERE request = ?1", params![request.id], |r| {
				r.get::<_, String>(0)
			})
			.optional()
			.map_err(err)?
			.is_some()
		{
			return Ok(Decision::Approve(reference));
		}
		let receipt: Option<(String, u32, String)> = self
			.db
			.query_row("SELECT member, asset, amount FROM receipts WHERE reference = ?1", params![reference], |r| {
				Ok((r.get(0)?, r.get(1)?, r.get(2)?))
			})
			.optional()
			.map_err(err)?;
		let Some((member, asset, amount)) = receipt else { return Ok(Decision::Wait) };
		if asset != request.asset || amount != request.amount.to_string() {
			return Ok(Decision::Reject(format!(
				"the wire {reference} was {amount} of asset {asset}, the request {} of asset {}",
				request.amount, request.asset
			)));
		}
		if member != request.member.to_string() {
			return Ok(Decision::Reject(format!("the wire {reference} came from {member}, not the requesting member")));
		}
		self.db
			.execute(
				"INSERT OR IGNORE INTO credits (request, reference, member, asset, amount) VALUES (?1, ?2, ?3, ?4, ?5)",
				params![request.id, reference, member, asset, amount],
			)
			.map_err(err)?;
		Ok(Decision::Approve(reference))
	}

	fn withdraw(&mut self, request: &Request, payee: Option<&[u8]>) -> Result<Decision, String> {
		let paid: Option<i64> = self
			.db
			.query_row("SELECT request FROM payments WHERE request = ?1", params![request.id], |r| r.get(0))
			.optional()
			.map_err(err)?;
		if paid.is_some() {
			return Ok(Decision::Approve(format!("QS-W{}", request.id)));
		}
		let Some(payee) = payee else {
			return Ok(Decision::Reject("the payee details cannot be opened with the bank's key".into()));
		};
		let Ok(payee) = std::str::from_utf8(payee) else {
			return Ok(Decision::Reject("the payee details are not text".into()));
		};
		self.db
			.execute(
				"INSERT INTO payments (request, member, asset, amount, payee) VALUES (?1, ?2, ?3, ?4, ?5)",
				params![request.id, request.member.to_string(), request.asset, request.amount.to_string(), payee],
			)
			.map_err(err)?;
		Ok(Decision::Approve(format!("QS-W{}", request.id)))
	}

	fn totals(&self, asset: u32) -> Result<Totals, String> {
		Ok(Totals { deposited: self.sum("credits", asset)?, withdrawn: self.sum("payments", asset)? })
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use qingsuan_client::AccountId32;

	fn request(id: u64, amount: u128) -> Request {
		Request { id, member: AccountId32([7; 32]), asset: 1000, amount }
	}

	#[test]
	fn deposits_wait_for_their_wire_and_withdrawals_are_paid_once() {
		let dir = std::env::temp_dir().join(format!("qs-bank-ledger-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let mut ledger = SqliteLedger::open(&dir.join("ledger.db")).unwrap();
		let member = AccountId32([7; 32]).to_string();
		assert_eq!(ledger.deposit(&request(1, 500)).unwrap(), Decision::Wait);
		ledger.receive("QS-D1", &member, 1000, 500).unwrap();
		assert_eq!(ledger.deposit(&request(1, 500)).unwrap(), Decision::Approve("QS-D1".into()));
		assert_eq!(ledger.deposit(&request(1, 500)).unwrap(), Decision::Approve("QS-D1".into()));
		ledger.receive("QS-D2", &member, 1000, 499).unwrap();
		assert!(matches!(ledger.deposit(&request(2, 500)).unwrap(), Decision::Reject(r) if r.contains("499")));
		assert_eq!(ledger.withdraw(&request(3, 200), Some(b"acct 1")).unwrap(), Decision::Approve("QS-W3".into()));
		assert_eq!(ledger.withdraw(&request(3, 200), Some(b"acct 1")).unwrap(), Decision::Approve("QS-W3".into()));
		assert!(matches!(ledger.withdraw(&request(4, 1), None).unwrap(), Decision::Reject(_)));
		assert_eq!(ledger.totals(1000).unwrap(), Totals { deposited: 500, withdrawn: 200 });
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
