//! The settlement pallet's stored and reported types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use qingsuan_primitives::market::{Amount, AssetId, Day, SettlementId};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Identifier of a settlement instruction.
pub type InstructionId = u64;
/// Identifier of a deposit or withdrawal request.
pub type RequestId = u64;

/// One movement of an instruction: `amount` of `asset` from `from` to `to`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Leg<AccountId> {
	/// The delivering party.
	pub from: AccountId,
	/// The receiving party.
	pub to: AccountId,
	/// The asset moved.
	pub asset: AssetId,
	/// The amount moved, in the asset's smallest unit.
	pub amount: Amount,
}

/// A party of an instruction and who affirmed for it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Party<AccountId> {
	/// The party.
	pub who: AccountId,
	/// The broker that affirmed for it (the party itself for a broker's own account), once it
	/// has; its deliveries are then held. The affirmation counts while that broker acts for it.
	pub affirmed_by: Option<AccountId>,
}

/// A pending settlement instruction.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxLegs, MaxParties))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Instruction<AccountId, BlockNumber, MaxLegs: Get<u32>, MaxParties: Get<u32>> {
	/// The member that created it.
	pub creator: AccountId,
	/// The movements, settled together or not at all.
	pub legs: BoundedVec<Leg<AccountId>, MaxLegs>,
	/// Every account that delivers or receives, once each, in order of first appearance.
	pub parties: BoundedVec<Party<AccountId>, MaxParties>,
	/// The first block it may settle in.
	pub settle_at: BlockNumber,
	/// The block at which, if not settled, it expires and its holds are released.
	pub expires_at: BlockNumber,
}

impl<AccountId: PartialEq, BlockNumber, MaxLegs: Get<u32>, MaxParties: Get<u32>>
	Instruction<AccountId, BlockNumber, MaxLegs, MaxParties>
{
	/// Whether every party has affirmed.
	pub fn fully_affirmed(&self) -> bool {
		self.parties.iter().all(|p| p.affirmed_by.is_some())
	}

	/// Whether `who` has affirmed.
	pub fn has_affirmed(&self, who: &AccountId) -> bool {
		self.parties.iter().any(|p| &p.who == who && p.affirmed_by.is_some())
	}
}

/// A settled exchange trade.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct TradeRecord<AccountId> {
	/// Received the securities, paid cash and fees.
	pub buyer: AccountId,
	/// Delivered the securities, received cash less fees.
	pub seller: AccountId,
	/// The security.
	pub security: AssetId,
	/// The cash asset.
	pub cash: AssetId,
	/// Units of the security.
	pub quantity: Amount,
	/// Price per unit in the cash asset's smallest unit.
	pub price: Amount,
	/// `quantity * price`.
	pub cash_amount: Amount,
	/// Fees the buyer paid on top of `cash_amount`.
	pub buyer_fee: Amount,
	/// Fees and taxes deducted from the seller's proceeds (stamp duty included).
	pub seller_fee: Amount,
	/// The stamp duty part of `seller_fee`.
	pub stamp_duty: Amount,
}

/// What a settlement record settled.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxLegs))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub enum Settled<AccountId, MaxLegs: Get<u32>> {
	/// An exchange trade (delivery versus payment).
	Trade(TradeRecord<AccountId>),
	/// A settlement instruction, with the legs it moved.
	Instruction {
		/// The instruction's id.
		id: InstructionId,
		/// Its legs.
		legs: BoundedVec<Leg<AccountId>, MaxLegs>,
	},
	/// A settlement contract's settlement, with the legs it moved out of its holds.
	Contract {
		/// The contract's account.
		contract: AccountId,
		/// Its legs.
		legs: BoundedVec<Leg<AccountId>, MaxLegs>,
	},
}

/// One settlement: a trade or an instruction, final once its block is.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxLegs))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct SettlementRecord<AccountId, BlockNumber, MaxLegs: Get<u32>> {
	/// What was settled.
	pub settled: Settled<AccountId, MaxLegs>,
	/// The block it settled in.
	pub block: BlockNumber,
	/// The settlement day.
	pub day: Day,
}

/// A settlement day's hash chain: how many settlements it has and the SM3 chain over them in
/// order, `head_n = SM3(head_{n-1} ‖ SCALE((id_n, record_n)))` from 32 zero bytes. Anyone with
/// the day's records (a bank's or regulator's archive, the node's trade store) proves them
/// complete and untampered by recomputing it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct DayDigest {
	/// Settlements of the day.
	pub count: u64,
	/// The chain's head after the last of them.
	pub head: [u8; 32],
}

/// Where the next settlement record goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Cursor {
	/// The next settlement id.
	pub next: SettlementId,
	/// The day of the last record, if any.
	pub day: Option<Day>,
}

/// Fees charged on every exchange trade, as fractions of its cash amount (rounded up).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct FeeSchedule {
	/// Handling fee, charged to buyer and seller each, paid to the fee account.
	pub handling: Perbill,
	/// Stamp duty, charged to the seller, paid to the tax account.
	pub stamp_duty: Perbill,
}

/// A member's request to turn fiat at a clearing bank into cash on chain.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct DepositRequest<AccountId> {
	/// The member to credit.
	pub member: AccountId,
	/// The cash asset.
	pub asset: AssetId,
	/// The amount.
	pub amount: Amount,
}

/// A member's request to pay cash out to a bank account; the cash is held meanwhile.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxEnvelopeLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct WithdrawalRequest<AccountId, MaxEnvelopeLen: Get<u32>> {
	/// The member paid out.
	pub member: AccountId,
	/// The cash asset.
	pub asset: AssetId,
	/// The amount.
	pub amount: Amount,
	/// The payee's bank account details: a SCALE-encoded SM2/SM4 envelope to the bank's key.
	pub payee: BoundedVec<u8, MaxEnvelopeLen>,
}

/// Confirmed cash flows of one cash asset.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct CashTotals {
	/// All deposits the bank confirmed.
	pub deposited: Amount,
	/// All withdrawals the bank confirmed.
	pub withdrawn: Amount,
}

/// One member's gross movements of one asset over a settlement day.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct NetPosition<AccountId> {
	/// The account.
	pub account: AccountId,
	/// The asset.
	pub asset: AssetId,
	/// What it received.
	pub received: Amount,
	/// What it delivered or paid (fees included).
	pub delivered: Amount,
}

/// The associated data a withdrawal's payee envelope must carry: it binds the envelope to the
/// member, asset and amount, so it cannot be replayed onto another withdrawal.
pub fn withdrawal_aad<AccountId: Encode>(member: &AccountId, asset: AssetId, amount: Amount) -> alloc::vec::Vec<u8> {
	(b"qingsuan/withdrawal/v1", member, asset, amount).encode()
}
