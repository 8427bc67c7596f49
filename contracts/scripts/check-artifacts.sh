#!/usr/bin/env bash
# The committed artifacts (contracts/artifacts) are what the pinned solc-js makes of the committed
# sources: compile every contract afresh into a temporary directory and compare. Exit 1 on any
# difference, naming the files; regenerate with
#   (cd contracts && npm ci && node scripts/compile.js artifacts test/*.sol src/*.sol)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f node_modules/solc/package.json ] || npm ci --no-audit --no-fund >/dev/null
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
node scripts/compile.js "$fresh" test/*.sol src/*.sol >/dev/null
if ! diff -r -q "$fresh" artifacts; then
  echo "contracts/artifacts differ from what solc makes of the sources: regenerate them (see $0)" >&2
  exit 1
fi
echo "contracts/artifacts match the sources ($(ls artifacts | wc -l) artifacts)"
