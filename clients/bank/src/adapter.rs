//! The core-banking adapter: what the client asks the bank's own systems.
//!
//! A bank writes its own by implementing [`CoreBanking`] over its core system's API. Two rules
//! make the client restart-safe:
//! - `withdraw` is idempotent per request id: asked again for the same id (after a crash between
//!   the payment and the client's record of it), it returns the first answer and pays nothing;
//! - `deposit` only reads (has the money arrived?) and records the credit under the request id.

use qingsuan_client::AccountId32;

/// A member's request to move cash into or out of the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
	/// The chain's request id (one sequence for deposits and withdrawals).
	pub id: u64,
	/// The member.
	pub member: AccountId32,
	/// The cash asset.
	pub asset: u32,
	/// The amount, in the asset's smallest unit (fen).
	pub amount: u128,
}

/// What the bank decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
	/// Credit the deposit / the withdrawal was paid, with the core system's reference.
	Approve(String),
	/// Refuse it, with the reason.
	Reject(String),
	/// Not yet (a deposit whose money has not arrived): ask again later.
	Wait,
}

/// What the core system holds, for reconciliation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
	/// Deposits credited (approved).
	pub deposited: u128,
	/// Withdrawals paid.
	pub withdrawn: u128,
}

/// The bank's core system, as the settlement client sees it.
pub trait CoreBanking: Send {
	/// Has the money for deposit `request` arrived (wired with the reference
	/// [`deposit_reference`])? `Approve` records the credit under the request id.
	fn deposit(&mut self, request: &Request) -> Result<Decision, String>;

	/// Pay withdrawal `request` to the payee whose details (opened from the member's sealed
	/// envelope) are `payee`; `None` when the envelope could not be opened. Idempotent per
	/// request id.
	fn withdraw(&mut self, request: &Request, payee: Option<&[u8]>) -> Result<Decision, String>;

	/// What has been credited and paid for the cash asset `asset`.
	fn totals(&self, asset: u32) -> Result<Totals, String>;
}

/// The reference a member wires a deposit's money with: `QS-D<id>`.
pub fn deposit_reference(id: u64) -> String {
	format!("QS-D{id}")
}
