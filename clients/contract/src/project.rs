//! A contract project: the SDK's layout (`package.json` pinning solc-js, `scripts/compile.js`,
//! `sdk/ISettlement.sol` and `sdk/Settlement.sol`, `src/` with the example contracts), created by
//! `qs-contract new`, and compilation by Node.js with the pinned compiler.

use std::{
	path::{Path, PathBuf},
	process::Command,
};

/// The SDK's files, as `contracts/` has them, by their path in a project.
pub const FILES: &[(&str, &str)] = &[
	("package.json", include_str!("../../../contracts/package.json")),
	("package-lock.json", include_str!("../../../contracts/package-lock.json")),
	("scripts/compile.js", include_str!("../../../contracts/scripts/compile.js")),
	("sdk/ISettlement.sol", include_str!("../../../contracts/sdk/ISettlement.sol")),
	("sdk/Settlement.sol", include_str!("../../../contracts/sdk/Settlement.sol")),
	("src/DvpEscrow.sol", include_str!("../../../contracts/src/DvpEscrow.sol")),
	("src/PledgedRepo.sol", include_str!("../../../contracts/src/PledgedRepo.sol")),
	("src/FundSubscription.sol", include_str!("../../../contracts/src/FundSubscription.sol")),
];

/// Write a new project into `dir` (created; it must not exist or be empty). Returns the files
/// written.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, String> {
	if dir.exists() && std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.next().is_some() {
		return Err(format!("{} is not empty", dir.display()));
	}
	let mut written = Vec::new();
	for (path, text) in FILES {
		let file = dir.join(path);
		if let Some(parent) = file.parent() {
			std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
		}
		std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
		written.push(file);
	}
	Ok(written)
}

/// The project `from` is in: the nearest directory at or above it with `scripts/compile.js`.
pub fn find(from: &Path) -> Result<PathBuf, String> {
	let from = if from.as_os_str().is_empty() { Path::new(".") } else { from };
	let start = from.canonicalize().map_err(|e| format!("{}: {e}", from.display()))?;
	start
		.ancestors()
		.find(|d| d.join("scripts/compile.js").is_file() && d.join("package.json").is_file())
		.map(Path::to_path_buf)
		.ok_or_else(|| {
			format!(
				"{} is not in a contract project (no scripts/compile.js above it): `qs-contract new DIR`",
				from.display()
			)
		})
}

/// Compile `files` with the project's pinned solc into `out`, installing the compiler first
/// (`npm ci`) if it is not. Returns the artifacts written.
pub fn compile(project: &Path, out: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
	if files.is_empty() {
		return Err("give the .sol files to compile".into());
	}
	if !project.join("node_modules/solc/package.json").is_file() {
		run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(project), "npm ci")?;
	}
	let mut node = Command::new("node");
	node.arg(project.join("scripts/compile.js")).arg(out).args(files);
	let stdout = run(&mut node, "node scripts/compile.js")?;
	Ok(stdout.lines().filter(|l| !l.is_empty()).map(PathBuf::from).collect())
}

/// Run `command`: its stdout, or an error with its stderr.
fn run(command: &mut Command, what: &str) -> Result<String, String> {
	let out = command.output().map_err(|e| {
		format!("cannot run {what}: {e} (contracts need Node.js and npm; scripts/setup.sh installs them)")
	})?;
	if !out.status.success() {
		return Err(format!("{what} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
	}
	Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
