#!/usr/bin/env bash
# Exports every packet a script exchanges to a pcap (tcpfuzz run --pcap) and
# has tshark dissect it with checksum validation on: no malformed packet and
# no bad checksum may appear. Skips (exit 77) with a reason when tshark is
# missing.
#   pcap_check.sh TCPFUZZ SCRIPT...
set -euo pipefail
tcpfuzz=$1
shift
if ! command -v tshark >/dev/null; then
  echo "SKIP: tshark is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checked=0
for script in "$@"; do
  pcap="$work/$(basename "$script").pcap"
  "$tcpfuzz" run --pcap "$pcap" "$script" >/dev/null
  problems=$(tshark -r "$pcap" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
    -T fields -e _ws.expert.message 2>&1 | grep -iE 'malformed|checksum.*(bad|incorrect)' || true)
  packets=$(tshark -r "$pcap" 2>/dev/null | wc -l)
  if [ -n "$problems" ]; then
    echo "FAIL $script: $problems"
    exit 1
  fi
  if [ "$packets" -eq 0 ]; then
    echo "FAIL $script: the pcap holds no packets"
    exit 1
  fi
  checked=$((checked + 1))
done
echo "tshark dissected $checked script pcaps without malformed packets or bad checksums"
