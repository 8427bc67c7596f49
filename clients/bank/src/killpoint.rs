//! Kill points for the restart test: with `QS_BANK_KILL_AT=<step>`, the process sends itself
//! `kill -9` the first time it reaches that step (`recorded`, `paid`, `decided`, `submitted`),
//! so that the kill lands exactly there; the test then restarts it without the variable. Unset,
//! nothing happens.

/// The steps of a request's flow where the process can be killed.
pub const STEPS: [&str; 4] = ["recorded", "paid", "decided", "submitted"];

/// Kill the process with SIGKILL if `QS_BANK_KILL_AT` names `step`.
pub fn reached(step: &str) {
	if std::env::var("QS_BANK_KILL_AT").is_ok_and(|at| at == step) {
		tracing::warn!(step, "QS_BANK_KILL_AT: kill -9 now");
		let _ = std::process::Command::new("kill").args(["-9", &std::process::id().to_string()]).status();
		// SIGKILL cannot be caught; wait for it to land.
		loop {
			std::thread::sleep(std::time::Duration::from_secs(1));
		}
	}
}
