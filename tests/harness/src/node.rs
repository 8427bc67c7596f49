//! Starting, stopping and waiting for nodes.

use crate::Chain;
use std::{
	fs,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	sync::atomic::{AtomicU32, Ordering},
	time::{Duration, Instant},
};

/// Tests that start nodes take this lock, so that at most one network runs at a time on the
/// machine's two cores (cargo runs the tests of one binary in parallel threads).
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
	static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
	LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The node binary under test: `QINGSUAN_NODE` if set (another build of the node), otherwise
/// the one cargo built for these tests.
pub fn node_binary() -> PathBuf {
	std::env::var_os("QINGSUAN_NODE").map(PathBuf::from).unwrap_or_else(|| target_binary("qingsuan-node"))
}

/// The binary `name` of this build: beside the test executable's `deps/` directory, where cargo
/// puts a workspace's binaries (`target/release/<name>`).
pub fn target_binary(name: &str) -> PathBuf {
	let exe = std::env::current_exe().expect("the test knows its own path");
	let dir = exe.parent().and_then(Path::parent).expect("the test runs from target/<profile>/deps");
	let path = dir.join(name);
	assert!(
		path.exists(),
		"{} is not built: build the workspace first (`cargo test --workspace --no-run`)",
		path.display()
	);
	path
}

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
	/// A new empty directory under the system's temp dir.
	pub fn new(label: &str) -> Self {
		static COUNTER: AtomicU32 = AtomicU32::new(0);
		let path = std::env::temp_dir().join(format!(
			"qingsuan-e2e-{label}-{}-{}",
			std::process::id(),
			COUNTER.fetch_add(1, Ordering::SeqCst)
		));
		let _ = fs::remove_dir_all(&path);
		fs::create_dir_all(&path).expect("can create a temp dir");
		TempDir(path)
	}

	/// The directory's path.
	pub fn path(&self) -> &Path {
		&self.0
	}
}

impl Drop for TempDir {
	fn drop(&mut self) {
		let _ = fs::remove_dir_all(&self.0);
	}
}

