#!/usr/bin/env bash
# Runs google/packetdrill's portable TCP folders through tcpfuzz and compares
# each script's outcome with packetdrill_expected.txt, so a regression (or an
# unexplained improvement) fails. The scripts are GPL test data kept outside
# the project; when their folder is absent this skips (exit 77) with a reason.
#   packetdrill_suite.sh TCPFUZZ PACKETDRILL_TCP_DIR EXPECTED_FILE
set -uo pipefail
tcpfuzz=$1
dir=$2
expected=$3
if [ ! -d "$dir" ]; then
  echo "SKIP: google/packetdrill's tcp/ folder not found at $dir (ci/packetdrill.sh found none: configure with -DTCPFUZZ_PACKETDRILL_DIR=PATH)"
  exit 77
fi
status=0
total=0
while read -r want script _; do
  case "$want" in ''|'#'*) continue ;; esac
  total=$((total + 1))
  out=$("$tcpfuzz" run "$dir/$script" 2>&1)
  got=$(printf '%s\n' "$out" | grep -oE '^(PASS|FAIL|SKIP)' | head -1)
  if [ "$got" != "$want" ]; then
    echo "MISMATCH $script: expected $want, got $got"
    printf '%s\n' "$out" | head -8 | sed 's/^/    /'
    status=1
  fi
done < "$expected"
echo "checked $total packetdrill scripts against $expected"
exit $status
