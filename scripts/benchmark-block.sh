#!/usr/bin/env bash
# Weights against real blocks: run the order load on a --dev node (scripts/chain-load.sh, kept
# database), then re-execute the blocks it produced with `qingsuan-node benchmark block`, which
# prints, per block, the time its execution takes and what share of the weight the block claims
# (it needs the node built with `--features runtime-benchmarks`; the blocks run on the chain's
# own runtime, read from the database). A weight that is honest has every block at or under
# 100% of its claim, and a useful one uses at least half of it.
#   scripts/benchmark-block.sh [seconds=30] [brokers=8] [orders/s]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
brokers="${2:-8}"
rate="${3:-}"
bash scripts/setup.sh
source scripts/env.sh
keep="$(mktemp -d)"
bench_node="$keep/qingsuan-node-benchmarks"
trap 'rm -rf "$keep"' EXIT

# The benchmark node first (the load's build, next, puts the plain node in the same place).
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
  cargo build --release --locked -p qingsuan-node --features runtime-benchmarks
cp "$CARGO_TARGET_DIR/release/qingsuan-node" "$bench_node"

QINGSUAN_LOAD_KEEP="$keep/load" bash scripts/chain-load.sh "$secs" "$brokers" ${rate:-}
last="$(grep -o 'Imported #[0-9]*' "$keep/load/node.log" | tr -dc '0-9\n' | sort -n | tail -1)"
# The blocks of the load: the set-up's first 20 carry little; the state of the last 256 is kept.
first=$(( last > 200 ? last - 200 : 20 ))
echo "benchmark block: blocks $first to $last of the load's chain"
"$bench_node" benchmark block --chain dev --base-path "$keep/load" --from "$first" --to "$last" --repeat 3 \
  >"$keep/block.log" 2>&1 || { tail -20 "$keep/block.log"; exit 1; }
grep -E 'Block [0-9]+ with' "$keep/block.log"
# Blocks with extrinsics beyond the timestamp inherent: their share of the claimed weight.
python3 - "$keep/block.log" <<'PY'
import re, sys
rows = [(int(n), float(p)) for n, p in re.findall(r"with\s+(\d+) tx used\s+([\d.]+)%", open(sys.argv[1]).read())]
loaded = sorted(p for n, p in rows if n > 1)
if not loaded:
    sys.exit("no loaded blocks")
print(f"{len(loaded)} loaded blocks: execution took {loaded[len(loaded) // 2]:.1f}% of the claimed weight "
      f"(median), {min(loaded):.1f}% to {max(loaded):.1f}%; over 100%: {sum(p > 100 for p in loaded)}")
PY
