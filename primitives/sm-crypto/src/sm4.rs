//! SM4 (GB/T 32907-2016) in GCM mode (RFC 8998: 12-byte nonce, 16-byte tag) and in CBC mode with
//! PKCS#7 padding.

use crate::Error;
use aes_gcm::{
	aead::{consts::U12, AeadInOut, KeyInit},
	AesGcm,
};
use alloc::vec::Vec;
use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sm4::Sm4;

/// SM4 key length.
pub const KEY_LEN: usize = 16;
/// GCM nonce length.
pub const NONCE_LEN: usize = 12;
/// GCM tag length.
pub const TAG_LEN: usize = 16;
/// CBC IV length (one block).
pub const IV_LEN: usize = 16;

/// SM4 in GCM mode (the AEAD of RFC 8998).
pub type Sm4Gcm = AesGcm<Sm4, U12>;

/// Encrypt `plaintext` with `key` and `nonce`, authenticating `aad` too; returns
/// `ciphertext || tag`. A nonce must never be reused with the same key.
pub fn gcm_seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
	let cipher = Sm4Gcm::new(&(*key).into());
	let mut buf = plaintext.to_vec();
	let tag = cipher
		.encrypt_inout_detached(&(*nonce).into(), aad, buf.as_mut_slice().into())
		.map_err(|_| Error::EncryptionFailed)?;
	buf.extend_from_slice(&tag);
	Ok(buf)
}

/// Decrypt and authenticate `ciphertext || tag` made by [`gcm_seal`] with the same key, nonce and
/// associated data. Any changed byte gives [`Error::DecryptionFailed`].
pub fn gcm_open(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
	if sealed.len() < TAG_LEN {
		return Err(Error::DecryptionFailed);
	}
	let (ciphertext, tag) = sealed.split_at(sealed.len() - TAG_LEN);
	let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| Error::DecryptionFailed)?;
	let cipher = Sm4Gcm::new(&(*key).into());
	let mut buf = ciphertext.to_vec();
	cipher
		.decrypt_inout_detached(&(*nonce).into(), aad, buf.as_mut_slice().into(), &tag.into())
		.map_err(|_| Error::DecryptionFailed)?;
	Ok(buf)
}

/// Encrypt `plaintext` in CBC mode with PKCS#7 padding.
pub fn cbc_encrypt(key: &[u8; KEY_LEN], iv: &[u8; IV_LEN], plaintext: &[u8]) -> Vec<u8> {
	let mut buf = plaintext.to_vec();
	let padded_len = (plaintext.len() / IV_LEN + 1) * IV_LEN;
	buf.resize(padded_len, 0);
	let len = cbc::Encryptor::<Sm4>::new(&(*key).into(), &(*iv).into())
		.encrypt_padded::<Pkcs7>(&mut buf, plaintext.len())
		.map(|ct| ct.len())
		.expect("the buffer has room for a full padding block; qed");
	buf.truncate(len);
	buf
}

/// Decrypt CBC `ciphertext` and remove its PKCS#7 padding.
pub fn cbc_decrypt(key: &[u8; KEY_LEN], iv: &[u8; IV_LEN], ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
	if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(IV_LEN) {
		return Err(Error::DecryptionFailed);
	}
	let mut buf = ciphertext.to_vec();
	let len = cbc::Decryptor::<Sm4>::new(&(*key).into(), &(*iv).into())
		.decrypt_padded::<Pkcs7>(&mut buf)
		.map(|pt| pt.len())
		.map_err(|_| Error::DecryptionFailed)?;
	buf.truncate(len);
	Ok(buf)
}

/// Encrypt one 16-byte block with the raw SM4 block cipher (for test vectors).
pub fn encrypt_block(key: &[u8; KEY_LEN], block: &mut [u8; 16]) {
	use sm4::cipher::BlockCipherEncrypt;
	let cipher = Sm4::new(&(*key).into());
	let mut b = (*block).into();
	cipher.encrypt_block(&mut b);
	*block = b.into();
}

/// Decrypt one 16-byte block with the raw SM4 block cipher.
pub fn decrypt_block(key: &[u8; KEY_LEN], block: &mut [u8; 16]) {
	use sm4::cipher::BlockCipherDecrypt;
	let cipher = Sm4::new(&(*key).into());
	let mut b = (*block).into();
	cipher.decrypt_block(&mut b);
	*block = b.into();
}
