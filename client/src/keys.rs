//! Signing keys for the three schemes accounts use: sr25519 and ed25519 (Substrate's secret
//! URIs: `//Alice`, a BIP-39 phrase with `//hard` and `/soft` junctions and `///password`, or a
//! 0x-prefixed 32-byte seed) and SM2 (a 32-byte secret in hex, or a PKCS#8 PEM), with the account
//! id each derives: the public key for sr25519 and ed25519, `blake2_256("qingsuan/sm2" ‖ public)`
//! for SM2.

use crate::{
	config::{Signature, Sm2Signature},
	ClientError,
};
use blake2::{digest::consts::U32, Blake2b, Digest};
use codec::Encode;
use qingsuan_sm_crypto::sm2;
use std::str::FromStr;
use subxt::utils::AccountId32;
use subxt_signer::{bip39, sr25519, DeriveJunction, ExposeSecret, SecretUri};

/// A signature scheme of accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
	/// Schnorr on Ristretto25519, Substrate's default.
	Sr25519,
	/// Ed25519.
	Ed25519,
	/// SM2 (GB/T 32918), China's national standard.
	Sm2,
}

impl FromStr for Scheme {
	type Err = ClientError;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		match s.to_ascii_lowercase().as_str() {
			"sr25519" => Ok(Scheme::Sr25519),
			"ed25519" => Ok(Scheme::Ed25519),
			"sm2" => Ok(Scheme::Sm2),
			other => Err(ClientError::Key(format!("unknown scheme {other:?}: expected sr25519, ed25519 or sm2"))),
		}
	}
}

impl std::fmt::Display for Scheme {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(match self {
			Scheme::Sr25519 => "sr25519",
			Scheme::Ed25519 => "ed25519",
			Scheme::Sm2 => "sm2",
		})
	}
}

/// The domain an SM2 public key is hashed under to make its account id (the runtime's rule).
pub const SM2_ACCOUNT_DOMAIN: &[u8; 12] = b"qingsuan/sm2";

fn blake2_256(data: &[u8]) -> [u8; 32] {
	Blake2b::<U32>::digest(data).into()
}

/// The account id of an SM2 public key: `blake2_256("qingsuan/sm2" ‖ public)`.
pub fn sm2_account(public: &sm2::Public) -> AccountId32 {
	let mut preimage = Vec::with_capacity(12 + 33);
	preimage.extend_from_slice(SM2_ACCOUNT_DOMAIN);
	preimage.extend_from_slice(&public.0);
	AccountId32(blake2_256(&preimage))
}

/// An ed25519 key derived as Substrate derives it (`sp_core::ed25519::Pair::from_string`): the
/// phrase's BIP-39 entropy through PBKDF2 to a 32-byte seed; each hard junction
/// `seed = blake2_256(SCALE(("Ed25519HDKD", seed, junction)))`. Soft junctions do not exist
/// for ed25519.
#[derive(Clone)]
pub struct Ed25519Keypair(ed25519_zebra::SigningKey);

impl std::fmt::Debug for Ed25519Keypair {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "Ed25519Keypair({})", hex::encode(self.public_key()))
	}
}

impl Ed25519Keypair {
	/// The key of a 32-byte seed.
	pub fn from_seed(seed: [u8; 32]) -> Self {
		Ed25519Keypair(ed25519_zebra::SigningKey::from(seed))
	}

	/// The key of a secret URI.
	pub fn from_uri(uri: &SecretUri) -> Result<Self, ClientError> {
		let phrase = uri.phrase.expose_secret();
		let mut seed = if let Some(hex_seed) = phrase.strip_prefix("0x") {
			let bytes = hex::decode(hex_seed).map_err(|e| ClientError::Key(format!("the seed is not hex: {e}")))?;
			<[u8; 32]>::try_from(bytes.as_slice())
				.map_err(|_| ClientError::Key(format!("an ed25519 seed is 32 bytes, not {}", bytes.len())))?
		} else {
			let mnemonic = bip39::Mnemonic::from_str(phrase)
				.map_err(|e| ClientError::Key(format!("the phrase is not a BIP-39 mnemonic: {e}")))?;
			let password = uri.password.as_ref().map(|p| p.expose_secret().to_string()).unwrap_or_default();
			mini_secret(&mnemonic, &password)?
		};
		for junction in &uri.junctions {
			match junction {
				DeriveJunction::Hard(chain_code) => {
					seed = blake2_256(&("Ed25519HDKD", seed, *chain_code).encode());
				},
				DeriveJunction::Soft(_) => {
					return Err(ClientError::Key("ed25519 keys have no soft derivation (use //hard)".into()))
				},
			}
		}
		Ok(Self::from_seed(seed))
	}

