#!/usr/bin/env bash
# Interop tests: our stack (tcpfuzz serve on a TUN device) against the Linux
# kernel's TCP in a network namespace the test creates. Every case captures
# on the device and has tshark check the capture (see check_capture).
#
#   interop_test.sh CASE TCPFUZZ SOURCE_DIR
#
# Cases:
#   transfer  TCPFUZZ_INTEROP_MB (default 100) MB each way, Linux connecting
#             to us and us to Linux; graceful close from either side; 10 MB
#             through our echo server
#   options   every SACK/TS/WS combination Linux offers (sysctls in the
#             namespace) and ours all off, both directions; the capture
#             shows what was negotiated
#   abort     RST from either side, as server and as client
#   faulty    as transfer, through FaultyLink (1% drop, reorder, duplicate)
#   capture-check  corrupted packets must fail check_capture (the check can fail)
# Without root, tools, namespaces or TUN: a SKIP line and exit status 77.
set -uo pipefail

CASE=${1:?usage: interop_test.sh CASE TCPFUZZ SOURCE_DIR}
TCPFUZZ=${2:?tcpfuzz binary}
SRC=${3:?source folder}
# shellcheck source=tests/interop/interop_lib.sh
source "$SRC/tests/interop/interop_lib.sh"

MB=${TCPFUZZ_INTEROP_MB:-100}
BYTES=$((MB * 1024 * 1024))

# transfer LABEL SERVER SENDER PORT [SERVE_FLAGS...]: BYTES from SENDER
# (stack or linux) to the other side, SERVER (stack or linux) listening on
# PORT; the sender closes first, after its last byte. Checks the count, the
# SHA-256 each way, the capture and who sent the first FIN.
transfer() {
  local label=$1 server=$2 sender=$3 port=$4
  shift 4
  local name=$label-$server-server-$sender-sends
  local ours=$name-stack theirs=$name-linux
  local mode=(--mode receive) peer_mode=(--send "$BYTES")
  if [[ $sender == stack ]]; then mode=(--mode send --bytes "$BYTES") peer_mode=(--receive); fi
  capture_start "$name"
  if [[ $server == stack ]]; then
    [[ $sender == stack ]] && mode[1]=source || mode[1]=discard
    serve_start "$ours" --listen "$port" "${mode[@]}" "$@"
    peer_start "$theirs" client "$STACK_ADDR" "$port" "${peer_mode[@]}"
    finish "$PEER_PID" "$theirs"
    finish "$SERVE_PID" "$ours"
  else
    peer_start "$theirs" server "$port" "${peer_mode[@]}"
    serve_start "$ours" --connect "$LINUX_ADDR:$port" "${mode[@]}" "$@"
    finish "$SERVE_PID" "$ours"
    finish "$PEER_PID" "$theirs"
  fi
  capture_stop
  if [[ $sender == stack ]]; then
    expect_delivered "$ours" "$theirs" "$BYTES"
  else
    expect_delivered "$theirs" "$ours" "$BYTES"
  fi
  expect_field "$ours" result ok
  expect_no_stack_drops "$ours"
  check_capture "$(explained_gaps "$ours")"
  local closer=$LINUX_ADDR
  [[ $sender == stack ]] && closer=$STACK_ADDR
  [[ "$(first_sender fin)" == "$closer" ]] || fail "$name: the first FIN is not from $closer"
  echo "$name: ours $(field "$ours" mbit_s) Mbit/s over $(field "$ours" seconds) s"
}

# BYTES each way, Linux connecting to us and us to Linux, with tcpfuzz
# serve flags $@ (faults).
transfers() {
  local label=$1
  shift
  transfer "$label" stack linux 5001 "$@"
  transfer "$label" stack stack 5002 "$@"
  transfer "$label" linux stack 6001 "$@"
  transfer "$label" linux linux 6002 "$@"
}

