#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite: unit, pallet, runtime and end-to-end
# tests (which start real nodes on 127.0.0.1), every criterion benchmark once (test mode, not
# timed), rustfmt and clippy, the pallets' benchmark tests, try-runtime checks on a loaded
# chain's state, a short chain-load run and a short fuzzing smoke run.
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
# Formatting (rustfmt.toml) and lints, warnings as errors, of every crate of ours (clippy checks
# every dependency once, without wasm).
step "rustfmt" cargo fmt --all -- --check
# The committed contract artifacts are what the SDK's pinned solc makes of the sources.
step "contract artifacts" bash contracts/scripts/check-artifacts.sh
step "clippy" env SKIP_WASM_BUILD=1 cargo clippy --release --locked --workspace --all-targets -- -D warnings
# The pallets' benchmarks, each run once against its mock runtime, and the runtime's try-state
# test on the local preset: one build with the `runtime-benchmarks` and `try-runtime` features
# (the FRAME crates are built a second time with them; scripts/env.sh).
step "benchmark + try-state tests" qs_feature_tests --no-fail-fast -- benchmarking:: try_state
# The chain-load script, briefly: 5 s of orders and 5 s of transfers with 2 brokers on a dev
# node (scripts/chain-load.sh 60 8 is the real run). The state the orders leave is exported
# and checked by try-runtime: the migrations' checks and every pallet's try_state.
snapshot="$(mktemp)"
step "chain-load smoke (5 s)" env QINGSUAN_EXPORT_STATE="$snapshot" bash scripts/chain-load.sh 5 2
try_state_after_load() { QINGSUAN_STATE_SNAPSHOT="$snapshot" qs_feature_tests -- try_state --nocapture; }
step "try-state after load" try_state_after_load
rm -f "$snapshot"
# The fuzz targets, briefly (scripts/fuzz.sh 600 is the real run).
step "fuzz smoke (20 s a target)" bash scripts/fuzz.sh 20

echo
echo "test suite steps:"
printf '  %s\n' "${steps[@]}"
echo "test suite finished in $(( $(date +%s) - start )) s"
exit "$status"
