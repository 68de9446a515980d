#!/usr/bin/env python3
"""Writes seed inputs for scenario_fuzzer (format: fuzz/scenario/binary_scenario.h).

Each seed is a small scenario named for what it does; together they reach
every state of the RFC 9293 diagram. `--check` fails if the committed files
differ from what this script writes.
"""
import struct

import seed_files

FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16
MSS, WS, SACKOK, TS, SACK = 1, 2, 4, 8, 16
(LISTEN, CONNECT, ACCEPT, READ, WRITE, SHUT_WR, SHUT_RD, CLOSE, ABORT, NODELAY, KEEPALIVE,
 USER_TIMEOUT, LINGER2, LINGER_ZERO, RCVBUF, CORK) = range(16)


def seg(flags, seq=0, ack=0, win=65535, payload=0, opts=0, absolute=False):
    return struct.pack(">BBhhHBBBB", 0, flags, seq, ack, win, payload, opts, 1 if absolute else 0, 0)


def wait(ms):
    return struct.pack(">BH", 1, ms)


def call(op, arg=0):
    return struct.pack(">BBH", 2, op, arg)


SYN_OPTS = MSS | WS | SACKOK | TS
PASSIVE = call(LISTEN, 4) + seg(SYN, opts=SYN_OPTS) + seg(ACK, opts=TS) + call(ACCEPT)
ACTIVE = call(CONNECT) + seg(SYN | ACK, opts=SYN_OPTS) + wait(1)

SEEDS = {
    "passive-data-passive-close": PASSIVE + seg(PSH | ACK, payload=100, opts=TS) + call(READ, 1000)
    + call(WRITE, 200) + seg(ACK, opts=TS) + seg(FIN | ACK, opts=TS) + call(CLOSE) + seg(ACK, opts=TS),
    "active-data-active-close-time-wait": ACTIVE + call(WRITE, 3000) + seg(ACK, opts=TS)
    + call(CLOSE) + seg(ACK, opts=TS) + seg(FIN | ACK, opts=TS) + wait(60000) + wait(1000),
    "simultaneous-open-simultaneous-close": call(CONNECT) + seg(SYN, opts=SYN_OPTS)
    + seg(SYN | ACK, seq=-1, opts=SYN_OPTS) + call(CLOSE) + seg(FIN | ACK, ack=-1) + seg(ACK),
    "rst-in-established": PASSIVE + seg(RST) + call(READ, 10),
    "challenge-ack-then-rst": PASSIVE + seg(RST, seq=10) + seg(SYN, seq=5) + seg(RST),
    "out-of-order-sack": PASSIVE + seg(ACK, seq=1000, payload=200, opts=TS)
    + seg(ACK, seq=2000, payload=100, opts=TS) + seg(ACK, payload=200, opts=TS) + call(READ, 5000),
    "keepalive-timeout": ACTIVE + call(KEEPALIVE, 2) + wait(20000) + wait(20000),
    "user-timeout-retransmits": ACTIVE + call(USER_TIMEOUT, 3000) + call(WRITE, 500)
    + wait(1000) + wait(5000),
    "syn-retries-timeout": call(CONNECT) + wait(10000) + wait(30000) + wait(60000),
    "zero-window-probes": call(CONNECT) + seg(SYN | ACK, win=0, opts=MSS) + call(WRITE, 100)
    + wait(500) + wait(2000) + seg(ACK, win=1000) + wait(100),
    "fin-wait-2-linger2": ACTIVE + call(LINGER2, 5) + call(CLOSE) + seg(ACK, opts=TS) + wait(6000),
    "linger-zero-abort": PASSIVE + call(LINGER_ZERO) + call(CLOSE),
    "syncookies-backlog-0": call(LISTEN, 0) + seg(SYN, opts=MSS) + seg(SYN, seq=500, absolute=True)
    + seg(ACK, opts=MSS),
    "nagle-cork-small-writes": PASSIVE + call(CORK, 1) + call(WRITE, 10) + call(WRITE, 10)
    + call(CORK, 0) + call(NODELAY, 1) + call(WRITE, 5) + seg(ACK, opts=TS) + wait(300),
    "close-with-unread-data": PASSIVE + seg(PSH | ACK, payload=50, opts=TS) + call(CLOSE),
}


if __name__ == "__main__":
    seed_files.main("scenario_fuzzer", {name + ".bin": data for name, data in SEEDS.items()})
