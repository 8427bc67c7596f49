#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite: unit, pallet, runtime and end-to-end
# tests (which start real nodes on 127.0.0.1), the pallets' benchmark tests, a run of every
# criterion benchmark in test mode (once each, not timed), a short chain-load run and a short
# fuzzing smoke run.
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
  -p pallet-orderbook --features runtime-benchmarks --no-fail-fast || status=1
# Criterion benchmarks in test mode: each benchmark body runs once.
cargo test --release --locked -p qingsuan-sm-crypto -p qingsuan-matching-engine --benches || status=1
# The chain load script, briefly: 5 s of orders and 5 s of transfers with 2 brokers on a dev
# node (scripts/chain-load.sh 60 8 is the real run).
bash scripts/chain-load.sh 5 2 || status=1
# The fuzz targets, briefly (scripts/fuzz.sh 600 is the real run).
bash scripts/fuzz.sh 20 || status=1
echo "test suite finished in $(( $(date +%s) - start )) s"
exit "$status"
