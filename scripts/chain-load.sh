#!/usr/bin/env bash
# Chain load: start a `--dev` node, fund N brokers, submit batched orders over RPC for S
# seconds, and print orders/s placed, trades/s settled in finalized blocks and the
# submit->finalized latency (p50, p99); then the same with plain balance transfers, and the
# ratio. The generator is client/examples/chain_load.rs.
#   scripts/chain-load.sh [seconds=60] [brokers=8]          saturation, orders then transfers
#   scripts/chain-load.sh [seconds] [brokers] <orders/s>     orders only, offered at a fixed rate
#                                                            (latency at a known load)
# After each run it prints the node's peak and final RSS and the size of its database.
# With QINGSUAN_EXPORT_STATE=<file>, the orders run's final state is exported there (a raw chain
# spec, `qingsuan-node export-state`) for scripts/try-state.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
brokers="${2:-8}"
rate="${3:-}"
bash scripts/setup.sh
source scripts/env.sh
# The test suite's build (scripts/env.sh): a no-op when the suite has run.
qs_build
node="$CARGO_TARGET_DIR/release/qingsuan-node"
load="$CARGO_TARGET_DIR/release/examples/chain_load"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pids=()
dirs=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for dir in "${dirs[@]}"; do rm -rf "$dir"; done
  rm -f "${out:-}"
}
trap cleanup EXIT

run() {  # run <mode>: one fresh dev node, one load run
  local mode="$1" dir rpc pid status=0
  dir="$(mktemp -d)"
  dirs+=("$dir")
  rpc="$(free_port)"
  "$node" --dev --base-path "$dir" --rpc-port "$rpc" --listen-addr "/ip4/127.0.0.1/tcp/$(free_port)" \
    --prometheus-port "$(free_port)" --no-mdns --no-telemetry --pool-limit 20000 >"$dir/node.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 120); do
    python3 - "$rpc" <<'PY' 2>/dev/null && break
import json, sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}", data=json.dumps(
    {"id": 1, "jsonrpc": "2.0", "method": "chain_getHeader", "params": []}).encode(),
    headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=2).read()
PY
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/node.log"; return 1; }
    sleep 0.5
  done
  "$load" "$rpc" "$mode" "$secs" "$brokers" $rate || status=$?
  local rss_kib hwm_kib db_bytes
  rss_kib="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  hwm_kib="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  db_bytes="$(du -sb "$dir/chains" 2>/dev/null | cut -f1)"
  echo "node ($mode): RSS ${rss_kib:-0} KiB at the end, ${hwm_kib:-0} KiB at peak; database $((${db_bytes:-0} / 1024)) KiB"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # The state the orders left, for scripts/try-state.sh (the node is stopped: its database is
  # free).
  if [ "$mode" = orders ] && [ -n "${QINGSUAN_EXPORT_STATE:-}" ] && [ "$status" = 0 ]; then
    "$node" export-state --chain dev --base-path "$dir" >"$QINGSUAN_EXPORT_STATE" 2>"$dir/export.log" \
      || { tail -20 "$dir/export.log"; status=1; }
  fi
  return "$status"
}

out="$(mktemp)"
if [ -n "$rate" ]; then
  run orders
  exit
fi
run orders | tee -a "$out"
run transfers | tee -a "$out"
python3 - "$out" <<'PY'
import sys
r = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT"):
        kv = dict(p.split("=") for p in line.split()[1:])
        r[kv["mode"]] = kv
o, t = r["orders"], r["transfers"]
print(f"orders settle at {float(o['items_per_s']):.0f}/s with {float(o['trades_per_s']):.0f} trades/s; "
      f"transfers at {float(t['items_per_s']):.0f}/s; orders/transfers = {float(o['items_per_s']) / max(float(t['items_per_s']), 1e-9):.2f}")
PY
