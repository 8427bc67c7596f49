#!/usr/bin/env bash
# Chain load: start a `--dev` node, fund N brokers, submit batched orders over RPC for S
# seconds, and print orders/s placed, trades/s settled in finalized blocks and the
# submit->finalized latency (p50, p99); then the same with plain balance transfers, and the
# ratio. The generator is tests/harness/examples/chain_load.rs.
#   scripts/chain-load.sh [seconds=60] [brokers=8]          saturation, orders then transfers
#   scripts/chain-load.sh [seconds] [brokers] <orders/s>     orders only, offered at a fixed rate
#                                                            (latency at a known load)
# After each run it prints the node's peak and final RSS and the size of its database.
# QINGSUAN_LOAD_NETWORK=local4: instead of one --dev node, the four validators of the `local`
# preset on this machine (its spec with Alice as sudo key, so the tool can fund its brokers;
# Eve is its bank), the load sent to Alice's node.
# QINGSUAN_NODE_ARGS="...": more options for every node (e.g. --finality-vote-lag 2).
# QINGSUAN_LOAD_SIGNER=sm2: the brokers sign with SM2 keys (default sr25519).
# QINGSUAN_LOAD_WINDOW=<batches>: unfinalized batches per broker in saturation (default 4, that is
# 256 orders; transfers: as many items). Saturation is bounded by this window over the latency
# when blocks have room for more.
# QINGSUAN_LOAD_INVESTORS=<k>: each broker trades for k investor accounts with attested claims
# (every order runs the compliance rules on an investor's claims) instead of its own account.
# QINGSUAN_LOAD_KEEP=<dir>: the orders run's node directory (database, logs) is kept there, for
# `qingsuan-node benchmark block` on the blocks the load produced (scripts/benchmark-block.sh).
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

network="${QINGSUAN_LOAD_NETWORK:-dev}"
case "$network" in dev|local4) ;; *) echo "QINGSUAN_LOAD_NETWORK: dev or local4, not $network" >&2; exit 2 ;; esac

# start_local4 <dir>: the four local validators (node keys and PeerIds of the local preset's
# well-known nodes); sets rpc and pid to Alice's node.
start_local4() {
  local base="$1" names=(alice bob charlie dave) peers=(
    12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp 12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD
    12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x 12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st)
  local p2p=() i j boot
  "$node" build-spec --chain local 2>/dev/null >"$base/local.json"
  python3 - "$base/local.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["genesis"]["runtimeGenesis"]["patch"]["sudo"]["key"] = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
json.dump(spec, open(sys.argv[1], "w"))
PY
  for i in 0 1 2 3; do p2p+=("$(free_port)"); done
  for i in 0 1 2 3; do
    boot=()
    for j in 0 1 2 3; do [ "$j" = "$i" ] || boot+=("/ip4/127.0.0.1/tcp/${p2p[$j]}/p2p/${peers[$j]}"); done
    local port; port="$(free_port)"
    "$node" --chain "$base/local.json" --validator "--${names[$i]}" --node-key "$(printf '%064x' $((i + 1)))" \
      --base-path "$base/${names[$i]}" --rpc-port "$port" --listen-addr "/ip4/127.0.0.1/tcp/${p2p[$i]}" \
      --bootnodes "${boot[@]}" --prometheus-port "$(free_port)" --no-mdns --no-telemetry --pool-limit 20000 \
      ${QINGSUAN_NODE_ARGS:-} >"$base/${names[$i]}.log" 2>&1 &
    pids+=("$!")
    if [ "$i" = 0 ]; then rpc="$port"; pid=$!; fi
  done
}

run() {  # run <mode>: a fresh dev node (or local network), one load run
  local mode="$1" dir rpc pid status=0
  dir="$(mktemp -d)"
  dirs+=("$dir")
  if [ "$network" = local4 ]; then
    start_local4 "$dir"
    export QINGSUAN_LOAD_BANK=eve
  else
    rpc="$(free_port)"
    "$node" --dev --base-path "$dir" --rpc-port "$rpc" --listen-addr "/ip4/127.0.0.1/tcp/$(free_port)" \
      --prometheus-port "$(free_port)" --no-mdns --no-telemetry --pool-limit 20000 ${QINGSUAN_NODE_ARGS:-} \
      >"$dir/node.log" 2>&1 &
    pid=$!
    pids+=("$pid")
  fi
  for _ in $(seq 120); do
    python3 - "$rpc" <<'PY' 2>/dev/null && break
import json, sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}", data=json.dumps(
    {"id": 1, "jsonrpc": "2.0", "method": "chain_getHeader", "params": []}).encode(),
    headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=2).read()
PY
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir"/*.log; return 1; }
    sleep 0.5
  done
  "$load" "$rpc" "$mode" "$secs" "$brokers" $rate || status=$?
  local rss_kib hwm_kib db_bytes
  rss_kib="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  hwm_kib="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  if [ "$network" = local4 ]; then db_bytes="$(du -sb "$dir/alice/chains" | cut -f1)"; else db_bytes="$(du -sb "$dir/chains" | cut -f1)"; fi
  echo "node ($mode): RSS ${rss_kib:-0} KiB at the end, ${hwm_kib:-0} KiB at peak; database $((${db_bytes:-0} / 1024)) KiB"
  # Every node of this run stops (the earlier runs' are stopped already).
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  # The state the orders left, for scripts/try-state.sh (the node is stopped: its database is
  # free).
  if [ "$network" = dev ] && [ "$mode" = orders ] && [ -n "${QINGSUAN_EXPORT_STATE:-}" ] && [ "$status" = 0 ]; then
    "$node" export-state --chain dev --base-path "$dir" >"$QINGSUAN_EXPORT_STATE" 2>"$dir/export.log" \
      || { tail -20 "$dir/export.log"; status=1; }
  fi
  if [ "$mode" = orders ] && [ -n "${QINGSUAN_LOAD_KEEP:-}" ]; then
    rm -rf "$QINGSUAN_LOAD_KEEP" && cp -a "$dir" "$QINGSUAN_LOAD_KEEP"
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
