#!/bin/bash
# Regenerates the captures in corpus/pcaps/: Linux's own TCP talking to
# itself on the loopback device of a fresh network namespace, recorded with
# tcpdump (pcap) and dumpcap (pcapng). Needs root, python3, tcpdump, dumpcap.
# The committed captures are the source of truth (a rerun differs in ISNs,
# timestamps and timing); this script documents how they were made.
#
#   corpus/pcaps/make_captures.sh            # writes corpus/pcaps/*.pcap*
#
# In the namespace: lo has a 1500-byte MTU and sends one MSS per packet
# (gso_max_segs 1, as packetdrill's tun0 in corpus/scripts/common/), so the
# capture shows segments as a real network carries them, not 64 KB GSO
# packets; the TCP sysctls are the stack's defaults (fuzz/scenario/
# sysctl_config.h), so the imported scripts mean the same to both stacks.
set -euo pipefail

out=$(cd "$(dirname "$0")" && pwd)

if [[ ${1:-} != --in-namespace ]]; then
  [[ $(id -u) == 0 ]] || { echo "make_captures.sh: needs root (a network namespace)" >&2; exit 2; }
  exec unshare --net "$0" --in-namespace
fi

ip link set dev lo up
ip link set dev lo mtu 1500
ip link set dev lo gso_max_segs 1
sysctl -q net.ipv4.tcp_timestamps=1 net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1 \
  net.ipv4.tcp_syncookies=1 net.ipv4.tcp_syn_retries=6 net.ipv4.tcp_synack_retries=5 \
  net.ipv4.tcp_retries2=15 net.ipv4.tcp_max_syn_backlog=4096 net.ipv4.tcp_fin_timeout=60 \
  net.ipv4.tcp_keepalive_time=7200 net.ipv4.tcp_keepalive_intvl=75 \
  net.ipv4.tcp_keepalive_probes=9 net.ipv4.tcp_rmem="4096 131072 6291456" \
  net.ipv4.tcp_wmem="4096 16384 4194304" net.ipv4.tcp_ecn=0 net.ipv4.tcp_fastopen=0

# A server and a client in one python3 process: the client sends each
# request, the server answers it, 50 ms apart; then the client closes
# (graceful: FIN both ways) or aborts (SO_LINGER 0: RST).
conversation() {
  python3 - "$@" <<'PY'
import socket, struct, sys, threading, time

family = socket.AF_INET6 if sys.argv[1] == "v6" else socket.AF_INET
host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
rounds = [(int(a), int(b)) for a, b in (r.split(":") for r in sys.argv[3].split(","))]
abort = sys.argv[2] == "abort"

listener = socket.socket(family, socket.SOCK_STREAM)
listener.bind((host, 8080))
listener.listen(1)


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def serve():
    conn, _ = listener.accept()
    for request, reply in rounds:
        recv_exactly(conn, request)
        conn.sendall(b"r" * reply)
    try:
        while conn.recv(4096):
            pass
    except ConnectionResetError:  # the client aborted
        pass
    conn.close()


server = threading.Thread(target=serve)
server.start()
client = socket.create_connection((host, 8080))
for request, reply in rounds:
    client.sendall(b"q" * request)
    recv_exactly(client, reply)
    time.sleep(0.05)
if abort:
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
client.close()
server.join()
PY
}

# capture TOOL FILE ARGS...: records lo while the conversation ARGS runs.
capture() {
  local tool=$1 file=$2
  shift 2
  rm -f "$file"
  if [[ $tool == tcpdump ]]; then
    tcpdump -q -Z root -i lo -s 0 -U -w "$file" 'tcp port 8080' 2>/dev/null &
  else
    dumpcap -q -i lo -s 0 -f 'tcp port 8080' -w "$file" 2>/dev/null &
  fi
  local pid=$!
  sleep 1
  conversation "$@"
  sleep 1
  kill -INT "$pid"
  wait "$pid" || true
  chmod 644 "$file"
}

capture tcpdump "$out/linux-v4-request-reply-close.pcap" v4 close 1000:3000,2000:1500
capture tcpdump "$out/linux-v4-abort.pcap" v4 abort 500:700
capture dumpcap "$out/linux-v6-request-reply-close.pcapng" v6 close 800:2000
ls -l "$out"/*.pcap*
