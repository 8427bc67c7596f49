//! What an attestor needs to attest: the bytes of a claim it signs with SM2, exactly as the
//! runtime verifies them, and the signed `submit_claim` call. `client/tests/accounts.rs` pins the
//! payload against the runtime's `Claim::payload` for every statement.

use crate::{
	api::{
		self,
		runtime_types::pallet_compliance::types::{AmlResult, Board, Claim, RiskCategory, Statement},
	},
	ClientError,
};
use codec::{Compact, Encode};
use qingsuan_sm_crypto::sm2;
use subxt::utils::AccountId32;

/// The domain a claim's payload starts with.
pub const CLAIM_DOMAIN: &[u8] = b"qingsuan/claim/v1";

fn board(b: &Board) -> u8 {
	match b {
		Board::Main => 0,
		Board::Star => 1,
		Board::ChiNext => 2,
		Board::Bse => 3,
	}
}

/// SCALE of the statement's kind (`ClaimKind`) and of the statement itself.
fn kind_and_statement(statement: &Statement) -> (Vec<u8>, Vec<u8>) {
	match statement {
		Statement::Kyc => (vec![0], vec![0]),
		Statement::Aml(result) => {
			let result = match result {
				AmlResult::Passed => 0,
				AmlResult::Blocked => 1,
			};
			(vec![1], vec![1, result])
		},
		Statement::Risk(category) => {
			let category = match category {
				RiskCategory::C1 => 0,
				RiskCategory::C2 => 1,
				RiskCategory::C3 => 2,
				RiskCategory::C4 => 3,
				RiskCategory::C5 => 4,
			};
			(vec![2], vec![2, category])
		},
		Statement::Professional => (vec![3], vec![3]),
		Statement::Board(b) => (vec![4, board(b)], vec![4, board(b)]),
		Statement::Margin => (vec![5], vec![5]),
	}
}

/// The bytes the attestor signs: `SCALE(CLAIM_DOMAIN, genesis, attestor, kind, subject,
/// statement, issued_at, expires_at, nonce)`. The genesis hash binds the claim to one chain.
pub fn claim_payload(claim: &Claim<AccountId32>, genesis: &[u8; 32]) -> Vec<u8> {
	let (kind, statement) = kind_and_statement(&claim.statement);
	let mut out = Compact(CLAIM_DOMAIN.len() as u32).encode();
	out.extend_from_slice(CLAIM_DOMAIN);
	out.extend_from_slice(genesis);
	out.extend_from_slice(&claim.attestor.0);
	out.extend_from_slice(&kind);
	out.extend_from_slice(&claim.subject.0);
	out.extend_from_slice(&statement);
	out.extend_from_slice(&claim.issued_at.encode());
	out.extend_from_slice(&claim.expires_at.encode());
	out.extend_from_slice(&claim.nonce.encode());
	out
}

/// `claim` signed with the attestor's registered SM2 key, as the `Compliance::submit_claim`
/// call anyone may submit for it.
pub fn signed_claim(
	key: &sm2::SecretKey,
	claim: Claim<AccountId32>,
	genesis: &[u8; 32],
) -> Result<impl subxt::transactions::Payload, ClientError> {
	let signature = key
		.sign(&claim_payload(&claim, genesis))
		.map_err(|e| ClientError::Key(format!("cannot sign the claim with SM2: {e:?}")))?;
	Ok(api::tx().compliance().submit_claim(claim, signature_of(signature)))
}

fn signature_of(signature: sm2::Signature) -> api::compliance::calls::submit_claim::Signature {
	api::runtime_types::qingsuan_sm_crypto::sm2::Signature(signature.0)
}
