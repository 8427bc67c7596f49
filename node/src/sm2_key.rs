//! `qingsuan-node key … --scheme sm2`: generate, inspect, sign and verify with SM2 keys.
//!
//! Substrate's `key` commands know ed25519, sr25519 and ecdsa; SM2 commands are handled here
//! and every other `key` command goes to `sc-cli` unchanged.

use qingsuan_primitives::signature::sm2_account;
use qingsuan_sm_crypto::sm2;
use sp_core::crypto::Ss58Codec;

/// SM2 key commands.
#[derive(Debug, clap::Parser)]
#[command(name = "qingsuan-node key", about = "SM2 key management")]
pub enum Sm2KeyCmd {
	/// Generate a new SM2 key pair.
	Generate(GenerateCmd),
	/// Show the public key and account of an SM2 secret key.
	Inspect(InspectCmd),
	/// Sign a message with an SM2 secret key.
	Sign(SignCmd),
	/// Verify an SM2 signature.
	Verify(VerifyCmd),
}

/// Output format.
#[derive(Debug, Clone, Copy, clap::ValueEnum, Default)]
pub enum OutputType {
	/// Human-readable lines.
	#[default]
	Text,
	/// One JSON object.
	Json,
}

/// `key generate --scheme sm2`.
#[derive(Debug, clap::Args)]
pub struct GenerateCmd {
	/// The signature scheme: must be `sm2` here.
	#[arg(long)]
	pub scheme: String,
	/// Output format.
	#[arg(long, value_enum, default_value_t)]
	pub output_type: OutputType,
	/// Also print the secret key as a PKCS#8 PEM document.
	#[arg(long)]
	pub pem: bool,
}

/// `key inspect --scheme sm2 <SECRET>`.
#[derive(Debug, clap::Args)]
pub struct InspectCmd {
	/// The signature scheme: must be `sm2` here.
	#[arg(long)]
	pub scheme: String,
	/// The secret key: 64 hex digits (optional 0x), or the path of a PKCS#8 PEM file.
	pub secret: String,
	/// Output format.
	#[arg(long, value_enum, default_value_t)]
	pub output_type: OutputType,
}

/// `key sign --scheme sm2 --secret <SECRET> --message <MSG>`.
#[derive(Debug, clap::Args)]
pub struct SignCmd {
	/// The signature scheme: must be `sm2` here.
	#[arg(long)]
	pub scheme: String,
	/// The secret key: 64 hex digits, or the path of a PKCS#8 PEM file.
	#[arg(long)]
	pub secret: String,
	/// The message: UTF-8 text, signed as its bytes, unless `--hex` is given.
	#[arg(long)]
	pub message: String,
	/// The message is hex (0x optional): the bytes it encodes are signed.
	#[arg(long)]
	pub hex: bool,
}

/// `key verify --scheme sm2 <SIGNATURE> <PUBLIC> --message <MSG>`.
#[derive(Debug, clap::Args)]
pub struct VerifyCmd {
	/// The signature scheme: must be `sm2` here.
	#[arg(long)]
	pub scheme: String,
	/// The signature: 128 hex digits (`r || s`).
	pub signature: String,
	/// The public key: 66 (compressed) or 130 (uncompressed) hex digits.
	pub public: String,
	/// The message: UTF-8 text, verified as its bytes, unless `--hex` is given.
	#[arg(long)]
	pub message: String,
	/// The message is hex (0x optional): the bytes it encodes are verified.
	#[arg(long)]
	pub hex: bool,
}

/// Whether the command line is an SM2 key command (`key <sub> … --scheme sm2 …`).
pub fn is_sm2_key_command(args: &[String]) -> bool {
	args.get(1).map(String::as_str) == Some("key")
		&& (args.windows(2).any(|w| w[0] == "--scheme" && w[1].eq_ignore_ascii_case("sm2"))
			|| args.iter().any(|a| a.eq_ignore_ascii_case("--scheme=sm2")))
}

fn decode_hex(s: &str, what: &str) -> Result<Vec<u8>, String> {
	hex::decode(s.trim().trim_start_matches("0x")).map_err(|e| format!("{what} is not hex: {e}"))
}

