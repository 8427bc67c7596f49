//! Withdrawals' payee details: a member seals the payee's bank account details to the issuing
//! bank's registered SM2 key and, while a regulator has registered one, to the regulator's (an
//! SM2/SM4 envelope bound to the member, asset and amount); only those keys' secrets open them.

use crate::{api, Client, ClientError};
use codec::{Decode, Encode};
use qingsuan_sm_crypto::{envelope::Envelope, sm2};
use subxt::utils::{AccountId32, H256};

/// What an envelope of payee details is bound to: the runtime's `withdrawal_aad`,
/// `SCALE(("qingsuan/withdrawal/v1", member, asset, amount))`.
pub fn withdrawal_aad(member: &AccountId32, asset: u32, amount: u128) -> Vec<u8> {
	(b"qingsuan/withdrawal/v1", member.0, asset, amount).encode()
}

/// The keys a withdrawal of `asset` must be sealed to, as the chain stands at `at` (default: the
/// best block): the issuing bank's and, if one is registered, the regulator's.
pub async fn withdrawal_recipients(
	client: &Client,
	asset: u32,
	at: Option<H256>,
) -> Result<Vec<sm2::Public>, ClientError> {
	use api::runtime_types::pallet_ledger::types::InstrumentKind;
	let at = client.at(at).await?;
	let storage = at.storage();
	let instrument = storage
		.entry(api::storage().ledger().instruments())
		.map_err(ClientError::subxt)?
		.try_fetch((asset,))
		.await
		.map_err(ClientError::subxt)?
		.ok_or_else(|| ClientError::Key(format!("asset {asset} is not on the ledger")))?
		.decode()
		.map_err(ClientError::subxt)?;
	let InstrumentKind::Cash(cash) = instrument.kind else {
		return Err(ClientError::Key(format!("asset {asset} is not a cash asset")));
	};
	let bank_key = storage
		.entry(api::storage().settlement().bank_keys())
		.map_err(ClientError::subxt)?
		.try_fetch((cash.bank,))
		.await
		.map_err(ClientError::subxt)?
		.ok_or_else(|| ClientError::Key(format!("bank {} has not registered an envelope key", cash.bank)))?
		.decode()
		.map_err(ClientError::subxt)?;
	let regulator = storage
		.entry(api::storage().settlement().regulator_key())
		.map_err(ClientError::subxt)?
		.try_fetch(())
		.await
		.map_err(ClientError::subxt)?
		.map(|key| key.decode().map_err(ClientError::subxt))
		.transpose()?;
	Ok(recipients(sm2::Public(bank_key.0), regulator.map(|key| sm2::Public(key.0))))
}

/// The bank's key, then the regulator's unless it is the same key: an envelope names each
/// recipient once.
fn recipients(bank: sm2::Public, regulator: Option<sm2::Public>) -> Vec<sm2::Public> {
	let mut keys = vec![bank];
	keys.extend(regulator.filter(|key| *key != bank));
	keys
}

/// Seal the payee's `details` to `recipients` (see [`withdrawal_recipients`]) for `member`'s
/// withdrawal of `amount` of `asset`: the bytes to pass as `requestWithdrawal`'s `payee`.
pub fn seal_payee(
	recipients: &[sm2::Public],
	member: &AccountId32,
	asset: u32,
	amount: u128,
	details: &[u8],
) -> Result<Vec<u8>, ClientError> {
	let envelope = Envelope::seal(recipients, &withdrawal_aad(member, asset, amount), details)
		.map_err(|e| ClientError::Key(format!("cannot seal the payee details: {e:?}")))?;
	Ok(envelope.encode())
}

/// Open a withdrawal's payee details with a recipient's secret key (the bank's or the
/// regulator's). Fails unless the envelope is bound to this very member, asset and amount, and
/// sealed to this key.
pub fn open_payee(
	secret: &sm2::SecretKey,
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
	envelope.open(secret).map_err(|e| ClientError::Decode(format!("cannot open the payee details: {e:?}")))
}

/// A pending withdrawal request as stored on chain.
pub type Withdrawal = api::runtime_types::pallet_settlement::types::WithdrawalRequest<AccountId32>;

#[cfg(test)]
mod tests {
	use super::*;

	fn key(seed: u8) -> sm2::Public {
		sm2::SecretKey::from_bytes(&[seed; 32]).expect("a valid scalar").public()
	}

	#[test]
	fn a_withdrawal_is_sealed_to_the_bank_and_the_regulator_each_once() {
		assert_eq!(recipients(key(1), None), [key(1)]);
		assert_eq!(recipients(key(1), Some(key(2))), [key(1), key(2)]);
		assert_eq!(recipients(key(1), Some(key(1))), [key(1)], "the same key is one recipient");
		let sealed = seal_payee(&recipients(key(1), Some(key(1))), &AccountId32([7; 32]), 1000, 5, b"payee");
		assert!(sealed.is_ok(), "{sealed:?}");
	}
}
