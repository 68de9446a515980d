#!/usr/bin/env python3
"""Generates the wire-level seed corpora of header_fuzzer and options_fuzzer.

    python3 corpus/make_wire_seeds.py            # rewrite both folders
    python3 corpus/make_wire_seeds.py --check    # exit 1 if a committed seed differs

header_fuzzer seeds are whole IP packets (IPv4 or IPv6 carrying TCP), as the
harness hands them to Stack::deliver. The harness's NIC owns 192.0.2.1 and
fd3d:a0b:17d6::1, so well-formed seeds are addressed there from .2.
options_fuzzer seeds are raw TCP option spaces (0..40 bytes).

Stdlib only; checksums are computed here (RFC 1071, with the RFC 9293 /
RFC 8200 pseudo-headers), so the seeds do not depend on the code under test.
Only files this script writes are touched: seeds added by hand or by
`libFuzzer -merge` live beside them and are left alone.
"""

import argparse
import ipaddress
import struct
import sys

import seed_files

V4_US, V4_PEER = "192.0.2.1", "192.0.2.2"
V6_US, V6_PEER = "fd3d:a0b:17d6::1", "fd3d:a0b:17d6::2"

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80


# ---------------------------------------------------------------- checksums

def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def pseudo_header(src: str, dst: str, length: int) -> bytes:
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if s.version == 4:
        return s.packed + d.packed + struct.pack("!BBH", 0, 6, length)
    return s.packed + d.packed + struct.pack("!I3xB", length, 6)


# ---------------------------------------------------------------- TCP options

def mss(v):
    return struct.pack("!BBH", 2, 4, v)


def ts(val, ecr):
    return struct.pack("!BBII", 8, 10, val, ecr)


def ws(shift):
    return bytes([3, 3, shift])


SACK_OK = bytes([4, 2])
NOP = b"\x01"


def sack(*blocks):
    body = b"".join(struct.pack("!II", a, b) for a, b in blocks)
    return bytes([5, 2 + len(body)]) + body


def linux_syn(mss_value=1460, tsval=0x5A3C9E01, tsecr=0, wscale=7):
    # tcp_options_write() for a SYN with everything negotiated:
    # MSS, SACK-permitted + TS, NOP WS  -> 20 bytes.
    return mss(mss_value) + SACK_OK + ts(tsval, tsecr) + NOP + ws(wscale)


def pad4(opts: bytes) -> bytes:
    return opts + b"\0" * (-len(opts) % 4)


# ---------------------------------------------------------------- packets

def tcp_segment(src, dst, *, sport=40000, dport=80, seq=0, ack=0, flags=SYN,
                window=64240, opts=b"", payload=b"", urgent=0,
                data_offset=None, bad_checksum=False):
    opts = pad4(opts)
    doff = data_offset if data_offset is not None else (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags,
                      window, 0, urgent) + opts
    seg = hdr + payload
    c = csum(pseudo_header(src, dst, len(seg)) + seg)
    if bad_checksum:
        c ^= 0x5A5A
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def ipv4(payload, *, src=V4_PEER, dst=V4_US, proto=6, ttl=64, ident=0x1c46,
         df=True, mf=False, frag_offset=0, ip_opts=b"", bad_checksum=False,
         total_length=None):
    ip_opts = pad4(ip_opts)
    ihl = 5 + len(ip_opts) // 4
    tot = total_length if total_length is not None else ihl * 4 + len(payload)
    flags_frag = (0x4000 if df else 0) | (0x2000 if mf else 0) | frag_offset
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, ident, flags_frag, ttl, proto, 0,
                      ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed) + ip_opts
    c = csum(hdr)
    if bad_checksum:
        c ^= 0x1111
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def ipv6(payload, *, src=V6_PEER, dst=V6_US, next_header=6, hop_limit=64, ext=b""):
    body = ext + payload
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(body), next_header, hop_limit,
                      ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed)
    return hdr + body


