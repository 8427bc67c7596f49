//! The ids of accounts nobody holds a key for, derived as the runtime derives them:
//! `SM3(domain ‖ SCALE(parts)…)`. A broker computes its investors' and their credit accounts'
//! ids before opening them; `client/tests/accounts.rs` pins each against the runtime.

use qingsuan_sm_crypto::sm3::sm3;
use std::str::FromStr;
use subxt::utils::AccountId32;

/// The domain of an investor account: `SM3(INVESTOR_DOMAIN ‖ broker ‖ commitment)`.
pub const INVESTOR_DOMAIN: &[u8] = b"qingsuan/investor/v1";
/// The domain of an investor's credit account: `SM3(CREDIT_DOMAIN ‖ owner)`.
pub const CREDIT_DOMAIN: &[u8] = b"qingsuan/credit/v1";
/// The domain of a broker's client-money account: `SM3(CLIENT_MONEY_DOMAIN ‖ broker)`.
pub const CLIENT_MONEY_DOMAIN: &[u8] = b"qingsuan/client-money/v1";
/// The domain of a broker's margin financing pool: `SM3(FINANCING_POOL_DOMAIN ‖ broker)`.
pub const FINANCING_POOL_DOMAIN: &[u8] = b"qingsuan/margin/financing/v1";
/// The domain of a broker's securities lending pool: `SM3(LENDING_POOL_DOMAIN ‖ broker)`.
pub const LENDING_POOL_DOMAIN: &[u8] = b"qingsuan/margin/lending/v1";

fn derived(domain: &[u8], parts: &[&[u8]]) -> AccountId32 {
	let mut data = domain.to_vec();
	for part in parts {
		data.extend_from_slice(part);
	}
	AccountId32(sm3(&data))
}

/// The investor account `broker` opens under `commitment` (the hash of the investor's identity
/// data the broker keeps off chain).
pub fn investor_account(broker: &AccountId32, commitment: &[u8; 32]) -> AccountId32 {
	derived(INVESTOR_DOMAIN, &[&broker.0, commitment])
}

/// The credit (margin) account of the investor account `owner`.
pub fn credit_account(owner: &AccountId32) -> AccountId32 {
	derived(CREDIT_DOMAIN, &[&owner.0])
}

/// `broker`'s client-money account, which funds its investors' cash.
pub fn client_money_account(broker: &AccountId32) -> AccountId32 {
	derived(CLIENT_MONEY_DOMAIN, &[&broker.0])
}

/// `broker`'s margin financing pool.
pub fn financing_pool(broker: &AccountId32) -> AccountId32 {
	derived(FINANCING_POOL_DOMAIN, &[&broker.0])
}

/// `broker`'s securities lending pool.
pub fn lending_pool(broker: &AccountId32) -> AccountId32 {
	derived(LENDING_POOL_DOMAIN, &[&broker.0])
}

/// An account id given as SS58 or as 0x-prefixed hex of its 32 bytes.
pub fn parse(s: &str) -> Result<AccountId32, String> {
	let s = s.trim();
	if let Some(hex_id) = s.strip_prefix("0x") {
		let bytes: [u8; 32] = hex::decode(hex_id)
			.ok()
			.and_then(|b| b.try_into().ok())
			.ok_or_else(|| format!("{s:?} is not a 32-byte hex account id"))?;
		return Ok(AccountId32(bytes));
	}
	AccountId32::from_str(s).map_err(|e| format!("{s:?} is not an SS58 account id: {e:?}"))
}
