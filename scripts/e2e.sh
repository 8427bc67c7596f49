#!/usr/bin/env bash
# The end-to-end tests alone (real nodes on 127.0.0.1), after rebuilding whatever changed: the
# runtime, the node, the tests. Same build as the test suite's, so nothing else is compiled.
#   scripts/e2e.sh                  every e2e test
#   scripts/e2e.sh orderbook        those whose name contains "orderbook"
#   QINGSUAN_NODE=/path/to/qingsuan-node scripts/e2e.sh   against another node binary
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
qs_cargo_test --test e2e -- "$@"
