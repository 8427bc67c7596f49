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

from substrate_keys import twox128 as _twox128


def twox128(name: str) -> str:
    return _twox128(name.encode()).hex()


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
