# Shared settings for the project's scripts (sourced, not run).
# The cargo target dir lives outside the clone so that repeat runs (and CI) reuse the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/qingsuan/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The one build every script shares: the node, the wasm runtime, every test, bench and example
# of the workspace, in release, with one feature set. `cargo build -p qingsuan-node` alone
# would resolve other features for sp-core, frame-support and their dependents (the tests'
# dev-dependencies add some) and compile them all a second time.
qs_build() {
  cargo test --release --locked --workspace --all-targets --no-run "$@"
}
