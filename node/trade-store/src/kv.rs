//! The database under the store: point reads and atomic batch writes, and a write batch that
//! reads its own writes.

use crate::Error;
use codec::{Decode, Encode};
use std::{
	collections::BTreeMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		RwLock,
	},
};

/// Point reads.
pub trait Read {
	/// The value under `key`.
	fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error>;

	/// The value under `key`, decoded.
	fn get_decoded<T: Decode>(&self, key: &[u8]) -> Result<Option<T>, Error> {
		match self.get(key)? {
			None => Ok(None),
			Some(bytes) => T::decode(&mut &bytes[..])
				.map(Some)
				.map_err(|e| Error::Corrupt(format!("{} under {}: {e}", core::any::type_name::<T>(), hex(key)))),
		}
	}
}

/// A key-value database with atomic batch writes.
pub trait Kv: Read {
	/// Write every `(key, value)` of `writes`, all or none.
	fn commit(&self, writes: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), Error>;
}

fn hex(key: &[u8]) -> String {
	key.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes gathered over a database and committed at once; reads see them first.
pub struct Batch<'a, K> {
	kv: &'a K,
	writes: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl<'a, K: Kv> Batch<'a, K> {
	/// An empty batch over `kv`.
	pub fn new(kv: &'a K) -> Self {
		Self { kv, writes: BTreeMap::new() }
	}

	/// Set `key` to `value`'s encoding.
	pub fn put<T: Encode>(&mut self, key: Vec<u8>, value: &T) {
		self.writes.insert(key, value.encode());
	}

	/// Append `item` to the SCALE-encoded `Vec<T>` under `key` (an absent key is an empty one)
	/// without decoding the items already there: the length prefix is rewritten and the item's
	/// encoding added.
	pub fn append<T: Encode>(&mut self, key: Vec<u8>, item: &T) -> Result<(), Error> {
		let existing = match self.writes.remove(&key) {
			Some(pending) => pending,
			None => self.kv.get(&key)?.unwrap_or_default(),
		};
		let updated = <Vec<T> as codec::EncodeAppend>::append_or_new(existing, core::iter::once(item))
			.map_err(|e| Error::Corrupt(format!("{} under {}: {e}", core::any::type_name::<Vec<T>>(), hex(&key))))?;
		self.writes.insert(key, updated);
		Ok(())
	}

	/// Write everything, all or none.
	pub fn commit(self) -> Result<(), Error> {
		self.kv.commit(self.writes.into_iter().collect())
	}
}

impl<K: Kv> Read for Batch<'_, K> {
	fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
		match self.writes.get(key) {
			Some(v) => Ok(Some(v.clone())),
			None => self.kv.get(key),
		}
	}
}

/// An in-memory database that counts its reads (for tests and benchmarks).
#[derive(Default)]
pub struct MemoryKv {
	map: RwLock<BTreeMap<Vec<u8>, Vec<u8>>>,
	reads: AtomicU64,
	fail_next_commit: std::sync::atomic::AtomicBool,
}

impl MemoryKv {
	/// Point reads made so far.
	pub fn reads(&self) -> u64 {
		self.reads.load(Ordering::Relaxed)
	}

	/// Keys stored.
	pub fn len(&self) -> usize {
		self.map.read().map(|m| m.len()).unwrap_or(0)
	}

	/// Whether nothing is stored.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// Bytes stored (keys and values).
	pub fn bytes(&self) -> usize {
		self.map.read().map(|m| m.iter().map(|(k, v)| k.len() + v.len()).sum()).unwrap_or(0)
	}

	/// Make the next commit fail (as a full disk would), writing nothing.
	pub fn fail_next_commit(&self) {
		self.fail_next_commit.store(true, Ordering::Relaxed);
	}
}

impl Read for MemoryKv {
	fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
		self.reads.fetch_add(1, Ordering::Relaxed);
		let map = self.map.read().map_err(|_| Error::Backend("poisoned".into()))?;
		Ok(map.get(key).cloned())
	}
}

impl Kv for MemoryKv {
	fn commit(&self, writes: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), Error> {
		if self.fail_next_commit.swap(false, Ordering::Relaxed) {
			return Err(Error::Backend("injected failure".into()));
		}
		let mut map = self.map.write().map_err(|_| Error::Backend("poisoned".into()))?;
		map.extend(writes);
		Ok(())
	}
}

impl<K: Read + ?Sized> Read for std::sync::Arc<K> {
	fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
		(**self).get(key)
	}
}

impl<K: Kv + ?Sized> Kv for std::sync::Arc<K> {
	fn commit(&self, writes: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), Error> {
		(**self).commit(writes)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn append_extends_a_stored_or_pending_vec_as_a_decode_and_push_would() {
		let kv = MemoryKv::default();
		kv.commit(vec![(b"stored".to_vec(), vec![1u64, 2].encode())]).expect("commit");
		let mut batch = Batch::new(&kv);
		batch.append(b"stored".to_vec(), &3u64).expect("append");
		batch.append(b"absent".to_vec(), &7u64).expect("append");
		batch.append(b"absent".to_vec(), &8u64).expect("append to the pending value");
		// 64 items: the length prefix grows from one byte to two.
		for i in 0..64u64 {
			batch.append(b"long".to_vec(), &i).expect("append");
		}
		assert_eq!(batch.get_decoded::<Vec<u64>>(b"stored").expect("read"), Some(vec![1, 2, 3]));
		batch.commit().expect("commit");
		assert_eq!(kv.get_decoded::<Vec<u64>>(b"absent").expect("read"), Some(vec![7, 8]));
		assert_eq!(kv.get_decoded::<Vec<u64>>(b"long").expect("read"), Some((0..64).collect()));
		// A value that is not a vector's encoding is an error, not a panic.
		kv.commit(vec![(b"bad".to_vec(), vec![0xff])]).expect("commit");
		let mut batch = Batch::new(&kv);
		assert!(matches!(batch.append(b"bad".to_vec(), &1u64), Err(Error::Corrupt(_))));
	}
}
