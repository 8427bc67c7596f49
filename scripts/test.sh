#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite: unit, pallet, runtime and end-to-end
# tests (which start real nodes on 127.0.0.1), every criterion benchmark once (test mode, not
# timed), the pallets' benchmark tests, a short chain-load run and a short fuzzing smoke run.
# Ends with the time each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup.sh
source scripts/env.sh

status=0
steps=("$(printf '%-30s %5d s' setup $(( $(date +%s) - start )))")
step() { # step <name> <command...>: run it; note its time and whether it failed
  local name="$1" t0 rc=0
  shift
  t0=$(date +%s)
  "$@" || rc=$?
  steps+=("$(printf '%-30s %5d s' "$name" $(( $(date +%s) - t0 )))$([ "$rc" -eq 0 ] || echo '  FAILED')")
  [ "$rc" -eq 0 ] || status=1
}

# One build of everything (node, wasm runtime, tests, benches, examples), one feature set;
# the run, chain-load and e2e scripts use the same invocation, so nothing is built twice.
# `--timings` leaves cargo's per-crate report in $CARGO_TARGET_DIR/cargo-timings/.
step "build" qs_build --timings
# Every test of the workspace, then every criterion bench body once.
step "tests" qs_cargo_test --no-fail-fast
step "benches (test mode)" qs_cargo_test --benches --no-fail-fast
# The pallets' benchmarks, each run once against its mock runtime. They need the
# `runtime-benchmarks` feature, so the pallets' FRAME dependencies are built a second time;
# the pallets' other tests ran in the "tests" step.
step "pallet benchmark tests" cargo test --release --locked --lib \
  -p pallet-members -p pallet-node-authorization -p pallet-validator-set -p pallet-ledger -p pallet-settlement \
  -p pallet-orderbook \
  --features runtime-benchmarks --no-fail-fast -- benchmarking::
# The chain-load script, briefly: 5 s of orders and 5 s of transfers with 2 brokers on a dev
# node (scripts/chain-load.sh 60 8 is the real run).
step "chain-load smoke (5 s)" bash scripts/chain-load.sh 5 2
# The fuzz targets, briefly (scripts/fuzz.sh 600 is the real run).
step "fuzz smoke (20 s a target)" bash scripts/fuzz.sh 20

echo
echo "test suite steps:"
printf '  %s\n' "${steps[@]}"
echo "test suite finished in $(( $(date +%s) - start )) s"
exit "$status"
