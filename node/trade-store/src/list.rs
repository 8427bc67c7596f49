//! Append-only lists stored in pages: a length under one key and the items in pages of
//! [`PAGE`] under others. Readers take the length read once ([`List::len`]) so a query that
//! seeks and then walks reads it once. Appending adds the item's encoding to one page (no decode); reading `n` items from a position reads
//! `n / PAGE + 2` keys; finding the first item not below a value in a sorted list reads
//! `log2(pages) + 2` keys.

use crate::{kv::Batch, Error, Kv, Read};
use codec::{Decode, Encode};

/// Items per page.
pub const PAGE: u64 = 128;

/// A list under a key prefix.
pub struct List {
	prefix: Vec<u8>,
}

impl List {
	/// The list whose keys start with `prefix` (no other list's prefix may start with it).
	pub fn new(prefix: Vec<u8>) -> Self {
		Self { prefix }
	}

	fn len_key(&self) -> Vec<u8> {
		let mut k = self.prefix.clone();
		k.push(b'#');
		k
	}

	fn page_key(&self, page: u64) -> Vec<u8> {
		let mut k = self.prefix.clone();
		k.push(b'@');
		k.extend_from_slice(&page.to_be_bytes());
		k
	}

	/// Items in the list.
	pub fn len(&self, r: &impl Read) -> Result<u64, Error> {
		Ok(r.get_decoded::<u64>(&self.len_key())?.unwrap_or(0))
	}

	fn page<T: Decode>(&self, r: &impl Read, page: u64) -> Result<Vec<T>, Error> {
		Ok(r.get_decoded::<Vec<T>>(&self.page_key(page))?.unwrap_or_default())
	}

	/// Append `item`.
	pub fn push<T: Encode + Decode, K: Kv>(&self, batch: &mut Batch<'_, K>, item: T) -> Result<(), Error> {
		let len = self.len(batch)?;
		let page = len / PAGE;
		// A new page is written whole; an item joins a page by appending its encoding, so a
		// push costs a copy of the page's bytes, not a decode and re-encode of its items.
		if len % PAGE == 0 {
			batch.put(self.page_key(page), &vec![item]);
		} else {
			batch.append(self.page_key(page), &item)?;
		}
		batch.put(self.len_key(), &(len + 1));
		Ok(())
	}

	/// Up to `limit` items from position `from` on, in order, of the list of length `len`.
	pub fn forward<T: Decode>(&self, r: &impl Read, len: u64, from: u64, limit: usize) -> Result<Vec<T>, Error> {
		let mut out = Vec::new();
		let mut pos = from;
		while pos < len && out.len() < limit {
			let page = self.page::<T>(r, pos / PAGE)?;
			let start = (pos % PAGE) as usize;
			if start >= page.len() {
				return Err(Error::Corrupt(format!("page {} shorter than the list's length {len}", pos / PAGE)));
			}
			let take = (limit - out.len()).min(page.len() - start);
			out.extend(page.into_iter().skip(start).take(take));
			pos += take as u64;
		}
		Ok(out)
	}

	/// Up to `limit` items before position `end`, newest first, of the list of length `len`.
	pub fn backward<T: Decode>(&self, r: &impl Read, len: u64, end: u64, limit: usize) -> Result<Vec<T>, Error> {
		let mut end = end.min(len);
		let mut out = Vec::new();
		while end > 0 && out.len() < limit {
			let page_no = (end - 1) / PAGE;
			let mut page = self.page::<T>(r, page_no)?;
			let upto = (end - page_no * PAGE) as usize;
			if upto > page.len() {
				return Err(Error::Corrupt(format!("page {page_no} shorter than the list's length")));
			}
			page.truncate(upto);
			let take = (limit - out.len()).min(page.len());
			out.extend(page.into_iter().rev().take(take));
			end -= take as u64;
		}
		Ok(out)
	}

	/// In a list of length `len` sorted ascending, the position of the first item not below
	/// `value`.
	pub fn seek<T: Decode + Ord>(&self, r: &impl Read, len: u64, value: &T) -> Result<u64, Error> {
		let pages = len.div_ceil(PAGE);
		// The last page whose first item is below `value`: the answer is in it or right after.
		let (mut lo, mut hi) = (0u64, pages);
		while lo < hi {
			let mid = lo + (hi - lo) / 2;
			let first = self.page::<T>(r, mid)?.into_iter().next();
			match first {
				Some(item) if item < *value => lo = mid + 1,
				_ => hi = mid,
			}
		}
		if lo == 0 {
			return Ok(0);
		}
		let page_no = lo - 1;
		let page = self.page::<T>(r, page_no)?;
		let inside = page.iter().position(|item| item >= value).unwrap_or(page.len());
		Ok(page_no * PAGE + inside as u64)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::MemoryKv;
	use proptest::prelude::*;

	fn filled(n: u64, step: u64) -> (MemoryKv, List) {
		let kv = MemoryKv::default();
		let list = List::new(b"t".to_vec());
		let mut batch = Batch::new(&kv);
		for i in 0..n {
			list.push(&mut batch, i * step).expect("push");
		}
		batch.commit().expect("commit");
		(kv, list)
	}

	proptest! {
		#[test]
		fn reads_match_a_vector(n in 0u64..700, step in 1u64..4, from in 0u64..800, limit in 0usize..400, probe in 0u64..2_500) {
			let (kv, list) = filled(n, step);
			let model: Vec<u64> = (0..n).map(|i| i * step).collect();
			let len = list.len(&kv).unwrap();
			prop_assert_eq!(len, n);
			let fwd: Vec<u64> = list.forward(&kv, len, from, limit).unwrap();
			prop_assert_eq!(fwd, model.iter().copied().skip(from as usize).take(limit).collect::<Vec<_>>());
			let back: Vec<u64> = list.backward(&kv, len, from, limit).unwrap();
			let end = (from as usize).min(model.len());
			prop_assert_eq!(back, model[..end].iter().rev().copied().take(limit).collect::<Vec<_>>());
			let pos = list.seek(&kv, len, &probe).unwrap();
			prop_assert_eq!(pos as usize, model.partition_point(|x| *x < probe));
		}
	}

	#[test]
	fn reads_grow_with_the_page_not_the_list() {
		let (kv, list) = filled(100_000, 1);
		let before = kv.reads();
		let len = list.len(&kv).expect("len");
		let pos = list.seek(&kv, len, &77_777u64).expect("seek");
		assert_eq!(pos, 77_777);
		let items: Vec<u64> = list.forward(&kv, len, pos, 10).expect("forward");
		assert_eq!(items, (77_777..77_787).collect::<Vec<_>>());
		// log2(782 pages) = 10 probes, the page itself, the lengths.
		assert!(kv.reads() - before <= 15, "{} reads", kv.reads() - before);
	}
}
