#!/bin/sh
# Linux sysctl settings the tcpfuzz conformance scripts rely on.
# Each script runs it first, in a backtick line: `../common/defaults.sh`
# Every setting tolerates failure so that a sandbox lacking one still runs.
sysctl -q net.ipv4.tcp_rmem="4096 540000 15728640" || true
sysctl -q net.ipv4.tcp_wmem="4096 262144 4194304" || true
sysctl -q net.ipv4.tcp_timestamps=1 || true
sysctl -q net.ipv4.tcp_sack=1 || true
sysctl -q net.ipv4.tcp_dsack=1 || true
sysctl -q net.ipv4.tcp_window_scaling=1 || true
sysctl -q net.ipv4.tcp_syn_retries=5 || true
sysctl -q net.ipv4.tcp_synack_retries=5 || true
sysctl -q net.ipv4.tcp_syncookies=1 || true
sysctl -q net.ipv4.tcp_fin_timeout=60 || true
sysctl -q net.ipv4.tcp_ecn=0 || true
sysctl -q net.ipv4.tcp_slow_start_after_idle=0 || true
sysctl -q net.ipv4.tcp_early_retrans=4 || true
sysctl -q net.ipv4.tcp_recovery=1 || true
sysctl -q net.ipv4.tcp_fastopen=0 || true
sysctl -q net.ipv4.tcp_congestion_control=cubic 2>/dev/null || true
# One MSS per packet on tun0 (as if the NIC had no TSO/GSO), so that every
# segment Linux sends is seen on the wire and checked by its own script line.
ip link set dev tun0 gso_max_segs 1 2>/dev/null || true
# A plain FIFO on the tun device, so that no qdisc paces our segments.
tc qdisc add dev tun0 root pfifo 2>/dev/null || true
exit 0
