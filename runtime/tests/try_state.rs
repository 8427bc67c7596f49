//! try-runtime on a chain's state: the runtime's migrations with their checks, then every
//! pallet's `try_state`, on a snapshot a node exported (`qingsuan-node export-state`), the way
//! `try-runtime on-runtime-upgrade` would run them against a live chain.
//!
//! `QINGSUAN_STATE_SNAPSHOT=<exported chain spec>` names the snapshot (`scripts/try-state.sh`
//! exports one from a node's database; the test command exports one from a dev chain after
//! load). Without it the test runs on the `local` preset's genesis, so it always checks
//! something. Built only with the runtime's `try-runtime` feature.

#![cfg(feature = "try-runtime")]

use frame_support::traits::{TryState, TryStateSelect};
use frame_try_runtime::UpgradeCheckSelect;
use qingsuan_runtime::{
	genesis_config_presets as presets, AllPalletsWithSystem, Executive, RuntimeGenesisConfig, System,
};
use sp_runtime::BuildStorage;

fn unhex(s: &str) -> Vec<u8> {
	hex::decode(s.trim_start_matches("0x")).expect("the snapshot's keys and values are hex")
}

/// The snapshot's state, and where it came from.
fn state() -> (sp_io::TestExternalities, String) {
	match std::env::var("QINGSUAN_STATE_SNAPSHOT") {
		Ok(path) => {
			let json = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
			let spec: serde_json::Value = serde_json::from_slice(&json).expect("the snapshot is a JSON chain spec");
			let top = spec["genesis"]["raw"]["top"].as_object().expect("the snapshot is a raw chain spec");
			let mut storage = sp_core::storage::Storage::default();
			for (key, value) in top {
				storage.top.insert(unhex(key), unhex(value.as_str().expect("hex values")));
			}
			(sp_io::TestExternalities::new(storage), path)
		},
		Err(_) => {
			let json = presets::get_preset(&presets::LOCAL_PRESET.into()).expect("the local preset exists");
			let config: RuntimeGenesisConfig = serde_json::from_slice(&json).expect("the preset is valid JSON");
			(sp_io::TestExternalities::new(config.build_storage().expect("genesis builds")), "the local preset".into())
		},
	}
}

#[test]
fn try_state_the_runtime_upgrade_checks_and_every_pallets_invariants_hold() {
	let (mut ext, source) = state();
	ext.execute_with(|| {
		let block = System::block_number();
		println!("try-state on {source}, block {block}");
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.unwrap_or_else(|e| panic!("runtime upgrade checks on {source}: {e:?}"));
		AllPalletsWithSystem::try_state(block, TryStateSelect::All)
			.unwrap_or_else(|e| panic!("try_state on {source}: {e:?}"));
	});
}
