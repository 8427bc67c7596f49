//! Building signed extrinsics for the Qingsuan runtime.

use codec::Encode;
use qingsuan_runtime::{
	Address, Nonce, Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic,
};
use sp_core::{Pair, H256};
use sp_runtime::{generic::Era, traits::IdentifyAccount, MultiSignature, MultiSigner};

/// What a signature commits to besides the call: the chain and the runtime version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxParams {
	/// The hash of block 0: a signature for one chain is worthless on another.
	pub genesis_hash: H256,
	/// The runtime's `spec_version`.
	pub spec_version: u32,
	/// The runtime's `transaction_version`.
	pub transaction_version: u32,
}

/// The transaction extensions of an immortal transaction with `nonce` and no tip.
fn extensions(nonce: Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
	)
}

/// `call`, signed by `signer` with `nonce`, for the chain described by `params`.
pub fn signed_extrinsic<P>(
	call: RuntimeCall,
	signer: &P,
	nonce: Nonce,
	params: &TxParams,
) -> UncheckedExtrinsic
where
	P: Pair,
	MultiSignature: From<P::Signature>,
	MultiSigner: From<P::Public>,
{
	let tx_ext = extensions(nonce);
	// What the extensions add to the signed payload without sending it: the spec and
	// transaction versions, and the genesis hash twice (chain check and immortal era check).
	let implicit = (
		(),
		params.spec_version,
		params.transaction_version,
		params.genesis_hash,
		params.genesis_hash,
		(),
		(),
		(),
	);
	let payload = SignedPayload::from_raw(call.clone(), tx_ext.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let account = MultiSigner::from(signer.public()).into_account();
	UncheckedExtrinsic::new_signed(call, Address::Id(account), signature.into(), tx_ext)
}

/// The account id of `signer`'s public key.
pub fn account_of<P>(signer: &P) -> qingsuan_runtime::AccountId
where
	P: Pair,
	MultiSigner: From<P::Public>,
{
	MultiSigner::from(signer.public()).into_account()
}
