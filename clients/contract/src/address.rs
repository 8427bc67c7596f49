//! Accounts and contract addresses, mapped as the runtime maps them (pallet-revive's
//! `AccountId32Mapper`, every account mapped when it is created):
//!
//! - an account's contract address is the last 20 bytes of `keccak256(account id)`;
//! - a contract's account id is its address followed by twelve `0xEE` bytes (the "fallback"
//!   account; it is what a broker approves with `settlement.approveContract`).

use alloy_primitives::{keccak256, Address};
use qingsuan_client::{
	keys::{Keypair, Scheme},
	AccountId32,
};

/// The contract address of `account`: what `msg.sender` is when it calls a contract.
pub fn of(account: &AccountId32) -> Address {
	if account.0[20..].iter().all(|b| *b == 0xEE) {
		// An account that is an Ethereum address: the address itself.
		return Address::from_slice(&account.0[..20]);
	}
	Address::from_slice(&keccak256(account.0)[12..])
}

/// The account id of the contract at `address`.
pub fn contract_account(address: &Address) -> AccountId32 {
	let mut id = [0xEE; 32];
	id[..20].copy_from_slice(address.as_slice());
	AccountId32(id)
}

/// An address given as 0x-hex of 20 bytes, or an account given as SS58, 0x-hex of 32 bytes or a
/// sr25519 secret URI (`//Alice`), as its contract address.
pub fn parse(s: &str) -> Result<Address, String> {
	let s = s.trim();
	if s.starts_with("0x") && s.len() == 42 {
		return s.parse().map_err(|e| format!("{s:?} is not an address: {e}"));
	}
	if s.starts_with("//") {
		let key = Keypair::from_secret(Scheme::Sr25519, s).map_err(|e| format!("{s:?} is not a secret URI: {e}"))?;
		return Ok(of(&key.account_id()));
	}
	qingsuan_client::accounts::parse(s)
		.map(|account| of(&account))
		.map_err(|e| format!("{e} (nor a 0x address of 20 bytes, nor a development key like //Alice)"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accounts_map_as_the_runtime_maps_them() {
		// Pinned against the runtime's `address_of` (runtime/tests/integration/contracts.rs
		// checks the runtime side): Alice's sr25519 account.
		let alice = qingsuan_client::accounts::parse("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").expect("SS58");
		assert_eq!(of(&alice), "0x9621dde636de098b43efb0fa9b61facfe328f99d".parse::<Address>().expect("hex"));
		assert_eq!(parse("//Alice").expect("a dev key"), of(&alice));
		assert_eq!(parse("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").expect("SS58"), of(&alice));
		// An Ethereum-derived account and a contract's account map back to their address.
		let contract: Address = "0x00000000000000000000000000000000000000aa".parse().expect("hex");
		assert_eq!(of(&contract_account(&contract)), contract);
		assert!(parse("0x1234").is_err());
		assert!(parse("5Grw").is_err());
	}
}
