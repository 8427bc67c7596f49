//! The investors pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Whether a regulator froze an investor account.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum InvestorStatus {
	/// It may trade.
	Active,
	/// A regulator froze it: no orders; its balances stay.
	Frozen,
	/// A credit account frozen because a regulator froze its owner: it thaws with its owner.
	FrozenWithOwner,
}

impl InvestorStatus {
	/// Whether it is frozen, on its own or with its owner.
	pub fn is_frozen(self) -> bool {
		self != InvestorStatus::Active
	}
}

/// An investor account's registry entry.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct InvestorInfo<AccountId, BlockNumber> {
	/// The broker that acts for it.
	pub broker: AccountId,
	/// Active or frozen.
	pub status: InvestorStatus,
	/// The block it was opened in.
	pub opened_at: BlockNumber,
	/// For a credit account (信用证券账户), the investor account it belongs to; `None` for an
	/// ordinary investor account.
	pub credit_of: Option<AccountId>,
}

/// [`InvestorInfo`] of a runtime.
pub type InvestorOf<T> =
	InvestorInfo<<T as frame_system::Config>::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// The domain of investor account ids: `SM3(INVESTOR_DOMAIN ‖ broker ‖ commitment)`.
pub const INVESTOR_DOMAIN: &[u8] = b"qingsuan/investor/v1";
/// The domain of credit account ids: `SM3(CREDIT_DOMAIN ‖ owner)`.
pub const CREDIT_DOMAIN: &[u8] = b"qingsuan/credit/v1";
/// The domain of client-money account ids: `SM3(CLIENT_MONEY_DOMAIN ‖ broker)`.
pub const CLIENT_MONEY_DOMAIN: &[u8] = b"qingsuan/client-money/v1";
