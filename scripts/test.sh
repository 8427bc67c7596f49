#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite: unit, pallet, runtime and end-to-end
# tests (which start real nodes on 127.0.0.1), plus the benchmarks' own tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
start=$(date +%s)
# One cargo invocation, so every crate is built once with one set of features.
cargo test --release --locked --workspace --no-fail-fast
echo "test suite finished in $(( $(date +%s) - start )) s"
