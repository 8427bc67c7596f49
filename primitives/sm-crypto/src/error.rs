//! The one error type of this crate.

use core::fmt;

/// Everything that can go wrong with SM2, SM3 or SM4 input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
	/// A secret key is zero, not below the group order minus one, or not 32 bytes.
	InvalidSecretKey,
	/// A public key is not a point on the SM2 curve in SEC1 form.
	InvalidPublicKey,
	/// A signature is not 64 bytes of `r || s` with both in `[1, n-1]`, or not valid DER.
	InvalidSignature,
	/// The signature does not verify for this key, message and identity.
	BadSignature,
	/// The user identity is longer than 8191 bytes (its bit length must fit in 16 bits).
	IdentityTooLong,
	/// Signing failed for this message (a negligible-probability degenerate nonce).
	SigningFailed,
	/// A key or certificate is not valid DER/PEM of the expected kind.
	InvalidEncoding,
	/// A key, nonce or IV has the wrong length.
	InvalidLength,
	/// Decryption failed: wrong key, or the ciphertext, tag or associated data was changed.
	DecryptionFailed,
	/// Encryption failed (for example, an empty message to SM2 encryption).
	EncryptionFailed,
	/// The envelope has no recipient matching the given key.
	NotARecipient,
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Error::InvalidSecretKey => "invalid SM2 secret key",
			Error::InvalidPublicKey => "invalid SM2 public key",
			Error::InvalidSignature => "malformed SM2 signature",
			Error::BadSignature => "SM2 signature does not verify",
			Error::IdentityTooLong => "SM2 user identity longer than 8191 bytes",
			Error::SigningFailed => "SM2 signing failed",
			Error::InvalidEncoding => "invalid DER/PEM encoding",
			Error::InvalidLength => "wrong key, nonce or IV length",
			Error::DecryptionFailed => "decryption failed: wrong key or tampered data",
			Error::EncryptionFailed => "encryption failed",
			Error::NotARecipient => "the key is not a recipient of this envelope",
		})
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
