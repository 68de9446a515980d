# The interop tests' shared part: a network namespace of their own with a
# TUN device, our stack on it (tcpfuzz serve), Linux peers (linux_peer.py),
# captures on the device and their checks with tshark. Source it after
# setting TCPFUZZ (the tcpfuzz binary) and SRC (the source folder).
#
# Addresses (RFC 2544 benchmarking space): Linux 198.18.0.1 on the device,
# our stack 198.18.0.2 behind it. Everything is removed on every exit path
# (success, failure, SIGINT/SIGTERM): the trap kills what the test started
# and deletes the namespace, which takes the device with it.
# shellcheck shell=bash

readonly SKIP_CODE=77
readonly LINUX_ADDR=198.18.0.1
readonly STACK_ADDR=198.18.0.2
readonly TUN=tfz0
readonly NS=tcpfuzz-interop-$$
# A peer that hangs is killed after this many seconds (tcpfuzz serve has --timeout).
readonly PEER_TIMEOUT=120
WORK="" # made once the machine passed interop_preflight (make_work)
BACKGROUND=()
failures=0

skip() {
  echo "SKIP: $*"
  exit "$SKIP_CODE"
}

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Runs a command in the namespace. Background jobs call `ip netns exec`
# directly instead, so that $! is the process itself (ip execs it) and the
# cleanup's kill reaches it, not a subshell.
ns() { ip netns exec "$NS" "$@"; }

cleanup() {
  local rc=$?
  local pid
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  if ip netns pids "$NS" >/dev/null 2>&1; then
    ns ip link del "$TUN" 2>/dev/null
    ip netns del "$NS" || echo "cleanup: could not delete namespace $NS"
  fi
  if [[ $rc -eq 0 || $rc -eq $SKIP_CODE ]]; then
    [[ -z "$WORK" ]] || rm -rf "$WORK"
  else
    # Outputs and captures stay for the post-mortem; the big ones do not.
    find "$WORK" -name '*.pcap' -size +20M -delete
    echo "outputs and captures kept in $WORK"
  fi
  exit "$rc"
}

# Exits with a SKIP line when this machine cannot run the tests (not root,
# tools or TUN missing); namespaces are tried by interop_setup.
interop_preflight() {
  [[ $(id -u) -eq 0 ]] || skip "not root: the interop tests create a network namespace and a TUN device"
  local tool
  for tool in ip tcpdump tshark capinfos python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (ci/bootstrap.sh installs it)"
  done
  [[ -c /dev/net/tun ]] || skip "/dev/net/tun does not exist"
}

make_work() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpfuzz-interop.XXXXXX")
}

# Creates the namespace and the device, or exits with a SKIP line when this
# machine cannot.
interop_setup() {
  interop_preflight
  trap cleanup EXIT
  make_work
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local err
  err=$(ip netns add "$NS" 2>&1) || skip "network namespaces do not work here: $err"
  echo "namespace $NS, work folder $WORK"
  ns ip link set lo up || fail "lo up"
  err=$(ns ip tuntap add dev "$TUN" mode tun 2>&1) || skip "cannot create a TUN device: $err"
  ns ip link set "$TUN" up
  ns ip addr add "$LINUX_ADDR/24" dev "$TUN"
  # No IPv6 chatter (router solicitations) on the device and in the captures.
  ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
}

# linux_options SACK TS WS: the namespace's net.ipv4.tcp_{sack,timestamps,window_scaling}.
linux_options() {
  ns sysctl -qw net.ipv4.tcp_sack="$1" net.ipv4.tcp_timestamps="$2" net.ipv4.tcp_window_scaling="$3"
}

