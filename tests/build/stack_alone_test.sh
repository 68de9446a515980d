#!/usr/bin/env bash
# The stack configures without the toolkit's dependencies. Every library,
# header and package search is pointed at an empty root, as on a machine
# without libpcap-dev, libssl-dev, GoogleTest...: -DTCPFUZZ_TOOLKIT=OFF must
# configure netstack and netstack_tun (and no netstack_pcap, no tcpfuzz),
# and the toolkit's configuration must stop on the missing libpcap.
#
#   stack_alone_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail

src=$1
work=$2
hide=(-DCMAKE_FIND_ROOT_PATH="$work/empty-root"
  -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY
  -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY
  -DCMAKE_FIND_ROOT_PATH_MODE_PACKAGE=ONLY)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

rm -rf "$work"
mkdir -p "$work/empty-root"

cmake -G "Unix Makefiles" -S "$src" -B "$work/stack" -DTCPFUZZ_TOOLKIT=OFF "${hide[@]}" \
  >"$work/stack.log" 2>&1 || {
  cat "$work/stack.log" >&2
  fail "the stack alone does not configure without the toolkit's dependencies"
}
targets=$(cmake --build "$work/stack" --target help)
for t in netstack netstack_tun; do
  grep -qx "\.\.\. $t" <<<"$targets" || fail "no target $t in the stack-only build"
done
for t in netstack_pcap tcpfuzz; do
  if grep -qx "\.\.\. $t" <<<"$targets"; then fail "target $t in the stack-only build"; fi
done

if cmake -G "Unix Makefiles" -S "$src" -B "$work/toolkit" "${hide[@]}" >"$work/toolkit.log" 2>&1; then
  fail "the toolkit configured without libpcap"
fi
grep -q "the toolkit needs libpcap" "$work/toolkit.log" || {
  cat "$work/toolkit.log" >&2
  fail "the toolkit's configuration failed, but not on libpcap"
}
echo "ok: the stack configures alone; the toolkit asks for libpcap"
