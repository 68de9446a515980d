#!/usr/bin/env python3
"""Writes seed inputs for segment_fuzzer (format: fuzz/harness/segment_target.h).

The harness has accepted a connection from 192.0.2.1:48000 (peer ISN 1000)
and sent 5000 bytes; each seed acts on it, on the listener, or on nothing.
Checksums are left zero: the harness computes them unless a record keeps
them. `--check` fails if the committed files differ from what this writes.
"""
import struct

import seed_files

FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16
# The stack's ISN in the harness's handshake (`tcpfuzz replay` of an empty
# segment_fuzzer input shows it). If the ISN function changes, the test
# SegmentSeeds.ReachTheConnection fails and this number needs updating.
STACK_ISN = 1329358904
SENT = 5000
PEER = bytes([192, 0, 2, 1])
STACK = bytes([192, 168, 0, 1])
PEER6 = bytes.fromhex("fd3dfa7bd17d00000000000000000001")
STACK6 = bytes.fromhex("fd3d0a0b17d600000000000000000001")


def tcp(flags, seq, ack, win=502, payload=b"", options=b"", sport=48000, dport=8080):
    offset = (20 + len(options)) // 4
    return (struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                        offset << 4, flags, win, 0, 0) + options + payload)


def ipv4(segment, src=PEER, dst=STACK):
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(segment), 0, 0, 64, 6, 0, src,
                       dst) + segment


def ipv6(segment, src=PEER6, dst=STACK6):
    return struct.pack(">IHBB16s16s", 6 << 28, len(segment), 6, 64, src, dst) + segment


def record(packet, delay_ms=0, keep_checksums=False):
    return struct.pack(">BHH", 1 if keep_checksums else 0, delay_ms, len(packet)) + packet


def ts(val, ecr=0):
    return b"\x01\x01\x08\x0a" + struct.pack(">II", val, ecr)


def sack(left, right):
    return b"\x01\x01\x05\x0a" + struct.pack(">II", left, right)


PEER_NEXT = 1001
UNA = STACK_ISN + 1
ALL = UNA + SENT


def on_connection(flags, seq_delta=0, ack=UNA, **kw):
    return ipv4(tcp(flags, PEER_NEXT + seq_delta, ack, **kw))


SEEDS = {
    "ack-all-data": record(on_connection(ACK, ack=ALL, options=ts(1))),
    "data-in-order": record(on_connection(PSH | ACK, payload=b"a" * 100, options=ts(1))),
    "data-out-of-order-then-hole": record(on_connection(ACK, 100, payload=b"b" * 100))
    + record(on_connection(ACK, payload=b"a" * 100)),
    "three-dup-acks-fast-retransmit": b"".join(record(on_connection(ACK)) for _ in range(4)),
    "sack-of-later-data": record(on_connection(ACK, options=sack(UNA + 1448, UNA + 2896))),
    "zero-window-then-open": record(on_connection(ACK, ack=ALL, win=0))
    + record(on_connection(ACK, ack=ALL, win=0), delay_ms=1000)
    + record(on_connection(ACK, ack=ALL, win=502), delay_ms=3000),
    "fin-from-peer": record(on_connection(FIN | ACK, ack=ALL)),
    "rst-exact": record(on_connection(RST)),
    "rst-in-window-challenge": record(on_connection(RST, 10)),
    "syn-in-established": record(on_connection(SYN, 5)),
    "retransmission-timeout": record(on_connection(ACK), delay_ms=1200)
    + record(on_connection(ACK, ack=ALL), delay_ms=10),
    "second-connection": record(ipv4(tcp(SYN, 7000, 0, win=65535, sport=48001)))
    + record(ipv4(tcp(ACK, 7001, 0, win=65535, sport=48001))),
    "ipv6-syn-no-listener": record(ipv6(tcp(SYN, 1, 0, win=65535))),
    "bad-checksum-kept": record(on_connection(ACK, ack=ALL), keep_checksums=True),
    "ip-options-and-fragment": record(struct.pack(">BBHHHBBH4s4s", 0x46, 0, 24 + 20, 0, 0x2000,
                                                  64, 6, 0, PEER, STACK) + b"\x01\x01\x01\x00"
                                      + tcp(ACK, PEER_NEXT, UNA)),
}


if __name__ == "__main__":
    seed_files.main("segment_fuzzer", {name + ".bin": data for name, data in SEEDS.items()})
