#!/usr/bin/env bash
# The tcpfuzz command line end to end: replay and export on real corpus
# files, their outputs checked by other means (the script runner, tshark),
# and the errors bad input gets (one line naming the file, exit 2, nothing
# written).
#   cli_test.sh TCPFUZZ SOURCE_DIR
set -uo pipefail
tcpfuzz=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# expect_exit CODE PATTERN CMD...: exit status CODE and PATTERN in the output.
expect_exit() {
  local want=$1 pattern=$2
  shift 2
  local out
  out=$("$@" 2>&1)
  local got=$?
  [ "$got" -eq "$want" ] || fail "$* exited $got, expected $want: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "$*: output lacks /$pattern/: $out"
}

seed=$src/corpus/scenario_fuzzer/passive-data-passive-close.bin

# replay: decoded events, the script lines, the trace, the states.
expect_exit 0 'call listen' "$tcpfuzz" replay "$seed" --target scenario_fuzzer
expect_exit 0 '< S 1000:1000\(0\)' "$tcpfuzz" replay "$seed" --target scenario_fuzzer
expect_exit 0 'LISTEN -> SYN-RECEIVED' "$tcpfuzz" replay "$seed" --target scenario_fuzzer
expect_exit 0 'states reached:.* ESTABLISHED .*CLOSE-WAIT .*LAST-ACK' \
  "$tcpfuzz" replay "$seed" --target scenario_fuzzer
# The target can come from the folder name.
expect_exit 0 '^scenario_fuzzer input' "$tcpfuzz" replay "$seed"
expect_exit 0 'checks: passed' "$tcpfuzz" replay "$(ls "$src"/corpus/header_fuzzer/* | head -1)"
expect_exit 0 'as listed: <' "$tcpfuzz" replay "$(ls "$src"/corpus/options_fuzzer/* | head -1)"

# export --to pkt: the script replays on the runner.
"$tcpfuzz" export "$seed" --to pkt -o "$work/seed.pkt" || fail "export --to pkt"
expect_exit 0 '1 passed, 0 failed' "$tcpfuzz" run "$work/seed.pkt"
# To standard output without -o, the same text.
"$tcpfuzz" export "$seed" --to pkt >"$work/stdout.pkt" || fail "export to stdout"
cmp -s "$work/seed.pkt" "$work/stdout.pkt" || fail "export -o and stdout differ"

# export --to pcap: as many packets as the script has packet lines, and
# tshark finds nothing malformed.
"$tcpfuzz" export "$seed" --to pcap -o "$work/seed.pcap" || fail "export --to pcap"
"$tcpfuzz" replay "$seed" --pcap "$work/replay.pcap" >/dev/null || fail "replay --pcap"
cmp -s "$work/seed.pcap" "$work/replay.pcap" || fail "export --to pcap and replay --pcap differ"
if command -v tshark >/dev/null; then
  lines=$(grep -cE '^[+0-9.]+ [<>] ' "$work/seed.pkt")
  packets=$(tshark -r "$work/seed.pcap" 2>/dev/null | wc -l)
  [ "$lines" -gt 0 ] && [ "$lines" -eq "$packets" ] ||
    fail "script has $lines packet lines, pcap has $packets packets"
  problems=$(tshark -r "$work/seed.pcap" -o tcp.check_checksum:TRUE -T fields \
    -e _ws.expert.message 2>&1 | grep -iE 'malformed|checksum.*(bad|incorrect)' || true)
  [ -z "$problems" ] || fail "tshark: $problems"
else
  echo "note: tshark missing, pcap contents not dissected"
fi

# cov: the seeds reach every state (make_scenario_seeds.py is written to).
expect_exit 0 'states +11/11' "$tcpfuzz" cov "$src/corpus/scenario_fuzzer"
expect_exit 0 'transitions +[0-9]+/[0-9]+' "$tcpfuzz" cov "$seed" --target scenario_fuzzer
expect_exit 2 'has no TCP state' "$tcpfuzz" cov "$src/corpus/header_fuzzer"
# The state diagram as DOT, and as SVG through Graphviz when it is there.
expect_exit 0 "state diagram: $work/states.dot" "$tcpfuzz" cov "$src/corpus/scenario_fuzzer" --dot "$work/states.dot"
grep -q '"ESTABLISHED" -> "CLOSE-WAIT" \[color=' "$work/states.dot" || fail "cov --dot: no taken ESTABLISHED -> CLOSE-WAIT edge"
if command -v dot >/dev/null; then
  expect_exit 0 "state diagram: $work/states.svg" "$tcpfuzz" cov "$seed" --target scenario_fuzzer --svg "$work/states.svg"
  grep -q '<svg' "$work/states.svg" || fail "cov --svg wrote no SVG"
