#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite: unit, pallet, runtime and end-to-end
# tests (which start real nodes on 127.0.0.1), the pallets' benchmark tests, a run of every
# criterion benchmark in test mode (once each, not timed), and a short fuzzing smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
start=$(date +%s)
status=0
# One cargo invocation for the workspace, so every crate is built once with one set of features.
cargo test --release --locked --workspace --no-fail-fast || status=1
# Our pallets again with their benchmarks, each benchmark run once against the mock runtime.
cargo test --release --locked -p pallet-members -p pallet-validator-set -p pallet-ledger -p pallet-settlement \
  --features runtime-benchmarks --no-fail-fast || status=1
# Criterion benchmarks in test mode: each benchmark body runs once.
cargo test --release --locked -p qingsuan-sm-crypto --benches || status=1
# The fuzz targets, briefly (scripts/fuzz.sh 600 is the real run).
bash scripts/fuzz.sh 20 || status=1
echo "test suite finished in $(( $(date +%s) - start )) s"
exit "$status"