	/// The public key.
	pub fn public_key(&self) -> [u8; 32] {
		ed25519_zebra::VerificationKey::from(&self.0).into()
	}

	/// Sign `message`.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		self.0.sign(message).into()
	}
}

/// The 32-byte "mini secret" of a BIP-39 phrase, as `substrate-bip39` makes it.
fn mini_secret(mnemonic: &bip39::Mnemonic, password: &str) -> Result<[u8; 32], ClientError> {
	let (entropy, len) = mnemonic.to_entropy_array();
	let salt = format!("mnemonic{password}");
	let mut seed = [0u8; 64];
	pbkdf2::pbkdf2::<hmac::Hmac<sha2::Sha512>>(&entropy[..len], salt.as_bytes(), 2048, &mut seed)
		.map_err(|e| ClientError::Key(format!("cannot derive the seed: {e}")))?;
	let mut mini = [0u8; 32];
	mini.copy_from_slice(&seed[..32]);
	Ok(mini)
}

/// A key that signs transactions: sr25519, ed25519 or SM2.
#[derive(Clone, Debug)]
pub enum Keypair {
	/// An sr25519 key.
	Sr25519(sr25519::Keypair),
	/// An ed25519 key.
	Ed25519(Ed25519Keypair),
	/// An SM2 key.
	Sm2(sm2::SecretKey),
}

impl Keypair {
	/// The key `secret` in `scheme`: a secret URI for sr25519 and ed25519 (`//Alice`, a phrase,
	/// a 0x seed); for SM2 a 32-byte secret in hex (optional 0x) or a PKCS#8 PEM.
	pub fn from_secret(scheme: Scheme, secret: &str) -> Result<Self, ClientError> {
		let secret = secret.trim();
		match scheme {
			Scheme::Sr25519 => {
				let uri = parse_uri(secret)?;
				sr25519::Keypair::from_uri(&uri)
					.map(Keypair::Sr25519)
					.map_err(|e| ClientError::Key(format!("not an sr25519 secret: {e}")))
			},
			Scheme::Ed25519 => Ed25519Keypair::from_uri(&parse_uri(secret)?).map(Keypair::Ed25519),
			Scheme::Sm2 => {
				let key = if secret.starts_with("-----BEGIN") {
					sm2::SecretKey::from_pkcs8_pem(secret)
				} else {
					let bytes = hex::decode(secret.trim_start_matches("0x"))
						.map_err(|e| ClientError::Key(format!("an SM2 secret is 64 hex digits or a PEM: {e}")))?;
					sm2::SecretKey::from_slice(&bytes)
				};
				key.map(Keypair::Sm2).map_err(|e| ClientError::Key(format!("not an SM2 secret key: {e:?}")))
			},
		}
	}

	/// The key in the file at `path`, in `scheme`. The file holds the secret as
	/// [`Keypair::from_secret`] takes it (a secret URI, an SM2 hex secret or PEM), or a file of
	/// a Substrate keystore (the secret as a JSON string), or the JSON that `qingsuan-node key
	/// generate --output-type json` prints (its `secretPhrase` or `secretKey`).
	pub fn from_file(scheme: Scheme, path: &std::path::Path) -> Result<Self, ClientError> {
		let text = std::fs::read_to_string(path)
			.map_err(|e| ClientError::Key(format!("cannot read the key file {}: {e}", path.display())))?;
		let text = text.trim();
		let mut account = None;
		let secret = if text.starts_with('"') || text.starts_with('{') {
			let json: serde_json::Value = serde_json::from_str(text)
				.map_err(|e| ClientError::Key(format!("the key file {} is not valid JSON: {e}", path.display())))?;
			match json {
				serde_json::Value::String(secret) => secret,
				serde_json::Value::Object(fields) => {
					account = fields.get("accountId").and_then(|v| v.as_str()).map(str::to_string);
					["secretPhrase", "secretKey", "secretSeed"]
						.iter()
						.find_map(|name| fields.get(*name).and_then(|v| v.as_str()).map(str::to_string))
						.ok_or_else(|| {
							ClientError::Key(format!(
								"the key file {} has no secretPhrase or secretKey",
								path.display()
							))
						})?
				},
				_ => return Err(ClientError::Key(format!("the key file {} holds no secret", path.display()))),
			}
		} else {
			text.to_string()
		};
		let key = Self::from_secret(scheme, &secret)?;
		// `key generate` states the account: a file made for another scheme gives another one.
		if let Some(stated) = account {
			let derived = format!("0x{}", hex::encode(key.account_id().0));
			if !stated.eq_ignore_ascii_case(&derived) {
				return Err(ClientError::Key(format!(
					"the key file {} is for account {stated}, but its secret as {scheme} signs for {derived}: \
					 is it a key of another scheme?",
					path.display()
				)));
			}
		}
		Ok(key)
	}

