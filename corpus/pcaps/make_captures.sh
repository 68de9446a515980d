#!/bin/bash
# Regenerates the captures in corpus/pcaps/ and documents how they were made:
# Linux's own TCP between two network namespaces, recorded with tcpdump
# (pcap) and dumpcap (pcapng). Needs root, python3, iproute2, tcpdump and
# dumpcap. The committed captures are the source of truth (a rerun differs
# in ISNs, timestamps and timing); `tcpfuzz import` turns them into the
# committed scripts and seeds:
#
#   corpus/pcaps/make_captures.sh
#   build/dev/fuzz/tcpfuzz import corpus/pcaps --to corpus --stack both
#
# The namespaces are joined by two tun devices and a forwarder that copies
# packets between them, not by veth or lo: Linux sizes its receive window
# from the memory its received buffers take (skb truesize), and a packet
# written into a tun device is buffered the way packetdrill's are, which is
# what the stack's receive window is fitted to. Over lo or veth the
# receiver gets the sender's buffer and opens its window faster.
# tun0 has a 1500-byte MTU and no offloads, so every segment is seen as
# sent. The TCP sysctls are the stack's defaults (fuzz/scenario/
# sysctl_config.cc), so the imported scripts mean the same to both stacks.
# Addresses: 198.18.0.1 and fd00:18::1 (client), 198.18.0.2 and fd00:18::2
# (server, port 8080).
set -euo pipefail

out=$(cd "$(dirname "$0")" && pwd)
client=tcpfuzz-cap-client
server=tcpfuzz-cap-server

[[ $(id -u) == 0 ]] || { echo "make_captures.sh: needs root (network namespaces)" >&2; exit 2; }

cleanup() {
  [[ -n ${forwarder:-} ]] && kill "$forwarder" 2>/dev/null
  ip netns del "$client" 2>/dev/null || true
  ip netns del "$server" 2>/dev/null || true
}
trap cleanup EXIT

setup_namespace() {
  local ns=$1 v4=$2 v6=$3
  ip netns add "$ns"
  ip -n "$ns" link set dev lo up
  ip netns exec "$ns" sysctl -q net.ipv4.tcp_timestamps=1 net.ipv4.tcp_sack=1 \
    net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_syncookies=1 net.ipv4.tcp_syn_retries=6 \
    net.ipv4.tcp_synack_retries=5 net.ipv4.tcp_retries2=15 net.ipv4.tcp_max_syn_backlog=4096 \
    net.ipv4.tcp_fin_timeout=60 net.ipv4.tcp_keepalive_time=7200 \
    net.ipv4.tcp_keepalive_intvl=75 net.ipv4.tcp_keepalive_probes=9 \
    net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304" \
    net.ipv4.tcp_ecn=0 net.ipv4.tcp_fastopen=0
  ip -n "$ns" tuntap add dev tun0 mode tun
  ip -n "$ns" link set dev tun0 mtu 1500 up
  ip -n "$ns" addr add "$v4/24" dev tun0
  ip -n "$ns" addr add "$v6/64" dev tun0 nodad
}

setup_namespace "$client" 198.18.0.1 fd00:18::1
setup_namespace "$server" 198.18.0.2 fd00:18::2

# The forwarder: one process per namespace attached to its tun0, the two
# joined by a socket pair; every packet one kernel sends, the other receives.
python3 - "$client" "$server" <<'PY' &
import socket, subprocess, sys

ATTACH = r'''
import fcntl, os, select, socket, struct, sys
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454ca, 0x0001, 0x1000
tun = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
peer = socket.socket(fileno=int(sys.argv[1]))
while True:
    ready, _, _ = select.select([tun, peer], [], [])
    if tun in ready:
        peer.send(os.read(tun, 65536))
    if peer in ready:
        os.write(tun, peer.recv(65536))
'''
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
children = [
    subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", ATTACH, str(s.fileno())],
                     pass_fds=[s.fileno()])
    for ns, s in ((sys.argv[1], a), (sys.argv[2], b))
]
try:
    children[0].wait()
finally:
    for c in children:
        c.kill()
PY
forwarder=$!

# One conversation: the client sends each request, the server answers it,
# 50 ms apart; then the client closes (FIN both ways) or aborts
# (SO_LINGER 0: RST). ROUNDS is "request:reply,...", in bytes.
conversation() {
  local family=$1 ending=$2 rounds=$3
  local program
  program=$(cat <<'PY'
import socket, struct, sys, time

side, family, ending, rounds = sys.argv[1:5]
af = socket.AF_INET6 if family == "v6" else socket.AF_INET
server = "fd00:18::2" if family == "v6" else "198.18.0.2"
rounds = [tuple(int(n) for n in r.split(":")) for r in rounds.split(",")]


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


if side == "server":
    listener = socket.socket(af, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((server, 8080))
    listener.listen(1)
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
else:
    client = socket.create_connection((server, 8080))
    for request, reply in rounds:
        client.sendall(b"q" * request)
        recv_exactly(client, reply)
        time.sleep(0.05)
    if ending == "abort":
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()
    time.sleep(0.2)
PY
)
  ip netns exec "$server" python3 -c "$program" server "$family" "$ending" "$rounds" &
  local server_pid=$!
  until ip netns exec "$server" ss -Hltn | grep -q ':8080 '; do sleep 0.1; done
  ip netns exec "$client" python3 -c "$program" client "$family" "$ending" "$rounds"
  wait "$server_pid"
}

# capture TOOL FILE CONVERSATION...: records the server's tun0 meanwhile.
capture() {
  local tool=$1 file=$2
  shift 2
  rm -f "$file"
  if [[ $tool == tcpdump ]]; then
    ip netns exec "$server" tcpdump -q -Z root -i tun0 -s 0 -U -w "$file" 'tcp port 8080' 2>/dev/null &
  else
    ip netns exec "$server" dumpcap -q -i tun0 -s 0 -f 'tcp port 8080' -w "$file" 2>/dev/null &
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
