//! What the tests written on the SDK share: a small tokio runtime, bounded waits, dev keys.

use qingsuan_client::{
	api::runtime_types::pallet_compliance::types::{Claim, Statement},
	compliance,
	keys::Keypair,
	AccountId32, Client, Included, Wait,
};
use qingsuan_primitives::DEV_ATTESTOR_SECRET;
use qingsuan_sm_crypto::sm2;
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

/// Submit `call` signed by `key`, expecting the chain to refuse it; returns the error, which
/// names the pallet's error (`Margin::LineExceeded`).
pub async fn refused<C: qingsuan_client::subxt::transactions::Payload>(
	client: &Client,
	key: &Keypair,
	call: &C,
) -> String {
	match client.submit(call, key, Wait::InBlock).await {
		Err(qingsuan_client::ClientError::Transaction(message)) => message,
		Err(other) => panic!("expected a refusal, got {other}"),
		Ok(included) => panic!("expected a refusal; it succeeded in block {}", included.block_number),
	}
}

/// As [`refused`], asserting the error is `error` (`Pallet::Variant`).
pub async fn assert_refused<C: qingsuan_client::subxt::transactions::Payload>(
	client: &Client,
	key: &Keypair,
	call: &C,
	error: &str,
) {
	let message = refused(client, key, call).await;
	assert!(message.contains(error), "expected {error}, got {message}");
}

fn now_ms() -> u64 {
	std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis() as u64
}

/// Eve's (the dev attestor's) claim `statement` about `subject`, valid for a year from a minute
/// ago (the chain's clock is the last block's).
pub fn claim(subject: AccountId32, statement: Statement, nonce: u64) -> Claim<AccountId32> {
	Claim {
		attestor: dev("eve").account_id(),
		subject,
		statement,
		issued_at: now_ms() - 60_000,
		expires_at: now_ms() + 365 * 86_400_000,
		nonce,
	}
}

/// The chain's genesis hash, which claims are bound to.
pub fn genesis(client: &Client) -> [u8; 32] {
	client.api().genesis_hash().0
}

/// Eve attests `statement` about `subject` (signed by the SDK with the dev attestor's SM2
/// key); `submitter` submits it.
pub async fn attest(client: &Client, submitter: &Keypair, subject: AccountId32, statement: Statement, nonce: u64) {
	let key = sm2::SecretKey::from_bytes(&DEV_ATTESTOR_SECRET).expect("the dev attestor's key");
	let call = compliance::signed_claim(&key, claim(subject, statement, nonce), &genesis(client)).expect("signs");
	execute(client, submitter, &call).await;
}
