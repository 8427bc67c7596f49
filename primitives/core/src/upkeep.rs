//! Upkeep that the validators' off-chain workers submit as authorized transactions (the order
//! book's sweeps, expiries and stops; the margin pallet's liquidation steps): whose turn it is,
//! and the checks every such transaction passes before the pallet asks whether its work is due.

use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto},
	transaction_validity::{InvalidTransaction, TransactionPriority, TransactionValidityError, ValidTransaction},
	RuntimeAppPublic,
};

/// The worker whose turn it is at block `now` (rotation over `workers`), if this node holds its
/// key: one validator submits per block, so validators do not race each other.
pub fn my_turn<W: RuntimeAppPublic + Clone + PartialEq>(workers: &[W], now: u64) -> Option<W> {
	let me = workers.get((now % workers.len().max(1) as u64) as usize)?;
	W::all().contains(me).then(|| me.clone())
}

/// An upkeep transaction's validity, up to whether its work is due: `worker` is one of
/// `workers`, its `signature` is over `payload`, and `block` (the block the work was found at)
/// is neither in the future nor `lifetime` blocks old. Valid for the rest of its lifetime at
/// `priority`, tagged `tag` and providing `provides`.
#[allow(clippy::too_many_arguments)]
pub fn validate<W: RuntimeAppPublic + PartialEq, B: Saturating + PartialOrd + Copy + UniqueSaturatedInto<u64>>(
	workers: &[W],
	worker: &W,
	payload: &[u8],
	signature: &W::Signature,
	(block, now, lifetime): (B, B, B),
	tag: &'static str,
	priority: TransactionPriority,
	provides: impl codec::Encode,
) -> Result<ValidTransaction, TransactionValidityError> {
	if !workers.contains(worker) {
		return Err(InvalidTransaction::BadSigner.into());
	}
	if !worker.verify(&payload, signature) {
		return Err(InvalidTransaction::BadProof.into());
	}
	if block > now {
		return Err(InvalidTransaction::Future.into());
	}
	let age = now.saturating_sub(block);
	if age >= lifetime {
		return Err(InvalidTransaction::Stale.into());
	}
	let longevity: u64 = lifetime.saturating_sub(age).unique_saturated_into();
	ValidTransaction::with_tag_prefix(tag)
		.priority(priority)
		.and_provides(provides)
		.longevity(longevity)
		.propagate(true)
		.build()
}
