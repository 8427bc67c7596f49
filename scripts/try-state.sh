#!/usr/bin/env bash
# try-runtime on a chain's state: the runtime's migrations with their pre/post checks, then every
# pallet's try_state (runtime/tests/try_state.rs), on
#   scripts/try-state.sh <snapshot.json>                a raw chain spec from `export-state`
#   scripts/try-state.sh --base-path <dir> [--chain <c>] the best block of a (stopped) node's
#                                                       database, exported first
#   scripts/try-state.sh                                a dev chain after 20 s of chain load
# Exits non-zero, naming the pallet and the invariant, if anything does not hold.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
snapshot="$work/state.json"
case "${1:-}" in
  "") QINGSUAN_EXPORT_STATE="$snapshot" bash scripts/chain-load.sh 20 2 ;;
  --base-path)
    base="${2:?--base-path needs a directory}"; chain=dev
    [ "${3:-}" = --chain ] && chain="${4:?--chain needs a chain}"
    qs_cargo_test --no-run -p qingsuan-node >/dev/null
    "$CARGO_TARGET_DIR/release/qingsuan-node" export-state --chain "$chain" --base-path "$base" >"$snapshot" ;;
  -*) echo "usage: scripts/try-state.sh [<snapshot.json> | --base-path <dir> [--chain <chain>]]" >&2; exit 2 ;;
  *) snapshot="$1" ;;
esac
[ -s "$snapshot" ] || { echo "no state exported to $snapshot" >&2; exit 1; }
QINGSUAN_STATE_SNAPSHOT="$snapshot" qs_feature_tests -- try_state --nocapture