else
  echo "note: Graphviz's dot missing, cov --svg not checked"
fi
expect_exit 2 "$work/no/dir/s.dot" "$tcpfuzz" cov "$seed" --target scenario_fuzzer --dot "$work/no/dir/s.dot"
expect_exit 2 "$work/missing: no such file" "$tcpfuzz" cov "$work/missing" --target scenario_fuzzer

# triage: the seeds do not crash; one line per input with --tsv.
segment_seeds=$(find "$src/corpus/segment_fuzzer" -type f | wc -l)
expect_exit 0 "^$segment_seeds inputs: 0 crash in 0 group\\(s\\), $segment_seeds do not crash" \
  "$tcpfuzz" triage "$src/corpus/segment_fuzzer"
expect_exit 0 "^$seed	-	no crash$" "$tcpfuzz" triage "$seed" --tsv
expect_exit 2 "--timeout '0': expected a positive" "$tcpfuzz" triage "$seed" --timeout 0
expect_exit 2 "$work/missing: no such file" "$tcpfuzz" triage "$work/missing" --target scenario_fuzzer

# regress: the input and its script are filed; a second time is refused.
mkdir -p "$work/corpus/regressions"
expect_exit 0 "filed $work/corpus/regressions/scenario_fuzzer/my-case.bin" \
  "$tcpfuzz" regress "$seed" --name my-case --corpus "$work/corpus"
cmp -s "$seed" "$work/corpus/regressions/scenario_fuzzer/my-case.bin" || fail "regress: input differs"
expect_exit 0 '1 passed, 0 failed' \
  "$tcpfuzz" run "$work/corpus/regressions/scripts/scenario_fuzzer-my-case.pkt"
expect_exit 2 'already exists' "$tcpfuzz" regress "$seed" --name my-case --corpus "$work/corpus"
expect_exit 2 "--name 'My_Case'" "$tcpfuzz" regress "$seed" --name My_Case --corpus "$work/corpus"
expect_exit 2 'regressions: no such folder' "$tcpfuzz" regress "$seed" --name x --corpus "$work/none"

# minimize: an input that does not fail is refused (exit 1, its outcome
# named, nothing written); bad files and targets are one line, exit 2.
# Shrinking real failures is tested in tests/scenario/minimize_test.cc.
expect_exit 1 "^tcpfuzz minimize: $seed does not fail: it runs to the end" \
  "$tcpfuzz" minimize "$seed" -o "$work/seed.min"
[ ! -e "$work/seed.min" ] || fail "minimize of a clean input wrote $work/seed.min"
expect_exit 2 "$work/missing.bin: No such file" "$tcpfuzz" minimize "$work/missing.bin" --target scenario_fuzzer
expect_exit 2 "unknown target 'nope'" "$tcpfuzz" minimize "$seed" --target nope
expect_exit 2 "--max-seconds '-1': expected a positive" "$tcpfuzz" minimize "$seed" --max-seconds -1

# targets: every fuzz target, with what it exports to; names and
# properties for scripts.
expect_exit 0 '^scenario_fuzzer	pkt,pcap	' "$tcpfuzz" targets
expect_exit 0 '^header_fuzzer$' "$tcpfuzz" targets --names
[ "$("$tcpfuzz" targets --names --with scenario)" = scenario_fuzzer ] ||
  fail "targets --with scenario: $("$tcpfuzz" targets --names --with scenario)"
[ "$("$tcpfuzz" targets --names --with structured | sort | tr '\n' ' ')" = \
  "pair_fuzzer scenario_fuzzer segment_fuzzer " ] || fail "targets --with structured"
[ "$("$tcpfuzz" targets --names --with stateful | wc -l)" -eq 3 ] || fail "targets --with stateful"