# explained_gaps NAME: how many gaps in our outbound stream the faults
# explain (packets the outbound FaultyLink dropped or held back).
explained_gaps() {
  local line dropped reordered
  line=$(sed -n 's/^faults out: \(.*\) in: .*/\1/p' "$WORK/$1.out")
  dropped=$(sed -n 's/.*dropped=\([0-9]*\).*/\1/p' <<<"$line")
  reordered=$(sed -n 's/.*reordered=\([0-9]*\).*/\1/p' <<<"$line")
  echo $((${dropped:-0} + ${reordered:-0}))
}

case_transfer() {
  linux_options 1 1 1
  transfers clean
  # Our echo server: what Linux sends comes back, byte for byte.
  local echoed=$((10 * 1024 * 1024))
  capture_start echo
  serve_start echo-stack --listen 5003 --mode echo
  peer_start echo-linux client "$STACK_ADDR" 5003 --send "$echoed"
  finish "$PEER_PID" echo-linux
  finish "$SERVE_PID" echo-stack
  capture_stop
  expect_delivered echo-linux echo-stack "$echoed"
  expect_delivered echo-stack echo-linux "$echoed"
  [[ "$(field echo-linux tx_sha256)" == "$(field echo-linux rx_sha256)" ]] ||
    fail "echo: Linux got back other bytes than it sent"
  expect_no_stack_drops echo-stack
  check_capture
}

case_faulty() {
  linux_options 1 1 1
  transfers faulty --faults drop=1%,reorder=1%,duplicate=1%,seed=7
  local out=$WORK/faulty-stack-server-stack-sends-stack.out
  grep -q 'out: .*dropped=[1-9]' "$out" || fail "the outbound FaultyLink dropped nothing: $(tail -n 2 "$out")"
}

# expected_kinds SACK TS WS: the option kinds a SYN or SYN-ACK offering
# those carries, sorted ("2,3,4,8": MSS, WS, SACK-permitted, TS).
expected_kinds() {
  local kinds=(2)
  [[ $3 -eq 1 ]] && kinds+=(3)
  [[ $1 -eq 1 ]] && kinds+=(4)
  [[ $2 -eq 1 ]] && kinds+=(8)
  local IFS=,
  echo "${kinds[*]}"
}

# syn_kinds SRCPORT DSTPORT ACK: option kinds of that SYN (ACK 0) or SYN-ACK
# (ACK 1) in $WORK/syns, sorted, without NOPs.
syn_kinds() {
  awk -F'|' -v s="$1" -v d="$2" -v a="$3" '$1 == s && $2 == d && $3 == a { print $4; exit }' "$WORK/syns" |
    tr ',' '\n' | grep -vx 1 | sort -n | uniq | paste -sd, -
}

# check_kinds WHAT SRCPORT DSTPORT ACK KINDS
check_kinds() {
  local got
  got=$(syn_kinds "$2" "$3" "$4")
  [[ "$got" == "$5" ]] || fail "$1 carries option kinds '$got', expected '$5'"
}