	/// The development key `name` (`alice`, `bob`, …) as sr25519: `//Name`.
	pub fn dev(name: &str) -> Result<Self, ClientError> {
		let mut chars = name.chars();
		let capitalised: String = match chars.next() {
			Some(first) => first.to_uppercase().chain(chars.flat_map(|c| c.to_lowercase())).collect(),
			None => return Err(ClientError::Key("an empty dev key name".into())),
		};
		Self::from_secret(Scheme::Sr25519, &format!("//{capitalised}"))
	}

	/// The scheme.
	pub fn scheme(&self) -> Scheme {
		match self {
			Keypair::Sr25519(_) => Scheme::Sr25519,
			Keypair::Ed25519(_) => Scheme::Ed25519,
			Keypair::Sm2(_) => Scheme::Sm2,
		}
	}

	/// The account the key signs for.
	pub fn account_id(&self) -> AccountId32 {
		match self {
			Keypair::Sr25519(k) => AccountId32(k.public_key().0),
			Keypair::Ed25519(k) => AccountId32(k.public_key()),
			Keypair::Sm2(k) => sm2_account(&k.public()),
		}
	}

	/// Sign a transaction's signer payload.
	pub fn sign(&self, payload: &[u8]) -> Result<Signature, ClientError> {
		Ok(match self {
			Keypair::Sr25519(k) => Signature::Sr25519(k.sign(payload).0),
			Keypair::Ed25519(k) => Signature::Ed25519(k.sign(payload)),
			Keypair::Sm2(k) => {
				let signature = k.sign(payload).map_err(|e| ClientError::Key(format!("SM2 signing failed: {e:?}")))?;
				Signature::Sm2(Sm2Signature { public: k.public().0, signature: signature.0 })
			},
		})
	}
}

/// An SM2 envelope secret (a bank's or the regulator's: it opens withdrawals' payee details)
/// from the file at `path`, in any form [`Keypair::from_file`] reads for SM2 (64 hex digits, a
/// PKCS#8 PEM, or `key generate`'s JSON).
pub fn envelope_secret_from_file(path: &std::path::Path) -> Result<sm2::SecretKey, ClientError> {
	match Keypair::from_file(Scheme::Sm2, path)? {
		Keypair::Sm2(key) => Ok(key),
		_ => Err(ClientError::Key(format!("{} is not an SM2 key", path.display()))),
	}
}

fn parse_uri(secret: &str) -> Result<SecretUri, ClientError> {
	SecretUri::from_str(secret).map_err(|e| ClientError::Key(format!("not a secret URI: {e}")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sm2_accounts_follow_the_runtimes_rule() {
		// blake2_256("qingsuan/sm2" ‖ 0x02 ‖ 32 × 0x11), computed independently.
		let public = sm2::Public([0x02; 1].into_iter().chain([0x11; 32]).collect::<Vec<_>>().try_into().unwrap());
		let mut preimage = b"qingsuan/sm2".to_vec();
		preimage.extend_from_slice(&public.0);
		assert_eq!(sm2_account(&public).0, blake2_256(&preimage));
	}

	#[test]
	fn a_key_files_stated_account_must_be_the_one_its_secret_gives() {
		let dir = std::env::temp_dir().join(format!("qs-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let alice = Keypair::from_secret(Scheme::Sr25519, "//Alice").unwrap();
		let account = format!("0x{}", hex::encode(alice.account_id().0));
		let path = dir.join("key.json");
		let json = |account: &str| format!(r#"{{"secretPhrase": "//Alice", "accountId": "{account}"}}"#);
		std::fs::write(&path, json(&account)).unwrap();
		assert_eq!(Keypair::from_file(Scheme::Sr25519, &path).unwrap().account_id(), alice.account_id());
		// The same file read as ed25519 signs for another account: refused, naming both.
		let err = Keypair::from_file(Scheme::Ed25519, &path).unwrap_err().to_string();
		assert!(err.contains(&account) && err.contains("ed25519"), "{err}");
		std::fs::write(&path, json("0x00")).unwrap();
		assert!(Keypair::from_file(Scheme::Sr25519, &path).is_err());
		std::fs::remove_dir_all(&dir).unwrap();
	}

	#[test]
	fn unknown_schemes_and_bad_secrets_are_clear_errors() {
		assert!(matches!("rsa".parse::<Scheme>(), Err(ClientError::Key(m)) if m.contains("rsa")));
		assert!(Keypair::from_secret(Scheme::Sm2, "zz").is_err());
		assert!(Keypair::from_secret(Scheme::Ed25519, "//Alice/soft").is_err());
		assert!(Keypair::from_secret(Scheme::Ed25519, "0x1234").is_err());
	}
}
