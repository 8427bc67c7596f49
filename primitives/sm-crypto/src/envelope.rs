//! Envelopes: a payload encrypted once with SM4-GCM under a fresh data key, and that data key
//! encrypted with SM2 to each recipient.
//!
//! Every byte is protected: the GCM associated data is the SM3 hash of the version, the nonce,
//! the caller's associated data and the whole recipient list, so changing any of them, the
//! ciphertext or the tag makes [`Envelope::open`] fail for every recipient.

use crate::sm2::Public;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The envelope format this crate writes.
pub const VERSION: u8 = 1;

/// A data key wrapped for one recipient.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct WrappedKey {
	/// The recipient's SM2 public key.
	pub recipient: Public,
	/// The 16-byte SM4 data key, SM2-encrypted (C1C3C2) to `recipient`.
	pub wrapped: Vec<u8>,
}

/// An SM4-GCM ciphertext with its data key wrapped to each recipient.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Envelope {
	/// Format version ([`VERSION`]).
	pub version: u8,
	/// The GCM nonce (fresh per envelope; the data key is never reused).
	pub nonce: [u8; 12],
	/// Associated data: authenticated, not encrypted (for example a withdrawal id).
	pub aad: Vec<u8>,
	/// One wrapped data key per recipient.
	pub recipients: Vec<WrappedKey>,
	/// `ciphertext || tag`.
	pub ciphertext: Vec<u8>,
}

#[cfg(feature = "std")]
impl Envelope {
	/// The associated data GCM authenticates: everything in the envelope but the ciphertext.
	fn bound_data(version: u8, nonce: &[u8; 12], aad: &[u8], recipients: &[WrappedKey]) -> [u8; 32] {
		let mut h = crate::sm3::Hasher::new();
		h.update(b"qingsuan/envelope");
		h.update(&(version, nonce, aad, recipients).encode());
		h.finalize()
	}
}

#[cfg(feature = "std")]
mod seal_open {
	use super::*;
	use crate::{sm2::SecretKey, sm4, Error};
	use sm2::elliptic_curve::common::getrandom::{rand_core::TryRng, SysRng};

	impl Envelope {
		/// Encrypt `plaintext` for every key in `recipients` (at least one, no duplicates),
		/// authenticating `aad`.
		pub fn seal(recipients: &[Public], aad: &[u8], plaintext: &[u8]) -> Result<Envelope, Error> {
			if recipients.is_empty() {
				return Err(Error::NotARecipient);
			}
			let mut data_key = [0u8; sm4::KEY_LEN];
			let mut nonce = [0u8; sm4::NONCE_LEN];
			SysRng.try_fill_bytes(&mut data_key).map_err(|_| Error::EncryptionFailed)?;
			SysRng.try_fill_bytes(&mut nonce).map_err(|_| Error::EncryptionFailed)?;

			let mut wrapped = Vec::with_capacity(recipients.len());
			for r in recipients {
				if wrapped.iter().any(|w: &WrappedKey| w.recipient == *r) {
					return Err(Error::InvalidPublicKey);
				}
				wrapped.push(WrappedKey { recipient: *r, wrapped: r.encrypt(&data_key)? });
			}
			let bound = Self::bound_data(VERSION, &nonce, aad, &wrapped);
			let ciphertext = sm4::gcm_seal(&data_key, &nonce, &bound, plaintext)?;
			data_key.iter_mut().for_each(|b| *b = 0);
			Ok(Envelope { version: VERSION, nonce, aad: aad.to_vec(), recipients: wrapped, ciphertext })
		}

		/// Decrypt with one recipient's secret key.
		pub fn open(&self, key: &SecretKey) -> Result<Vec<u8>, Error> {
			if self.version != VERSION {
				return Err(Error::DecryptionFailed);
			}
			let me = key.public();
			let entry = self.recipients.iter().find(|w| w.recipient == me).ok_or(Error::NotARecipient)?;
			let data_key: [u8; sm4::KEY_LEN] =
				key.decrypt(&entry.wrapped)?.try_into().map_err(|_| Error::DecryptionFailed)?;
			let bound = Self::bound_data(self.version, &self.nonce, &self.aad, &self.recipients);
			sm4::gcm_open(&data_key, &self.nonce, &bound, &self.ciphertext)
		}
	}
}
