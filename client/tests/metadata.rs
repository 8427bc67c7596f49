//! The SDK's checked-in metadata (`metadata/qingsuan.scale`, which the generated API is built
//! from) is the runtime's: a change to a call, event, storage item, constant, runtime API or type
//! of the runtime fails this test until the file is regenerated with
//! `QS_WRITE_METADATA=1 cargo test --release -p qingsuan-client --test metadata`
//! and the SDK rebuilt against it. Docs are not compared (they do not change what is encoded).

use qingsuan_runtime::Runtime;
use std::path::PathBuf;

fn checked_in() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("metadata/qingsuan.scale")
}

#[test]
fn the_checked_in_metadata_is_the_runtimes() {
	let runtime = Runtime::metadata_at_version(16).expect("the runtime serves metadata v16").to_vec();
	if std::env::var_os("QS_WRITE_METADATA").is_some() {
		std::fs::write(checked_in(), &runtime).expect("can write the metadata file");
	}
	let file = std::fs::read(checked_in()).expect("client/metadata/qingsuan.scale exists");
	let hash =
		|bytes: &[u8]| subxt_metadata::Metadata::decode_from(bytes).expect("decodes as metadata").hasher().hash();
	assert!(
		hash(&runtime) == hash(&file),
		"client/metadata/qingsuan.scale is not the runtime's metadata: regenerate it with \
		 `QS_WRITE_METADATA=1 cargo test --release -p qingsuan-client --test metadata`"
	);
}