# Bad input: one line naming the problem, exit 2, nothing written.
expect_exit 2 "$work/missing.bin: No such file" "$tcpfuzz" replay "$work/missing.bin" --target scenario_fuzzer
expect_exit 2 "$work: is a directory" "$tcpfuzz" replay "$work" --target scenario_fuzzer
expect_exit 2 "unknown target 'nope'" "$tcpfuzz" replay "$seed" --target nope
echo x >"$work/input.bin"
expect_exit 2 '--target NAME is needed' "$tcpfuzz" replay "$work/input.bin"
expect_exit 2 'needs -o' "$tcpfuzz" export "$seed" --to pcap
expect_exit 2 "--to 'json': expected pkt or pcap" "$tcpfuzz" export "$seed" --to json
expect_exit 2 'not scenario-based' "$tcpfuzz" export "$work/input.bin" --target header_fuzzer --to pkt
expect_exit 2 'do not export to a pcap' "$tcpfuzz" export "$work/input.bin" --target options_fuzzer --to pcap -o "$work/o.pcap"
expect_exit 2 "$work/no/such/dir/out.pkt" "$tcpfuzz" export "$seed" --to pkt -o "$work/no/such/dir/out.pkt"
[ ! -e "$work/no/such/dir/out.pkt" ] || fail "a failed export left a file"
expect_exit 2 "$work/no/such/dir/out.pcap" "$tcpfuzz" export "$seed" --to pcap -o "$work/no/such/dir/out.pcap"
expect_exit 2 "$work/no/such/dir/r.pcap" "$tcpfuzz" replay "$seed" --pcap "$work/no/such/dir/r.pcap"
[ ! -e "$work/no/such/dir" ] || fail "a failed pcap write left a file"
printf '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0) win\n' >"$work/bad.pkt"
expect_exit 2 "^$work/bad.pkt:2:[0-9]+: " "$tcpfuzz" run "$work/bad.pkt"
expect_exit 2 'unknown command' "$tcpfuzz" frobnicate

# import: a shipped capture gives a script, a scenario seed and a segment
# seed per flow; a copy cut inside its flow is exit 2 in one line naming the
# flow cut short; a file that is no capture is exit 2 in one line, after
# the other captures are imported; --to creates its folder. (More damaged
# files: tests/import/broken_capture_test.sh.)
capture=$src/corpus/pcaps/linux-v4-request-reply-close.pcap
mkdir "$work/imported"
expect_exit 0 '^21 packets read, 21 TCP, 1 flow\(s\), 3 file\(s\) written, nothing skipped$' \
  "$tcpfuzz" import "$capture" --to "$work/imported"
for f in pkt/import-linux-v4-request-reply-close-1-server.pkt \
  scenario_fuzzer/import-linux-v4-request-reply-close-1-server.bin \
  segment_fuzzer/import-linux-v4-request-reply-close-1-server.bin; do
  [ -s "$work/imported/$f" ] || fail "import did not write $f"
done
expect_exit 0 'call accept' "$tcpfuzz" replay \
  "$work/imported/scenario_fuzzer/import-linux-v4-request-reply-close-1-server.bin"
expect_exit 0 '1 file\(s\) written' "$tcpfuzz" import "$capture" --to "$work/imported" --target pkt --stack client
head -c 3000 "$capture" >"$work/cut.pcap"
expect_exit 2 "^$work/cut.pcap: damaged at packet [0-9]+ \(truncated dump file; .*\): flow 1 \(.*\) cut short$" \
  "$tcpfuzz" import "$work/cut.pcap" --to "$work/imported"
printf 'GARBAGE, not a capture at all\n' >"$work/garbage.pcap"
expect_exit 2 "^$work/garbage.pcap: unknown file format" \
  "$tcpfuzz" import "$work/garbage.pcap" "$capture" --to "$work/imported"
expect_exit 2 '3 file\(s\) written' "$tcpfuzz" import "$work/garbage.pcap" "$capture" --to "$work/imported"
expect_exit 2 "--target 'wire': expected scenario_fuzzer, segment_fuzzer or pkt" \
  "$tcpfuzz" import "$capture" --to "$work/imported" --target wire
expect_exit 0 '3 file\(s\) written' "$tcpfuzz" import "$capture" --to "$work/missing/and/parents"
[ -s "$work/missing/and/parents/pkt/import-linux-v4-request-reply-close-1-server.pkt" ] ||
  fail "import --to did not create its folder"
expect_exit 2 "^$work/garbage.pcap: " "$tcpfuzz" import "$capture" --to "$work/garbage.pcap"
expect_exit 1 'differs: ' "$tcpfuzz" import "$capture" --to "$work" --check

