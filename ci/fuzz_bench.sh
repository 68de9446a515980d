#!/usr/bin/env bash
# The fuzz throughput bench: lwIP's own fuzz harness next to tcpfuzz's fuzz
# targets, built here with the same compilers, each fuzzed for SECONDS on a
# fresh copy of its seeds, one at a time, and printed as one table.
#
#   ci/fuzz_bench.sh [SECONDS] [--only lwip|tcpfuzz|oracle]
#
# SECONDS         default 60; every fuzzer runs that long, single process
# --only lwip     only lwIP's harness (fetches and builds lwIP, no CMake)
# --only tcpfuzz  only tcpfuzz's targets (no download)
# --only oracle   what the reference oracle costs: each stateful target
#                 (scenario, segment, pair) under libFuzzer without and
#                 with ASan+UBSan, fuzzed from its seeds, then the corpus
#                 it grew replayed with the oracle on and off (no lwIP)
#
# Why: the engineering guide anchors our fuzzing throughput to lwIP's:
# "lwIP's own fuzz harness, built here: one frame per input 395k exec/s
# (libFuzzer -O2); several frames with timers 100k exec/s (-O2), 44k
# (ASan+UBSan), 40k (AFL++ persistent) - and it never reaches ESTABLISHED."
# Such figures only mean something measured on the same machine, in the same
# run, next to ours. The rows come in pairs, lwIP first:
#
#   lwIP fuzz.c, one frame    libFuzzer -O2          header_fuzzer    libfuzzer-nosan
#   lwIP fuzz.c, multi frame  libFuzzer -O2          scenario_fuzzer  libfuzzer-nosan
#   lwIP fuzz.c, multi frame  libFuzzer ASan+UBSan   scenario_fuzzer  libfuzzer
#   lwIP fuzz.c, multi frame  AFL++ persistent       scenario_fuzzer  afl-nosan
#                                                    scenario_fuzzer  afl (ASan+UBSan)
#
# tcpfuzz's rows run with the reference oracle (its default); one more row
# runs the ASan+UBSan libFuzzer target with TCPFUZZ_ORACLE=0, its cost.
#
# lwIP: the upstream tarball of Debian's lwip source package, fetched with
# `apt-get source --download-only lwip` (apt checks it against the signed
# Sources index; deb-src is added to the system's Debian sources file when
# it is missing) and cached in build/lwip-anchor/. Debian 12 ships lwIP
# 2.1.3 (2.1.3+dfsg1). Its test/fuzz/Makefile
# builds fuzz.c with afl-gcc -O0 against lwIP's src/Filelists.mk files
# (LWIPNOAPPSFILES, LWIPAPPFILES) and lwip-contrib's unix port, with
# test/fuzz/lwipopts.h; -DLWIP_FUZZ_MULTI_PACKET makes the input a series of
# length-prefixed frames. Here the same file lists are compiled with clang-14
# or afl-clang-fast at -O2, still with test/fuzz/lwipopts.h and -DLWIP_DEBUG
# (lwip-contrib's flags); lwip-contrib is not in the tarball, so the few port
# pieces the harness needs (arch/cc.h, sys_now) are in ci/fuzz_bench/lwip_port/,
# as in contrib's ports/unix. fuzz.c's main() reads one input from stdin and
# exits; an adapter (ci/fuzz_bench/lwip_port/adapter.c) #includes fuzz.c
# unchanged and splits main's body: its set-up once per process
# (LLVMFuzzerInitialize), its "read the input, input_pkts()" per input
# (LLVMFuzzerTestOneInput). The AFL++ build links that adapter with
# libAFLDriver.a (persistent mode). lwIP's seeds are test/fuzz/inputs/*/*.bin
# (one Ethernet frame each); for the multi-frame mode each gets fuzz.c's
# 2-byte length prefix, and one more seed holds them all. Two things differ
# from the guide's wording, both lwIP 2.1.3's own: its multi-frame mode feeds
# the frames back to back and runs no timers (fuzz.c never calls
# sys_check_timeouts), and fuzz.c was written for one process per input
# (afl-gcc's fork server): in one process lwIP's state (PCBs, caches, pools,
# pending timeouts) carries over from one input to the next.
#
# tcpfuzz: the CMake presets' binaries build/<preset>/fuzz/<target>, seeded
# from corpus/<target>/. libFuzzer gets the target's fuzz/options flags
# (max_len) but no dictionary; AFL++ runs without CmpLog, dictionary or the
# custom mutator: both sides fuzz with the engine's plain mutations.
#
# libFuzzer: -max_total_time=SECONDS -timeout=1, exec/s =
# stat::average_exec_per_sec. libFuzzer stops at the first crash (or hang);
# it is then started again on the same corpus for the time left, and execs,
# exec/s add up the runs. lwIP 2.1.3's harness has a shallow crash: a SYN to
# a listening port (httpd 80, lwiperf 5001) asserts "pool MEMP_SYS_TIMEOUT is
# empty", as the mDNS responder's probe holds the timeout TCP's timer needs. AFL++: afl-fuzz -V SECONDS, exec/s = execs_per_sec of
# fuzzer_stats; it goes on after crashes. The table notes crash stops and
# lists the first line of each distinct crash report. Runs, logs and the
# final corpora stay in build/lwip-anchor/runs/<date>.XXXX/.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '6,10p' "${BASH_SOURCE[0]}" | cut -c3- >&2
  exit 2
}

