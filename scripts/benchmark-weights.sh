#!/usr/bin/env bash
# Regenerate the weights.rs of Qingsuan's own pallets with `qingsuan-node benchmark pallet`,
# measure the SM crypto host functions inside the runtime, the database weights with
# `benchmark storage`, and the block/extrinsic base weights with `benchmark overhead` (copied
# into runtime/src/weights/). Builds the node with `--features runtime-benchmarks`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
out="${BENCH_OUT:-$CARGO_TARGET_DIR/bench-results}"
mkdir -p "$out"

# frame-benchmarking-cli's own storage-access test runtime is not built: its wasm build cannot
# find itself in our workspace's `cargo metadata`, and it only serves the parachain
# block-validation mode of `benchmark storage`, which a solochain does not use.
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
  cargo build --release --locked -p qingsuan-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/qingsuan-node"
wasm="$CARGO_TARGET_DIR/release/wbuild/qingsuan-runtime/qingsuan_runtime.compact.compressed.wasm"

bench() { # pallet, extra args...
  local pallet="$1"; shift
  "$node" benchmark pallet --runtime "$wasm" --genesis-builder=runtime --genesis-builder-preset=dev \
    --pallet "$pallet" --extrinsic '*' --steps 50 --repeat 20 "$@"
}
for pallet in members validator-set; do
  bench "pallet_${pallet//-/_}" --template scripts/frame-weight-template.hbs \
    --output "pallets/$pallet/src/weights.rs" | tee "$out/pallet_${pallet//-/_}.txt"
done
# SM2/SM3 through the host functions vs compiled into the runtime, ed25519 for scale.
bench sm_crypto | tee "$out/sm_crypto.txt"

# Database read/write weights of this machine's RocksDB, for the dev chain's state. That state
# has only ~60 keys, so writes are timed in batches of 10 (the default batch, 100,000, never
# fills); each batch includes recomputing the storage root.
base="$(mktemp -d)"
trap 'rm -rf "$base"' EXIT
"$node" benchmark storage --chain dev --base-path "$base" --state-version 1 --batch-size 10 \
  --weight-path "$out" 2>&1 | tee "$out/storage.txt"
# Block and extrinsic base weights (an empty block; a block of `system.remark`s).
"$node" benchmark overhead --chain dev --base-path "$base" --weight-path "$out" 2>&1 | tee "$out/overhead.txt"
cp "$out/block_weights.rs" "$out/extrinsic_weights.rs" runtime/src/weights/
echo "results in $out; runtime/src/weights/ and the pallets' weights.rs updated"
