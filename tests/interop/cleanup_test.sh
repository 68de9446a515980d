#!/usr/bin/env bash
# The interop tests leave nothing behind, however they end: a case that
# fails (tcpfuzz replaced by /bin/false) and a case killed with SIGTERM in
# the middle of a transfer must both remove their namespace (and the TUN
# device in it) and end every process they started.
#
#   cleanup_test.sh TCPFUZZ SOURCE_DIR
set -uo pipefail

TCPFUZZ=${1:?usage: cleanup_test.sh TCPFUZZ SOURCE_DIR}
SRC=${2:?source folder}
# shellcheck source=tests/interop/interop_lib.sh
source "$SRC/tests/interop/interop_lib.sh"
interop_preflight
make_work
# The runs below fail on purpose and so keep their work folders; remove them.
remove_work() {
  local log
  for log in "$WORK"/*.log; do
    [[ -f "$log" ]] || continue
    sed -n 's/^namespace .*, work folder \(.*\)$/\1/p' "$log" | xargs -r rm -rf
  done
  rm -rf "$WORK"
}
trap remove_work EXIT
ip netns add "$NS" 2>/dev/null || skip "network namespaces do not work here"
ip netns del "$NS"

# namespace_of LOG: the namespace a test run announced (nothing while the
# run has not created its log yet).
namespace_of() {
  sed -n 's/^namespace \(tcpfuzz-interop-[0-9]*\),.*/\1/p' "$1" 2>/dev/null
}

expect_gone() {
  local ns=$1
  [[ -n "$ns" ]] || {
    fail "the run did not announce its namespace"
    return
  }
  if ip netns list | grep -qw "$ns"; then
    fail "namespace $ns is still there"
    ip netns del "$ns"
  fi
}

# 1. A failing run.
"$SRC/tests/interop/interop_test.sh" transfer /bin/false "$SRC" >"$WORK/failing.log" 2>&1
rc=$?
[[ $rc -ne 0 && $rc -ne $SKIP_CODE ]] || fail "the run with /bin/false as tcpfuzz exited $rc"
expect_gone "$(namespace_of "$WORK/failing.log")"
echo "a failing run (exit $rc) removed its namespace"

# 2. A run killed during its first 100 MB transfer.
TCPFUZZ_INTEROP_MB=100 "$SRC/tests/interop/interop_test.sh" transfer "$TCPFUZZ" "$SRC" \
  >"$WORK/killed.log" 2>&1 &
run=$!
ns=""
pids=""
running() { [[ -n "$pids" ]] && ps -o comm= -p "${pids//$'\n'/,}" 2>/dev/null; }
for ((i = 0; i < 200; i++)); do
  ns=$(namespace_of "$WORK/killed.log")
  if [[ -n "$ns" ]]; then pids=$(ip netns pids "$ns" 2>/dev/null); fi
  # Our stack, its Linux peer and tcpdump are all running in the namespace.
  running | grep -q tcpfuzz && running | grep -q python3 && running | grep -q tcpdump && break
  sleep 0.05
done
running | grep -q tcpfuzz || fail "the run did not start its transfer: $(tr '\n' ' ' <"$WORK/killed.log")"
kill -TERM "$run"
rc=0
wait "$run" || rc=$?
[[ $rc -eq 143 ]] || fail "the killed run exited $rc, expected 143"
expect_gone "$ns"
for pid in $pids; do
  # A zombie has ended; only its reaping is left to init.
  if [[ "$(ps -o stat= -p "$pid")" =~ ^[^Z] ]]; then
    fail "process $pid of the killed run is still running: $(ps -o cmd= -p "$pid")"
  fi
done
echo "a run killed during a transfer (exit $rc) removed $ns and ended its processes ($(wc -w <<<"$pids"))"

[[ $failures -eq 0 ]] || exit 1
echo "PASS: cleanup"
