//! The client's own state, in SQLite: the cursor, the baseline, and the requests it serves.
//! Every change is one SQLite transaction, so a `kill -9` leaves the state of just before or just
//! after it.

use crate::adapter::Request;
use qingsuan_client::AccountId32;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::Path;

/// Deposit or withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
	/// Cash into the chain.
	Deposit,
	/// Cash out of the chain.
	Withdrawal,
}

impl Kind {
	/// Its name in the database and logs.
	pub fn as_str(self) -> &'static str {
		match self {
			Kind::Deposit => "deposit",
			Kind::Withdrawal => "withdrawal",
		}
	}

	fn parse(s: &str) -> Result<Self, String> {
		match s {
			"deposit" => Ok(Kind::Deposit),
			"withdrawal" => Ok(Kind::Withdrawal),
			other => Err(format!("client database: unknown kind {other:?}")),
		}
	}
}

/// Where a request stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
	/// Seen on chain; the adapter has not decided.
	Recorded,
	/// The adapter decided: approve (with its reference) or reject (with the reason).
	Decided {
		/// Approved.
		approve: bool,
		/// The core system's reference, or why it was rejected.
		note: String,
	},
	/// Settled on chain (or no longer pending there).
	Done {
		/// `confirmed`, `rejected`, or `gone` (resolved without this client).
		outcome: String,
	},
}

/// A request the client serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
	/// Deposit or withdrawal.
	pub kind: Kind,
	/// The request.
	pub request: Request,
	/// The finalized block it was requested in.
	pub block: u64,
	/// Where it stands.
	pub state: State,
	/// When the client first saw it (Unix seconds).
	pub seen_at: i64,
}

/// The client's database.
pub struct Store {
	db: Connection,
}

fn err(e: rusqlite::Error) -> String {
	format!("client database: {e}")
}

/// Set `key` of the `meta` table on `db` (the connection, or a transaction on it).
fn upsert_meta(db: &Connection, key: &str, value: &str) -> Result<(), String> {
	db.execute(
		"INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
		params![key, value],
	)
	.map(|_| ())
	.map_err(err)
}

/// Insert the requests not recorded yet (a request id is recorded once); how many were new.
fn insert_items(db: &Connection, block: u64, found: &[(Kind, Request)]) -> Result<usize, String> {
	let mut added = 0;
	for (kind, r) in found {
		added += db
			.execute(
				"INSERT OR IGNORE INTO items (id, kind, member, asset, amount, block, state, seen_at, updated_at)
				 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'recorded', ?7, ?7)",
				params![r.id, kind.as_str(), hex::encode(r.member.0), r.asset, r.amount.to_string(), block, now()],
			)
			.map_err(err)?;
	}
	Ok(added)
}

fn now() -> i64 {
	std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The service's claim on its database: one `qs-bank run` per `--db` at a time, so two services
/// never decide and confirm the same requests. It is an exclusive SQLite lock on a file beside
/// the database (`<db>.run-lock`), held while the service runs; the operating system drops it
/// when the process ends, however it ends, so a crash leaves no stale lock. `status` and
/// `reconcile` do not take it.
pub struct RunLock {
	_held: Connection,
}

impl RunLock {
	/// Take the lock of the database at `db`, or say which service holds it.
	pub fn acquire(db: &Path) -> Result<Self, String> {
		let mut path = db.as_os_str().to_owned();
		path.push(".run-lock");
		let path = std::path::PathBuf::from(path);
		let held = Connection::open(&path).map_err(|e| format!("cannot open the run lock {}: {e}", path.display()))?;
		held.busy_timeout(std::time::Duration::ZERO).map_err(err)?;
		held.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").map_err(|_| {
			format!(
				"another `qs-bank run` is using {} (it holds {}): stop it first, or give this one its own --db",
				db.display(),
				path.display()
			)
		})?;
		Ok(RunLock { _held: held })
	}
}

impl Store {
	/// Open the database of a client that has run: what `status` and `reconcile` read. A missing
	/// file is an error, not a new empty database.
	pub fn open_existing(path: &Path) -> Result<Self, String> {
		let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
		let db = Connection::open_with_flags(path, flags).map_err(|e| {
			format!("no client database at {} ({e}): start the service (`qs-bank run`) first", path.display())
		})?;
		Ok(Store { db })
	}

