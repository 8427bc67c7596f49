#!/usr/bin/env python3
"""Grow a raw chain spec's genesis to the size of a busy settlement chain, for
`benchmark storage`: the database weights depend on how deep the state trie is.

Adds ACCOUNTS ledger balances (`Ledger::Accounts`, keyed like the runtime keys them, spread over
the preset's assets) and RECORDS settlement records (`Settlement::Settlements`), with values of
the runtime's encoded sizes. Hash parts of keys are random, as real hashes are.

usage: realistic-state.py RAW_SPEC_IN RAW_SPEC_OUT [ACCOUNTS] [RECORDS]
"""
import json, os, random, sys

M = (1 << 64) - 1
P1, P2, P3, P4, P5 = (11400714785074694791, 14029467366897019727, 1609587929392839161,
                      9650029242287828579, 2870177450012600261)


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M


def _round(acc, lane):
    return (_rotl((acc + lane * P2) & M, 31) * P1) & M


def xxh64(data: bytes, seed: int) -> int:
    n, i = len(data), 0
    le = lambda j, k: int.from_bytes(data[j:j + k], "little")
    if n >= 32:
        v = [(seed + P1 + P2) & M, (seed + P2) & M, seed, (seed - P1) & M]
        while i + 32 <= n:
            v = [_round(v[k], le(i + 8 * k, 8)) for k in range(4)]
            i += 32
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & M
        for x in v:
            h = ((h ^ _round(0, x)) * P1 + P4) & M
    else:
        h = (seed + P5) & M
    h = (h + n) & M
    while i + 8 <= n:
        h = (_rotl(h ^ _round(0, le(i, 8)), 27) * P1 + P4) & M
        i += 8
    if i + 4 <= n:
        h = (_rotl(h ^ ((le(i, 4) * P1) & M), 23) * P2 + P3) & M
        i += 4
    while i < n:
        h = (_rotl(h ^ ((data[i] * P5) & M), 11) * P1) & M
        i += 1
    h ^= h >> 33
    h = (h * P2) & M
    h ^= h >> 29
    h = (h * P3) & M
    return h ^ (h >> 32)


def twox128(data: bytes) -> bytes:
    return xxh64(data, 0).to_bytes(8, "little") + xxh64(data, 1).to_bytes(8, "little")


assert twox128(b"System").hex() == "26aa394eea5630e07c48ae0c9558cef7", "xxh64 is wrong"


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
