//! What the command-line clients share: running their command on a small tokio runtime, turning
//! a failure into one line on stderr and an exit code, and (feature `cli`) the signing-key
//! options.

use crate::ClientError;
use std::{future::Future, process::ExitCode};

/// A command-line client's failure.
pub trait Failure {
	/// The process's exit code.
	fn exit_code(&self) -> u8;
	/// What went wrong; only its first line is printed.
	fn message(&self) -> &str;
}

/// Exit code when the process cannot even start its runtime.
pub const CANNOT_START: u8 = 3;

/// Run `command` on a two-thread tokio runtime. On failure, print `error: <first line>` to stderr
/// and return the failure's exit code.
pub fn run<E: Failure>(command: impl Future<Output = Result<(), E>>) -> ExitCode {
	let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
		Ok(rt) => rt,
		Err(e) => {
			eprintln!("error: cannot start: {e}");
			return ExitCode::from(CANNOT_START);
		},
	};
	match runtime.block_on(command) {
		Ok(()) => ExitCode::SUCCESS,
		Err(failure) => {
			eprintln!("error: {}", failure.message().lines().next().unwrap_or_default());
			ExitCode::from(failure.exit_code())
		},
	}
}

/// The failures of a command-line client that signs: refused by the chain (exit 1), bad input
/// (exit 2), the node (exit 3).
#[derive(Debug)]
pub enum CommandError {
	/// The chain refused something: a failed transaction, a revert (exit 1).
	Refused(String),
	/// Bad input: arguments, key, file (exit 2).
	Input(String),
	/// The node could not be reached or answered an error (exit 3).
	Node(String),
}

impl Failure for CommandError {
	fn exit_code(&self) -> u8 {
		match self {
			CommandError::Refused(_) => 1,
			CommandError::Input(_) => 2,
			CommandError::Node(_) => 3,
		}
	}

	fn message(&self) -> &str {
		match self {
			CommandError::Refused(m) | CommandError::Input(m) | CommandError::Node(m) => m,
		}
	}
}

impl From<ClientError> for CommandError {
	fn from(e: ClientError) -> Self {
		match e {
			ClientError::Transaction(m) => CommandError::Refused(m),
			ClientError::Key(m) => CommandError::Input(m),
			other => CommandError::Node(other.to_string()),
		}
	}
}

/// Which key signs: `--key-file`, `--key`, `--scheme` (and `QS_KEY_FILE`, `QS_KEY`).
#[cfg(feature = "cli")]
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
	/// A file with the signing key: a secret URI or phrase, an SM2 hex secret or PKCS#8 PEM, a
	/// Substrate keystore file, or `qingsuan-node key generate --output-type json` output.
	#[arg(long, global = true, env = "QS_KEY_FILE", conflicts_with = "key")]
	pub key_file: Option<std::path::PathBuf>,

	/// The signing key itself (for development chains: `//Alice`); prefer --key-file, since
	/// arguments are visible to other users of the machine.
	#[arg(long, global = true, env = "QS_KEY")]
	pub key: Option<String>,

	/// The key's scheme.
	#[arg(long, global = true, default_value = "sr25519", value_parser = parse_scheme)]
	pub scheme: crate::keys::Scheme,
}

#[cfg(feature = "cli")]
impl KeyArgs {
	/// Whether a key was given.
	pub fn given(&self) -> bool {
		self.key.is_some() || self.key_file.is_some()
	}

	/// The signing key.
	pub fn keypair(&self) -> Result<crate::keys::Keypair, CommandError> {
		use crate::keys::Keypair;
		match (&self.key_file, &self.key) {
			(Some(path), _) => Keypair::from_file(self.scheme, path).map_err(CommandError::from),
			(None, Some(secret)) => Keypair::from_secret(self.scheme, secret).map_err(CommandError::from),
			(None, None) => Err(CommandError::Input("this command signs: give --key-file (or --key)".into())),
		}
	}
}

#[cfg(feature = "cli")]
fn parse_scheme(s: &str) -> Result<crate::keys::Scheme, String> {
	s.parse().map_err(|e: ClientError| e.to_string())
}
