# Shared settings for the project's scripts (sourced, not run).
# The cargo target dir lives outside the clone so that repeat runs (and CI) reuse the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/qingsuan/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# pallet-revive's own test fixtures (contracts built with a nested cargo, solc and resolc) come in
# only with its `runtime-benchmarks` feature, which we do not turn on: we use its published
# weights, and our contracts are compiled by the SDK (contracts/). Should a dependency ever turn
# it on, this keeps the build from needing solc and resolc.
export SKIP_PALLET_REVIVE_FIXTURES=1

# The one build every script shares: the node, the wasm runtime, every test, bench and example
# of the workspace, in release, with one feature set. `cargo build -p qingsuan-node` alone
# would resolve other features for sp-core, frame-support and their dependents (the tests'
# dev-dependencies add some) and compile them all a second time.
# Two invocations with the same feature resolution (both build test targets, so both resolve the
# dev-dependencies): the default targets (libraries' and integration tests, examples as
# programs, the node for the e2e tests), then the criterion benches. `--all-targets` would build
# the examples and the node only as test harnesses.
# `qs_cargo_test` is that invocation; the scripts that run tests add only target selection and
# harness arguments to it, so they never resolve features differently.
qs_cargo_test() {
  cargo test --release --locked --workspace "$@"
}
qs_build() {
  qs_cargo_test --no-run "$@"
  qs_cargo_test --benches --no-run "$@"
}

# The pallets' benchmark tests and the runtime's try-state test (runtime/tests/try_state.rs):
# one build with the `runtime-benchmarks` and `try-runtime` features, which they share (the
# FRAME crates compile once more with them). No wasm: these tests run the runtime natively.
qs_feature_tests() {
  SKIP_WASM_BUILD=1 cargo test --release --locked --lib --test try_state \
    -p pallet-members -p pallet-node-authorization -p pallet-validator-set -p pallet-ledger -p pallet-investors -p pallet-compliance \
    -p pallet-settlement -p pallet-orderbook -p pallet-margin -p qingsuan-runtime \
    --features runtime-benchmarks,try-runtime "$@"
}