DURATION=60 # SECONDS (bash's own $SECONDS is a timer)
ONLY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage ;;
    --only)
      [[ $# -ge 2 && "$2" =~ ^(lwip|tcpfuzz|oracle)$ ]] || die "--only needs lwip, tcpfuzz or oracle"
      ONLY=$2
      shift 2
      ;;
    -*) die "unknown option '$1'" ;;
    *[!0-9]*) die "SECONDS must be a positive number, got '$1'" ;;
    *)
      DURATION=$1
      shift
      ;;
  esac
done
[[ "$DURATION" -gt 0 ]] || die "SECONDS must be > 0"

# The system's Debian sources (deb822), where deb-src is enabled if needed.
APT_SOURCES=/etc/apt/sources.list.d/debian.sources
ANCHOR_DIR=$TCPFUZZ_ROOT/build/lwip-anchor
LWIP_VERSION="" # upstream version of Debian's lwip source, set by fetch_lwip
LWIP_DIR=""     # its extracted tarball, set by fetch_lwip
PORT_DIR=$TCPFUZZ_ROOT/ci/fuzz_bench/lwip_port
LWIP_BIN_DIR=$ANCHOR_DIR/bin
LWIP_SEEDS=$ANCHOR_DIR/seeds
AFL_DRIVER=/usr/lib/afl/libAFLDriver.a
# libFuzzer's -timeout (seconds): a hang costs at most this much of a run.
# afl-fuzz calibrates its own (well under a second for these targets).
LIBFUZZER_TIMEOUT=1

# One table row per measurement, tab-separated (see print_table).
ROWS=()
# What stopped the runs, "ROW_ID: first line of the crash report".
REASONS=()
FUZZER_PID=""

on_signal() {
  if [[ -n "$FUZZER_PID" ]]; then kill "$FUZZER_PID" 2>/dev/null || true; fi
  local job
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done
  echo "fuzz_bench.sh: interrupted" >&2
  exit 130
}
trap on_signal INT TERM

# ---- lwIP: fetch, build ----

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# enable_deb_src: makes apt know Debian's source packages, by adding deb-src
# to the Types: lines of the system's sources file (idempotent), then
# apt-get update. Nothing when apt already knows the lwip source package.
enable_deb_src() {
  if apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip$'; then return; fi
  [[ -f "$APT_SOURCES" ]] || die "$APT_SOURCES not found: enable deb-src for apt-get source by hand"
  echo "enabling deb-src in $APT_SOURCES"
  as_root sed -E -i '/^Types:/{/deb-src/!s/$/ deb-src/}' "$APT_SOURCES" ||
    die "cannot edit $APT_SOURCES (root needed)"
  as_root apt-get update -q >"$ANCHOR_DIR/apt-update.log" 2>&1 ||
    die "apt-get update failed (log: ${ANCHOR_DIR#"$TCPFUZZ_ROOT"/}/apt-update.log)"
  apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip$' ||
    die "apt knows no lwip source package after enabling deb-src"
}

