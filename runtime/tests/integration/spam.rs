//! What abuse costs: who may sign what (`check_caller`), and the fee levels.

use super::run;
use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
use pallet_transaction_payment::Multiplier;
use qingsuan_runtime::{
	check_caller::{may_call, CheckCaller, NOT_PERMITTED},
	configs::{BlockLength, BlockWeights, FULL_BLOCK_FEE},
	AccountId, Members, Runtime, RuntimeCall, RuntimeOrigin, TransactionPayment, UNIT,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::DispatchTransaction,
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![0; 32] })
}

fn transfer(to: &AccountId) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: to.clone().into(), value: UNIT })
}

fn validate(who: &AccountId, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
	let info = call.get_dispatch_info();
	CheckCaller
		.validate_only(RuntimeOrigin::signed(who.clone()), call, &info, 100, TransactionSource::External, 0)
		.map(|_| ())
}

/// Regression (hardening review, defect 7): any funded account could call anything. An account
/// without a role is now refused at the pool for everything but cancelling its own orders.
#[test]
fn a_signer_without_a_role_may_do_almost_nothing() {
	run(|| {
		let stranger: AccountId = Sr25519Keyring::One.to_account_id();
		let broker = Sr25519Keyring::Alice.to_account_id();
		for call in [remark(), transfer(&broker)] {
			assert_eq!(
				validate(&stranger, &call),
				Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(NOT_PERMITTED)))
			);
			assert_eq!(validate(&broker, &call), Ok(()), "a member may sign it (and pays for it)");
		}
		let cancel = RuntimeCall::Orderbook(pallet_orderbook::Call::cancel_order { order_id: 0 });
		assert!(!may_call(&stranger, &cancel), "no orders, nothing to cancel");
		// An account whose role was revoked may still take its orders off the book, and do
		// nothing else.
		let former = Sr25519Keyring::Two.to_account_id();
		let broker_role = qingsuan_primitives::Role::MemberBroker;
		Members::do_grant_role(&former, broker_role).expect("grants");
		let order = pallet_orderbook::NextOrderId::<Runtime>::get();
		pallet_orderbook::AccountOrders::<Runtime>::insert(&former, order, ());
		Members::do_revoke_role(&former, broker_role).expect("revokes");
		assert!(may_call(&former, &cancel));
		assert!(!may_call(&former, &remark()));
		pallet_orderbook::AccountOrders::<Runtime>::remove(&former, order);
		// Council calls need a council member (or a role).
		let close = RuntimeCall::Council(pallet_collective::Call::close {
			proposal_hash: Default::default(),
			index: 0,
			proposal_weight_bound: Default::default(),
			length_bound: 0,
		});
		assert!(!may_call(&stranger, &close));
	});
}

/// Regression (hardening review, defect 7): fees were the identity on a 10^12 unit, so one
/// endowment filled blocks for about a month. A block full of normal weight, or of normal
/// length, now costs `FULL_BLOCK_FEE` (1,000 UNIT, a thousandth of an endowment).
#[test]
fn a_full_block_costs_a_thousandth_of_an_endowment() {
	run(|| {
		assert_eq!(FULL_BLOCK_FEE, 1_000 * UNIT);
		assert_eq!(
			pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get(),
			<Multiplier as sp_runtime::traits::One>::one()
		);
		let normal = BlockWeights::get().get(DispatchClass::Normal).max_total.expect("a normal limit");
		let by_weight = TransactionPayment::weight_to_fee(normal);
		let by_length = TransactionPayment::length_to_fee(*BlockLength::get().max.get(DispatchClass::Normal));
		for fee in [by_weight, by_length] {
			assert!(fee.abs_diff(FULL_BLOCK_FEE) * 1_000 <= FULL_BLOCK_FEE, "{fee} is within 0.1% of 1,000 UNIT");
		}
		// A remark costs its share: at least the extrinsic base weight's.
		let info = remark().get_dispatch_info();
		let fee = TransactionPayment::compute_fee(100, &info, 0);
		assert!(fee > UNIT / 10, "a remark costs {fee}, at least a tenth of a unit");
	});
}
