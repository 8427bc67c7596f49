#!/usr/bin/env bash
# Regenerate the weights.rs of Qingsuan's own pallets with `qingsuan-node benchmark pallet`.
# Builds the node with `--features runtime-benchmarks` (a second build of the runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --release --locked -p qingsuan-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/qingsuan-node"
for pallet in members validator-set; do
  "$node" benchmark pallet \
    --runtime "$CARGO_TARGET_DIR/release/wbuild/qingsuan-runtime/qingsuan_runtime.compact.compressed.wasm" \
    --genesis-builder=runtime --genesis-builder-preset=dev \
    --pallet "pallet_${pallet//-/_}" --extrinsic '*' \
    --steps 50 --repeat 20 \
    --template scripts/frame-weight-template.hbs \
    --output "pallets/$pallet/src/weights.rs"
done
