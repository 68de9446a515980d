#!/usr/bin/env bash
# tcpfuzz diff against the running Linux kernel (ctest label `diff`).
#   diff_test.sh TCPFUZZ SOURCE_DIR CASE
# CASE: corpus-scripts | planted | compared-in-part | agree-control
# Needs root, network namespaces and a packetdrill binary ($TCPFUZZ_PACKETDRILL,
# else ci/packetdrill.sh tool provides one); without them the
# test prints why and exits 77 (ctest: skipped).
set -uo pipefail
tcpfuzz=$1
src=$2
case_name=$3
skip() {
  echo "SKIP: $*"
  exit 77
}
fail() {
  echo "FAIL: $*"
  exit 1
}
[[ $(id -u) -eq 0 ]] || skip "not root: packetdrill needs root for its tun device"
unshare -n true 2>/dev/null || skip "cannot create a network namespace (unshare -n)"
if [[ -z ${TCPFUZZ_PACKETDRILL:-} ]]; then
  why=$(mktemp)
  TCPFUZZ_PACKETDRILL=$("$src/ci/packetdrill.sh" tool 2>"$why") ||
    skip "no packetdrill: set TCPFUZZ_PACKETDRILL ($(tail -1 "$why"))"
  rm -f "$why"
  export TCPFUZZ_PACKETDRILL
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
planted="$src/tests/diff/planted-initial-cwnd.pkt"

case $case_name in
  corpus-scripts)
    # Every conformance script agrees with Linux or is a documented difference.
    "$tcpfuzz" diff "$src/corpus/scripts" --diffs "$tmp/diffs" --known "$src/docs/linux-differences.md" \
      >"$tmp/out" 2>&1
    rc=$?
    cat "$tmp/out"
    [[ $rc -eq 0 ]] || fail "tcpfuzz diff exited $rc"
    grep -q "^  agree  *[1-9]" "$tmp/out" || fail "no script agreed"
    ! grep -q ": disagree" "$tmp/out" || fail "a script disagrees"
    [[ ! -d $tmp/diffs ]] || fail "diffs were written although nothing disagreed"
    ;;
  agree-control)
    "$tcpfuzz" diff "$planted" --diffs "$tmp/diffs" >"$tmp/out" 2>&1
    rc=$?
    cat "$tmp/out"
    [[ $rc -eq 0 ]] || fail "tcpfuzz diff exited $rc"
    grep -q "planted-initial-cwnd.pkt: agree" "$tmp/out" || fail "the unplanted stack does not agree"
    ;;
  planted)
    # Our stack starts with 2 segments of window, Linux with 10: the first
    # line where they part is our third segment, sent only after the ACK.
    "$tcpfuzz" diff "$planted" --plant-initial-cwnd 2 --diffs "$tmp/diffs" >"$tmp/out" 2>&1
    rc=$?
    cat "$tmp/out"
    [[ $rc -eq 1 ]] || fail "expected exit 1 on a disagreement, got $rc"
    grep -q "planted-initial-cwnd.pkt: disagree at line [0-9]*: early.psh-ack" "$tmp/out" ||
      fail "no timing disagreement on the third segment"
    grep -q "^    line:  +0 > P\. 2921:4001(1080) ack 1" "$tmp/out" || fail "the first diverging line is not the third segment"
    grep -q "^    Linux: .*P\. 2921:4001(1080) ack 1" "$tmp/out" || fail "Linux's packet is not reported"
    saved="$tmp/diffs/early.psh-ack.pkt"
    [[ -f $saved ]] || fail "the minimised disagreement was not saved"
    grep -q "^// tcpfuzz diff: our stack and Linux part here (early.psh-ack)" "$saved" ||
      fail "the saved script has no header"
    # Minimised: the final ACK plays no part.
    ! grep -q "ack 4001" "$saved" || fail "the saved script was not minimised"
    ;;
  compared-in-part)
    # Beyond --max-seconds the run is not asked: the planted difference at
    # 0.2 s (our third segment) is reported with 0.25 s, but not with 0.05 s.
    "$tcpfuzz" diff "$planted" --max-seconds 0.05 --plant-initial-cwnd 2 --diffs "$tmp/diffs" \
      >"$tmp/out" 2>&1
    rc=$?
    cat "$tmp/out"
    [[ $rc -eq 0 ]] || fail "tcpfuzz diff exited $rc"
    grep -q "planted-initial-cwnd.pkt: agree" "$tmp/out" || fail "the first 0.05 s do not agree"
    grep -q "^    compared up to 0.050000 s: --max-seconds 0.05 of the run's 0.3 s of fake time" \
      "$tmp/out" || fail "the part compared is not reported"
    grep -q "^of those compared, 1 only up to where they stop being comparable" "$tmp/out" ||
      fail "the summary does not count it"
    "$tcpfuzz" diff "$planted" --max-seconds 0.25 --plant-initial-cwnd 2 --no-minimize \
      --diffs "$tmp/diffs" >"$tmp/out" 2>&1
    rc=$?
    cat "$tmp/out"
    [[ $rc -eq 1 ]] || fail "expected exit 1 on the planted difference within 0.25 s, got $rc"
    ;;
  *)
    fail "unknown case $case_name"
    ;;
esac
echo "PASS: $case_name"
