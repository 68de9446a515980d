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
# sysctl_config.cc) unless a capture says otherwise: the linux-host-*
# captures are made with one host's settings changed (a large or small
# tcp_rmem, timestamps, SACK or window scaling off, a 1240-byte MTU), to
# check that `tcpfuzz import` infers them from what the capture shows.
# Addresses: 198.18.0.1 and fd00:18::1 (client), 198.18.0.2 and fd00:18::2
# (server, port 8080).
#
#   make_captures.sh [NAME...]   only the captures named (e.g. linux-host-sack0)
set -euo pipefail

out=$(cd "$(dirname "$0")" && pwd)
client=tcpfuzz-cap-client
server=tcpfuzz-cap-server

[[ $(id -u) == 0 ]] || { echo "make_captures.sh: needs root (network namespaces)" >&2; exit 2; }

cleanup() {
  [[ -n ${forwarder:-} ]] && kill "$forwarder" 2>/dev/null
  ip netns del "$client" 2>/dev/null || true
  ip netns del "$server" 2>/dev/null || true
  [[ -n ${delays:-} ]] && rm -rf "$delays"
}
trap cleanup EXIT

setup_namespace() {
  local ns=$1 v4=$2 v6=$3
  ip netns add "$ns"
  ip -n "$ns" link set dev lo up
  ip -n "$ns" tuntap add dev tun0 mode tun
  ip -n "$ns" link set dev tun0 mtu 1500 up
  ip -n "$ns" addr add "$v4/24" dev tun0
  ip -n "$ns" addr add "$v6/64" dev tun0 nodad
}

setup_namespace "$client" 198.18.0.1 fd00:18::1
setup_namespace "$server" 198.18.0.2 fd00:18::2

# configure NS MTU [SYSCTL=VALUE...] [delay=SECONDS]: the stack's defaults,
# then the changes (commas in a value stand for spaces:
# tcp_rmem=4096,16384,65536); delay=SECONDS has the forwarder hold the
# host's outgoing packets that long: a path away from the capture point.
configure() {
  local ns=$1 mtu=$2
  shift 2
  local changes=()
  echo 0 >"$delays/$ns.delay"
  for change in "$@"; do
    if [[ $change == delay=* ]]; then
      echo "${change#delay=}" >"$delays/$ns.delay"
    else
      changes+=("${change//,/ }")
    fi
  done
  ip netns exec "$ns" sysctl -q net.ipv4.tcp_timestamps=1 net.ipv4.tcp_sack=1 \
    net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_syncookies=1 net.ipv4.tcp_syn_retries=6 \
    net.ipv4.tcp_synack_retries=5 net.ipv4.tcp_retries2=15 net.ipv4.tcp_max_syn_backlog=4096 \
    net.ipv4.tcp_fin_timeout=60 net.ipv4.tcp_keepalive_time=7200 \
    net.ipv4.tcp_keepalive_intvl=75 net.ipv4.tcp_keepalive_probes=9 \
    net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304" \
    net.ipv4.tcp_ecn=0 net.ipv4.tcp_fastopen=0 ${changes[@]+"${changes[@]}"}
  ip -n "$ns" link set dev tun0 mtu "$mtu"
}

# The forwarder: one process per namespace attached to its tun0, the two
# joined by a socket pair; every packet one kernel sends, the other receives.
# Real-time priority where allowed: on a busy machine a forwarder waiting for
# a CPU delays packets by milliseconds, and the capture records the delay.
realtime=()
chrt -f 10 true 2>/dev/null && realtime=(chrt -f 10)
delays=$(mktemp -d)
echo 0 >"$delays/$client.delay"
echo 0 >"$delays/$server.delay"
"${realtime[@]}" python3 - "$client" "$server" "$delays" <<'PY' &
import signal, socket, subprocess, sys

# The script's cleanup kills this process: take the children with it.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
ATTACH = r'''
import fcntl, os, select, socket, struct, sys
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454ca, 0x0001, 0x1000
tun = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
import time
peer = socket.socket(fileno=int(sys.argv[1]))
delay_file = sys.argv[2]  # seconds to hold this host's packets: a path away
held = []  # (when to send, packet)
while True:
    timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
    ready, _, _ = select.select([tun, peer], [], [], timeout)
    if tun in ready:
        with open(delay_file) as f:
            delay = float(f.read() or 0)
        held.append((time.monotonic() + delay, os.read(tun, 65536)))
    while held and held[0][0] <= time.monotonic():
        peer.send(held.pop(0)[1])
    if peer in ready:
        os.write(tun, peer.recv(65536))
'''
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
children = [
    subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", ATTACH, str(s.fileno()),
                      f"{sys.argv[3]}/{ns}.delay"], pass_fds=[s.fileno()])
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

# make_capture NAME CLIENT_SETTINGS SERVER_SETTINGS TOOL CONVERSATION...: one
# capture, NAME.pcap (tcpdump) or NAME.pcapng (dumpcap), when asked for.
# The settings are "MTU [SYSCTL=VALUE...]" for each host.
make_capture() {
  local name=$1 client_settings=$2 server_settings=$3 tool=$4
  shift 4
  if [[ ${#wanted[@]} -gt 0 && " ${wanted[*]} " != *" $name "* ]]; then return; fi
  # shellcheck disable=SC2086 # the settings are words
  configure "$client" $client_settings
  # shellcheck disable=SC2086
  configure "$server" $server_settings
  local ext=pcap
  [[ $tool == dumpcap ]] && ext=pcapng
  capture "$tool" "$out/$name.$ext" "$@"
  ls -l "$out/$name.$ext"
}

wanted=("$@")
defaults=1500
make_capture linux-v4-request-reply-close "$defaults" "$defaults" tcpdump v4 close 1000:3000,2000:1500
make_capture linux-v4-abort "$defaults" "$defaults" tcpdump v4 abort 500:700
make_capture linux-v6-request-reply-close "$defaults" "$defaults" dumpcap v6 close 800:2000
# One host's settings changed (both hosts' for the receive buffers: the
# client script then shows them too).
rmem32m=net.ipv4.tcp_rmem=4096,131072,33554432
make_capture linux-host-rmem32m "1500 $rmem32m" "1500 $rmem32m" tcpdump v4 close 1000:3000,2000:1500
make_capture linux-host-timestamps0 "$defaults" "1500 net.ipv4.tcp_timestamps=0" tcpdump v4 close 1000:3000
make_capture linux-host-sack0 "$defaults" "1500 net.ipv4.tcp_sack=0" tcpdump v4 close 1000:3000
make_capture linux-host-mss1200 "$defaults" "1240" tcpdump v4 close 3000:4000
make_capture linux-host-wscale0 "$defaults" "1500 net.ipv4.tcp_window_scaling=0" tcpdump v4 close 1000:3000
make_capture linux-host-far-client "1500 delay=0.02" "$defaults" tcpdump v4 close 1000:3000
rmem_small=net.ipv4.tcp_rmem=4096,16384,65536
make_capture linux-host-rmem-small "1500 $rmem_small" "1500 $rmem_small" tcpdump v4 close 20000:20000