	/// Open (creating if needed) the database at `path`: what the service uses. (rusqlite waits
	/// up to 5 s for another connection's lock, such as a `status` command's.)
	pub fn open(path: &Path) -> Result<Self, String> {
		let db = Connection::open(path).map_err(err)?;
		db.execute_batch(
			"PRAGMA journal_mode = WAL;
			 PRAGMA synchronous = FULL;
			 CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
			 CREATE TABLE IF NOT EXISTS items (
				id INTEGER PRIMARY KEY, kind TEXT NOT NULL, member TEXT NOT NULL, asset INTEGER NOT NULL,
				amount TEXT NOT NULL, block INTEGER NOT NULL, state TEXT NOT NULL, approve INTEGER,
				note TEXT, outcome TEXT, seen_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);",
		)
		.map_err(err)?;
		Ok(Store { db })
	}

	/// A value of the `meta` table.
	pub fn meta(&self, key: &str) -> Result<Option<String>, String> {
		self.db.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| r.get(0)).optional().map_err(err)
	}

	/// Set a value of the `meta` table.
	pub fn set_meta(&self, key: &str, value: &str) -> Result<(), String> {
		upsert_meta(&self.db, key, value)
	}

	/// Bind the database to one chain and one bank account the first time; refuse another after.
	pub fn bind(&self, genesis: &str, bank: &AccountId32) -> Result<(), String> {
		for (key, value) in [("genesis", genesis.to_string()), ("bank", bank.to_string())] {
			match self.meta(key)? {
				None => self.set_meta(key, &value)?,
				Some(stored) if stored == value => {},
				Some(stored) => {
					return Err(format!("the client database belongs to {key} {stored}, not {value}: use another --db"))
				},
			}
		}
		Ok(())
	}

	/// The last finalized block whose events were recorded.
	pub fn cursor(&self) -> Result<Option<u64>, String> {
		self.meta("cursor")?.map(|c| c.parse().map_err(|e| format!("client database: bad cursor: {e}"))).transpose()
	}

	/// Record block `number`'s requests and move the cursor to it, in one transaction.
	pub fn record_block(&mut self, number: u64, found: &[(Kind, Request)]) -> Result<usize, String> {
		let tx = self.db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
		let added = insert_items(&tx, number, found)?;
		upsert_meta(&tx, "cursor", &number.to_string())?;
		tx.commit().map_err(err)?;
		Ok(added)
	}

	/// Take on a newly served asset: its baseline (`deposited,withdrawn` at `block`) and the
	/// requests pending for it there, in one transaction; the cursor does not move.
	pub fn adopt_asset(
		&mut self,
		asset: u32,
		baseline: (u128, u128),
		block: u64,
		pending: &[(Kind, Request)],
	) -> Result<usize, String> {
		let tx = self.db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
		let added = insert_items(&tx, block, pending)?;
		upsert_meta(&tx, &format!("baseline:{asset}"), &format!("{},{}", baseline.0, baseline.1))?;
		tx.commit().map_err(err)?;
		Ok(added)
	}

	/// Whether the client serves `asset` already (its baseline is taken).
	pub fn serves(&self, asset: u32) -> Result<bool, String> {
		Ok(self.meta(&format!("baseline:{asset}"))?.is_some())
	}

	/// Record the adapter's decision on request `id`.
	pub fn decide(&self, id: u64, approve: bool, note: &str) -> Result<(), String> {
		self.db
			.execute(
				"UPDATE items SET state = 'decided', approve = ?2, note = ?3, updated_at = ?4 WHERE id = ?1 AND state = 'recorded'",
				params![id, approve, note, now()],
			)
			.map(|_| ())
			.map_err(err)
	}

	/// Record that request `id` is settled on chain (`outcome`).
	pub fn finish(&self, id: u64, outcome: &str) -> Result<(), String> {
		self.db
			.execute(
				"UPDATE items SET state = 'done', outcome = ?2, updated_at = ?3 WHERE id = ?1",
				params![id, outcome, now()],
			)
			.map(|_| ())
			.map_err(err)
	}

	fn items(&self, filter: &str) -> Result<Vec<Item>, String> {
		let mut stmt = self
			.db
			.prepare(&format!(
				"SELECT id, kind, member, asset, amount, block, state, approve, note, outcome, seen_at FROM items {filter} ORDER BY id"
			))
			.map_err(err)?;
		let rows = stmt
			.query_map([], |r| {
				Ok((
					r.get::<_, u64>(0)?,
					r.get::<_, String>(1)?,
					r.get::<_, String>(2)?,
					r.get::<_, u32>(3)?,
					r.get::<_, String>(4)?,
					r.get::<_, u64>(5)?,
					r.get::<_, String>(6)?,
					r.get::<_, Option<bool>>(7)?,
					r.get::<_, Option<String>>(8)?,
					r.get::<_, Option<String>>(9)?,
					r.get::<_, i64>(10)?,
				))
			})
			.map_err(err)?;
		let mut out = Vec::new();
		for row in rows {
			let (id, kind, member, asset, amount, block, state, approve, note, outcome, seen_at) = row.map_err(err)?;
			let member: [u8; 32] = hex::decode(&member)
				.ok()
				.and_then(|b| b.try_into().ok())
				.ok_or_else(|| format!("client database: bad member of request {id}"))?;
			let amount = amount.parse().map_err(|e| format!("client database: bad amount of request {id}: {e}"))?;
			let state = match state.as_str() {
				"recorded" => State::Recorded,
				"decided" => State::Decided { approve: approve.unwrap_or(false), note: note.unwrap_or_default() },
				_ => State::Done { outcome: outcome.unwrap_or_default() },
			};
			out.push(Item {
				kind: Kind::parse(&kind)?,
				request: Request { id, member: AccountId32(member), asset, amount },
				block,
				state,
				seen_at,
			});
		}
		Ok(out)
	}

	/// Requests not yet settled on chain, oldest first.
	pub fn open_items(&self) -> Result<Vec<Item>, String> {
		self.items("WHERE state != 'done'")
	}

	/// Every request, oldest first.
	pub fn all_items(&self) -> Result<Vec<Item>, String> {
		self.items("")
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn one_service_at_a_time_holds_a_database() {
		let dir = std::env::temp_dir().join(format!("qs-bank-lock-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let db = dir.join("client.db");
		let first = RunLock::acquire(&db).expect("the first service takes the lock");
		let refused = RunLock::acquire(&db).err().expect("a second service is refused");
		assert!(refused.contains("another `qs-bank run` is using") && refused.contains("client.db"), "{refused}");
		// Another database is another lock; a released lock can be taken again.
		let other = RunLock::acquire(&dir.join("other.db")).expect("another database");
		drop(first);
		let again = RunLock::acquire(&db).expect("taken again once released");
		drop((other, again));
		std::fs::remove_dir_all(&dir).unwrap();
	}

	#[test]
	fn blocks_are_recorded_once_and_items_move_forward() {
		let dir = std::env::temp_dir().join(format!("qs-bank-store-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let mut store = Store::open(&dir.join("client.db")).unwrap();
		store.bind("0xgenesis", &AccountId32([1; 32])).unwrap();
		assert!(store.bind("0xother", &AccountId32([1; 32])).unwrap_err().contains("another --db"));
		let r = Request { id: 5, member: AccountId32([2; 32]), asset: 1000, amount: 10 };
		assert_eq!(store.record_block(7, &[(Kind::Deposit, r.clone())]).unwrap(), 1);
		assert_eq!(store.record_block(7, &[(Kind::Deposit, r.clone())]).unwrap(), 0, "a rescanned block adds nothing");
		assert_eq!(store.cursor().unwrap(), Some(7));
		store.decide(5, true, "QS-D5").unwrap();
		store.decide(5, false, "again").unwrap();
		assert_eq!(store.open_items().unwrap()[0].state, State::Decided { approve: true, note: "QS-D5".into() });
		store.finish(5, "confirmed").unwrap();
		assert!(store.open_items().unwrap().is_empty());
		assert_eq!(store.all_items().unwrap()[0].request, r);
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