# wait_for_line FILE PATTERN PID: until PATTERN is in FILE (10 s at most,
# and not after PID exited).
wait_for_line() {
  local i
  for ((i = 0; i < 200; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.05
  done
  fail "no '$2' in $1: $(tr '\n' ' ' <"$1" 2>/dev/null)"
  return 1
}

# capture_start NAME: tcpdump on the device into $WORK/NAME.pcap.
capture_start() {
  CAPTURE=$WORK/$1.pcap
  ip netns exec "$NS" tcpdump -i "$TUN" -s 0 -B 65536 -U -w "$CAPTURE" 2>"$CAPTURE.log" &
  CAPTURE_PID=$!
  BACKGROUND+=("$CAPTURE_PID")
  wait_for_line "$CAPTURE.log" "listening on" "$CAPTURE_PID" || exit 1
}

# capture_stop: ends the capture and checks that it lost nothing, or its
# checks would blame the stacks for packets tcpdump missed. tcpdump reads
# the kernel's capture ring a block at a time, a partial block after its
# 1 s timeout, and discards what it has not read when it is killed; so the
# capture ends once the file has not grown for longer than that timeout.
# (--immediate-mode would avoid the wait but drops packets at 1 Gbit/s.)
capture_stop() {
  local size=-1 still=0
  while ((still < 6)); do
    sleep 0.25
    if [[ $(stat -c %s "$CAPTURE") -eq $size ]]; then
      still=$((still + 1))
    else
      still=0
      size=$(stat -c %s "$CAPTURE")
    fi
  done
  kill -TERM "$CAPTURE_PID"
  wait "$CAPTURE_PID"
  local captured received dropped
  captured=$(sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$CAPTURE.log")
  received=$(sed -n 's/^\([0-9]*\) packets received by filter$/\1/p' "$CAPTURE.log")
  dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$CAPTURE.log")
  [[ -n "$captured" && "$captured" == "$received" && "$dropped" == 0 ]] ||
    fail "$CAPTURE: tcpdump lost packets: $(tr '\n' ' ' <"$CAPTURE.log")"
}

# serve_start NAME ARGS...: tcpfuzz serve on the device in the background
# (output in $WORK/NAME.out); a server is waited for until it listens.
serve_start() {
  local name=$1
  shift
  ip netns exec "$NS" "$TCPFUZZ" serve --tun "$TUN" --address "$STACK_ADDR" "$@" >"$WORK/$name.out" 2>&1 &
  SERVE_PID=$!
  BACKGROUND+=("$SERVE_PID")
  # A server that does not come up ends the case: nothing after it can pass.
  if [[ " $* " == *" --listen "* ]]; then
    wait_for_line "$WORK/$name.out" "^listening on" "$SERVE_PID" || exit 1
  fi
}

# peer_start NAME ARGS...: linux_peer.py in the namespace, in the background.
peer_start() {
  local name=$1
  shift
  ip netns exec "$NS" timeout "$PEER_TIMEOUT" python3 "$SRC/tests/interop/linux_peer.py" "$@" >"$WORK/$name.out" 2>&1 &
  PEER_PID=$!
  BACKGROUND+=("$PEER_PID")
  if [[ $1 == server ]]; then wait_for_line "$WORK/$name.out" "^listening" "$PEER_PID" || exit 1; fi
}

# finish PID NAME [STATUS]: waits for it; an exit status other than STATUS
# (default 0) is a failure, and ends the other side of the exchange too
# (everything in the background but the capture), which would otherwise
# wait for a peer that is gone.
finish() {
  local rc=0
  wait "$1" || rc=$?
  [[ $rc -eq ${3:-0} ]] && return 0
  fail "$2 exited $rc, expected ${3:-0}: $(tr '\n' ' ' <"$WORK/$2.out")"
  local pid
  for pid in "${BACKGROUND[@]}"; do
    [[ $pid == "${CAPTURE_PID:-}" ]] || kill "$pid" 2>/dev/null
  done
}

# field NAME KEY: KEY=VALUE from the result line in $WORK/NAME.out.
field() {
  grep -E '^(connection|peer) ' "$WORK/$1.out" | head -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# expect_field NAME KEY VALUE
expect_field() {
  local got
  got=$(field "$1" "$2")
  [[ "$got" == "$3" ]] || fail "$1: $2=$got, expected $3"
}

# expect_no_stack_drops NAME: our stack built no packet it then dropped
# itself (larger than the MTU, no route); tcpfuzz serve prints the counters.
expect_no_stack_drops() {
  local drops
  drops=$(grep -o 'ip_send_[a-z_]*=[0-9]*' "$WORK/$1.out" | tr '\n' ' ')
  [[ -z "$drops" ]] || fail "$1: our stack dropped packets it built: $drops"
}

# expect_delivered SENDER RECEIVER BYTES: SENDER sent BYTES, RECEIVER got
# them all, and the SHA-256 of what left equals that of what arrived.
expect_delivered() {
  expect_field "$1" sent "$3"
  expect_field "$2" received "$3"
  local tx rx
  tx=$(field "$1" tx_sha256)
  rx=$(field "$2" rx_sha256)
  [[ -n "$tx" && "$tx" == "$rx" ]] || fail "$1 -> $2: sent sha256 $tx, received sha256 $rx"
}

# check_capture [LOST_FROM_STACK]: tshark dissects the capture with IP and
# TCP checksum validation, payloads decoded as plain data (the transfers'
# random bytes on ports such as 6000-6063 would otherwise be dissected as
# X11 and reported malformed). No packet may be malformed or have a bad
# checksum, and no segment may follow a gap the capture did not see
# ("previous segment not captured", "ACKed segment that wasn't captured"),
# except up to LOST_FROM_STACK gaps in what our stack sent: with faults,
# the outbound FaultyLink drops and holds back packets before the device,
# so the capture legitimately misses or reorders them. Packets the inbound
# FaultyLink drops were captured already and explain no gap.
# A checksum of 0xffff where tshark computes 0x0000 is the other one's
# complement zero (RFC 1624 section 3), valid for TCP: Linux sends it now
# and then, so it does not count as bad.
# One pass also keeps every SYN, FIN and RST in $CAPTURE.fields for
# first_sender and count_flagged.
# shellcheck disable=SC2016 # an awk program, expanded by awk
readonly BAD_PACKET='(($3 == "0" || $4 == "0") && $5 !~ /RFC 1624/) || $5 ~ /Malformed/'
check_capture() {
  local allowed=${1:-0}
  local fields=$CAPTURE.fields
  tshark -r "$CAPTURE" -n -d 'tcp.port==1-65535,data' \
    -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
    -Y '_ws.malformed || ip.checksum.status == "Bad" || tcp.checksum.status == "Bad" ||
        tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment ||
        tcp.flags.syn == 1 || tcp.flags.fin == 1 || tcp.flags.reset == 1' \
    -T fields -E separator='|' -e frame.number -e ip.src -e ip.checksum.status \
    -e tcp.checksum.status -e _ws.expert.message -e tcp.flags.syn -e tcp.flags.fin \
    -e tcp.flags.reset >"$fields" 2>"$fields.err" ||
    fail "tshark -r $CAPTURE failed: $(head -c 300 "$fields.err")"
  local bad lost_linux lost_stack
  bad=$(awk -F'|' "$BAD_PACKET" "$fields" | wc -l)
  lost_linux=$(awk -F'|' -v a="$LINUX_ADDR" '$2 == a && $5 ~ /not captured|wasn.t captured/' "$fields" | wc -l)
  lost_stack=$(awk -F'|' -v a="$STACK_ADDR" '$2 == a && $5 ~ /not captured|wasn.t captured/' "$fields" | wc -l)
  # shellcheck disable=SC2034 # read by callers that expect bad packets
  CAPTURE_BAD=$bad
  [[ $bad -eq 0 ]] ||
    fail "$CAPTURE: $bad malformed or bad-checksum packets, e.g. $(awk -F'|' "$BAD_PACKET" "$fields" | head -n 3 | tr '\n' ' ')"
  [[ $lost_linux -eq 0 ]] || fail "$CAPTURE: $lost_linux gaps in what Linux sent"
  [[ $lost_stack -le $allowed ]] ||
    fail "$CAPTURE: $lost_stack gaps in what our stack sent, at most $allowed explained by injected faults"
  echo "capture $(basename "$CAPTURE"): $(capinfos -c -M "$CAPTURE" 2>/dev/null | sed -n 's/^Number of packets: *//p') packets, $bad bad, gaps in Linux's stream $lost_linux, in ours $lost_stack (faults explain $allowed)"
}

# first_sender syn|fin|reset: the source of the first such segment in the
# last checked capture ("" if none).
first_sender() {
  awk -F'|' -v col="$(flag_column "$1")" '$col == "1" { print $2; exit }' "$CAPTURE.fields"
}

# count_flagged syn|fin|reset ADDRESS: such segments sent from ADDRESS.
count_flagged() {
  awk -F'|' -v col="$(flag_column "$1")" -v a="$2" '$col == "1" && $2 == a' "$CAPTURE.fields" | wc -l
}

flag_column() {
  case $1 in
    syn) echo 6 ;;
    fin) echo 7 ;;
    reset) echo 8 ;;
  esac
}

# count_packets FILTER: packets of the capture matching a display filter.
count_packets() {
  tshark -r "$CAPTURE" -n -Y "$1" -T fields -e frame.number 2>/dev/null | wc -l
}
