#!/usr/bin/env bash
# Issue 15's load figure: credit accounts (QS_MARGIN_LOAD_ACCOUNTS, default 1,000) falling through
# their instant line at once, in the native runtime on the local preset: blocks until the risk
# engine has opened every liquidation case, and blocks of liquidation steps (packed by their
# declared weight) until every case has ended. Prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
SKIP_WASM_BUILD=1 cargo test --release --locked -p qingsuan-runtime --test integration margin_load \
	-- --ignored --nocapture
