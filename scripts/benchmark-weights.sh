#!/usr/bin/env bash
# Regenerate the weights.rs of Qingsuan's own pallets with `qingsuan-node benchmark pallet`,
# measure the SM crypto host functions inside the runtime, the database weights with
# `benchmark storage`, and the block/extrinsic base weights with `benchmark overhead` (copied
# into runtime/src/weights/). Builds the node with `--features runtime-benchmarks`.
#   scripts/benchmark-weights.sh                   all of it
#   scripts/benchmark-weights.sh storage overhead  only those parts (pallets, crypto, storage,
#                                                  overhead)
#   QS_BENCH_PALLETS="settlement orderbook" scripts/benchmark-weights.sh pallets
#                                                  only those pallets' weights
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(pallets crypto storage overhead)
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }
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
if wants pallets; then
  for pallet in ${QS_BENCH_PALLETS:-members node-authorization validator-set ledger investors compliance settlement orderbook margin}; do
    bench "pallet_${pallet//-/_}" --template scripts/frame-weight-template.hbs \
      --output "pallets/$pallet/src/weights.rs" | tee "$out/pallet_${pallet//-/_}.txt"
  done
fi
# SM2/SM3 through the host functions vs compiled into the runtime, ed25519 for scale.
if wants crypto; then bench sm_crypto | tee "$out/sm_crypto.txt"; fi

# Database read/write weights of this machine's ParityDB (the node's database) on the state of a
# busy chain: the dev genesis grown by scripts/realistic-state.py to 300,000 ledger balances and
# 100,000 settlement records (the trie depth is what makes reads and writes cost). 20,000 keys
# are sampled; writes are committed in batches of 1,000, each with the storage-root computation.
base="$(mktemp -d)"
trap 'rm -rf "$base"' EXIT
if wants storage; then
  "$node" build-spec --chain dev --raw --disable-default-bootnode > "$base/dev-raw.json" 2>/dev/null
  python3 scripts/realistic-state.py "$base/dev-raw.json" "$base/busy-raw.json" 300000 100000
  "$node" benchmark storage --chain "$base/busy-raw.json" --base-path "$base/db" --state-version 1 \
    --database paritydb --keys-limit 20000 --random-seed 42 --batch-size 1000 \
    --weight-path "$out" 2>&1 | tee "$out/storage.txt"
  cp "$out/paritydb_weights.rs" runtime/src/weights/
fi
# Block and extrinsic base weights (an empty block; a block of `system.remark`s).
if wants overhead; then
  "$node" benchmark overhead --chain dev --base-path "$base/overhead" --weight-path "$out" 2>&1 | tee "$out/overhead.txt"
  cp "$out/block_weights.rs" "$out/extrinsic_weights.rs" runtime/src/weights/
fi
# The runtime's copies in the repository's layout (the pallets' files skip rustfmt themselves).
rustfmt --edition 2021 --config-path rustfmt.toml runtime/src/weights/*.rs
echo "results in $out; runtime/src/weights/ and the pallets' weights.rs updated"
