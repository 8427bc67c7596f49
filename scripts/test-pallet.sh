#!/usr/bin/env bash
# The edit-test loop for one crate: build and run only its own unit tests (no node, no wasm
# runtime, no other crate's tests). Extra arguments go to the test harness (a name filter).
#   scripts/test-pallet.sh orderbook                 pallet-orderbook's tests
#   scripts/test-pallet.sh orderbook replace         those whose name contains "replace"
#   scripts/test-pallet.sh qingsuan-matching-engine  any workspace package by its name
# The first run after the full build compiles the crate's FRAME dependencies once more with
# this package's own feature set; later runs rebuild only the edited crate.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/test-pallet.sh <pallet name or package> [test filter...]" >&2; exit 2; }
package="$1"
shift
[ -d "pallets/$package" ] && package="pallet-$package"
source scripts/env.sh
SKIP_WASM_BUILD=1 cargo test --release --locked -p "$package" --lib -- "$@"
