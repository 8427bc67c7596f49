#!/usr/bin/env python3
"""What a chain's state holds, by storage item: keys and bytes (key + value) of each.

    python3 scripts/state-size.py <raw chain spec>   (e.g. `qingsuan-node export-state` output)

Storage items are named from the runtime's pallet names (runtime/src/lib.rs) and the items
declared in this repository's pallets (`#[pallet::storage]`), plus FRAME's own that a chain of
ours fills; anything else is shown by its pallet, or as its raw prefix.
"""
import json
import pathlib
import re
import sys

M = (1 << 64) - 1
P1, P2, P3, P4, P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M


def _round(acc, lane):
    return (_rotl((acc + lane * P2) & M, 31) * P1) & M


def _merge(acc, v):
    return ((acc ^ _round(0, v)) * P1 + P4) & M


def xxh64(data: bytes, seed: int) -> int:
    n, i = len(data), 0
    if n >= 32:
        v = [(seed + P1 + P2) & M, (seed + P2) & M, seed, (seed - P1) & M]
        while i + 32 <= n:
            for j in range(4):
                v[j] = _round(v[j], int.from_bytes(data[i + 8 * j:i + 8 * j + 8], "little"))
            i += 32
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & M
        for x in v:
            h = _merge(h, x)
    else:
        h = (seed + P5) & M
    h = (h + n) & M
    while i + 8 <= n:
        h = ((_rotl(h ^ _round(0, int.from_bytes(data[i:i + 8], "little")), 27) * P1) + P4) & M
        i += 8
    if i + 4 <= n:
        h = ((_rotl(h ^ (int.from_bytes(data[i:i + 4], "little") * P1 & M), 23) * P2) + P3) & M
        i += 4
    while i < n:
        h = (_rotl(h ^ (data[i] * P5 & M), 11) * P1) & M
        i += 1
    h ^= h >> 33
    h = (h * P2) & M
    h ^= h >> 29
    h = (h * P3) & M
    return h ^ (h >> 32)


def twox128(name: str) -> str:
    b = name.encode()
    return (xxh64(b, 0).to_bytes(8, "little") + xxh64(b, 1).to_bytes(8, "little")).hex()


assert twox128("System") == "26aa394eea5630e07c48ae0c9558cef7", "xxh64 is wrong"

root = pathlib.Path(__file__).resolve().parent.parent
# Runtime pallet name -> its crate (`pub type Ledger = pallet_ledger;`).
pallets = dict(re.findall(r"pub type (\w+) = (\w+)(?:<\w+>)?;", (root / "runtime/src/lib.rs").read_text()))
items = {"frame_system": ["Account", "BlockHash", "Events", "EventTopics", "EventCount", "ParentHash", "Number"],
         "pallet_balances": ["Account", "TotalIssuance", "Holds", "Freezes", "Locks"],
         "pallet_session": ["NextKeys", "KeyOwner", "Validators", "QueuedKeys"],
         "pallet_grandpa": ["SetIdSession", "Authorities"]}
for lib in root.glob("pallets/*/src/lib.rs"):
    text = lib.read_text()
    crate = "pallet_" + lib.parent.parent.name.replace("-", "_")
    items[crate] = re.findall(r"#\[pallet::storage\][^;{]*?pub(?:\(crate\))? type (\w+)<", text, re.S)
names = {}
for pallet, crate in pallets.items():
    names[twox128(pallet)] = pallet
    for item in items.get(crate, []):
        names[twox128(pallet) + twox128(item)] = f"{pallet}::{item}"

spec = json.load(open(sys.argv[1]))
top = spec["genesis"]["raw"]["top"]
sizes = {}
for key, value in top.items():
    k = key[2:]
    if len(k) < 64:
        label = f"raw {bytes.fromhex(k)!r}"
    else:
        label = names.get(k[:64]) or names.get(k[:32], k[:8]) + "::" + k[32:40]
    n, b = sizes.get(label, (0, 0))
    sizes[label] = (n + 1, b + (len(key) - 2) // 2 + (len(value) - 2) // 2)
total = sum(b for _, b in sizes.values())
print(f"{'storage item':40} {'keys':>10} {'bytes':>14}")
for label, (n, b) in sorted(sizes.items(), key=lambda kv: -kv[1][1]):
    print(f"{label:40} {n:>10,} {b:>14,}")
print(f"{'total':40} {sum(n for n, _ in sizes.values()):>10,} {total:>14,}")
