#!/usr/bin/env bash
# Regenerate the committed chain specs under chain-spec/ from the runtime's presets.
# Run after any change to the runtime (its wasm is part of a raw spec).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
qs_build
node="$CARGO_TARGET_DIR/release/qingsuan-node"
"$node" build-spec --chain local --disable-default-bootnode > chain-spec/local.json 2>/dev/null
"$node" build-spec --chain chain-spec/local.json --raw --disable-default-bootnode > chain-spec/local-raw.json 2>/dev/null
echo "wrote chain-spec/local.json and chain-spec/local-raw.json"
