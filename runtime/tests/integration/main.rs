//! Runtime integration tests: the runtime's pallets together on the `local` preset's genesis,
//! calls dispatched the way blocks dispatch them. One test binary (one link of the native
//! runtime) with a module per area; every scenario ends with every pallet's invariants.

mod compliance_property;
mod consortium;
mod contracts;
mod escrow;
mod evm;
mod fund;
mod investors;
mod margin;
mod margin_load;
mod orderbook;
mod precompile;
mod repo;
mod settlement;
mod spam;
mod trade_store;

use qingsuan_runtime::{
	genesis_config_presets as presets, Compliance, Investors, Ledger, Margin, Members, Orderbook, Runtime,
	RuntimeGenesisConfig, Settlement, System, ValidatorSet,
};
use sp_runtime::BuildStorage;

/// The `local` preset's genesis at block 1, its clock at 2025-11-23 00:00 UTC.
fn local_ext() -> sp_io::TestExternalities {
	let json = presets::get_preset(&presets::LOCAL_PRESET.into()).expect("the local preset exists");
	let config: RuntimeGenesisConfig = serde_json::from_slice(&json).expect("the preset is valid JSON");
	let mut ext = sp_io::TestExternalities::new(config.build_storage().expect("genesis builds"));
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(1_763_856_000_000u64);
	});
	ext
}

/// The settlements this block's events announce (records are events, not state), as the
/// node's trade store rebuilds them.
fn settled() -> Vec<(pallet_settlement::SettlementId, pallet_settlement::SettledOf<Runtime>)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			qingsuan_runtime::RuntimeEvent::Settlement(e) => e.settlement(),
			_ => None,
		})
		.collect()
}

/// Run `test` on the local genesis, then check the invariants of each of our pallets.
fn run(test: impl FnOnce()) {
	local_ext().execute_with(|| {
		test();
		Members::do_try_state().expect("members invariants");
		ValidatorSet::do_try_state().expect("validator set invariants");
		Ledger::do_try_state().expect("ledger invariants");
		Settlement::do_try_state().expect("settlement invariants");
		Orderbook::do_try_state().expect("order-book invariants");
		Investors::do_try_state().expect("investors invariants");
		Compliance::do_try_state().expect("compliance invariants");
		Margin::do_try_state().expect("margin invariants");
	});
}
