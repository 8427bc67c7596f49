//! The SDK's types are generated from `metadata/qingsuan.scale` by subxt's macro, which does not
//! tell cargo it read the file: without this, regenerating the metadata would leave every
//! client built against the old one.
fn main() {
	println!("cargo:rerun-if-changed=metadata/qingsuan.scale");
}