# Linux connects to us from port 40000+i and we connect to Linux port
# 6000+i, for each combination i of Linux's sysctls; the last one has
# Linux all on and ours all off. The capture is then read once for every
# SYN and SYN-ACK, and once for the timestamps on the segments we sent.
case_options() {
  capture_start options
  local combos=() sack ts ws i combo name
  for sack in 0 1; do for ts in 0 1; do for ws in 0 1; do combos+=("$sack$ts$ws"); done; done; done
  combos+=(ours-off)
  for i in "${!combos[@]}"; do
    combo=${combos[$i]}
    local ours=()
    if [[ $combo == ours-off ]]; then
      linux_options 1 1 1
      ours=(--sack off --timestamps off --window-scaling off)
    else
      linux_options "${combo:0:1}" "${combo:1:1}" "${combo:2:1}"
    fi
    serve_start "options-$combo-server" --listen 5001 --mode discard "${ours[@]}"
    peer_start "options-$combo-linux-client" client "$STACK_ADDR" 5001 --send 1000000 --bind-port $((40000 + i))
    finish "$PEER_PID" "options-$combo-linux-client"
    finish "$SERVE_PID" "options-$combo-server"
    expect_delivered "options-$combo-linux-client" "options-$combo-server" 1000000
    peer_start "options-$combo-linux-server" server $((6000 + i)) --receive
    serve_start "options-$combo-client" --connect "$LINUX_ADDR:$((6000 + i))" --mode send --bytes 1000000 "${ours[@]}"
    finish "$SERVE_PID" "options-$combo-client"
    finish "$PEER_PID" "options-$combo-linux-server"
    expect_delivered "options-$combo-client" "options-$combo-linux-server" 1000000
  done
  capture_stop
  check_capture
  tshark -r "$CAPTURE" -n -Y 'tcp.flags.syn == 1' -T fields -E separator='|' \
    -e tcp.srcport -e tcp.dstport -e tcp.flags.ack -e tcp.option_kind >"$WORK/syns" 2>/dev/null
  # Per Linux port: the segments we sent after the handshake, and how many
  # of them had a timestamp.
  tshark -r "$CAPTURE" -n -Y "ip.src == $STACK_ADDR && tcp.flags.syn == 0" -T fields -E separator='|' \
    -e tcp.dstport -e tcp.options.timestamp.tsval 2>/dev/null |
    awk -F'|' '{ all[$1]++; if ($2 != "") ts[$1]++ } END { for (p in all) print p, all[p], ts[p] + 0 }' \
      >"$WORK/timestamps"
  for i in "${!combos[@]}"; do
    combo=${combos[$i]}
    local linux_offers=$combo ours_offer=111
    if [[ $combo == ours-off ]]; then linux_offers=111 ours_offer=000; fi
    sack=$((${linux_offers:0:1} & ${ours_offer:0:1}))
    ts=$((${linux_offers:1:1} & ${ours_offer:1:1}))
    ws=$((${linux_offers:2:1} & ${ours_offer:2:1}))
    local linux_kinds our_kinds agreed linux_port=$((40000 + i)) port=$((6000 + i))
    linux_kinds=$(expected_kinds "${linux_offers:0:1}" "${linux_offers:1:1}" "${linux_offers:2:1}")
    our_kinds=$(expected_kinds "${ours_offer:0:1}" "${ours_offer:1:1}" "${ours_offer:2:1}")
    agreed=$(expected_kinds "$sack" "$ts" "$ws")
    check_kinds "$combo: Linux's SYN" "$linux_port" 5001 0 "$linux_kinds"
    check_kinds "$combo: our SYN-ACK" 5001 "$linux_port" 1 "$agreed"
    check_kinds "$combo: our SYN" "$(field "options-$combo-client" local | cut -d: -f2)" "$port" 0 "$our_kinds"
    check_kinds "$combo: Linux's SYN-ACK" "$port" "$(field "options-$combo-client" local | cut -d: -f2)" 1 "$agreed"
    for name in "options-$combo-server" "options-$combo-client"; do
      expect_field "$name" sack "$sack"
      expect_field "$name" ts "$ts"
      if [[ $ws -eq 1 ]]; then
        [[ "$(field "$name" wscale)" != 0/0 ]] || fail "$name: window scaling not negotiated"
      else
        expect_field "$name" wscale 0/0
      fi
    done
    # Timestamps, once agreed, are on every segment we send, and only then.
    local p all with_ts
    for p in "$linux_port" "$port"; do
      read -r _ all with_ts < <(grep "^$p " "$WORK/timestamps" || echo "- 0 0")
      if [[ $ts -eq 1 ]]; then
        [[ $all -gt 0 && $with_ts -eq $all ]] || fail "$combo port $p: timestamps agreed but on $with_ts of our $all segments"
      else
        [[ $with_ts -eq 0 ]] || fail "$combo port $p: $with_ts of our segments carry timestamps that were not agreed"
      fi
    done
    echo "options $combo: Linux offers $linux_kinds, we offer $our_kinds, both agree on $agreed"
  done
}

