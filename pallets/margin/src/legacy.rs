//! What `MarginApi` returned before version 3, for the RPC to read older blocks: a contract with
//! one rate and positions without short sales.

use crate::{AccountView, Amount, AssetId, CaseReason, Contract, Day, Financing, PositionView, RiskZone, Short};
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A contract before version 3: one rate.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ContractV2 {
	/// The cash asset it lends and is valued in.
	pub cash: AssetId,
	/// The most financing debt (principal) the account may owe.
	pub line: Amount,
	/// Yearly interest, per million, on a 360-day year.
	pub rate: u32,
	/// The settlement day it was opened or last renewed.
	pub opened: Day,
	/// The first settlement day it no longer lends.
	pub expires: Day,
}

/// A position before version 3: no short sales.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct PositionViewV2 {
	/// The security.
	pub security: AssetId,
	/// Shares held.
	pub shares: Amount,
	/// Its mark.
	pub mark: Amount,
	/// Its conversion rate, per million.
	pub rate: u32,
	/// Its financing contract.
	pub financing: Financing,
}

/// `MarginApi::account`'s answer before version 3.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct AccountViewV2<AccountId> {
	/// Its owner.
	pub owner: AccountId,
	/// Their broker.
	pub broker: AccountId,
	/// Its contract.
	pub contract: ContractV2,
	/// Principal owed.
	pub debt: Amount,
	/// Interest owed.
	pub interest: Amount,
	/// Its cash.
	pub cash: Amount,
	/// Its positions.
	pub positions: alloc::vec::Vec<PositionViewV2>,
	/// Assets at the marks.
	pub assets: Amount,
	/// What it owes.
	pub liabilities: Amount,
	/// The maintenance ratio in basis points.
	pub ratio: Option<u128>,
	/// The available margin.
	pub available_margin: i128,
	/// Its zone.
	pub zone: RiskZone,
	/// An open call's deadline.
	pub call: Option<Day>,
	/// An open case.
	pub case: Option<CaseReason>,
	/// Its orders in the book.
	pub live_orders: u32,
}

impl<AccountId> From<AccountViewV2<AccountId>> for AccountView<AccountId> {
	/// The older view in today's shape: the one rate for both, no short sales.
	fn from(v: AccountViewV2<AccountId>) -> Self {
		let c = v.contract;
		AccountView {
			owner: v.owner,
			broker: v.broker,
			contract: Contract {
				cash: c.cash,
				line: c.line,
				rate: c.rate,
				short_rate: c.rate,
				opened: c.opened,
				expires: c.expires,
			},
			debt: v.debt,
			interest: v.interest,
			cash: v.cash,
			positions: v
				.positions
				.into_iter()
				.map(|p| PositionView {
					security: p.security,
					shares: p.shares,
					mark: p.mark,
					rate: p.rate,
					financing: p.financing,
					short: Short::default(),
				})
				.collect(),
			assets: v.assets,
			liabilities: v.liabilities,
			ratio: v.ratio,
			available_margin: v.available_margin,
			zone: v.zone,
			call: v.call,
			case: v.case,
			live_orders: v.live_orders,
		}
	}
}
