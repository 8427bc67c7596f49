//! What the command-line clients share: running their command on a small tokio runtime, and
//! turning a failure into one line on stderr and an exit code.

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
