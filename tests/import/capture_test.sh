#!/usr/bin/env bash
# One shipped capture, imported and replayed (ctest import.replay.* and
# import.linux.*):
#   capture_test.sh TCPFUZZ SOURCE_DIR CAPTURE ours|linux [KNOWN_PATTERN REASON]
# Imports CAPTURE with the stack in both roles into a fresh folder, then runs
# every script on the stack (`tcpfuzz run --ignore-window`) or on the running
# kernel (ci/packetdrill.sh linux, with the same tolerance: the window
# of outbound lines after the handshake is dropped, which packetdrill then
# does not check). With KNOWN_PATTERN the replay must fail with output that
# matches it: a known difference, named by REASON, and when it stops showing
# the test fails so that the exception goes. Without root, namespaces or
# packetdrill (ci/packetdrill.sh; $TCPFUZZ_LINUX_SH names another runner) the
# linux test prints why and exits 77 (ctest: skipped).
set -uo pipefail
tcpfuzz=$1 src=$2 capture=$3 where=$4 known=${5:-} reason=${6:-}
skip() { echo "SKIP: $*" && exit 77; }
fail() { echo "FAIL: $*" && exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tcpfuzz" import "$capture" --to "$tmp" --stack both --target pkt || fail "import exited $?"
scripts=("$tmp"/pkt/*.pkt)
[[ -f ${scripts[0]} ]] || fail "no script imported from $capture"
if [[ $where == ours ]]; then
  out=$("$tcpfuzz" run --ignore-window "${scripts[@]}" 2>&1)
  rc=$?
else
  [[ $(id -u) -eq 0 ]] || skip "not root: packetdrill needs root for its tun device"
  unshare -n true 2>/dev/null || skip "cannot create a network namespace (unshare -n)"
  if [[ -n ${TCPFUZZ_LINUX_SH:-} ]]; then
    linux=("$TCPFUZZ_LINUX_SH")
  else
    linux=("$src/ci/packetdrill.sh" linux)
    why=$("$src/ci/packetdrill.sh" tool 2>&1 >/dev/null) || skip "no packetdrill to run scripts on the kernel: $why"
  fi
  grep -q '^--ip_version=ipv6' "${scripts[0]}" &&
    skip "IPv6: linux.sh --ipv6 runs packetdrill with --mtu=1520, which overrides the script's MTU"
  for s in "${scripts[@]}"; do
    sed -E -i '/^[^`]* > [^S]/ s/ win [0-9]+//' "$s"
  done
  out=$("${linux[@]}" "${scripts[@]}" 2>&1)
  rc=$?
  # packetdrill judges wall-clock times: on a loaded machine it may inject a
  # packet late itself ("expected inbound packet at ... but happened at"),
  # which says nothing of the kernel. Such a run is tried again, twice at most.
  for attempt in 1 2; do
    failures=$(grep '^FAIL ' <<<"$out")
    [[ $rc -ne 0 && -n $failures ]] || break
    grep -qv 'timing error: expected inbound packet at' <<<"$failures" && break
    echo "$out"
    echo "retry $attempt: packetdrill sent an inbound packet late (machine load, not the kernel)"
    out=$("${linux[@]}" "${scripts[@]}" 2>&1)
    rc=$?
  done
fi
echo "$out"
if [[ -n $known ]]; then
  [[ $rc -ne 0 ]] || fail "passes now: the known difference ($reason) no longer shows; drop it from tests/CMakeLists.txt"
  grep -qE -- "$known" <<<"$out" || fail "fails otherwise than the known difference ($reason)"
  echo "known difference: $reason"
  exit 0
fi
[[ $rc -eq 0 ]] || fail "a script imported from $capture does not replay ($where)"
