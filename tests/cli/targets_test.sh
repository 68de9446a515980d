#!/usr/bin/env bash
# The fuzz target registry (fuzz/harness/targets.cc, printed by `tcpfuzz
# targets`) is the only list of targets: what it names is exactly what CMake
# builds (tcpfuzz_add_fuzz_target), what fuzz/targets/ holds and what has a
# seed folder corpus/<target>/, so scripts that read it miss nothing.
#   targets_test.sh TCPFUZZ SOURCE_DIR CMAKE_FUZZ_TARGET...
set -uo pipefail
tcpfuzz=$1
src=$2
shift 2
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
one_line() { sort | tr '\n' ' '; }

registry=$("$tcpfuzz" targets --names | one_line)
[ -n "$registry" ] || fail "tcpfuzz targets --names listed nothing"
built=$(printf '%s\n' "$@" | one_line)
[ "$registry" = "$built" ] || fail "registry: $registry; CMake builds: $built"
files=$(for f in "$src"/fuzz/targets/*.cc; do
  f=${f##*/}
  echo "${f%.cc}"
done | one_line)
[ "$registry" = "$files" ] || fail "registry: $registry; fuzz/targets/: $files"
for t in $registry; do
  [ -d "$src/corpus/$t" ] || fail "$t has no seed folder corpus/$t/"
done
# Each property lists a part of the registry, in its order.
for p in stateful scenario pcap structured; do
  for t in $("$tcpfuzz" targets --names --with "$p"); do
    [[ " $registry " == *" $t "* ]] || fail "--with $p lists $t, which the registry lacks"
  done
done
# Scenario-based targets are the ones whose inputs export to a script.
[ "$("$tcpfuzz" targets --names --with scenario)" = \
  "$("$tcpfuzz" targets | awk -F'\t' '$2 ~ /pkt/ {print $1}')" ] ||
  fail "--with scenario and the pkt exports disagree"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