# fetch_lwip: Debian's lwip source package in build/lwip-anchor/apt/ (apt
# skips files it already has and checks them against the signed index), its
# upstream tarball extracted once. Sets LWIP_VERSION and LWIP_DIR.
fetch_lwip() {
  local apt_dir="$ANCHOR_DIR/apt" version tarball
  mkdir -p "$apt_dir"
  enable_deb_src
  (cd "$apt_dir" && apt-get source --download-only -q lwip >"$apt_dir/apt-source.log" 2>&1) ||
    die "apt-get source lwip failed (log: ${apt_dir#"$TCPFUZZ_ROOT"/}/apt-source.log)"
  # The version apt fetched: the newest .dsc there (file names carry no
  # epoch); the upstream version is it without the Debian revision.
  version=$(printf '%s\n' "$apt_dir"/lwip_*.dsc | sort -V | tail -n 1)
  version=${version##*/lwip_}
  version=${version%.dsc}
  LWIP_VERSION=${version%-*}
  local tarballs=("$apt_dir/lwip_$LWIP_VERSION".orig.tar.*)
  tarball=${tarballs[0]}
  [[ -f "$tarball" ]] || die "no upstream tarball lwip_$LWIP_VERSION.orig.tar.* in ${apt_dir#"$TCPFUZZ_ROOT"/}"
  LWIP_DIR=$ANCHOR_DIR/lwip-$LWIP_VERSION
  if [[ ! -f "$LWIP_DIR/.extracted" ]]; then
    rm -rf "$LWIP_DIR"
    mkdir -p "$LWIP_DIR"
    tar -xf "$tarball" -C "$LWIP_DIR" --strip-components=1 || die "cannot extract $tarball"
    [[ -f "$LWIP_DIR/test/fuzz/fuzz.c" ]] || die "${tarball##*/} has no test/fuzz/fuzz.c"
    touch "$LWIP_DIR/.extracted"
  fi
  echo "lwIP $LWIP_VERSION (Debian source ${version}): ${LWIP_DIR#"$TCPFUZZ_ROOT"/}"
}

# lwip_files VARIABLE: the files of a list in lwIP's src/Filelists.mk, read
# with make as lwIP's Makefile reads them.
lwip_files() {
  make -s --no-print-directory -f "$PORT_DIR/file_list.mk" LWIPDIR="$LWIP_DIR/src" LIST="$1" list
}

# compile_into DIR CC CFLAGS... -- SOURCES...: one object per source in DIR
# (named by the file's base name, as lwIP's Makefile does), TCPFUZZ_JOBS at
# a time.
compile_into() {
  local dir=$1 cc=$2
  shift 2
  local cflags=()
  while [[ "$1" != -- ]]; do
    cflags+=("$1")
    shift
  done
  shift
  local src obj running=0 failed=0
  for src in "$@"; do
    obj="$dir/$(basename "$src" .c).o"
    "$cc" "${cflags[@]}" -c "$src" -o "$obj" >"$obj.log" 2>&1 &
    running=$((running + 1))
    if [[ $running -ge $TCPFUZZ_JOBS ]]; then
      wait -n || failed=1
      running=$((running - 1))
    fi
  done
  while [[ $running -gt 0 ]]; do
    wait -n || failed=1
    running=$((running - 1))
  done
  if [[ $failed -ne 0 ]]; then
    for src in "$@"; do
      obj="$dir/$(basename "$src" .c).o"
      [[ -f "$obj" ]] || { echo "--- $src:" >&2; tail -n 20 "$obj.log" >&2; }
    done
    die "compiling lwIP into ${dir#"$TCPFUZZ_ROOT"/} failed"
  fi
}

# build_lwip_libs FLAVOUR CC CFLAGS...: lwIP's two archives, as its Makefile
# makes them (liblwipcommon.a: LWIPNOAPPSFILES and the port; liblwipapps.a:
# LWIPAPPFILES), in build/lwip-anchor/obj/FLAVOUR/; rebuilt only when the
# lwIP source, the compiler, the flags or the port change.
build_lwip_libs() {
  local flavour=$1 cc=$2
  shift 2
  local cflags=("$@") dir="$ANCHOR_DIR/obj/$flavour" key
  key=$({
    "$cc" --version 2>&1 | head -n 1
    echo "$LWIP_DIR"
    printf '%s\n' "${cflags[@]}"
    cat "$PORT_DIR/include/arch/cc.h" "$PORT_DIR/sys_arch.c"
  } | sha256sum | cut -c1-16)
  if [[ -f "$dir/liblwipcommon.a" && -f "$dir/liblwipapps.a" &&
    "$(cat "$dir/key" 2>/dev/null)" == "$key" ]]; then
    echo "lwIP libraries ($flavour): up to date"
    return
  fi
  local common=() apps=()
  mapfile -t common < <(lwip_files LWIPNOAPPSFILES)
  mapfile -t apps < <(lwip_files LWIPAPPFILES)
  [[ ${#common[@]} -gt 0 && ${#apps[@]} -gt 0 ]] || die "no file lists in lwIP's src/Filelists.mk"
  common+=("$PORT_DIR/sys_arch.c")
  echo "lwIP libraries ($flavour): ${#common[@]} + ${#apps[@]} files with $cc ${cflags[*]}"
  rm -rf "$dir"
  mkdir -p "$dir/common" "$dir/apps"
  compile_into "$dir/common" "$cc" "${cflags[@]}" -- "${common[@]}"
  compile_into "$dir/apps" "$cc" "${cflags[@]}" -- "${apps[@]}"
  ar rcs "$dir/liblwipcommon.a" "$dir"/common/*.o
  ar rcs "$dir/liblwipapps.a" "$dir"/apps/*.o
  echo "$key" >"$dir/key"
}

# link_lwip_fuzzer NAME FLAVOUR CC MODE_FLAGS LINK_WITH CFLAGS...: the adapter
# (with fuzz.c) linked as lwIP's Makefile links lwip_fuzz: fuzz.o
# liblwipapps.a liblwipcommon.a -lm, plus the engine.
link_lwip_fuzzer() {
  local name=$1 flavour=$2 cc=$3 mode=$4 engine=$5
  shift 5
  local cflags=("$@") lib="$ANCHOR_DIR/obj/$flavour" out="$LWIP_BIN_DIR/$name"
  local mode_flags=() engine_link=()
  if [[ -n "$mode" ]]; then mode_flags=("$mode"); fi
  if [[ "$engine" == libfuzzer ]]; then engine_link=(-fsanitize=fuzzer); else engine_link=("$AFL_DRIVER"); fi
  mkdir -p "$LWIP_BIN_DIR"
  if ! { "$cc" "${cflags[@]}" "${mode_flags[@]}" -c "$PORT_DIR/adapter.c" -o "$out.o" &&
    "$cc" "${cflags[@]}" -o "$out" "$out.o" "$lib/liblwipapps.a" "$lib/liblwipcommon.a" \
      "${engine_link[@]}" -lm; } >"$out.log" 2>&1; then
    tail -n 30 "$out.log" >&2
    die "building the lwIP harness $name failed"
  fi
  echo "lwIP harness: ${out#"$TCPFUZZ_ROOT"/} (${mode:-one frame per input})"
}

# lwIP's seeds: test/fuzz/inputs/*/*.bin are single Ethernet frames. The
# multi-frame mode reads a 2-byte big-endian length before each frame
# (fuzz.c: htons(frame_len) & 0x7FF).
make_lwip_seeds() {
  local single="$LWIP_SEEDS/single" multi="$LWIP_SEEDS/multi" f name n
  rm -rf "$LWIP_SEEDS"
  mkdir -p "$single" "$multi"
  for f in "$LWIP_DIR"/test/fuzz/inputs/*/*.bin; do
    [[ -f "$f" ]] || continue
    name=$(basename "$(dirname "$f")")-$(basename "$f")
    cp "$f" "$single/$name"
    n=$(stat -c %s "$f")
    [[ $n -le 1514 ]] || die "$f is longer than one frame"
    # shellcheck disable=SC2059  # octal escapes of the length bytes
    { printf "\\$(printf %03o $((n >> 8)))\\$(printf %03o $((n & 255)))"; cat "$f"; } >"$multi/$name"
    cat "$multi/$name" >>"$multi/all-frames.bin"
  done
  [[ -n "$(ls -A "$single")" ]] || die "no seeds in lwIP's test/fuzz/inputs/"
}

build_lwip() {
  banner "lwIP: fetch, build (TCPFUZZ_JOBS=$TCPFUZZ_JOBS)"
  command -v clang-14 >/dev/null || die "clang-14 not found (ci/bootstrap.sh)"
  command -v afl-clang-fast >/dev/null || die "afl-clang-fast not found (ci/bootstrap.sh)"
  [[ -f "$AFL_DRIVER" ]] || die "$AFL_DRIVER not found (afl++)"
  fetch_lwip
  # lwIP's own flags (test/fuzz/Makefile, lwip-contrib's Common.allports.mk)
  # are -O0 -g -DLWIP_DEBUG with afl-gcc; -O2 here. The sanitizer flags are
  # tcpfuzz's (cmake/TcpfuzzFlags.cmake) plus lwip-contrib's
  # -fno-sanitize=alignment (its clang builds: lwIP's packed headers).
  local inc=(-I"$LWIP_DIR/test/fuzz" -I"$LWIP_DIR/src/include" -I"$PORT_DIR/include")
  local base=(-O2 -g -DLWIP_DEBUG "${inc[@]}")
  local lf=("${base[@]}" -fsanitize=fuzzer-no-link)
  local san=("-fsanitize=address,undefined" -fno-sanitize=alignment -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  build_lwip_libs libfuzzer-nosan clang-14 "${lf[@]}"
  build_lwip_libs libfuzzer clang-14 "${lf[@]}" "${san[@]}"
  build_lwip_libs afl afl-clang-fast "${base[@]}"
  local multi=-DLWIP_FUZZ_MULTI_PACKET
  link_lwip_fuzzer lwip_single_libfuzzer_nosan libfuzzer-nosan clang-14 "" libfuzzer "${lf[@]}"
  link_lwip_fuzzer lwip_multi_libfuzzer_nosan libfuzzer-nosan clang-14 "$multi" libfuzzer "${lf[@]}"
  link_lwip_fuzzer lwip_multi_libfuzzer_asan libfuzzer clang-14 "$multi" libfuzzer "${lf[@]}" "${san[@]}"
  link_lwip_fuzzer lwip_multi_afl afl afl-clang-fast "$multi" afl "${base[@]}"
  make_lwip_seeds
}

# ---- tcpfuzz: the presets ----

# The targets that run a conversation, and so the oracle.
STATEFUL_TARGETS=(scenario_fuzzer segment_fuzzer pair_fuzzer)

build_oracle_targets() {
  banner "tcpfuzz: presets libfuzzer-nosan, libfuzzer"
  configure_and_build libfuzzer-nosan "${STATEFUL_TARGETS[@]}"
  configure_and_build libfuzzer "${STATEFUL_TARGETS[@]}"
}

build_tcpfuzz() {
  banner "tcpfuzz: presets libfuzzer-nosan, libfuzzer, afl-nosan, afl"
  configure_and_build libfuzzer-nosan header_fuzzer scenario_fuzzer
  configure_and_build libfuzzer scenario_fuzzer
  command -v afl-fuzz >/dev/null || die "afl-fuzz not found (ci/bootstrap.sh installs afl++)"
  configure_and_build afl-nosan scenario_fuzzer
  configure_and_build afl scenario_fuzzer
}

# ---- Measurements ----

# now_us: microseconds since the epoch.
now_us() {
  local t=$EPOCHREALTIME
  echo "${t/./}"
}

# our_libfuzzer_flags TARGET: the target's fuzz/options flags, without -dict.
our_libfuzzer_flags() {
  local line
  while IFS= read -r line; do
    [[ -n "$line" && "$line" != -dict=* ]] && echo "$line"
  done < <(libfuzzer_option_flags "$1")
  return 0
}

# crash_reason LOG: the first line of a crash report in an engine log.
crash_reason() {
  grep -aE -m 1 '^Assertion "|runtime error:|^SUMMARY: |ERROR: libFuzzer: (timeout|out-of-memory)' "$1" |
    sed -E 's/ at line [0-9]+ in .*//; s/^.*runtime error:/UBSan:/; s/^SUMMARY: //' || true
}

# run_libfuzzer BIN DIR FLAG...: libFuzzer on DIR/corpus for DURATION
# seconds. A run that stops on a crash (or timeout, OOM) is started again
# on the same corpus for the time left, as long as the crash is not in a
# seed. Sets RUN_EXECS, RUN_EPS (total execs over the summed time of the runs,
# each run's time being its execs / its stat::average_exec_per_sec, or its
# wall time when that is 0: libFuzzer divides by whole seconds),
# RUN_STOPS (runs that ended on a crash), RUN_RC (non-zero: a run failed
# without a crash).
run_libfuzzer() {
  local bin=$1 dir=$2
  shift 2
  local start left n=0 log rc execs eps reason artifacts seg_start
  start=$(now_us)
  left=$DURATION
  RUN_STOPS=0
  RUN_RC=0
  mkdir -p "$dir/artifacts"
  : >"$dir/segments"
  while [[ $left -gt 0 ]]; do
    n=$((n + 1))
    log="$dir/libfuzzer-$n.log"
    artifacts=$(find "$dir/artifacts" -type f | wc -l)
    seg_start=$(now_us)
    "$bin" -max_total_time="$left" -print_final_stats=1 -timeout="$LIBFUZZER_TIMEOUT" \
      -artifact_prefix="$dir/artifacts/" "$@" "$dir/corpus" >"$log" 2>&1 &
    FUZZER_PID=$!
    rc=0
    wait "$FUZZER_PID" || rc=$?
    FUZZER_PID=""
    execs=$(final_stat "$log" number_of_executed_units)
    eps=$(final_stat "$log" average_exec_per_sec)
    echo "$execs $eps $(($(now_us) - seg_start))" >>"$dir/segments"
    [[ $rc -ne 0 ]] || break
    if [[ $(find "$dir/artifacts" -type f | wc -l) -eq $artifacts ]]; then
      RUN_RC=$rc # failed, and not on an input
      break
    fi
    reason=$(crash_reason "$log")
    echo "  run $n stopped after $execs execs: ${reason:-exit $rc}"
    RUN_STOPS=$((RUN_STOPS + 1))
    if [[ -n "$reason" ]] && ! grep -qxF "$reason" "$dir/reasons" 2>/dev/null; then
      echo "$reason" >>"$dir/reasons"
    fi
    # A crash before "INITED" is in a seed: every new run would stop there.
    grep -aqE '[[:space:]]INITED[[:space:]]' "$log" || break
    left=$((DURATION - ($(now_us) - start) / 1000000))
  done
  read -r RUN_EXECS RUN_EPS < <(awk '
    $1 ~ /^[0-9]+$/ { execs += $1; time += ($2 > 0) ? $1 / $2 : $3 / 1e6 }
    END { if (time > 0) printf "%d %.0f\n", execs, execs / time; else printf "%d -\n", execs }
  ' "$dir/segments")
}

# run_afl BIN DIR: afl-fuzz on DIR/corpus for DURATION seconds (it goes on
# after crashes). Sets RUN_EXECS, RUN_EPS, RUN_STOPS (crashes saved), RUN_RC.
run_afl() {
  local bin=$1 dir=$2
  local stats="$dir/out/default/fuzzer_stats"
  RUN_RC=0
  env -u AFL_CUSTOM_MUTATOR_LIBRARY AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -i "$dir/corpus" -o "$dir/out" -V "$DURATION" -- "$bin" >"$dir/afl.log" 2>&1 &
  FUZZER_PID=$!
  wait "$FUZZER_PID" || RUN_RC=$?
  FUZZER_PID=""
  RUN_EXECS=$(afl_stat "$stats" execs_done)
  RUN_EPS=$(afl_stat "$stats" execs_per_sec)
  [[ "$RUN_EPS" == - ]] || RUN_EPS=$(printf '%.0f' "$RUN_EPS")
  RUN_STOPS=$(afl_stat "$stats" saved_crashes)
  [[ "$RUN_STOPS" != - ]] || RUN_STOPS=0
}

# afl_crash_reasons BIN DIR: replays the crashes afl-fuzz saved (the driver
# runs a file given as argument) and notes their first report lines.
afl_crash_reasons() {
  local bin=$1 dir=$2 f reason
  for f in "$dir"/out/default/crashes/id:*; do
    [[ -f "$f" ]] || continue
    "$bin" "$f" >"$dir/replay.log" 2>&1 || true
    reason=$(crash_reason "$dir/replay.log")
    [[ -n "$reason" ]] || continue
    grep -qxF "$reason" "$dir/reasons" 2>/dev/null || echo "$reason" >>"$dir/reasons"
  done
  rm -f "$dir/replay.log"
}

# measure ID SIDE HARNESS ENGINE SANITIZERS NOTE BINARY SEEDS [FLAG...]: one
# measurement of DURATION seconds on a fresh copy of SEEDS; appends a row to
# ROWS. ENGINE is libFuzzer or AFL++; FLAGs go to libFuzzer.
measure() {
  local id=$1 side=$2 harness=$3 engine=$4 sans=$5 note=$6 bin=$7 seeds=$8
  shift 8
  [[ "$note" != - ]] || note=""
  local dir="$RUN_DIR/$id" start wall
  [[ -x "$bin" ]] || die "$bin missing"
  mkdir -p "$dir/corpus"
  cp -R "$seeds/." "$dir/corpus/"
  echo "$side $harness: $engine ($sans) for ${DURATION}s," \
    "$(find "$dir/corpus" -type f | wc -l) seeds${*:+, $*}"
  start=$(now_us)
  if [[ "$engine" == libFuzzer ]]; then
    run_libfuzzer "$bin" "$dir" "$@"
    if [[ $RUN_STOPS -gt 0 ]]; then note+="${note:+; }$RUN_STOPS crash stop(s), restarted"; fi
  else
    run_afl "$bin" "$dir"
    if [[ $RUN_STOPS -gt 0 ]]; then note+="${note:+; }$RUN_STOPS crash(es) saved"; fi
  fi
  wall=$((($(now_us) - start) / 100000))
  wall="$((wall / 10)).$((wall % 10))"
  if [[ "$engine" != libFuzzer ]]; then afl_crash_reasons "$bin" "$dir"; fi
  if [[ $RUN_RC -ne 0 ]]; then note+="${note:+; }exit $RUN_RC (see ${dir#"$TCPFUZZ_ROOT"/})"; fi
  if [[ -f "$dir/reasons" ]]; then
    local reason
    while IFS= read -r reason; do REASONS+=("$id: $reason"); done <"$dir/reasons"
  fi
  echo "  -> $RUN_EXECS execs in ${wall}s, $RUN_EPS exec/s"
  ROWS+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$side" "$harness" "$engine" "$sans" \
    "$wall" "$RUN_EXECS" "$RUN_EPS" "${note:--}")")
}

# replay_pass BIN CORPUS ORACLE FLAG...: one pass of libFuzzer over CORPUS
# (-runs=0: each input run once through the engine, new units into a
# scratch folder, CORPUS untouched) with TCPFUZZ_ORACLE=ORACLE. Prints
# "EXECS MICROSECONDS".
replay_pass() {
  local bin=$1 corpus=$2 oracle=$3
  shift 3
  local scratch log start execs
  scratch=$(mktemp -d "$RUN_DIR/replay.XXXX")
  log=$scratch.log
  start=$(now_us)
  TCPFUZZ_ORACLE=$oracle "$bin" -runs=0 -print_final_stats=1 "$@" "$scratch" "$corpus" \
    >"$log" 2>&1 || die "replaying ${corpus#"$TCPFUZZ_ROOT"/} failed (log: ${log#"$TCPFUZZ_ROOT"/})"
  execs=$(final_stat "$log" number_of_executed_units)
  echo "$execs $(($(now_us) - start))"
  rm -rf "$scratch"
}

# measure_oracle_cost: what the reference oracle costs each stateful target
# under each libFuzzer preset. Fuzzing runs with and without it would not
# compare: each grows its own corpus, and exec/s follows what the corpus
# holds more than the oracle. So the target first fuzzes SECONDS from its
# seeds with the oracle on (its default; the row's exec/s), then the corpus
# it grew goes through the engine again, pass after pass, oracle on and off
# in turn (ORACLE_PASSES each); the best pass of each gives the cost.
ORACLE_PASSES=3
measure_oracle_cost() {
  local target preset sans flags=() corpus pass on off best_on best_off execs us rate
  for target in "${STATEFUL_TARGETS[@]}"; do
    mapfile -t flags < <(our_libfuzzer_flags "$target")
    for preset in libfuzzer-nosan libfuzzer; do
      sans=none
      [[ "$preset" == libfuzzer ]] && sans=ASan+UBSan
      local bin="$TCPFUZZ_ROOT/build/$preset/fuzz/$target"
      measure "$target-$preset" tcpfuzz "$target" libFuzzer "$sans" "fuzzing, oracle on" \
        "$bin" "$TCPFUZZ_ROOT/corpus/$target" "${flags[@]}"
      corpus="$RUN_DIR/$target-$preset/corpus"
      best_on=0
      best_off=0
      for ((pass = 1; pass <= ORACLE_PASSES; pass++)); do
        for on in 1 0; do
          read -r execs us < <(replay_pass "$bin" "$corpus" "$on" "${flags[@]}")
          rate=$((execs * 1000000 / (us > 0 ? us : 1)))
          if [[ $on -eq 1 ]]; then
            ((rate > best_on)) && best_on=$rate
          else
            ((rate > best_off)) && best_off=$rate
          fi
        done
      done
      echo "  replay of its $(find "$corpus" -type f | wc -l) inputs, best of $ORACLE_PASSES:" \
        "$best_on exec/s with the oracle, $best_off without"
      for off in 0 1; do
        local note="replay, oracle on" eps=$best_on
        if [[ $off -eq 1 ]]; then
          eps=$best_off
          note="replay, oracle off; the oracle costs $(awk -v a="$best_on" -v b="$best_off" \
            'BEGIN { if (b > 0) printf "%.0f %%", 100 * (1 - a / b); else printf "?" }')"
        fi
        ROWS+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' tcpfuzz "$target" libFuzzer "$sans" \
          - "$execs" "$eps" "$note")")
      done
    done
  done
}

run_measurements() {
  mkdir -p "$ANCHOR_DIR/runs"
  RUN_DIR=$(mktemp -d "$ANCHOR_DIR/runs/$(date +%Y%m%d-%H%M%S).XXXX")
  banner "fuzz: ${DURATION}s each, one at a time (${RUN_DIR#"$TCPFUZZ_ROOT"/})"
  if [[ "$ONLY" == oracle ]]; then
    measure_oracle_cost
    return
  fi
  local lw=$LWIP_BIN_DIR ours=$TCPFUZZ_ROOT/build seeds=$TCPFUZZ_ROOT/corpus
  local one="fuzz.c, one frame" multi="fuzz.c, multi frame"
  local header_flags=() scenario_flags=()
  mapfile -t header_flags < <(our_libfuzzer_flags header_fuzzer)
  mapfile -t scenario_flags < <(our_libfuzzer_flags scenario_fuzzer)
  # In pairs, lwIP first, so that drift in the machine's speed hits both.
  if [[ "$ONLY" != tcpfuzz ]]; then
    measure 1-lwip-single lwIP "$one" libFuzzer none - \
      "$lw/lwip_single_libfuzzer_nosan" "$LWIP_SEEDS/single"
  fi
  if [[ "$ONLY" != lwip ]]; then
    measure 2-header tcpfuzz header_fuzzer libFuzzer none - \
      "$ours/libfuzzer-nosan/fuzz/header_fuzzer" "$seeds/header_fuzzer" "${header_flags[@]}"
  fi
  if [[ "$ONLY" != tcpfuzz ]]; then
    measure 3-lwip-multi lwIP "$multi" libFuzzer none - \
      "$lw/lwip_multi_libfuzzer_nosan" "$LWIP_SEEDS/multi"
  fi
  if [[ "$ONLY" != lwip ]]; then
    measure 4-scenario tcpfuzz scenario_fuzzer libFuzzer none - \
      "$ours/libfuzzer-nosan/fuzz/scenario_fuzzer" "$seeds/scenario_fuzzer" "${scenario_flags[@]}"
  fi
  if [[ "$ONLY" != tcpfuzz ]]; then
    measure 5-lwip-multi-asan lwIP "$multi" libFuzzer ASan+UBSan - \
      "$lw/lwip_multi_libfuzzer_asan" "$LWIP_SEEDS/multi"
  fi
  if [[ "$ONLY" != lwip ]]; then
    measure 6-scenario-asan tcpfuzz scenario_fuzzer libFuzzer ASan+UBSan - \
      "$ours/libfuzzer/fuzz/scenario_fuzzer" "$seeds/scenario_fuzzer" "${scenario_flags[@]}"
    # What the reference oracle costs (docs/oracle.md): the same, without it.
    TCPFUZZ_ORACLE=0 measure 6-scenario-asan-no-oracle tcpfuzz scenario_fuzzer libFuzzer \
      ASan+UBSan "oracle off" \
      "$ours/libfuzzer/fuzz/scenario_fuzzer" "$seeds/scenario_fuzzer" "${scenario_flags[@]}"
  fi
  if [[ "$ONLY" != tcpfuzz ]]; then
    measure 7-lwip-multi-afl lwIP "$multi" AFL++ none - \
      "$lw/lwip_multi_afl" "$LWIP_SEEDS/multi"
  fi
  if [[ "$ONLY" != lwip ]]; then
    measure 8-scenario-afl tcpfuzz scenario_fuzzer AFL++ none - \
      "$ours/afl-nosan/fuzz/scenario_fuzzer" "$seeds/scenario_fuzzer"
    measure 9-scenario-afl-asan tcpfuzz scenario_fuzzer AFL++ ASan+UBSan - \
      "$ours/afl/fuzz/scenario_fuzzer" "$seeds/scenario_fuzzer"
  fi
}

print_table() {
  local fmt='%-8s %-20s %-10s %-11s %7s %11s %8s  %s\n'
  banner "fuzz throughput: ${DURATION}s per run"
  # shellcheck disable=SC2059  # the format is ours
  printf "$fmt" side harness engine sanitizers seconds execs exec/s note
  local row fields
  for row in "${ROWS[@]}"; do
    IFS=$'\t' read -r -a fields <<<"$row"
    # shellcheck disable=SC2059
    printf "$fmt" "${fields[@]}"
  done
  echo "seconds = wall time of the engine process(es) (start-up included); execs, exec/s = the"
  echo "  engine's own (libFuzzer stat::number_of_executed_units, stat::average_exec_per_sec;"
  echo "  AFL++ fuzzer_stats execs_done, execs_per_sec, which counts the seeds' calibration:"
  echo "  short runs understate afl-fuzz)"
  echo "one process, one core, one run at a time; AFL++ = afl-fuzz on a persistent-mode"
  echo "  build (libAFLDriver.a), no CmpLog, dictionary or custom mutator; libFuzzer without"
  echo "  dictionaries"
  if [[ -z "$ONLY" || "$ONLY" == tcpfuzz ]]; then
    echo "tcpfuzz AFL++ rows: preset afl-nosan (lwIP's like) and preset afl (ASan+UBSan)"
  fi
  if [[ -z "$ONLY" || "$ONLY" == lwip ]]; then
    echo "lwIP: $LWIP_VERSION test/fuzz/fuzz.c (one frame = default build, multi frame ="
    echo "  -DLWIP_FUZZ_MULTI_PACKET; it feeds the frames back to back and runs no timers),"
    echo "  set up once per process, its state carried from input to input"
  fi
  echo "libFuzzer stops on a crash: the run is started again on its corpus for the time"
  echo "  left, and execs, exec/s add up the runs; afl-fuzz goes on by itself"
  if [[ ${#REASONS[@]} -gt 0 ]]; then
    echo "crashes (row: first line of the report):"
    printf '  %s\n' "${REASONS[@]}"
  fi
  echo "runs: ${RUN_DIR#"$TCPFUZZ_ROOT"/}/<row>/ (logs, corpus, artifacts or out/)"
}

machine() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
  banner "fuzz_bench.sh $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores (nproc), ${cpu:-unknown CPU}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "compilers: $(clang-14 --version 2>/dev/null | head -n 1);" \
    "$(afl-fuzz -h 2>&1 | head -n 1 | sed 's/\x1b\[[0-9;]*m//g; s/ based on.*//')"
}

main() {
  local start
  start=$(now_s)
  machine
  banner "bootstrap"
  run_bootstrap
  case "$ONLY" in
    lwip) build_lwip ;;
    tcpfuzz) build_tcpfuzz ;;
    oracle) build_oracle_targets ;;
    *)
      build_lwip
      build_tcpfuzz
      ;;
  esac
  run_measurements
  print_table
  echo "wall time $(fmt_duration $(($(now_s) - start)))"
}

main "$@"
