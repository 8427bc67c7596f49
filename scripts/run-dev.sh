#!/usr/bin/env bash
# Set up a fresh machine, build the node and start a dev chain (one validator, Alice) that
# produces and finalizes a block every second. Extra arguments go to the node, e.g.
#   scripts/run-dev.sh --rpc-port 9945
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# The same build as the test suite's (scripts/env.sh), so running the tests after it (or this
# after them) compiles nothing again.
qs_build
exec "$CARGO_TARGET_DIR/release/qingsuan-node" --dev --tmp "$@"
