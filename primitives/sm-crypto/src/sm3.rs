//! SM3 hashing (GB/T 32905-2016).

use sm3::{Digest, Sm3};

/// The SM3 digest of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
	Sm3::digest(data).into()
}

/// An incremental SM3 hasher.
#[derive(Clone, Default)]
pub struct Hasher(Sm3);

impl Hasher {
	/// A fresh hasher.
	pub fn new() -> Self {
		Self::default()
	}

	/// Feed `data`.
	pub fn update(&mut self, data: &[u8]) {
		self.0.update(data);
	}

	/// The digest of everything fed.
	pub fn finalize(self) -> [u8; 32] {
		self.0.finalize().into()
	}
}