def v4_tcp(ip_kw=None, **tcp_kw):
    ip_kw = dict(ip_kw or {})
    src, dst = ip_kw.setdefault("src", V4_PEER), ip_kw.setdefault("dst", V4_US)
    return ipv4(tcp_segment(src, dst, **tcp_kw), **ip_kw)


def v6_tcp(ip_kw=None, **tcp_kw):
    ip_kw = dict(ip_kw or {})
    src, dst = ip_kw.setdefault("src", V6_PEER), ip_kw.setdefault("dst", V6_US)
    return ipv6(tcp_segment(src, dst, **tcp_kw), **ip_kw)


ISS_PEER, ISS_US = 0x1F3A9C21, 0x8E2D0B47
TS_PEER, TS_US = 0x5A3C9E01, 0x0012D687
DATA = b"GET / HTTP/1.1\r\nHost: tcpfuzz\r\n\r\n"


def header_seeds():
    s = {}
    # Handshake, both families, Linux option layout (MSS 1460 / 1440 for v6).
    s["v4-syn-mss-sack-ts-ws.bin"] = v4_tcp(seq=ISS_PEER, flags=SYN, opts=linux_syn())
    s["v4-synack-mss-sack-ts-ws.bin"] = v4_tcp(
        sport=80, dport=40000, seq=ISS_US, ack=ISS_PEER + 1, flags=SYN | ACK, window=65160,
        opts=linux_syn(1460, TS_US, TS_PEER, 7))
    s["v4-syn-no-options.bin"] = v4_tcp(seq=ISS_PEER, flags=SYN, window=8192)
    s["v4-syn-ece-cwr-mss.bin"] = v4_tcp(seq=ISS_PEER, flags=SYN | ECE | CWR, opts=mss(536))
    s["v6-syn-mss-sack-ts-ws.bin"] = v6_tcp(seq=ISS_PEER, flags=SYN, opts=linux_syn(1440))
    s["v6-synack-mss-sack-ts-ws.bin"] = v6_tcp(
        sport=80, dport=40000, seq=ISS_US, ack=ISS_PEER + 1, flags=SYN | ACK, window=64800,
        opts=linux_syn(1440, TS_US, TS_PEER, 7))
    # Established traffic.
    data_ts = NOP + NOP + ts(TS_PEER + 10, TS_US)
    s["v4-ack-ts.bin"] = v4_tcp(seq=ISS_PEER + 1, ack=ISS_US + 1, flags=ACK, window=502,
                                opts=data_ts)
    s["v4-psh-ack-ts-data.bin"] = v4_tcp(seq=ISS_PEER + 1, ack=ISS_US + 1, flags=PSH | ACK,
                                         window=502, opts=data_ts, payload=DATA)
    s["v6-psh-ack-ts-data.bin"] = v6_tcp(seq=ISS_PEER + 1, ack=ISS_US + 1, flags=PSH | ACK,
                                         window=502, opts=data_ts, payload=DATA)
    s["v4-ack-ts-sack-2blocks.bin"] = v4_tcp(
        seq=ISS_PEER + 1, ack=ISS_US + 1, flags=ACK, window=502,
        opts=data_ts + NOP + NOP + sack((ISS_US + 1449, ISS_US + 2897),
                                        (ISS_US + 4345, ISS_US + 5793)))
    s["v4-urg-ack-data.bin"] = v4_tcp(seq=ISS_PEER + 1, ack=ISS_US + 1, flags=URG | PSH | ACK,
                                      urgent=1, payload=b"!x")
    s["v4-fin-ack.bin"] = v4_tcp(seq=ISS_PEER + 35, ack=ISS_US + 1, flags=FIN | ACK, window=502,
                                 opts=data_ts)
    s["v6-fin-ack.bin"] = v6_tcp(seq=ISS_PEER + 35, ack=ISS_US + 1, flags=FIN | ACK, window=502,
                                 opts=data_ts)
    s["v4-rst.bin"] = v4_tcp(seq=ISS_PEER + 1, flags=RST, window=0)
    s["v4-rst-ack.bin"] = v4_tcp(sport=80, dport=40000, seq=0, ack=ISS_PEER + 1,
                                 flags=RST | ACK, window=0)
    s["v6-rst.bin"] = v6_tcp(seq=ISS_PEER + 1, flags=RST, window=0)
    # IP-layer variants.
    record_route = bytes([7, 11, 4]) + b"\0" * 8  # RFC 791 record route, 2 slots
    s["v4-ipopts-rr-syn.bin"] = v4_tcp(ip_kw={"ip_opts": NOP + record_route},
                                       seq=ISS_PEER, flags=SYN, opts=linux_syn())
    s["v4-ipopts-40-bytes-syn.bin"] = v4_tcp(ip_kw={"ip_opts": NOP * 39 + b"\0"},
                                             seq=ISS_PEER, flags=SYN, opts=mss(1460))
    s["v4-fragment-first-mf.bin"] = v4_tcp(ip_kw={"df": False, "mf": True},
                                           seq=ISS_PEER + 1, ack=ISS_US + 1, flags=PSH | ACK,
                                           payload=DATA)
    s["v4-fragment-offset-185.bin"] = ipv4(DATA, src=V4_PEER, df=False, frag_offset=185)
    hop_by_hop = bytes([6, 0, 1, 4, 0, 0, 0, 0])  # next=TCP, len 0, PadN(4)
    s["v6-hopbyhop-syn.bin"] = v6_tcp(ip_kw={"next_header": 0, "ext": hop_by_hop},
                                      seq=ISS_PEER, flags=SYN, opts=linux_syn(1440))
    s["v4-udp.bin"] = ipv4(struct.pack("!HHHH", 5353, 5353, 8 + 4, 0) + b"ping", src=V4_PEER,
                           proto=17)
    s["v6-icmpv6-echo.bin"] = ipv6(bytes([128, 0, 0, 0, 0, 1, 0, 1]), next_header=58)
    s["v4-not-for-us.bin"] = v4_tcp(ip_kw={"dst": "192.0.2.99"}, seq=ISS_PEER, flags=SYN,
                                     opts=linux_syn())
    s["v4-multicast-source.bin"] = v4_tcp(ip_kw={"src": "224.0.0.1"}, seq=ISS_PEER, flags=SYN)
    s["v4-ethernet-padding.bin"] = v4_tcp(seq=ISS_PEER + 1, ack=ISS_US + 1, flags=ACK) + b"\0" * 6
    # Broken packets.
    s["v4-syn-bad-tcp-checksum.bin"] = v4_tcp(seq=ISS_PEER, flags=SYN, opts=linux_syn(),
                                              bad_checksum=True)
    s["v6-syn-bad-tcp-checksum.bin"] = v6_tcp(seq=ISS_PEER, flags=SYN, opts=linux_syn(1440),
                                              bad_checksum=True)
    s["v4-bad-ip-checksum.bin"] = v4_tcp(ip_kw={"bad_checksum": True}, seq=ISS_PEER, flags=SYN)
    good_v4 = s["v4-syn-no-options.bin"]
    s["v4-truncated-ip-header.bin"] = good_v4[:12]
    s["v4-truncated-tcp-header.bin"] = ipv4(good_v4[20:32], src=V4_PEER)
    s["v6-truncated-ip-header.bin"] = s["v6-syn-mss-sack-ts-ws.bin"][:30]
    s["v4-total-length-past-end.bin"] = v4_tcp(ip_kw={"total_length": 200}, seq=ISS_PEER,
                                               flags=SYN)
    s["v4-tcp-data-offset-4.bin"] = v4_tcp(seq=ISS_PEER, flags=SYN, data_offset=4)
    s["v4-tcp-data-offset-15-past-end.bin"] = v4_tcp(seq=ISS_PEER, flags=SYN, opts=mss(1460),
                                                     data_offset=15)
    s["v6-tcp-data-offset-3.bin"] = v6_tcp(seq=ISS_PEER, flags=SYN, data_offset=3)
    s["v4-ihl-4.bin"] = bytes([0x44]) + good_v4[1:]
    s["version-5.bin"] = bytes([0x55]) + good_v4[1:]
    return s


