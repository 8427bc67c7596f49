//! The compliance pallet's types: claims, products and their rules.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec, PalletError};
use scale_info::TypeInfo;

/// The domain tag every signed claim payload starts with.
pub const CLAIM_DOMAIN: &[u8] = b"qingsuan/claim/v1";

/// Most conditions in one of a product's lists.
pub const MAX_CONDITIONS: u32 = 8;

/// A board of the exchanges. The main boards need no permission; each other board needs the
/// investor's permission claim for it (in the default rules, [`Product::defaults`]).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PalletError,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Board {
	/// The SSE and SZSE main boards.
	Main,
	/// The STAR Market (科创板).
	Star,
	/// ChiNext (创业板).
	ChiNext,
	/// The Beijing Stock Exchange (北交所).
	Bse,
}

/// An investor's risk category (C1 the most cautious, C5 the most aggressive).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum RiskCategory {
	/// C1: conservative (includes the lowest-capacity investors).
	C1,
	/// C2: cautious.
	C2,
	/// C3: balanced.
	C3,
	/// C4: growth.
	C4,
	/// C5: aggressive.
	C5,
}

/// A product's risk level (R1 the lowest, R5 the highest).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum RiskLevel {
	/// R1: low.
	R1,
	/// R2: medium-low.
	R2,
	/// R3: medium.
	R3,
	/// R4: medium-high.
	R4,
	/// R5: high.
	R5,
}

impl RiskCategory {
	/// Whether an investor of this category may acquire a product of `level` (Ck ≥ Rk).
	pub fn suits(self, level: RiskLevel) -> bool {
		self as u8 >= level as u8
	}
}

/// The outcome of anti-money-laundering screening.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum AmlResult {
	/// Screened, nothing found.
	Passed,
	/// Screened and blocked: the account may neither acquire nor sell.
	Blocked,
}

/// What a claim states about its subject.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Statement {
	/// Real-name identity verified (实名制, KYC).
	Kyc,
	/// Anti-money-laundering screening, with its outcome.
	Aml(AmlResult),
	/// The investor's risk category from the suitability assessment.
	Risk(RiskCategory),
	/// A professional investor (专业投资者): suitable for every risk level.
	Professional,
	/// Permission to trade on a board.
	Board(Board),
	/// Approved for margin trading (融资融券).
	Margin,
}

/// The kind of a claim: what the trust lists and the rules name. A subject holds at most one
/// valid claim of each kind from each attestor.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PalletError,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ClaimKind {
	/// [`Statement::Kyc`].
	Kyc,
	/// [`Statement::Aml`].
	Aml,
	/// [`Statement::Risk`].
	Risk,
	/// [`Statement::Professional`].
	Professional,
	/// [`Statement::Board`] for this board.
	Board(Board),
	/// [`Statement::Margin`].
	Margin,
}

impl ClaimKind {
	/// Every kind.
	pub const ALL: [ClaimKind; 9] = [
		ClaimKind::Kyc,
		ClaimKind::Aml,
		ClaimKind::Risk,
		ClaimKind::Professional,
		ClaimKind::Board(Board::Main),
		ClaimKind::Board(Board::Star),
		ClaimKind::Board(Board::ChiNext),
		ClaimKind::Board(Board::Bse),
		ClaimKind::Margin,
	];
}

/// How many claim kinds there are: the most entries the global trust table has.
pub const MAX_KINDS: u32 = ClaimKind::ALL.len() as u32;

impl Statement {
	/// This statement's kind.
	pub fn kind(&self) -> ClaimKind {
		match self {
			Statement::Kyc => ClaimKind::Kyc,
			Statement::Aml(_) => ClaimKind::Aml,
			Statement::Risk(_) => ClaimKind::Risk,
			Statement::Professional => ClaimKind::Professional,
			Statement::Board(b) => ClaimKind::Board(*b),
			Statement::Margin => ClaimKind::Margin,
		}
	}

	/// Whether this statement, where a rule asks for a claim of its kind, satisfies it (a
	/// `Blocked` AML outcome is an AML claim that fails `Has(Aml)`).
	pub fn affirms(&self) -> bool {
		!matches!(self, Statement::Aml(AmlResult::Blocked))
	}
}

/// A claim as an attestor signs it, off chain. The signed message is [`Claim::payload`].
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Claim<AccountId> {
	/// The attestor that signed it.
	pub attestor: AccountId,
	/// The account it is about.
	pub subject: AccountId,
	/// What it states.
	pub statement: Statement,
	/// When it was issued: Unix time, milliseconds.
	pub issued_at: u64,
	/// When it stops being valid: Unix time, milliseconds (exclusive).
	pub expires_at: u64,
	/// Above every earlier nonce of this attestor for this subject and kind: a replayed or
	/// superseded claim is refused.
	pub nonce: u64,
}

