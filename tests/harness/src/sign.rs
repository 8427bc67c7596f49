//! Building signed extrinsics for the Qingsuan runtime.

use codec::Encode;
use qingsuan_primitives::signature::{sm2_account, Signature, Signer, Sm2Signature};
use qingsuan_runtime::{Address, Nonce, Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic};
use qingsuan_sm_crypto::sm2;
use sp_core::{Pair, H256};
use sp_runtime::{generic::Era, traits::IdentifyAccount};

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
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		qingsuan_runtime::check_caller::CheckCaller,
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
pub fn signed_extrinsic<P>(call: RuntimeCall, signer: &P, nonce: Nonce, params: &TxParams) -> UncheckedExtrinsic
where
	P: Pair,
	Signature: From<P::Signature>,
	Signer: From<P::Public>,
{
	signed_extrinsic_with(call, nonce, params, account_of(signer), |payload| signer.sign(payload).into())
}

/// `call` signed by `sign` for `account`: `sign` gets the payload, `SignedPayload::encode` (hashed
/// with blake2-256 when longer than 256 bytes), and returns the signature.
pub fn signed_extrinsic_with(
	call: RuntimeCall,
	nonce: Nonce,
	params: &TxParams,
	account: qingsuan_runtime::AccountId,
	sign: impl FnOnce(&[u8]) -> Signature,
) -> UncheckedExtrinsic {
	match try_signed_extrinsic_with(call, nonce, params, account, |payload| {
		Ok::<_, core::convert::Infallible>(sign(payload))
	}) {
		Ok(xt) => xt,
		Err(never) => match never {},
	}
}

/// As [`signed_extrinsic_with`], for a signer that can fail.
pub fn try_signed_extrinsic_with<E>(
	call: RuntimeCall,
	nonce: Nonce,
	params: &TxParams,
	account: qingsuan_runtime::AccountId,
	sign: impl FnOnce(&[u8]) -> Result<Signature, E>,
) -> Result<UncheckedExtrinsic, E> {
	let tx_ext = extensions(nonce);
	// What the extensions add to the signed payload without sending it: the spec and
	// transaction versions, and the genesis hash twice (chain check and immortal era check);
	// the others add nothing.
	let implicit = (
		(),
		(),
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
	let signature = payload.using_encoded(sign)?;
	Ok(UncheckedExtrinsic::new_signed(call, Address::Id(account), signature, tx_ext))
}

/// `call`, signed with the SM2 key `signer` (default identity), for the chain of `params`.
pub fn signed_extrinsic_sm2(
	call: RuntimeCall,
	signer: &sm2::SecretKey,
	nonce: Nonce,
	params: &TxParams,
) -> Result<UncheckedExtrinsic, qingsuan_sm_crypto::Error> {
	let public = signer.public();
	try_signed_extrinsic_with(call, nonce, params, sm2_account(&public), |payload| {
		Ok(Signature::Sm2(Sm2Signature { public, signature: signer.sign(payload)? }))
	})
}

/// The account id of an SM2 public key.
pub fn sm2_account_of(signer: &sm2::SecretKey) -> qingsuan_runtime::AccountId {
	sm2_account(&signer.public())
}

/// The account id of `signer`'s public key.
pub fn account_of<P>(signer: &P) -> qingsuan_runtime::AccountId
where
	P: Pair,
	Signer: From<P::Public>,
{
	Signer::from(signer.public()).into_account()
}