def option_seeds():
    s = {}
    # What Linux sends (tcp_options_write()).
    s["linux-syn-mss-sack-ts-ws.bin"] = linux_syn(1460, TS_PEER, 0, 7)
    s["linux-syn-v6-mss1440-sack-ts-ws.bin"] = linux_syn(1440, TS_PEER, 0, 7)
    s["linux-synack-mss-sack-ts-ws.bin"] = linux_syn(1460, TS_US, TS_PEER, 9)
    s["synack-mss-nop-nop-sackok-nop-ws.bin"] = mss(1460) + NOP + NOP + SACK_OK + NOP + ws(7)
    s["synack-mss-nop-nop-ts-nop-ws.bin"] = mss(1460) + NOP + NOP + ts(TS_US, TS_PEER) + NOP + ws(7)
    s["synack-mss-only.bin"] = mss(536)
    s["syn-mss-ws0-sackok.bin"] = mss(8960) + NOP + ws(0) + NOP + NOP + SACK_OK
    s["data-ts.bin"] = NOP + NOP + ts(TS_PEER + 250, TS_US + 3)
    # SACK, with and without timestamps (TS + 3 blocks = 40 bytes, 4 blocks only without TS).
    base = 0x8E2D0B48
    blocks = [(base + 1448 * (2 * i + 1), base + 1448 * (2 * i + 2)) for i in range(4)]
    for n in range(1, 4):
        s[f"data-ts-sack-{n}block{'s' if n > 1 else ''}.bin"] = (
            NOP + NOP + ts(TS_PEER, TS_US) + NOP + NOP + sack(*blocks[:n]))
    s["data-sack-4blocks.bin"] = NOP + NOP + sack(*blocks)
    s["data-sack-wrapping-block.bin"] = NOP + NOP + sack((0xFFFFFA00, 0x00000400))
    # Malformed, as tcp_options.h describes Linux's handling.
    s["bad-len0.bin"] = mss(1460) + bytes([8, 0]) + b"\0" * 8
    s["bad-len1.bin"] = bytes([8, 1]) + ts(1, 2)
    s["bad-len-past-end.bin"] = mss(1460) + bytes([8, 10, 0, 0, 0, 1])
    s["bad-kind-without-length.bin"] = NOP + NOP + NOP + bytes([2])
    s["bad-mss-len3.bin"] = bytes([2, 3, 5]) + NOP + SACK_OK + NOP + NOP
    s["bad-mss-zero.bin"] = mss(0)
    s["bad-ts-len8.bin"] = bytes([8, 8]) + b"\0\0\0\1\0\0" + NOP + NOP
    s["bad-sack-len-11.bin"] = bytes([5, 11]) + b"\0" * 9 + NOP
    s["bad-ws-len2.bin"] = bytes([3, 2]) + NOP + NOP
    s["ws15.bin"] = NOP + ws(15)
    s["ws255.bin"] = NOP + ws(255)
    s["unknown-kind-fe-len4.bin"] = bytes([0xFE, 4, 0xAB, 0xCD]) + mss(1460)
    s["unknown-kind-fe-exp-tfo.bin"] = bytes([0xFE, 6, 0xF9, 0x89, 0, 0]) + NOP + NOP
    s["fastopen-cookie-34.bin"] = bytes([34, 10]) + bytes(range(8)) + NOP + NOP
    s["eol-then-mss.bin"] = b"\0" + mss(1460) + b"\0"
    s["duplicate-mss.bin"] = mss(1460) + mss(536)
    s["nop-x40.bin"] = NOP * 40
    s["empty.bin"] = b""
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="verify the committed seeds instead of writing them")
    args = ap.parse_args()
    seeds = {"header_fuzzer": header_seeds(), "options_fuzzer": option_seeds()}
    for name, data in seeds["options_fuzzer"].items():
        if len(data) > 40:
            sys.exit(f"make_wire_seeds: options_fuzzer/{name} is {len(data)} bytes (> 40)")
    bad = sum(seed_files.write_or_check(folder, s, args.check) for folder, s in seeds.items())
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
