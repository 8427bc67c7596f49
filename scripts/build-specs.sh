#!/usr/bin/env bash
# Export the `local` preset's chain spec (human-readable and raw) for operators who need a spec
# file, e.g. to edit the authorities or well-known nodes of a real consortium before launch.
# Nodes of the built-in networks do not need it: `--chain dev` and `--chain local` build the
# spec from the runtime's presets, so it always matches the binary.
#   scripts/build-specs.sh [output dir, default $CARGO_TARGET_DIR/chain-spec]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out="${1:-$CARGO_TARGET_DIR/chain-spec}"
mkdir -p "$out"
qs_build
node="$CARGO_TARGET_DIR/release/qingsuan-node"
"$node" build-spec --chain local --disable-default-bootnode > "$out/local.json" 2>/dev/null
"$node" build-spec --chain "$out/local.json" --raw --disable-default-bootnode > "$out/local-raw.json" 2>/dev/null
echo "wrote $out/local.json and $out/local-raw.json"
