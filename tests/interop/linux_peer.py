#!/usr/bin/env python3
"""The Linux side of the interop tests: a kernel TCP socket that sends or
receives, hashing every byte each way, and ends with FIN or RST.

  linux_peer.py client HOST PORT (--send N | --receive) [--abort-after N] [--bind-port P]
  linux_peer.py server PORT (--send N | --receive) [--abort-after N]

Prints one line: "peer result=ok|ECONNRESET|... received=N rx_sha256=HEX
sent=N tx_sha256=HEX seconds=S". A server prints "listening" first.
"""
import argparse
import errno
import hashlib
import os
import socket
import struct
import sys
import time

BLOCK = os.urandom(1 << 20)


class Transfer:
    def __init__(self, sock):
        self.sock = sock
        self.rx = hashlib.sha256()
        self.tx = hashlib.sha256()
        self.received = 0
        self.sent = 0

    def send(self, total, abort_after):
        limit = min(total, abort_after) if abort_after is not None else total
        while self.sent < limit:
            chunk = BLOCK[: min(len(BLOCK), limit - self.sent)]
            self.sock.sendall(chunk)
            self.tx.update(chunk)
            self.sent += len(chunk)

    def receive(self, abort_after):
        while abort_after is None or self.received < abort_after:
            want = 1 << 20 if abort_after is None else min(1 << 20, abort_after - self.received)
            data = self.sock.recv(want)
            if not data:
                return
            self.rx.update(data)
            self.received += len(data)

    def abort(self):
        # SO_LINGER on with a zero timeout: close() sends RST (Linux tcp_disconnect).
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


def run(sock, args):
    t = Transfer(sock)
    start = time.monotonic()
    result = "ok"
    try:
        if args.send is not None:
            t.send(args.send, args.abort_after)
            if args.abort_after is None:
                # Our FIN first, then the other side's end of stream.
                sock.shutdown(socket.SHUT_WR)
                t.receive(None)
        else:
            t.receive(args.abort_after)
        if args.abort_after is not None:
            t.abort()
        else:
            sock.close()
    except OSError as e:
        result = errno.errorcode.get(e.errno, str(e.errno))
        sock.close()
    seconds = time.monotonic() - start
    print(
        f"peer result={result} received={t.received} rx_sha256={t.rx.hexdigest()} "
        f"sent={t.sent} tx_sha256={t.tx.hexdigest()} seconds={seconds:.3f}",
        flush=True,
    )
    return 0 if result == "ok" else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["client", "server"])
    parser.add_argument("where", nargs="+", help="HOST PORT (client) or PORT (server)")
    direction = parser.add_mutually_exclusive_group(required=True)
    direction.add_argument("--send", type=int, metavar="N")
    direction.add_argument("--receive", action="store_true")
    parser.add_argument("--abort-after", type=int, metavar="N")
    parser.add_argument("--bind-port", type=int, default=0)
    # The stack's algorithm: a namespace inherits the host's default (BBR on
    # some hosts), which paces, and cannot select another by sysctl unless
    # the host allows it; root can always set it per socket.
    parser.add_argument("--congestion", default="cubic")
    args = parser.parse_args()
    congestion = args.congestion.encode()
    if args.role == "client":
        host, port = args.where
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, congestion)
        sock.bind(("0.0.0.0", args.bind_port))
        try:
            sock.connect((host, int(port)))
        except OSError as e:
            print(f"peer result={errno.errorcode.get(e.errno, e.errno)} connect failed", flush=True)
            return 1
        return run(sock, args)
    (port,) = args.where
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, congestion)
    listener.bind(("0.0.0.0", int(port)))
    listener.listen(1)
    print("listening", flush=True)
    sock, _ = listener.accept()
    listener.close()
    return run(sock, args)


if __name__ == "__main__":
    sys.exit(main())