/// A free TCP port on 127.0.0.1, below the kernel's ephemeral range (32768 and up on Linux).
///
/// A port the OS hands out for `bind(0)` comes from the ephemeral range, the same range every
/// outgoing connection (our RPC clients, the nodes' own dials) takes its local port from: between
/// releasing it and the node binding it, a connection could take it, and the node would fail
/// with "Address already in use". Ports below that range are only ever taken by an explicit bind,
/// and this process never hands the same one out twice.
pub fn free_port() -> u16 {
	use std::sync::Mutex;
	const FIRST: u32 = 20_000;
	const SPAN: u32 = 12_000;
	static NEXT: Mutex<Option<u32>> = Mutex::new(None);
	let mut next = NEXT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	// Test binaries may run at the same time: each starts at its own offset in the span.
	let offset = next.get_or_insert_with(|| {
		let nanos =
			std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
		(std::process::id().wrapping_mul(7_919) ^ nanos) % SPAN
	});
	for _ in 0..SPAN {
		let port = (FIRST + *offset % SPAN) as u16;
		*offset = (*offset + 1) % SPAN;
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
	panic!("no free port in {FIRST}..{}", FIRST + SPAN)
}

/// The ports one node listens on.
#[derive(Clone, Copy, Debug)]
pub struct Ports {
	/// libp2p.
	pub p2p: u16,
	/// JSON-RPC.
	pub rpc: u16,
	/// Prometheus metrics.
	pub prometheus: u16,
}

impl Ports {
	/// Three free ports.
	pub fn free() -> Self {
		Ports { p2p: free_port(), rpc: free_port(), prometheus: free_port() }
	}
}

/// A running node; killed (SIGKILL) when dropped.
pub struct Node {
	name: String,
	child: Option<Child>,
	log: PathBuf,
	/// The node's ports.
	pub ports: Ports,
	args: Vec<String>,
	base: PathBuf,
}

impl Node {
	/// Start a node with its database under `base`, on `ports`, with `extra` arguments.
	pub fn start(name: &str, base: &Path, ports: Ports, extra: &[String]) -> Node {
		let mut args: Vec<String> = vec![
			"--base-path".into(),
			base.display().to_string(),
			"--name".into(),
			name.into(),
			"--listen-addr".into(),
			format!("/ip4/127.0.0.1/tcp/{}", ports.p2p),
			"--rpc-port".into(),
			ports.rpc.to_string(),
			"--prometheus-port".into(),
			ports.prometheus.to_string(),
			"--no-mdns".into(),
			"--no-telemetry".into(),
			"--allow-private-ip".into(),
			"--discover-local".into(),
		];
		args.extend(extra.iter().cloned());
		let mut node = Node {
			name: name.into(),
			child: None,
			log: base.join(format!("{name}.log")),
			ports,
			args,
			base: base.to_path_buf(),
		};
		node.spawn();
		node
	}

	fn spawn(&mut self) {
		fs::create_dir_all(&self.base).expect("can create the node's base dir");
		let log = fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("can open the node's log");
		let child = Command::new(node_binary())
			.args(&self.args)
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("can clone a file handle"))
			.stderr(log)
			.spawn()
			.expect("can start qingsuan-node");
		self.child = Some(child);
		let chain = self.chain();
		let name = self.name.clone();
		wait_for(&format!("{name} to answer RPC"), Duration::from_secs(60), || {
			self.assert_running();
			chain.best_number().ok()
		});
	}

	/// The node's websocket RPC address (for the SDK).
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.ports.rpc)
	}

	/// Typed RPC access to this node, through the harness.
	pub fn chain(&self) -> Chain {
		Chain::local(self.ports.rpc)
	}

	/// Kill the node with SIGKILL, as a crash would.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Start the node again with the same arguments and database.
	pub fn restart(&mut self) {
		self.kill();
		self.spawn();
	}

	/// Panic with the log's tail if the process has exited.
	pub fn assert_running(&mut self) {
		if let Some(child) = self.child.as_mut() {
			if let Ok(Some(status)) = child.try_wait() {
				panic!("{} exited with {status}; log tail:\n{}", self.name, self.log_tail());
			}
		}
	}

	/// The node's whole log.
	pub fn log(&self) -> String {
		fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// The last lines of the node's log.
	pub fn log_tail(&self) -> String {
		let text = fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if std::thread::panicking() {
			eprintln!("--- log tail of {} ---\n{}", self.name, self.log_tail());
		}
		self.kill();
	}
}

/// Submit `xt` and wait (60 s at most) for it in a block; returns the block's number, hash and
/// events.
pub fn submit_and_wait(
	chain: &Chain,
	xt: &crate::runtime::UncheckedExtrinsic,
) -> (u32, sp_core::H256, Vec<crate::runtime::RuntimeEvent>) {
	let from = chain.best_number().expect("best block");
	let hash = chain.submit(xt).expect("the pool accepts the extrinsic");
	let (number, block) =
		chain.wait_for_inclusion(hash, from, Duration::from_secs(60)).expect("rpc").expect("included within 60 s");
	(number, block, chain.events(block).expect("events"))
}

/// Poll `check` every 250 ms until it returns `Some`, or panic after `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(v) = check() {
			return v;
		}
		assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
		std::thread::sleep(Duration::from_millis(250));
	}
}

/// Run the node binary with `args` to completion (bounded by `timeout`).
pub fn run_node_command(args: &[&str], timeout: Duration) -> Output {
	run_binary(&node_binary(), args, timeout)
}

/// Run `binary` with `args` to completion (bounded by `timeout`: past it the process is killed
/// and the test fails).
pub fn run_binary(binary: &Path, args: &[&str], timeout: Duration) -> Output {
	let mut child = Command::new(binary)
		.args(args)
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap_or_else(|e| panic!("can start {}: {e}", binary.display()));
	let deadline = Instant::now() + timeout;
	loop {
		if child.try_wait().expect("can poll the child").is_some() {
			return child.wait_with_output().expect("can collect the output");
		}
		if Instant::now() >= deadline {
			let _ = child.kill();
			let out = child.wait_with_output().expect("can collect the output");
			panic!(
				"{} {args:?} did not exit within {timeout:?}; stderr:\n{}",
				binary.display(),
				String::from_utf8_lossy(&out.stderr)
			);
		}
		std::thread::sleep(Duration::from_millis(100));
	}
}
