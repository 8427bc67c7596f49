//! The off-chain worker that works liquidation cases, and the authorization of its steps.
//!
//! After each block the validator whose turn it is (by rotation over the authorities, as the
//! order book's upkeep) looks at every open case (`Cases`) and, for each with a step due,
//! signs `liquidate(credit, block)` with its authority key and submits it as an authorized
//! transaction. The runtime accepts it only with a current authority's signature over a recent
//! block and only while a step is due; the step itself is computed on chain when it runs.

use crate::{Call, Cases, Config, Pallet};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use qingsuan_primitives::upkeep;
use sp_runtime::{
	traits::UniqueSaturatedInto,
	transaction_validity::{InvalidTransaction, TransactionValidityWithRefund},
	RuntimeAppPublic,
};

/// What an authority signs to submit a liquidation step of `credit` found at `block`.
pub fn liquidation_payload<A: Encode, B: Encode>(credit: &A, block: &B) -> alloc::vec::Vec<u8> {
	(b"qingsuan/margin/liquidate/v1", credit, block).encode()
}

impl<T: Config> Pallet<T> {
	/// Validity of a `liquidate` transaction: signed by a current authority over a recent
	/// block, and a step due.
	pub(crate) fn authorize_liquidation(
		credit: &T::AccountId,
		block: &BlockNumberFor<T>,
		worker: &T::WorkerId,
		signature: &T::WorkerSignature,
	) -> TransactionValidityWithRefund {
		let now = frame_system::Pallet::<T>::block_number();
		let validity = upkeep::validate(
			&T::Workers::get(),
			worker,
			&liquidation_payload(credit, block),
			signature,
			(*block, now, T::UpkeepLifetime::get()),
			"MarginLiquidation",
			T::UpkeepPriority::get(),
			(credit, block),
		)?;
		if Self::due_step(credit).is_none() {
			return Err(InvalidTransaction::Stale.into());
		}
		Ok((validity, Weight::zero()))
	}

	/// The off-chain worker: submit the due step of every open case, if this node is the
	/// authority whose turn it is.
	pub(crate) fn run_worker(now: BlockNumberFor<T>) {
		if !sp_io::offchain::is_validator() {
			return;
		}
		let Some(me) = upkeep::my_turn(&T::Workers::get(), now.unique_saturated_into()) else { return };
		for credit in Cases::<T>::iter_keys() {
			if Self::due_step(&credit).is_none() {
				continue;
			}
			let Some(signature) = me.sign(&liquidation_payload(&credit, &now)) else { return };
			let call = Call::<T>::liquidate { credit, block: now, worker: me.clone(), signature };
			let xt = T::create_authorized_transaction(call.into());
			// A refused submission (the pool already has it) is not an error.
			let _ = SubmitTransaction::<T, Call<T>>::submit_transaction(xt);
		}
	}
}
