//! What the tests written on the SDK share: a small tokio runtime, bounded waits, dev keys.

use qingsuan_client::{keys::Keypair, Client, Included, Wait};
use std::{future::Future, time::Duration};

/// Run `test` on a two-thread tokio runtime; fail if it takes longer than `limit`.
pub fn block_on<F: Future>(limit: Duration, test: F) -> F::Output {
	let runtime =
		tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime");
	runtime.block_on(async { tokio::time::timeout(limit, test).await.expect("the test finishes in time") })
}

/// Poll `check` every 250 ms until it returns `Some`, or panic after `limit`.
pub async fn wait_until<T, F: Future<Output = Option<T>>>(
	what: &str,
	limit: Duration,
	mut check: impl FnMut() -> F,
) -> T {
	let deadline = tokio::time::Instant::now() + limit;
	loop {
		if let Some(v) = check().await {
			return v;
		}
		assert!(tokio::time::Instant::now() < deadline, "timed out after {limit:?} waiting for {what}");
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// The development key `//Name`.
pub fn dev(name: &str) -> Keypair {
	Keypair::dev(name).expect("a dev key")
}

/// Submit `call` signed by `key`, wait for its block; panics (naming the error) unless it
/// succeeded.
pub async fn execute<C: qingsuan_client::subxt::transactions::Payload>(
	client: &Client,
	key: &Keypair,
	call: &C,
) -> Included {
	client.submit(call, key, Wait::InBlock).await.unwrap_or_else(|e| panic!("{e}"))
}

/// The first event `E` of an included transaction.
pub fn event<E: qingsuan_client::subxt::events::DecodeAsEvent>(included: &Included) -> E {
	match included.events.find_first::<E>() {
		Some(decoded) => decoded.expect("the event decodes"),
		None => panic!("no {} event in block {}", std::any::type_name::<E>(), included.block_number),
	}
}

/// Events `E` of an included transaction.
pub fn events<E: qingsuan_client::subxt::events::DecodeAsEvent>(included: &Included) -> Vec<E> {
	included.events.find::<E>().map(|e| e.expect("the event decodes")).collect()
}