impl<AccountId: Encode> Claim<AccountId> {
	/// The bytes the attestor signs with SM2 (SM3 with the GB/T 32918 `Z_A` of the default user
	/// identity): `SCALE(CLAIM_DOMAIN, genesis, attestor, kind, subject, statement, issued_at,
	/// expires_at, nonce)`. The genesis hash binds it to one chain, the attestor's account to its
	/// signer (another attestor registering the same key cannot submit it as its own).
	pub fn payload(&self, genesis: &[u8; 32]) -> alloc::vec::Vec<u8> {
		(
			CLAIM_DOMAIN,
			genesis,
			&self.attestor,
			self.statement.kind(),
			&self.subject,
			self.statement,
			self.issued_at,
			self.expires_at,
			self.nonce,
		)
			.encode()
	}
}

/// A claim as a profile keeps it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct HeldClaim<AccountId> {
	/// What it states.
	pub statement: Statement,
	/// Who signed it.
	pub attestor: AccountId,
	/// Unix time, milliseconds, from which it no longer counts.
	pub expires_at: u64,
}

/// A condition of a product's rules, evaluated for the account whose position would change.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Condition {
	/// The account is not frozen by a regulator.
	NotFrozen,
	/// No valid AML claim of a trusted attestor says `Blocked`.
	NotBlocked,
	/// A valid, affirming claim of this kind from an attestor trusted for it.
	Has(ClaimKind),
	/// A valid `Risk(Ck)` claim with `Ck ≥` the product's level, or a valid `Professional` one.
	Suitable,
}

/// A list of conditions.
pub type Conditions = BoundedVec<Condition, ConstU32<MAX_CONDITIONS>>;

/// Attestors trusted for one claim kind.
pub type TrustList<AccountId, MaxTrusted> = BoundedVec<AccountId, MaxTrusted>;

/// Attestors trusted per claim kind: at most one entry per kind.
pub type TrustTable<AccountId, MaxTrusted> =
	BoundedVec<(ClaimKind, TrustList<AccountId, MaxTrusted>), ConstU32<MAX_KINDS>>;

/// The attestors `table` trusts for `kind` (none if it has no entry for it).
pub fn trusted_in<AccountId, MaxTrusted: frame_support::traits::Get<u32>>(
	table: &TrustTable<AccountId, MaxTrusted>,
	kind: ClaimKind,
) -> Option<&[AccountId]> {
	table.iter().find(|(k, _)| *k == kind).map(|(_, list)| list.as_slice())
}

/// Set `table`'s entry for `kind` to `list`, or remove it if `list` is empty.
pub fn set_trust_entry<AccountId, MaxTrusted: frame_support::traits::Get<u32>>(
	table: &mut TrustTable<AccountId, MaxTrusted>,
	kind: ClaimKind,
	list: TrustList<AccountId, MaxTrusted>,
) {
	table.retain(|(k, _)| *k != kind);
	if !list.is_empty() {
		// One entry per kind and `MAX_KINDS` kinds: there is always room.
		let _ = table.try_push((kind, list));
	}
}

/// A security as compliance classifies it, with its rules.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxTrusted))]
pub struct Product<AccountId, MaxTrusted: frame_support::traits::Get<u32>> {
	/// Its risk level.
	pub level: RiskLevel,
	/// The board it trades on.
	pub board: Board,
	/// What an account must satisfy to acquire it (a buy, a receiving leg).
	pub increase: Conditions,
	/// What an account must satisfy to dispose of it (a sell, a delivering leg).
	pub decrease: Conditions,
	/// Attestors trusted for a claim kind for this product, instead of the global list.
	pub trust: TrustTable<AccountId, MaxTrusted>,
}

pub use qingsuan_primitives::market::Direction;

impl<AccountId, MaxTrusted: frame_support::traits::Get<u32>> Product<AccountId, MaxTrusted> {
	/// A product of `level` on `board` with the default rules: to acquire, `NotFrozen,
	/// NotBlocked, Has(Kyc), Has(Aml), Suitable`, and `Has(Board(board))` off the main board; to
	/// dispose, `NotFrozen, NotBlocked` (suitability limits what an investor acquires, not its
	/// exit).
	pub fn defaults(level: RiskLevel, board: Board) -> Self {
		let mut increase = alloc::vec![
			Condition::NotFrozen,
			Condition::NotBlocked,
			Condition::Has(ClaimKind::Kyc),
			Condition::Has(ClaimKind::Aml),
			Condition::Suitable,
		];
		if board != Board::Main {
			increase.push(Condition::Has(ClaimKind::Board(board)));
		}
		Product {
			level,
			board,
			increase: BoundedVec::truncate_from(increase),
			decrease: BoundedVec::truncate_from(alloc::vec![Condition::NotFrozen, Condition::NotBlocked]),
			trust: BoundedVec::new(),
		}
	}

	/// The conditions for a change in `direction`.
	pub fn conditions(&self, direction: Direction) -> &[Condition] {
		match direction {
			Direction::Increase => &self.increase,
			Direction::Decrease => &self.decrease,
		}
	}
}
