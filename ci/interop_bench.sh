#!/usr/bin/env bash
# Throughput of our stack against Linux's over the same TUN path (release
# preset: gcc -O2, no sanitizers, no invariant checks). As root.
#
#   ci/interop_bench.sh [MB]   (per transfer; default 1000)
#
# Three transfers of MB, each timed by the Linux peer (linux_peer.py, which
# hashes every byte with SHA-256 like tcpfuzz serve does):
#   linux -> ours   Linux sends to our stack (tcpfuzz serve, discard) through a TUN device
#   ours -> linux   our stack sends (source) to Linux through the same device
#   linux -> linux  Linux sends to Linux in a second namespace; the two are
#                   joined by two TUN devices and tun_forward, a process that
#                   copies packets between them, so the kernel crosses the
#                   same TUN read/write path as with our stack (twice, and
#                   with one more process in the way, which favours ours)
# Writes the table to bench-results/interop.txt (ignored by git).
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MB=${1:-1000}
[[ "$MB" =~ ^[1-9][0-9]*$ ]] || die "MB must be a positive number, got '$MB'"
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces and TUN devices)"
BYTES=$((MB * 1024 * 1024))
PRESET=release
NS=tcpfuzz-bench-$$
NS_A=$NS-a
NS_B=$NS-b
PEER="$TCPFUZZ_ROOT/tests/interop/linux_peer.py"
TCPFUZZ="$TCPFUZZ_ROOT/build/$PRESET/fuzz/tcpfuzz"
FORWARD="$TCPFUZZ_ROOT/build/$PRESET/bench/tun_forward"
OUT_DIR="$TCPFUZZ_ROOT/bench-results"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpfuzz-bench.XXXXXX")
PIDS=()

cleanup() {
  local pid ns
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in "$NS" "$NS_A" "$NS_B"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for FILE PATTERN: the line a background process prints when ready.
wait_for() {
  local i
  for ((i = 0; i < 200; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  die "no '$2' in $1: $(cat "$1")"
}

# namespace NAME: a namespace with lo up and no IPv6 chatter.
namespace() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
}

# mbit_s OUT: the Linux peer's rate from its result line.
mbit_s() {
  local line seconds
  line=$(grep '^peer ' "$1")
  [[ "$line" == *"result=ok"* ]] || die "transfer failed: $line"
  seconds=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  awk -v b="$BYTES" -v s="$seconds" 'BEGIN { printf "%.0f", b * 8 / s / 1e6 }'
}

banner "bootstrap"
run_bootstrap
banner "build: preset $PRESET (tcpfuzz tun_forward)"
configure_and_build "$PRESET" tcpfuzz tun_forward

banner "our stack on a TUN device: $MB MB each way"
namespace "$NS"
ip -n "$NS" tuntap add dev tfz0 mode tun
ip -n "$NS" link set tfz0 up
ip -n "$NS" addr add 198.18.0.1/24 dev tfz0
ip netns exec "$NS" "$TCPFUZZ" serve --tun tfz0 --address 198.18.0.2 --listen 5001 --mode discard \
  >"$WORK/discard.out" 2>&1 &
PIDS+=($!)
wait_for "$WORK/discard.out" "^listening"
ip netns exec "$NS" python3 "$PEER" client 198.18.0.2 5001 --send "$BYTES" >"$WORK/to-ours.out"
LINUX_TO_OURS=$(mbit_s "$WORK/to-ours.out")
ip netns exec "$NS" "$TCPFUZZ" serve --tun tfz0 --address 198.18.0.2 --listen 5002 --mode source \
  --bytes "$BYTES" >"$WORK/source.out" 2>&1 &
PIDS+=($!)
wait_for "$WORK/source.out" "^listening"
ip netns exec "$NS" python3 "$PEER" client 198.18.0.2 5002 --receive >"$WORK/from-ours.out"
OURS_TO_LINUX=$(mbit_s "$WORK/from-ours.out")

banner "Linux to Linux through two TUN devices and tun_forward: $MB MB"
namespace "$NS_A"
namespace "$NS_B"
ip -n "$NS_A" tuntap add dev tfa mode tun
ip -n "$NS_A" tuntap add dev tfb mode tun
ip netns exec "$NS_A" "$FORWARD" tfa tfb >"$WORK/forward.out" 2>&1 &
PIDS+=($!)
wait_for "$WORK/forward.out" "^forwarding"
# The forwarder keeps its descriptor when its second device moves away.
ip -n "$NS_A" link set tfb netns "$NS_B"
ip -n "$NS_A" link set tfa up
ip -n "$NS_A" addr add 198.18.0.1/24 dev tfa
ip -n "$NS_B" link set tfb up
ip -n "$NS_B" addr add 198.18.0.2/24 dev tfb
ip netns exec "$NS_B" python3 "$PEER" server 5003 --receive >"$WORK/linux-server.out" &
PIDS+=($!)
wait_for "$WORK/linux-server.out" "^listening"
ip netns exec "$NS_A" python3 "$PEER" client 198.18.0.2 5003 --send "$BYTES" >"$WORK/linux.out"
LINUX_TO_LINUX=$(mbit_s "$WORK/linux.out")

mkdir -p "$OUT_DIR"
{
  echo "TCP throughput over TUN, $MB MB per transfer, Mbit/s ($(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d))"
  printf '%-16s %8s\n' "linux -> ours" "$LINUX_TO_OURS" "ours -> linux" "$OURS_TO_LINUX" \
    "linux -> linux" "$LINUX_TO_LINUX"
} | tee "$OUT_DIR/interop.txt"