fn load_secret(s: &str) -> Result<sm2::SecretKey, String> {
	let path = std::path::Path::new(s);
	if path.exists() {
		let pem = std::fs::read_to_string(path).map_err(|e| format!("cannot read {s}: {e}"))?;
		return sm2::SecretKey::from_pkcs8_pem(&pem).map_err(|e| format!("{s}: {e}"));
	}
	sm2::SecretKey::from_slice(&decode_hex(s, "the secret key")?).map_err(|e| e.to_string())
}

fn message(text: &str, is_hex: bool) -> Result<Vec<u8>, String> {
	if is_hex {
		decode_hex(text, "the message")
	} else {
		Ok(text.as_bytes().to_vec())
	}
}

fn check_scheme(scheme: &str) -> Result<(), String> {
	if scheme.eq_ignore_ascii_case("sm2") {
		Ok(())
	} else {
		Err(sm2_only(scheme))
	}
}

/// The error of `key sign` or `key verify` with another scheme than SM2.
pub fn sm2_only(scheme: &str) -> String {
	format!("`key sign` and `key verify` are for SM2 keys: give `--scheme sm2` (got '{scheme}')")
}

fn describe(key: &sm2::SecretKey, output: OutputType, pem: Option<String>) -> String {
	let public = key.public();
	let account = sm2_account(&public);
	let secret_hex = format!("0x{}", hex::encode(key.to_bytes()));
	let public_hex = format!("0x{}", hex::encode(public.0));
	match output {
		OutputType::Json => serde_json::json!({
			"scheme": "sm2",
			"secretKey": secret_hex,
			"publicKey": public_hex,
			"accountId": format!("0x{}", hex::encode(<[u8; 32]>::from(account.clone()))),
			"ss58Address": account.to_ss58check(),
			"pkcs8Pem": pem,
		})
		.to_string(),
		OutputType::Text => {
			let mut out = format!(
				"Scheme:            sm2 (GB/T 32918, ID 1234567812345678)\nSecret key:        {secret_hex}\nPublic key (SEC1): {public_hex}\nAccount ID:        0x{}\nSS58 Address:      {}",
				hex::encode(<[u8; 32]>::from(account.clone())),
				account.to_ss58check()
			);
			if let Some(pem) = pem {
				out.push('\n');
				out.push_str(&pem);
			}
			out
		},
	}
}

/// Run an SM2 key command; `args` is the whole command line.
pub fn run(args: &[String]) -> Result<(), String> {
	use clap::Parser;
	let cmd = match Sm2KeyCmd::try_parse_from(args.iter().skip(1)) {
		Ok(cmd) => cmd,
		// `--help` and `--version` are answers, not errors: printed, exit 0.
		Err(e) if !e.use_stderr() => {
			let _ = e.print();
			return Ok(());
		},
		Err(e) => return Err(e.to_string()),
	};
	match cmd {
		Sm2KeyCmd::Generate(c) => {
			check_scheme(&c.scheme)?;
			let key = sm2::SecretKey::generate();
			let pem = if c.pem { Some(key.to_pkcs8_pem().map_err(|e| e.to_string())?) } else { None };
			println!("{}", describe(&key, c.output_type, pem));
		},
		Sm2KeyCmd::Inspect(c) => {
			check_scheme(&c.scheme)?;
			println!("{}", describe(&load_secret(&c.secret)?, c.output_type, None));
		},
		Sm2KeyCmd::Sign(c) => {
			check_scheme(&c.scheme)?;
			let sig = load_secret(&c.secret)?.sign(&message(&c.message, c.hex)?).map_err(|e| e.to_string())?;
			println!("0x{}", hex::encode(sig.0));
		},
		Sm2KeyCmd::Verify(c) => {
			check_scheme(&c.scheme)?;
			let sig: [u8; 64] = decode_hex(&c.signature, "the signature")?
				.try_into()
				.map_err(|_| "the signature must be 64 bytes (r || s)".to_string())?;
			let public =
				sm2::Public::from_sec1(&decode_hex(&c.public, "the public key")?).map_err(|e| e.to_string())?;
			public.verify(&message(&c.message, c.hex)?, &sm2::Signature(sig)).map_err(|e| e.to_string())?;
			println!("Signature verifies correctly.");
		},
	}
	Ok(())
}
