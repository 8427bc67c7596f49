# Shared settings for the project's scripts (sourced, not run).
# The cargo target dir lives outside the clone so that repeat runs (and CI) reuse the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/qingsuan/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
