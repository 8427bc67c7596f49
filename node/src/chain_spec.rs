//! Chain specifications: built from the runtime's genesis presets, or loaded from a file.

use qingsuan_runtime::{
	genesis_config_presets::{DEV_PRESET, LOCAL_PRESET},
	WASM_BINARY,
};
use sc_service::ChainType;

/// A chain spec of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token properties shown by wallets such as polkadot.js.
fn properties() -> sc_chain_spec::Properties {
	let mut p = sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), "QSF".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

fn from_preset(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the node was built without its wasm runtime".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.with_protocol_id("qingsuan")
		.build())
}

/// The single-validator development chain (`--dev`, `--chain dev`).
pub fn development() -> Result<ChainSpec, String> {
	from_preset("Qingsuan Development", "qingsuan_dev", ChainType::Development, DEV_PRESET)
}

/// The four-validator local consortium (`--chain local`).
pub fn local() -> Result<ChainSpec, String> {
	from_preset("Qingsuan Local Consortium", "qingsuan_local", ChainType::Local, LOCAL_PRESET)
}

/// Load a spec: a preset name, or the path of a JSON spec file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development()?),
		"local" => Box::new(local()?),
		"" => return Err("no chain given: pass --dev, --chain dev, --chain local or --chain <path>".into()),
		path => {
			let p = std::path::PathBuf::from(path);
			if !p.exists() {
				return Err(format!("unknown chain '{path}': not a preset (dev, local) and no such file"));
			}
			Box::new(ChainSpec::from_json_file(p).map_err(|e| format!("cannot load chain spec '{path}': {e}"))?)
		},
	})
}