case_abort() {
  linux_options 1 1 1
  # We reset a Linux client that is still sending.
  capture_start abort-by-stack-server
  serve_start abort-stack-server --listen 5001 --mode discard --bytes 1000000 --close abort
  peer_start abort-linux-client client "$STACK_ADDR" 5001 --send 50000000
  finish "$PEER_PID" abort-linux-client 1
  finish "$SERVE_PID" abort-stack-server
  capture_stop
  [[ "$(field abort-linux-client result)" =~ ^(ECONNRESET|EPIPE)$ ]] ||
    fail "Linux client: result $(field abort-linux-client result), expected ECONNRESET or EPIPE"
  expect_field abort-stack-server received 1000000
  check_capture
  expect_rst_only_from "$STACK_ADDR"

  # A Linux client resets us (SO_LINGER 0) after 1 MB.
  capture_start abort-by-linux-client
  serve_start abort-stack-server2 --listen 5002 --mode discard
  peer_start abort-linux-client2 client "$STACK_ADDR" 5002 --send 50000000 --abort-after 1000000
  finish "$PEER_PID" abort-linux-client2
  finish "$SERVE_PID" abort-stack-server2 1
  capture_stop
  expect_field abort-stack-server2 result ECONNRESET
  check_capture
  expect_rst_only_from "$LINUX_ADDR"

  # Our client resets a Linux server once it has written 1 MB.
  capture_start abort-by-stack-client
  peer_start abort-linux-server server 6001 --receive
  serve_start abort-stack-client --connect "$LINUX_ADDR:6001" --mode send --bytes 1000000 --close abort
  finish "$SERVE_PID" abort-stack-client
  finish "$PEER_PID" abort-linux-server 1
  capture_stop
  expect_field abort-linux-server result ECONNRESET
  check_capture
  expect_rst_only_from "$STACK_ADDR"

  # A Linux server resets our client after 1 MB.
  capture_start abort-by-linux-server
  peer_start abort-linux-server2 server 6002 --receive --abort-after 1000000
  serve_start abort-stack-client2 --connect "$LINUX_ADDR:6002" --mode send --bytes 50000000
  finish "$SERVE_PID" abort-stack-client2 1
  finish "$PEER_PID" abort-linux-server2
  capture_stop
  [[ "$(field abort-stack-client2 result)" =~ ^(ECONNRESET|EPIPE)$ ]] ||
    fail "our client: result $(field abort-stack-client2 result), expected ECONNRESET or EPIPE"
  check_capture
  expect_rst_only_from "$LINUX_ADDR"
}

# expect_rst_only_from ADDRESS: the capture has RSTs, all from ADDRESS.
expect_rst_only_from() {
  local from other
  from=$(count_flagged reset "$1")
  other=$(($(count_flagged reset "$LINUX_ADDR") + $(count_flagged reset "$STACK_ADDR") - from))
  [[ $from -gt 0 && $other -eq 0 ]] ||
    fail "$(basename "$CAPTURE"): $from RSTs from $1 and $other from the other side; expected some and none"
}

case_capture_check() {
  linux_options 1 1 1
  capture_start corrupt
  serve_start corrupt-stack-source --listen 5001 --mode source --bytes 2000000 --faults corrupt=2%,seed=3
  peer_start corrupt-linux-client client "$STACK_ADDR" 5001 --receive
  finish "$PEER_PID" corrupt-linux-client
  finish "$SERVE_PID" corrupt-stack-source
  capture_stop
  expect_delivered corrupt-stack-source corrupt-linux-client 2000000
  local before=$failures
  check_capture 1000000 >"$WORK/corrupt.check"
  if [[ $CAPTURE_BAD -gt 0 && $failures -gt $before ]]; then
    # The failure was the point.
    failures=$before
    echo "check_capture found $CAPTURE_BAD corrupted packets and failed, as it must"
  else
    failures=$((before + 1))
    echo "FAIL: check_capture accepted a capture with corrupted packets: $(cat "$WORK/corrupt.check")"
  fi
}

interop_setup
"case_${CASE//-/_}" || fail "case $CASE"
[[ $failures -eq 0 ]] || {
  echo "$failures failure(s)"
  exit 1
}
echo "PASS: $CASE"
