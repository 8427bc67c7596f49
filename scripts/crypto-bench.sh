#!/usr/bin/env bash
# Measure the national algorithms on one core and compare them with Debian's OpenSSL:
# runs the criterion bench (primitives/sm-crypto/benches/sm_crypto.rs) and `openssl speed`,
# both pinned to CPU 0, then prints one table with the ratios.
#   scripts/crypto-bench.sh            full run (about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
pin="taskset -c 0"
command -v taskset >/dev/null || pin=""

$pin cargo bench --locked -p qingsuan-sm-crypto --bench sm_crypto -- --noplot >/dev/null
osl="$(mktemp -d)"
trap 'rm -rf "$osl"' EXIT
$pin openssl speed -seconds 5 sm2 >"$osl/sm2" 2>/dev/null
for cipher in sm4-cbc sm4-ctr sm3; do
  $pin openssl speed -seconds 3 -bytes 16384 -evp "$cipher" >"$osl/$cipher" 2>/dev/null
done
# Debian's OpenSSL 3.0 has no SM4-GCM (`-evp sm4-gcm` is an unknown cipher); try it anyway.
$pin openssl speed -seconds 3 -bytes 16384 -evp sm4-gcm >"$osl/sm4-gcm" 2>/dev/null || true

python3 - "$CARGO_TARGET_DIR/criterion" "$osl" "$(openssl version)" <<'PY'
import json, os, re, sys
crit, osl, version = sys.argv[1], sys.argv[2], sys.argv[3]

def ns(bench):  # criterion's median, in ns per iteration
    with open(os.path.join(crit, bench, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]

def per_sec(bench):
    return 1e9 / ns(bench)

def mb_per_sec(bench, size):
    return size / ns(bench) * 1e9 / 1e6

def openssl_sm2():
    text = open(os.path.join(osl, "sm2")).read()
    m = re.search(r"SM2 \(CurveSM2\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", text)
    return (float(m.group(1)), float(m.group(2))) if m else (None, None)

def openssl_mb(cipher):
    try:
        text = open(os.path.join(osl, cipher)).read()
    except FileNotFoundError:
        return None
    m = re.search(r"^\S+\s+([\d.]+)k\s*$", text, re.M)
    return float(m.group(1)) * 1000 / 1e6 if m else None

sign_o, verify_o = openssl_sm2()
rows = [
    ("SM2 sign", per_sec("signature/sm2_sign"), sign_o, "/s"),
    ("SM2 verify", per_sec("signature/sm2_verify"), verify_o, "/s"),
    ("ed25519 verify (zebra)", per_sec("signature/ed25519_verify"), None, "/s"),
    ("SM3, 16 KiB", mb_per_sec("sm3/16384", 16384), openssl_mb("sm3"), " MB/s"),
    ("SM4-GCM seal, 16 KiB", mb_per_sec("sm4/gcm_seal/16384", 16384), openssl_mb("sm4-gcm"), " MB/s"),
    ("SM4-GCM open, 16 KiB", mb_per_sec("sm4/gcm_open/16384", 16384), openssl_mb("sm4-gcm"), " MB/s"),
    ("SM4-CBC encrypt, 16 KiB", mb_per_sec("sm4/cbc_encrypt/16384", 16384), openssl_mb("sm4-cbc"), " MB/s"),
    ("(OpenSSL SM4-CTR, 16 KiB)", None, openssl_mb("sm4-ctr"), " MB/s"),
    ("envelope seal, 2 recipients", per_sec("envelope/seal_2_recipients_256B"), None, "/s"),
    ("envelope open", per_sec("envelope/open_256B"), None, "/s"),
]
print(f"one core (taskset -c 0); Qingsuan = criterion median; OpenSSL = {version}")
print(f"{'operation':32} {'Qingsuan':>14} {'OpenSSL':>14} {'ratio':>7}")
fmt = lambda v, u: "n/a" if v is None else f"{v:,.0f}{u}" if u == "/s" else f"{v:,.1f}{u}"
for name, ours, theirs, unit in rows:
    ratio = f"{ours / theirs:.2f}x" if ours and theirs else ""
    print(f"{name:32} {fmt(ours, unit):>14} {fmt(theirs, unit):>14} {ratio:>7}")
if openssl_mb("sm4-gcm") is None:
    print("OpenSSL here has no SM4-GCM; compare SM4-GCM with its SM4-CTR/CBC rows.")
PY
