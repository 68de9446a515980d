#!/usr/bin/env bash
# tcpfuzz import on a damaged capture next to a good one (ctest import.broken.*):
#   broken_capture_test.sh TCPFUZZ SOURCE_DIR CASE
# Builds the damaged file CASE describes, imports it with a shipped capture,
# and checks the exit status and the one line that names the file:
#   caplen-4gib        a record whose capture length is 4 GiB      exit 2
#   cut-first-record   a file cut inside its first record          exit 2
#   pcapng-garbage     a pcapng garbage block after the header     exit 2
#   cut-mid-flow       a capture cut before its flow ended         exit 2
#   cut-after-flows    a capture cut after its flows ended         exit 0, summary says so
# The good capture is imported either way.
set -uo pipefail
tcpfuzz=$1 src=$2 case_name=$3
fail() { echo "FAIL: $*" && exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
good="$src/corpus/pcaps/linux-v4-abort.pcap"
bad="$tmp/$case_name.pcap"
# pcap_header LINKTYPE: a little-endian microsecond pcap file header.
pcap_header() { python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, int(sys.argv[1])))' "$1"; }
# record_header CAPLEN LEN
record_header() { python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<IIII", 1, 0, int(sys.argv[1]), int(sys.argv[2])))' "$1" "$2"; }
want_status=2
case $case_name in
  caplen-4gib)
    { pcap_header 101; record_header 4294967295 60; head -c 60 /dev/zero; } >"$bad" ;;
  cut-first-record)
    { pcap_header 101; record_header 60 60; head -c 20 /dev/zero; } >"$bad" ;;
  pcapng-garbage)
    bad="$tmp/$case_name.pcapng"
    python3 - "$bad" <<'PY'
import struct, sys
def block(kind, body):
    return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
idb = block(1, struct.pack("<HHI", 101, 0, 0))  # raw IP
# A block whose trailing length disagrees with its leading one.
garbage = struct.pack("<II", 6, 32) + b"garbage!" * 2 + struct.pack("<I", 0x7fffffff)
open(sys.argv[1], "wb").write(shb + idb + garbage)
PY
    ;;
  cut-mid-flow)
    head -c $(($(stat -c %s "$good") - 30)) "$good" >"$bad" ;;
  cut-after-flows)
    { cat "$good"; record_header 60 60; head -c 20 /dev/zero; } >"$bad"
    want_status=0 ;;
  *) fail "unknown case $case_name" ;;
esac

"$tcpfuzz" import "$bad" "$good" --to "$tmp/out/new" --target pkt >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
cat "$tmp/stdout" "$tmp/stderr"
[[ $status -eq $want_status ]] || fail "exit status $status, expected $want_status"
[[ $(grep -c . "$tmp/stderr") -eq 1 ]] || fail "expected one line on stderr"
grep -q "^$bad: " "$tmp/stderr" || fail "the line does not name $bad"
ls "$tmp"/out/new/pkt/import-linux-v4-abort-1-server.pkt >/dev/null || fail "the good capture was not imported"
if [[ $case_name == cut-after-flows ]]; then
  grep -q "1 capture(s) cut (the flows before the cut kept)" "$tmp/stdout" || fail "the summary does not say the file was cut"
  [[ -f $tmp/out/new/pkt/import-$case_name-1-server.pkt ]] || fail "the flow before the cut was not kept"
fi
echo "PASS: $case_name"
