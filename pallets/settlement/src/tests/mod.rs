//! Tests of the settlement pallet: every call's bad origin, each error, success and events;
//! `settle_trade`'s atomicity; records and the net report; property tests of conservation.
//! Every scenario ends with both pallets' `do_try_state`.

mod bank;
mod contracts;
mod instructions;
mod investors;
mod properties;
mod records;
mod trade;

use crate::mock::*;
use frame_support::traits::tokens::fungibles::{Inspect, InspectHold, MutateHold};
use qingsuan_primitives::market::{Amount, AssetId};

/// The order book's hold reason in the mock.
pub fn order_hold() -> RuntimeHoldReason {
	orders::HoldReason::OpenOrder.into()
}

/// The instruction hold reason.
pub fn instruction_hold() -> RuntimeHoldReason {
	crate::HoldReason::Instruction.into()
}

/// Free balance.
pub fn free(asset: AssetId, who: u64) -> Amount {
	Ledger::balance(asset, &who)
}

/// Held for `reason`.
pub fn held(asset: AssetId, who: u64, reason: RuntimeHoldReason) -> Amount {
	Ledger::balance_on_hold(asset, &reason, &who)
}

/// Hold for an open order, as the order book would.
pub fn hold_for_order(asset: AssetId, who: u64, amount: Amount) {
	Ledger::hold(asset, &order_hold(), &who, amount).expect("test set-up holds what the account has");
}

/// Every event of the settlement pallet so far.
pub fn settlement_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Settlement(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The settlements announced so far, rebuilt from their events as the node's trade store
/// rebuilds them (records are not kept in state).
pub fn settled() -> Vec<(crate::SettlementId, crate::SettledOf<Test>)> {
	settlement_events().into_iter().filter_map(crate::Event::settlement).collect()
}

/// A member's signed origin.
pub fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}
