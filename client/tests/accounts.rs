//! The SDK's derived accounts and claim payload, pinned against the runtime's own functions.

use pallet_compliance::{AmlResult, Board, Claim, RiskCategory, Statement};
use qingsuan_client::{accounts, api::runtime_types::pallet_compliance::types as sdk, compliance, AccountId32};
use qingsuan_runtime::{AccountId, Runtime};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Eve};

fn sdk_account(a: &AccountId) -> AccountId32 {
	AccountId32(a.clone().into())
}

#[test]
fn derived_accounts_are_the_runtimes() {
	type Investors = pallet_investors::Pallet<Runtime>;
	type Margin = pallet_margin::Pallet<Runtime>;
	for broker in [Alice.to_account_id(), Bob.to_account_id()] {
		let b = sdk_account(&broker);
		for commitment in [[0u8; 32], [0x4D; 32]] {
			let investor = Investors::investor_account(&broker, &commitment);
			assert_eq!(accounts::investor_account(&b, &commitment), sdk_account(&investor));
			assert_eq!(
				accounts::credit_account(&sdk_account(&investor)),
				sdk_account(&Investors::credit_account(&investor))
			);
		}
		assert_eq!(accounts::client_money_account(&b), sdk_account(&Investors::client_money_account(&broker)));
		assert_eq!(accounts::financing_pool(&b), sdk_account(&Margin::financing_pool(&broker)));
		assert_eq!(accounts::lending_pool(&b), sdk_account(&Margin::lending_pool(&broker)));
	}
}

#[test]
fn claim_payloads_are_the_runtimes_for_every_statement() {
	let statements = [
		(Statement::Kyc, sdk::Statement::Kyc),
		(Statement::Aml(AmlResult::Passed), sdk::Statement::Aml(sdk::AmlResult::Passed)),
		(Statement::Aml(AmlResult::Blocked), sdk::Statement::Aml(sdk::AmlResult::Blocked)),
		(Statement::Risk(RiskCategory::C1), sdk::Statement::Risk(sdk::RiskCategory::C1)),
		(Statement::Risk(RiskCategory::C2), sdk::Statement::Risk(sdk::RiskCategory::C2)),
		(Statement::Risk(RiskCategory::C3), sdk::Statement::Risk(sdk::RiskCategory::C3)),
		(Statement::Risk(RiskCategory::C4), sdk::Statement::Risk(sdk::RiskCategory::C4)),
		(Statement::Risk(RiskCategory::C5), sdk::Statement::Risk(sdk::RiskCategory::C5)),
		(Statement::Professional, sdk::Statement::Professional),
		(Statement::Board(Board::Main), sdk::Statement::Board(sdk::Board::Main)),
		(Statement::Board(Board::Star), sdk::Statement::Board(sdk::Board::Star)),
		(Statement::Board(Board::ChiNext), sdk::Statement::Board(sdk::Board::ChiNext)),
		(Statement::Board(Board::Bse), sdk::Statement::Board(sdk::Board::Bse)),
		(Statement::Margin, sdk::Statement::Margin),
	];
	let genesis = [0x47; 32];
	let (attestor, subject) = (Eve.to_account_id(), Alice.to_account_id());
	for (i, (runtime, sdk_statement)) in statements.into_iter().enumerate() {
		let i = i as u64;
		let claim = Claim {
			attestor: attestor.clone(),
			subject: subject.clone(),
			statement: runtime,
			issued_at: 1_700_000_000_000 + i,
			expires_at: 1_800_000_000_000 + i,
			nonce: i + 1,
		};
		let sdk_claim = sdk::Claim {
			attestor: sdk_account(&attestor),
			subject: sdk_account(&subject),
			statement: sdk_statement,
			issued_at: claim.issued_at,
			expires_at: claim.expires_at,
			nonce: claim.nonce,
		};
		assert_eq!(compliance::claim_payload(&sdk_claim, &genesis), claim.payload(&genesis), "{:?}", claim.statement);
	}
}