# The command line of every command, from one declaration: the usage of
# tcpfuzz alone lists the flags each --help explains, and every error is one
# line naming the flag, exit 2.
# expect_one_line PATTERN CMD...: exit 2, one line on standard error matching.
expect_one_line() {
  local pattern=$1
  shift
  local out got
  out=$("$@" 2>&1 >/dev/null)
  got=$?
  [ "$got" -eq 2 ] || fail "$* exited $got, expected 2: $out"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$*: not one line: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "$*: output lacks /$pattern/: $out"
}
usage=$("$tcpfuzz" --help) || fail "tcpfuzz --help"
commands=$(sed -nE 's/^  ([a-z]+) .*/\1/p; s/^  ([a-z]+)$/\1/p' <<<"$usage")
[ "$(wc -w <<<"$commands")" -eq 12 ] || fail "tcpfuzz --help lists $(wc -w <<<"$commands") commands"
flags_in() { grep -oE '(^|[[ ])-{1,2}[a-z][a-z-]*' | sed 's/^[[ ]//' | sort -u; }
for c in $commands; do
  help=$("$tcpfuzz" "$c" --help) || fail "tcpfuzz $c --help exited $?"
  grep -q "^usage: tcpfuzz $c" <<<"$help" || fail "tcpfuzz $c --help: no usage line"
  listed=$(awk -v c="$c" '$0 ~ "^  "c"( |$)" {on = 1; print; next} on && /^        / {print; next}
    {on = 0}' <<<"$usage" | flags_in)
  explained=$(grep -E '^  -' <<<"$help" | grep -v -- '--help' | sed -E 's/^  (-[^ ,]+).*/\1/' | sort -u)
  [ "$listed" = "$explained" ] ||
    fail "$c: tcpfuzz --help lists '$(echo $listed)', tcpfuzz $c --help '$(echo $explained)'"
  expect_one_line "^tcpfuzz $c: unknown flag --no-such-flag " "$tcpfuzz" "$c" --no-such-flag
  # The last flag that takes a value, given none.
  flag=$(grep -E '^  -[^ ]* [A-Z]|^  -[^ ]* [a-z]+\|' <<<"$help" | tail -n 1 | sed -E 's/^  (-[^ ,]+).*/\1/')
  if [ -n "$flag" ]; then
    expect_one_line "^tcpfuzz $c: $flag needs " "$tcpfuzz" "$c" "$flag"
  fi
done
# Numbers out of range, per command.
expect_one_line "^tcpfuzz minimize: --max-runs 'x': expected a positive whole number$" \
  "$tcpfuzz" minimize "$seed" --max-runs x
expect_one_line "^tcpfuzz minimize: --timeout '0': expected a positive whole number of seconds$" \
  "$tcpfuzz" minimize "$seed" --timeout 0
expect_one_line "^tcpfuzz triage: --timeout '1.5': expected a positive whole number of seconds$" \
  "$tcpfuzz" triage "$seed" --timeout 1.5
expect_one_line "^tcpfuzz diff: --max-seconds '0': expected a positive number of seconds$" \
  "$tcpfuzz" diff "$seed" --max-seconds 0
expect_one_line "^tcpfuzz diff: --tolerance-usecs 'ten': expected a positive whole number$" \
  "$tcpfuzz" diff "$seed" --tolerance-usecs ten
expect_one_line "^tcpfuzz diff: --plant-initial-cwnd '-2': expected a positive whole number$" \
  "$tcpfuzz" diff "$seed" --plant-initial-cwnd -2
expect_one_line "^tcpfuzz serve: --listen '70000': expected a whole number from 1 to 65535$" \
  "$tcpfuzz" serve --tun t --address 198.18.0.2 --listen 70000
expect_one_line "^tcpfuzz serve: --connections '0': expected a positive whole number$" \
  "$tcpfuzz" serve --tun t --address 198.18.0.2 --listen 1 --connections 0
expect_one_line "^tcpfuzz serve: --seed 'x': expected a whole number$" \
  "$tcpfuzz" serve --tun t --address 198.18.0.2 --listen 1 --seed x
expect_one_line "^tcpfuzz targets: --with 'big': expected stateful, scenario, pcap or structured$" \
  "$tcpfuzz" targets --with big
# Missing arguments: one line; none at all: the help, on standard error.
expect_one_line "^tcpfuzz seeds: --to DIR is required$" "$tcpfuzz" seeds "$src/corpus/scripts"
expect_one_line "^tcpfuzz replay: INPUT is missing " "$tcpfuzz" replay --target scenario_fuzzer
expect_one_line "^tcpfuzz replay: unexpected argument b$" "$tcpfuzz" replay a b
expect_exit 2 '^usage: tcpfuzz replay INPUT' "$tcpfuzz" replay
expect_exit 0 'default 5000' "$tcpfuzz" minimize --help

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
