//! Prometheus metrics (`qs_bank_*`).

use substrate_prometheus_endpoint::{register, Counter, CounterVec, Gauge, Opts, PrometheusError, Registry, U64};

/// The client's metrics.
#[derive(Clone)]
pub struct Metrics {
	/// Requests recorded, by kind.
	pub seen: CounterVec<U64>,
	/// Requests settled on chain, by kind and outcome.
	pub done: CounterVec<U64>,
	/// Requests recorded and not yet settled on chain.
	pub open: Gauge<U64>,
	/// The last finalized block scanned.
	pub cursor: Gauge<U64>,
	/// 1 while the last reconciliation found a difference.
	pub mismatch: Gauge<U64>,
	/// Errors (node, adapter, database), each retried.
	pub errors: Counter<U64>,
}

impl Metrics {
	/// The metrics, registered in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Metrics {
			seen: register(
				CounterVec::new(Opts::new("qs_bank_requests_seen_total", "Requests recorded, by kind"), &["kind"])?,
				registry,
			)?,
			done: register(
				CounterVec::new(
					Opts::new("qs_bank_requests_done_total", "Requests settled on chain, by kind and outcome"),
					&["kind", "outcome"],
				)?,
				registry,
			)?,
			open: register(Gauge::new("qs_bank_requests_open", "Requests not yet settled on chain")?, registry)?,
			cursor: register(Gauge::new("qs_bank_cursor_block", "The last finalized block scanned")?, registry)?,
			mismatch: register(
				Gauge::new("qs_bank_reconciliation_mismatch", "1 while the last reconciliation found a difference")?,
				registry,
			)?,
			errors: register(Counter::new("qs_bank_errors_total", "Errors, each retried")?, registry)?,
		})
	}
}
