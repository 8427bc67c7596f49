//! The clearing bank's side of withdrawals: a member seals the payee's bank account details to
//! the bank's registered SM2 key (an SM2/SM4 envelope bound to the member, asset and amount), and
//! only the bank's secret key opens them.

use crate::{api, ClientError};
use codec::{Decode, Encode};
use qingsuan_sm_crypto::{envelope::Envelope, sm2};
use subxt::utils::AccountId32;

/// What an envelope of payee details is bound to: the runtime's `withdrawal_aad`,
/// `SCALE(("qingsuan/withdrawal/v1", member, asset, amount))`.
pub fn withdrawal_aad(member: &AccountId32, asset: u32, amount: u128) -> Vec<u8> {
	(b"qingsuan/withdrawal/v1", member.0, asset, amount).encode()
}

/// Seal the payee's `details` to `bank_key` for `member`'s withdrawal of `amount` of `asset`:
/// the bytes to pass as `requestWithdrawal`'s `payee`.
pub fn seal_payee(
	bank_key: &sm2::Public,
	member: &AccountId32,
	asset: u32,
	amount: u128,
	details: &[u8],
) -> Result<Vec<u8>, ClientError> {
	let envelope = Envelope::seal(&[*bank_key], &withdrawal_aad(member, asset, amount), details)
		.map_err(|e| ClientError::Key(format!("cannot seal the payee details: {e:?}")))?;
	Ok(envelope.encode())
}

/// Open a withdrawal's payee details with the bank's secret key. Fails unless the envelope is
/// bound to this very member, asset and amount, and sealed to this key.
pub fn open_payee(
	bank_secret: &sm2::SecretKey,
	member: &AccountId32,
	asset: u32,
	amount: u128,
	payee: &[u8],
) -> Result<Vec<u8>, ClientError> {
	let envelope = Envelope::decode(&mut &payee[..])
		.map_err(|e| ClientError::Decode(format!("the payee details are not an envelope: {e}")))?;
	if envelope.aad != withdrawal_aad(member, asset, amount) {
		return Err(ClientError::Decode("the envelope is bound to another withdrawal".into()));
	}
	envelope.open(bank_secret).map_err(|e| ClientError::Decode(format!("cannot open the payee details: {e:?}")))
}

/// A pending withdrawal request as stored on chain.
pub type Withdrawal = api::runtime_types::pallet_settlement::types::WithdrawalRequest<AccountId32>;
