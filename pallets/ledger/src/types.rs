//! The ledger's stored types: instruments and asset accounts.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use qingsuan_primitives::market::{Amount, AssetClass, InstrumentStatus};
use scale_info::TypeInfo;

/// Longest exchange code of a security (for example `600519`).
pub type MaxCodeLen = ConstU32<12>;
/// Longest instrument name, in bytes of UTF-8.
pub type MaxNameLen = ConstU32<64>;
/// An exchange code.
pub type Code = BoundedVec<u8, MaxCodeLen>;
/// An instrument name.
pub type Name = BoundedVec<u8, MaxNameLen>;
/// An ISIN (ISO 6166): 2-letter country, 9 alphanumerics, 1 check digit.
pub type Isin = [u8; 12];
/// An ISO 4217 currency code, for example `*b"CNY"`.
pub type Currency = [u8; 3];

/// A security's reference data.
#[derive(
	Clone,
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
pub struct SecurityInfo {
	/// Exchange code.
	pub code: Code,
	/// ISIN, validated with its check digit.
	pub isin: Isin,
	/// Display name (UTF-8).
	pub name: Name,
	/// Orders are in multiples of this many units.
	pub lot_size: Amount,
	/// Prices are multiples of this many smallest cash units.
	pub tick_size: Amount,
}

/// A cash asset's reference data.
#[derive(
	Clone,
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
pub struct CashInfo<AccountId> {
	/// ISO 4217 code.
	pub currency: Currency,
	/// The clearing bank holding the fiat this asset stands for; only it mints and burns it.
	pub bank: AccountId,
}

/// What an instrument is.
#[derive(
	Clone,
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
pub enum InstrumentKind<AccountId> {
	/// A security.
	Security(SecurityInfo),
	/// A cash asset.
	Cash(CashInfo<AccountId>),
}

/// A registered instrument.
#[derive(
	Clone,
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
pub struct Instrument<AccountId> {
	/// Reference data.
	pub kind: InstrumentKind<AccountId>,
	/// Trading status.
	pub status: InstrumentStatus,
}

impl<AccountId> Instrument<AccountId> {
	/// Security or cash.
	pub fn class(&self) -> AssetClass {
		match self.kind {
			InstrumentKind::Security(_) => AssetClass::Security,
			InstrumentKind::Cash(_) => AssetClass::Cash,
		}
	}
}

/// An amount held for one reason.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Hold<Reason> {
	/// Why it is held.
	pub reason: Reason,
	/// How much.
	pub amount: Amount,
}

/// One account's balance of one asset.
///
/// Holds sit inside the account record, so moving a held amount touches one storage item.
#[derive(PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxHolds))]
#[codec(mel_bound(Reason: MaxEncodedLen))]
pub struct AssetAccount<Reason, MaxHolds: frame_support::traits::Get<u32>> {
	/// Spendable.
	pub free: Amount,
	/// Held amounts, at most one entry per reason, none of them zero.
	pub holds: BoundedVec<Hold<Reason>, MaxHolds>,
}

// By hand: a derive would ask `MaxHolds`, a bound, to be `Clone`.
impl<Reason: Clone, MaxHolds: frame_support::traits::Get<u32>> Clone for AssetAccount<Reason, MaxHolds> {
	fn clone(&self) -> Self {
		Self { free: self.free, holds: self.holds.clone() }
	}
}

impl<Reason: PartialEq, MaxHolds: frame_support::traits::Get<u32>> Default for AssetAccount<Reason, MaxHolds> {
	fn default() -> Self {
		Self { free: 0, holds: BoundedVec::new() }
	}
}

impl<Reason: PartialEq, MaxHolds: frame_support::traits::Get<u32>> AssetAccount<Reason, MaxHolds> {
	/// The sum of all holds. Cannot overflow: it is part of the asset's total issuance.
	pub fn held(&self) -> Amount {
		self.holds.iter().fold(0, |acc: Amount, h| acc.saturating_add(h.amount))
	}

	/// Free plus held.
	pub fn total(&self) -> Amount {
		self.free.saturating_add(self.held())
	}

	/// The amount held for `reason`.
	pub fn held_for(&self, reason: &Reason) -> Amount {
		self.holds.iter().find(|h| &h.reason == reason).map_or(0, |h| h.amount)
	}

	/// Set the amount held for `reason` (removing the entry at zero); `Err` if a new reason
	/// would exceed `MaxHolds`.
	pub fn set_hold(&mut self, reason: Reason, amount: Amount) -> Result<(), HoldsFull> {
		match self.holds.iter().position(|h| h.reason == reason) {
			Some(i) if amount == 0 => {
				self.holds.remove(i);
			},
			Some(i) => self.holds[i].amount = amount,
			None if amount == 0 => {},
			None => self.holds.try_push(Hold { reason, amount }).map_err(|_| HoldsFull)?,
		}
		Ok(())
	}

	/// Whether nothing is left (the record can go).
	pub fn is_empty(&self) -> bool {
		self.free == 0 && self.holds.is_empty()
	}
}

/// Whether `isin` is a well-formed ISIN with a correct check digit (ISO 6166, Luhn over the
/// letters expanded to two digits each).
pub fn isin_is_valid(isin: &Isin) -> bool {
	if !isin[..2].iter().all(u8::is_ascii_uppercase)
		|| !isin[2..11].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
		|| !isin[11].is_ascii_digit()
	{
		return false;
	}
	let mut digits = [0u8; 24];
	let mut n = 0;
	for &c in isin {
		if c.is_ascii_digit() {
			digits[n] = c - b'0';
			n += 1;
		} else {
			let v = c - b'A' + 10;
			digits[n] = v / 10;
			digits[n + 1] = v % 10;
			n += 2;
		}
	}
	let sum: u32 = digits[..n]
		.iter()
		.rev()
		.enumerate()
		.map(|(i, &d)| {
			let d = u32::from(d);
			if i % 2 == 1 {
				let d2 = d * 2;
				if d2 > 9 {
					d2 - 9
				} else {
					d2
				}
			} else {
				d
			}
		})
		.sum();
	sum.is_multiple_of(10)
}

/// The ISIN whose first eleven characters are `body`, with its check digit (for benchmarks and
/// set-up code that registers many securities). `None` if `body` is not an ISIN's.
pub fn isin_with_check_digit(body: [u8; 11]) -> Option<Isin> {
	(b'0'..=b'9').find_map(|digit| {
		let mut isin = [0u8; 12];
		isin[..11].copy_from_slice(&body);
		isin[11] = digit;
		isin_is_valid(&isin).then_some(isin)
	})
}

/// A valid ISIN of its own for each `n`: `BM`, `n` in nine digits, the check digit (for
/// benchmarks and set-up code).
pub fn numbered_isin(n: u32) -> Isin {
	let mut body = *b"BM000000000";
	let mut rest = n;
	for digit in body[2..].iter_mut().rev() {
		*digit = b'0' + (rest % 10) as u8;
		rest /= 10;
	}
	// One of the ten check digits always completes the Luhn sum: the fallback is never taken.
	isin_with_check_digit(body).unwrap_or(*b"BM0000000000")
}

/// An account already holds for `MaxHolds` reasons: a hold for another one cannot be added.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HoldsFull;
