#!/usr/bin/env python3
"""Writes seed inputs for pair_fuzzer (format: fuzz/harness/pair_target.h).

Each seed is a fault plan (drop, duplicate, reorder, corrupt, delay in
thousandths, plan seed) and the applications' operations. `--check` fails
if the committed files differ from what this writes.
"""
import struct

import seed_files

(C_WRITE, S_WRITE, C_READ, S_READ, ADVANCE, C_SHUT, S_SHUT, OPTIONS) = range(8)


def plan(drop=0, dup=0, reorder=0, corrupt=0, delay=0, seed=1):
    return bytes([drop, dup, reorder, corrupt, delay, seed])


def ops(*pairs):
    return b"".join(struct.pack("BB", op, arg) for op, arg in pairs)


EXCHANGE = ops((ADVANCE, 10), (C_WRITE, 100), (ADVANCE, 5), (S_READ, 255), (S_WRITE, 40),
               (ADVANCE, 50), (C_READ, 255), (C_WRITE, 255), (C_WRITE, 255), (ADVANCE, 100),
               (S_READ, 255), (S_READ, 255))

SEEDS = {
    "clean-exchange": plan() + EXCHANGE,
    "drops": plan(drop=50) + EXCHANGE,
    "duplicates-and-reordering": plan(dup=60, reorder=60, seed=3) + EXCHANGE,
    "corruption": plan(corrupt=80, seed=4) + EXCHANGE,
    "delays": plan(delay=120, seed=5) + EXCHANGE,
    "everything-at-once": plan(30, 30, 30, 30, 30, seed=6) + EXCHANGE,
    "bulk-one-way-with-small-reads": plan(drop=10) + ops(*[(C_WRITE, 255)] * 8,
                                                         *[(S_READ, 3), (ADVANCE, 2)] * 20),
    "client-closes-first": plan() + ops((ADVANCE, 10), (C_WRITE, 10), (C_SHUT, 0), (ADVANCE, 50),
                                        (S_READ, 255), (S_WRITE, 10), (S_SHUT, 0)),
    "nagle-and-cork": plan() + ops((ADVANCE, 10), (OPTIONS, 2), (C_WRITE, 0), (C_WRITE, 0),
                                   (OPTIONS, 1), (C_WRITE, 0), (OPTIONS, 4 | 1), (S_WRITE, 0)),
    "no-reader-zero-window": plan() + ops((ADVANCE, 10), *[(C_WRITE, 255)] * 40, (ADVANCE, 255)),
    # OPTIONS bits 3-7: allocations fail at n/32 on that side (8 << 3: a quarter).
    "memory-pressure-both-sides": plan(drop=10, seed=7) + ops((OPTIONS, 8 << 3), (OPTIONS, 4 | 8 << 3))
                                  + EXCHANGE,
}

if __name__ == "__main__":
    seed_files.main("pair_fuzzer", {name + ".bin": data for name, data in SEEDS.items()})
