#!/usr/bin/env bash
# Fuzz with cargo-fuzz/libFuzzer: the SM crypto decoding surface (keys, signatures, envelopes),
# the matching engine against its reference model, and stored books from untrusted bytes.
#   scripts/fuzz.sh [seconds per target] [target ...]
# Default: 600 s for each target in fuzz/Cargo.toml. The test suite runs it for a few seconds per
# target as a smoke test. Crashes land in fuzz/artifacts/<target>/ and fail the script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
seconds="${1:-600}"
shift || true
targets=("$@")

tools="$HOME/.cache/qingsuan/tools"
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
  echo "fuzz: installing cargo-fuzz into $tools"
  cargo install --quiet --locked --root "$tools" cargo-fuzz --version '^0.13'
fi
export PATH="$tools/bin:$PATH"
# The machine has one (stable) toolchain; libFuzzer's sanitizer flags are unstable options,
# which RUSTC_BOOTSTRAP allows, as the wasm runtime build already does.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$HOME/.cache/qingsuan/fuzz-target"
corpus_root="$HOME/.cache/qingsuan/fuzz-corpus"

cd fuzz
# No targets named: every target fuzz/Cargo.toml declares.
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
for target in "${targets[@]}"; do
  mkdir -p "$corpus_root/$target"
  log="$corpus_root/$target.log"
  echo "fuzz: $target for ${seconds}s"
  start=$(date +%s)
  status=0
  cargo fuzz run --release "$target" "$corpus_root/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -a -E '^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*(DONE|cov:)' "$log" | tail -3 || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz: $target FAILED (exit $status); crash input in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  echo "fuzz: $target clean after $(( $(date +%s) - start )) s"
done
