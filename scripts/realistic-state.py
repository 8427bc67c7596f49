#!/usr/bin/env python3
"""Grow a raw chain spec's genesis to the size of a busy settlement chain, for
`benchmark storage`: the database weights depend on how deep the state trie is.

Adds ACCOUNTS ledger balances (`Ledger::Accounts`, keyed like the runtime keys them, spread over
the preset's assets) and RECORDS settlement records (`Settlement::Settlements`), with values of
the runtime's encoded sizes. Hash parts of keys are random, as real hashes are.

usage: realistic-state.py RAW_SPEC_IN RAW_SPEC_OUT [ACCOUNTS] [RECORDS]
"""
import json, os, random, sys

from substrate_keys import twox128


def main():
    src, dst = sys.argv[1], sys.argv[2]
    accounts = int(sys.argv[3]) if len(sys.argv) > 3 else 300_000
    records = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
    rng = random.Random(42)
    spec = json.load(open(src))
    top = spec["genesis"]["raw"]["top"]
    accounts_prefix = twox128(b"Ledger") + twox128(b"Accounts")
    assets = [1, 2, 1000]
    for n in range(accounts):
        asset = assets[n % len(assets)].to_bytes(4, "little")
        account = rng.randbytes(32)
        key = accounts_prefix + rng.randbytes(8) + asset + rng.randbytes(16) + account
        # AssetAccount { free: u128, holds: [] } (a third of them with one hold: +17 bytes)
        value = rng.randbytes(16) + (b"\x04" + b"\x00" + rng.randbytes(16) if n % 3 == 0 else b"\x00")
        top["0x" + key.hex()] = "0x" + value.hex()
    records_prefix = twox128(b"Settlement") + twox128(b"Settlements")
    for n in range(records):
        key = records_prefix + rng.randbytes(8) + n.to_bytes(8, "little")
        # A trade record: two accounts, two asset ids, six amounts, block and day.
        top["0x" + key.hex()] = "0x" + (b"\x00" + rng.randbytes(64 + 8 + 16 * 7 + 8)).hex()
    json.dump(spec, open(dst, "w"))
    print(f"{dst}: {len(top)} keys ({accounts} ledger balances, {records} settlement records)")


if __name__ == "__main__":
    main()
