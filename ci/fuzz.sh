#!/usr/bin/env bash
# The fuzz command: builds what the engine needs, runs every fuzz target for
# SECONDS, merges what it found into the working corpus, turns crashes into
# minimised, deduplicated reports, and prints a summary table.
#
#   ci/fuzz.sh [SECONDS_PER_TARGET] [--engine libfuzzer|afl] [--no-cmplog] [--jobs N]
#              [--sync DIR [--main] [--name NAME]] [--diff N] [TARGET...]
#
# SECONDS_PER_TARGET  default 60; every run is bounded by it
# --engine libfuzzer  (default) clang-14 libFuzzer with ASan+UBSan
# --engine afl        afl-fuzz on the persistent-mode build (libAFLDriver),
#                     with a CmpLog build (-c) and, for scenario_fuzzer, the
#                     structure-aware custom mutator
# --no-cmplog         AFL++ only: no CmpLog build nor -c (a smoke run that
#                     needs one build less; campaigns want CmpLog)
# --jobs N            N targets at once, one engine process each (N cores)
# --sync DIR          AFL++ only: join a campaign spread over machines that
#                     share DIR (DIR/<target>/ is afl-fuzz's -o), as the main
#                     instance (--main, afl-fuzz -M) or a secondary (-S);
#                     --name sets this instance's name (default: host name)
# --diff N            afterwards, ask the Linux kernel about the N newest
#                     corpus inputs of each scenario-based target (tcpfuzz
#                     diff; root and packetdrill); disagreements go to diffs/
#
# Per target:
#   fuzz-runs/<target>/corpus/   the working corpus: seeded from corpus/<target>/,
#                                minimised after each run (libFuzzer -merge=1 or
#                                afl-cmin), kept between runs, so runs resume
#   fuzz-runs/<target>/*.log     the last run's engine output
#   crashes/<target>/raw/        every crashing input the engines saved
#   crashes/<target>/<id>/       one folder per crash signature: input (minimised),
#                                input.pkt and input.pcap where the target exports
#                                them, signature.txt, inputs.txt (all raw inputs)
# These folders are ignored by git; TCPFUZZ_RUNS_DIR and TCPFUZZ_CRASH_DIR
# move them (two instances of one checkout need their own). fuzz/dict/<target>.dict and
# fuzz/options/<target>.options are applied when present.
# Exits 1 if any target crashed (or an engine failed), 0 otherwise.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '6,21p' "${BASH_SOURCE[0]}" | cut -c3- >&2
  exit 2
}

SECONDS_PER_TARGET=60
if [[ $# -gt 0 ]]; then
  case "$1" in
    -h | --help) usage ;;
    *[!0-9]* | "") ;;  # options or targets only; the default time
    *)
      SECONDS_PER_TARGET=$1
      shift
      ;;
  esac
fi
[[ "$SECONDS_PER_TARGET" -gt 0 ]] || die "SECONDS_PER_TARGET must be > 0"
JOBS=1
ENGINE=libfuzzer
SYNC_DIR=""
SYNC_MAIN=0
INSTANCE_NAME=""
DIFF_NEWEST=0
CMPLOG=1
TARGET_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jobs)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"
      JOBS=$2
      shift 2
      ;;
    --engine)
      [[ $# -ge 2 && "$2" =~ ^(libfuzzer|afl)$ ]] || die "--engine needs libfuzzer or afl"
      ENGINE=$2
      shift 2
      ;;
    --sync)
      [[ $# -ge 2 && -n "$2" ]] || die "--sync needs a folder"
      SYNC_DIR=$2
      shift 2
      ;;
    --main)
      SYNC_MAIN=1
      shift
      ;;
    --no-cmplog)
      CMPLOG=0
      shift
      ;;
    --name)
      [[ $# -ge 2 && "$2" =~ ^[A-Za-z0-9_-]+$ ]] || die "--name needs letters, digits, '_' or '-'"
      INSTANCE_NAME=$2
      shift 2
      ;;
    --diff)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--diff needs a positive number of inputs"
      DIFF_NEWEST=$2
      shift 2
      ;;
    -*) die "unknown option '$1'" ;;
    *)
      TARGET_ARGS+=("$1")
      shift
      ;;
  esac
done
if [[ -n "$SYNC_DIR" && "$ENGINE" != afl ]]; then
  die "--sync joins an AFL++ campaign; add --engine afl"
fi
if [[ $CMPLOG -eq 0 && "$ENGINE" != afl ]]; then
  die "--no-cmplog is an AFL++ option; add --engine afl"
fi
if [[ -z "$SYNC_DIR" && ($SYNC_MAIN -eq 1 || -n "$INSTANCE_NAME") ]]; then
  die "--main and --name go with --sync DIR"
fi
if [[ -n "$SYNC_DIR" ]]; then
  mkdir -p "$SYNC_DIR" || die "cannot create --sync folder $SYNC_DIR"
  SYNC_DIR=$(cd "$SYNC_DIR" && pwd)
  if [[ -z "$INSTANCE_NAME" ]]; then
    INSTANCE_NAME=$(hostname -s 2>/dev/null || echo node)
    INSTANCE_NAME=${INSTANCE_NAME//[^A-Za-z0-9_-]/-}
    [[ $SYNC_MAIN -eq 1 ]] && INSTANCE_NAME="main-$INSTANCE_NAME"
  fi
fi

# The libFuzzer build (ASan+UBSan) always: crashes are reproduced,
# minimised and exported with it, whichever engine found them.
LF_PRESET=libfuzzer
TCPFUZZ="$TCPFUZZ_ROOT/build/$LF_PRESET/fuzz/tcpfuzz"
PROGRESS_EVERY=10  # seconds between progress lines
RUNS_DIR=${TCPFUZZ_RUNS_DIR:-$TCPFUZZ_ROOT/fuzz-runs}
CRASH_DIR=${TCPFUZZ_CRASH_DIR:-$TCPFUZZ_ROOT/crashes}
MINIMIZE_SECONDS=30
# Symbolized sanitizer reports make crash signatures (tcpfuzz triage). An
# empty ASAN_SYMBOLIZER_PATH would turn symbolization off: set it only when
# the symbolizer is there.
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]] && command -v llvm-symbolizer-14 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH
  ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14)
fi

# One summary row per target run, tab-separated (see print_summary); each
# run writes its row to fuzz-runs/<target>/summary.tsv, so parallel runs
# report too.
RESULTS=()
FUZZER_PID=""

on_signal() {
  if [[ -n "$FUZZER_PID" ]]; then kill "$FUZZER_PID" 2>/dev/null || true; fi
  local job
  for job in $(jobs -p); do
    pkill -P "$job" 2>/dev/null || true
    kill "$job" 2>/dev/null || true
  done
  echo "fuzz.sh: interrupted" >&2
  exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# targets_with PROPERTY: the targets of the registry that have it, one a
# line (tcpfuzz targets --with: stateful, scenario, pcap, structured).
targets_with() {
  "$TCPFUZZ" targets --names --with "$1"
}

# target_has TARGET PROPERTY: whether the registry gives TARGET the property.
target_has() {
  local t
  for t in $(targets_with "$2"); do
    [[ "$t" == "$1" ]] && return 0
  done
  return 1
}

# select_targets [TARGET...]: TARGETS, the named ones or every target of the
# registry (tcpfuzz targets), which needs tcpfuzz built.
select_targets() {
  local all
  mapfile -t all < <("$TCPFUZZ" targets --names)
  [[ ${#all[@]} -gt 0 ]] || die "tcpfuzz targets listed no fuzz target"
  if [[ $# -eq 0 ]]; then
    TARGETS=("${all[@]}")
    return
  fi
  local t
  for t in "$@"; do
    [[ " ${all[*]} " == *" $t "* ]] || die "unknown target '$t' (have: ${all[*]})"
  done
  TARGETS=("$@")
}

count_files() {
  find "$1" -type f | wc -l | tr -d ' '
}

# prepare_corpus TARGET: creates or resumes fuzz-runs/TARGET/corpus and adds
# any seed from corpus/TARGET that is not in it yet (never overwrites).
prepare_corpus() {
  local target=$1
  local dir="$RUNS_DIR/$target/corpus"
  if [[ -d "$dir" ]]; then
    echo "$target: resuming with $(count_files "$dir") inputs in ${dir#"$TCPFUZZ_ROOT"/}"
  fi
  mkdir -p "$dir"
  if [[ -d "$TCPFUZZ_ROOT/corpus/$target" ]]; then
    local seed
    for seed in "$TCPFUZZ_ROOT/corpus/$target"/*; do
      [[ -f "$seed" && ! -e "$dir/${seed##*/}" ]] && cp "$seed" "$dir/"
    done
  else
    echo "warning: no seed corpus corpus/$target/, starting from nothing" >&2
  fi
}

# replace_corpus TARGET MERGED: MERGED becomes the working corpus.
replace_corpus() {
  local dir="$RUNS_DIR/$1/corpus"
  local before after
  before=$(count_files "$dir")
  rm -rf "$dir.old"
  mv "$dir" "$dir.old"
  mv "$2" "$dir"
  rm -rf "$dir.old"
  after=$(count_files "$dir")
  echo "$1: corpus merged: $before -> $after inputs"
}

# watch_run PID TARGET PROGRESS_COMMAND...: until PID exits, prints the
# command's output every PROGRESS_EVERY seconds.
watch_run() {
  local pid=$1 target=$2 waited=0
  shift 2
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if ((waited % PROGRESS_EVERY == 0)); then
      printf '  %-20s %4ss  %s\n' "$target" "$waited" "$("$@")"
    fi
  done
}

# ---- libFuzzer ----

# libfuzzer_progress LOG: libFuzzer's latest "#N EVENT cov: ft: corp:".
libfuzzer_progress() {
  local line
  line=$(last_stat_line "$1")
  line=${line%%lim:*}  # drop the mutation details
  echo "${line:-(starting)}"
}

# run_libfuzzer TARGET: one bounded run; sets STATS (execs exec/s cov ft).
run_libfuzzer() {
  local target=$1
  local bin work log flags_text flags=() rc=0
  bin=$(fuzz_binary "$LF_PRESET" "$target")
  [[ -x "$bin" ]] || die "fuzz target $target was not built ($bin missing)"
  work="$RUNS_DIR/$target"
  log="$work/libfuzzer.log"
  flags_text=$(libfuzzer_option_flags "$target")
  if [[ -n "$flags_text" ]]; then mapfile -t flags <<<"$flags_text"; fi

  echo "$target: libFuzzer for ${SECONDS_PER_TARGET}s (${flags[*]##*/})"
  # One in-process job. No -jobs: libFuzzer treats any -jobs=N as "run N
  # child processes with output to ./fuzz-<i>.log", which hides the stats.
  "$bin" -max_total_time="$SECONDS_PER_TARGET" -fork=0 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$CRASH_DIR/$target/raw/" \
    "${flags[@]}" "$work/corpus" >"$log" 2>&1 &
  FUZZER_PID=$!
  watch_run "$FUZZER_PID" "$target" libfuzzer_progress "$log"
  wait "$FUZZER_PID" || rc=$?
  FUZZER_PID=""
  ENGINE_RC=$rc
  ENGINE_LOG=$log
  local line
  line=$(last_stat_line "$log")
  STATS=("$(final_stat "$log" number_of_executed_units)" "$(final_stat "$log" average_exec_per_sec)"
    "$(stat_field "$line" cov)" "$(stat_field "$line" ft)")

  # Minimise the corpus: keep the inputs that add coverage.
  local merged="$work/merged"
  rm -rf "$merged"
  mkdir -p "$merged"
  # An input that crashes the merge is written under -artifact_prefix (the
  # working directory by default): with the run's crashes, to be triaged.
  if "$bin" -merge=1 -timeout=10 -artifact_prefix="$CRASH_DIR/$target/raw/" "${flags[@]}" \
    "$merged" "$work/corpus" >"$work/merge.log" 2>&1; then
    replace_corpus "$target" "$merged"
  else
    echo "$target: merge failed (kept the corpus as it is); see ${work#"$TCPFUZZ_ROOT"/}/merge.log" >&2
    rm -rf "$merged"
  fi
}

# ---- AFL++ ----

# afl_out TARGET: afl-fuzz's -o folder.
afl_out() {
  if [[ -n "$SYNC_DIR" ]]; then echo "$SYNC_DIR/$1"; else echo "$RUNS_DIR/$1/afl"; fi
}

# afl_progress LOG: afl-fuzz's latest "Fuzzing test case #N (T total, C
# crashes saved" (without a UI, fuzzer_stats and plot_data are rewritten
# only now and then).
afl_progress() {
  local line
  line=$(grep -aoE 'Fuzzing test case #[0-9]+ \([0-9]+ total, [0-9]+ crashes saved' "$1" |
    tail -n 1 || true)
  if [[ "$line" =~ \#([0-9]+)\ \(([0-9]+)\ total,\ ([0-9]+)\ crashes ]]; then
    echo "queue entry ${BASH_REMATCH[1]} of ${BASH_REMATCH[2]}, ${BASH_REMATCH[3]} crashes saved"
  else
    echo "(calibrating the corpus)"
  fi
}

# afl_dict_flags TARGET: -x for the target's dictionary, if it has one.
afl_dict_flags() {
  local line
  while IFS= read -r line; do
    [[ "$line" == -dict=* ]] && echo "-x" && echo "${line#-dict=}"
  done < <(libfuzzer_option_flags "$1")
}

run_afl() {
  local target=$1
  local bin cmplog out work log name role dict=() rc=0
  bin=$(fuzz_binary afl "$target")
  local cmplog_flags=()
  [[ -x "$bin" ]] || die "AFL++ build of $target missing ($bin)"
  if [[ $CMPLOG -eq 1 ]]; then
    cmplog=$(fuzz_binary afl-cmplog "$target")
    [[ -x "$cmplog" ]] || die "AFL++ CmpLog build of $target missing ($cmplog)"
    cmplog_flags=(-c "$cmplog")
  fi
  work="$RUNS_DIR/$target"
  out=$(afl_out "$target")
  log="$work/afl.log"
  mapfile -t dict < <(afl_dict_flags "$target")
  if [[ -n "$SYNC_DIR" ]]; then
    name=$INSTANCE_NAME
    if [[ $SYNC_MAIN -eq 1 ]]; then role=(-M "$name"); else role=(-S "$name"); fi
  else
    # Each run starts afresh from the merged corpus, which carries what
    # earlier runs found.
    rm -rf "$out"
    name=main
    role=(-M main)
  fi
  local env=(AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
    AFL_AUTORESUME=1 AFL_NO_AFFINITY=1 AFL_CMPLOG_ONLY_NEW=1)
  # A structure-aware mutator, for the targets that have one.
  local mutator="$TCPFUZZ_ROOT/build/release/fuzz/libafl_${target%_fuzzer}_mutator.so"
  local extras="no cmplog"
  [[ $CMPLOG -eq 1 ]] && extras="cmplog"
  if [[ ${#dict[@]} -gt 0 ]]; then extras+=", dictionary"; fi
  if [[ -f "$mutator" ]]; then
    env+=(AFL_CUSTOM_MUTATOR_LIBRARY="$mutator")
    extras+=", custom mutator"
  fi
  echo "$target: afl-fuzz ${role[*]} for ${SECONDS_PER_TARGET}s ($extras)"
  env "${env[@]}" afl-fuzz -i "$work/corpus" -o "$out" "${role[@]}" -V "$SECONDS_PER_TARGET" \
    -t 10000 "${cmplog_flags[@]}" "${dict[@]}" -- "$bin" >"$log" 2>&1 &
  FUZZER_PID=$!
  watch_run "$FUZZER_PID" "$target" afl_progress "$log"
  wait "$FUZZER_PID" || rc=$?
  FUZZER_PID=""
  ENGINE_RC=$rc
  ENGINE_LOG=$log
  local stats="$out/$name/fuzzer_stats"
  STATS=("$(afl_stat "$stats" execs_done)" "$(afl_stat "$stats" execs_per_sec)"
    "$(afl_stat "$stats" edges_found)" "-")

  # Crashes and hangs of every instance (resumed ones keep older finds in
  # crashes.<date>/) into the raw folder, named by content, as libFuzzer
  # names its artifacts: afl-fuzz restarts its ids.
  local f kept
  for f in "$out"/*/crashes*/id:* "$out"/*/hangs/id:*; do
    [[ -f "$f" ]] || continue
    kept="$CRASH_DIR/$target/raw/afl-$(sha1sum "$f" | cut -c1-40)"
    [[ -e "$kept" ]] || cp "$f" "$kept"
  done
  # Minimise the corpus with afl-cmin over it and every instance's queue.
  local pool="$work/cmin-in" merged="$work/merged"
  rm -rf "$pool" "$merged"
  mkdir -p "$pool"
  cp "$work/corpus/"* "$pool/" 2>/dev/null || true
  for f in "$out"/*/queue/id:*; do
    [[ -f "$f" ]] || continue
    cp "$f" "$pool/$(sha1sum "$f" | cut -c1-16)"
  done
  # Inputs through shared memory, as afl-fuzz gives them (the persistent
  # driver takes no file argument there). AFL_ALLOW_TMP: these folders are
  # ours even when the checkout is under /tmp.
  if env AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_ALLOW_TMP=1 \
    afl-cmin -i "$pool" -o "$merged" -t 10000 -- "$bin" >"$work/cmin.log" 2>&1; then
    replace_corpus "$target" "$merged"
  else
    echo "$target: afl-cmin failed (kept the corpus as it is); see ${work#"$TCPFUZZ_ROOT"/}/cmin.log" >&2
    rm -rf "$merged"
  fi
  rm -rf "$pool"
}

# ---- Crashes ----

# target_exports TARGET: "pkt,pcap", "pcap" or "-" (tcpfuzz targets).
target_exports() {
  "$TCPFUZZ" targets | awk -F'\t' -v t="$1" '$1 == t { print $2 }'
}

# file_crash TARGET RAW ID SIGNATURE: files one reproduced crash under
# crashes/TARGET/ID/. The first input of a signature is minimised (kept
# only if the signature survives) and exported; later ones are listed.
file_crash() {
  local target=$1 raw=$2 id=$3 signature=$4
  local dir="$CRASH_DIR/$target/$id"
  local rel=${raw#"$TCPFUZZ_ROOT"/}
  if [[ -f "$dir/input" ]]; then
    grep -qxF "$rel" "$dir/inputs.txt" 2>/dev/null || echo "$rel" >>"$dir/inputs.txt"
    return
  fi
  mkdir -p "$dir"
  echo "$signature" >"$dir/signature.txt"
  echo "$rel" >"$dir/inputs.txt"
  local bin min="$dir/input.min"
  bin=$(fuzz_binary "$LF_PRESET" "$target")
  if [[ "$signature" == timeout ]]; then
    : # every candidate would wait for the timeout
  elif target_has "$target" structured; then
    # Inputs of events, operations or records (fuzz/minimize/input_shape.cc):
    # tcpfuzz minimize gave smaller inputs than libFuzzer's -minimize_crash
    # (docs/minimize.md). It keeps the signature itself and writes the
    # exports too.
    "$TCPFUZZ" minimize "$raw" --target "$target" -o "$min" \
      --max-seconds "$MINIMIZE_SECONDS" >"$dir/minimize.log" 2>&1 || true
    [[ -f "$min.pkt" ]] && mv "$min.pkt" "$dir/input.pkt"
    [[ -f "$min.pcap" ]] && mv "$min.pcap" "$dir/input.pcap"
  else
    # -minimize_crash writes every smaller crash it finds under
    # -artifact_prefix (the working directory by default): keep them here.
    "$bin" -minimize_crash=1 -max_total_time="$MINIMIZE_SECONDS" -timeout=10 \
      -artifact_prefix="$dir/minimize-" \
      -exact_artifact_path="$min" "$raw" >"$dir/minimize.log" 2>&1 || true
  fi
  if [[ -s "$min" ]] &&
    [[ "$("$TCPFUZZ" triage "$min" --target "$target" --tsv | cut -f2)" == "$id" ]]; then
    mv "$min" "$dir/input.tmp"
  else
    cp "$raw" "$dir/input.tmp"
    rm -f "$dir/input.pkt" "$dir/input.pcap"
  fi
  rm -f "$min" "$dir"/minimize-*
  local exports
  exports=$(target_exports "$target")
  # A hang would keep the exporters waiting for their own timeout.
  [[ "$signature" == timeout ]] && exports=""
  # tcpfuzz minimize wrote them already.
  [[ -f "$dir/input.pkt" || -f "$dir/input.pcap" ]] && exports=""
  if [[ "$exports" == *pkt* ]]; then
    "$TCPFUZZ" export "$dir/input.tmp" --target "$target" --to pkt -o "$dir/input.pkt" \
      2>>"$dir/export.log" || true
  fi
  if [[ "$exports" == *pcap* ]]; then
    "$TCPFUZZ" export "$dir/input.tmp" --target "$target" --to pcap -o "$dir/input.pcap" \
      2>>"$dir/export.log" || true
  fi
  # Last: a folder with an input is complete (an interrupted run redoes it).
  mv "$dir/input.tmp" "$dir/input"
}

# report_crash TARGET ID COUNT: the lines a signature gets in this run's output.
report_crash() {
  local target=$1 id=$2 count=$3
  local dir="$CRASH_DIR/$target/$id"
  local rel=${dir#"$TCPFUZZ_ROOT"/} also="" f
  for f in input.pkt input.pcap; do
    [[ -f "$dir/$f" ]] && also+=" $f"
  done
  echo "CRASH $target $id: $(cat "$dir/signature.txt")" >&2
  echo "      $count input(s) this run, $(wc -l <"$dir/inputs.txt") in all;" \
    "$rel/input is $(stat -c %s "$dir/input") bytes${also:+ (also$also)}" >&2
  echo "      file it: build/$LF_PRESET/fuzz/tcpfuzz regress $rel/input --target $target" \
    "--name SLUG" >&2
}

# process_crashes TARGET: reproduces every raw crash input not triaged
# before, files each under its signature and reports each signature seen.
# Sets CRASHES (signatures this run produced inputs for).
process_crashes() {
  local target=$1
  local raw_dir="$CRASH_DIR/$target/raw" seen="$CRASH_DIR/$target/triaged.txt"
  CRASHES=0
  touch "$seen"
  local new=() f
  for f in "$raw_dir"/*; do
    [[ -f "$f" ]] || continue
    grep -qxF "$f" "$seen" || new+=("$f")
  done
  [[ ${#new[@]} -gt 0 ]] || return 0
  echo "$target: triaging ${#new[@]} crash input(s)"
  local path id signature
  declare -A count=()
  while IFS=$'\t' read -r path id signature; do
    if [[ "$id" == - ]]; then
      echo "  ${path#"$TCPFUZZ_ROOT"/}: does not reproduce ($signature)" >&2
    else
      file_crash "$target" "$path" "$id" "$signature" </dev/null
      count[$id]=$((${count[$id]:-0} + 1))
    fi
    echo "$path" >>"$seen"
  done < <("$TCPFUZZ" triage "${new[@]}" --target "$target" --tsv)
  for id in "${!count[@]}"; do
    report_crash "$target" "$id" "${count[$id]}"
  done
  CRASHES=${#count[@]}
}

# ---- One target ----

# state_coverage TARGET DIR: "states transitions" a corpus reaches, from
# tcpfuzz cov ("- -" for targets without TCP state).
state_coverage() {
  local out states transitions
  out=$("$TCPFUZZ" cov "$2" --target "$1" 2>/dev/null) || {
    echo "- -"
    return
  }
  states=$(awk '$1 == "states" { sub(":", "", $2); print $2 }' <<<"$out")
  transitions=$(awk '$1 == "transitions" { print $2 }' <<<"$out")
  echo "${states:--} ${transitions:--}"
}

fuzz_one() {
  local target=$1
  local work="$RUNS_DIR/$target"
  prepare_corpus "$target"
  mkdir -p "$CRASH_DIR/$target/raw"
  ENGINE_RC=0
  STATS=()
  "run_$ENGINE" "$target"
  process_crashes "$target"
  local status=ok
  if [[ $CRASHES -gt 0 ]]; then
    status=CRASH
  elif [[ $ENGINE_RC -ne 0 ]]; then
    status="error($ENGINE_RC)"
    echo "$target: $ENGINE exited with $ENGINE_RC; last lines of ${ENGINE_LOG#"$TCPFUZZ_ROOT"/}:" >&2
    tail -n 15 "$ENGINE_LOG" >&2
  fi
  local states transitions
  read -r states transitions < <(state_coverage "$target" "$work/corpus")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$ENGINE" "${STATS[@]}" \
    "$states" "$transitions" "$(count_files "$work/corpus")" "$CRASHES" "$status" \
    >"$work/summary.tsv"
}

print_summary() {
  local fmt='%-18s %-10s %11s %8s %6s %7s %7s %11s %7s %8s  %s\n'
  banner "summary: ${SECONDS_PER_TARGET}s per target, engine $ENGINE"
  # shellcheck disable=SC2059  # the format is ours
  printf "$fmt" target engine execs exec/s cov ft states transitions corpus crashes status
  local row fields
  for row in "${RESULTS[@]}"; do
    IFS=$'\t' read -r -a fields <<<"$row"
    # shellcheck disable=SC2059
    printf "$fmt" "${fields[@]}"
  done
  if [[ "$ENGINE" == libfuzzer ]]; then
    echo "cov = libFuzzer's 'cov:' (edges), ft = 'ft:' (features); ASan+UBSan build"
  else
    echo "cov = afl-fuzz's edges_found; ASan+UBSan build"
  fi
  echo "corpus = inputs in fuzz-runs/<target>/corpus after merging"
  echo "crashes = distinct signatures (crashes/<target>/<id>/)"
  echo "states, transitions = TCP states and (from, to) transitions the corpus reaches (tcpfuzz cov)"
}

# --diff N: the N newest corpus inputs of each scenario-based target run on
# our stack and on the kernel; one summary row per target. Disagreements are
# minimised into diffs/ (they do not fail the campaign: see its table).
diff_against_linux() {
  local why=""
  [[ $(id -u) -eq 0 ]] || why="not root"
  if [[ -z "$why" && -z "${TCPFUZZ_PACKETDRILL:-}" ]]; then
    if TCPFUZZ_PACKETDRILL=$("$TCPFUZZ_ROOT/ci/packetdrill.sh" tool); then
      export TCPFUZZ_PACKETDRILL
    else
      why="no packetdrill: set TCPFUZZ_PACKETDRILL (ci/packetdrill.sh could not provide one)"
    fi
  fi
  banner "diff: the $DIFF_NEWEST newest inputs per scenario-based target against Linux $(uname -r)"
  if [[ -n "$why" ]]; then
    echo "skipped: $why"
    return
  fi
  local fmt='%-18s %7s %6s %9s %6s %15s %8s\n' target tmp row=()
  # shellcheck disable=SC2059  # the format is ours
  printf "$fmt" target inputs agree disagree known "not comparable" "in part" \
    >"$RUNS_DIR/diff-summary.txt"
  for target in $(targets_with scenario); do
    [[ " ${TARGETS[*]} " == *" $target "* && -d "$RUNS_DIR/$target/corpus" ]] || continue
    tmp=$(mktemp -d)
    mkdir "$tmp/$target"
    find "$RUNS_DIR/$target/corpus" -maxdepth 1 -type f -printf '%T@ %p\n' | sort -rn |
      awk -v n="$DIFF_NEWEST" 'NR <= n' | cut -d' ' -f2- | xargs -r cp -t "$tmp/$target"
    "$TCPFUZZ" diff "$tmp/$target" --target "$target" --diffs "$TCPFUZZ_ROOT/diffs" \
      --known "$TCPFUZZ_ROOT/docs/linux-differences.md" >"$RUNS_DIR/$target/diff.log" 2>&1 || true
    rm -rf "$tmp"
    count() { awk -v k="$1" '$0 ~ "^  "k" " {print $NF}' "$RUNS_DIR/$target/diff.log"; }
    row=("$target" "$(awk '/^tcpfuzz diff: / {print $3}' "$RUNS_DIR/$target/diff.log")"
      "$(count agree)" "$(count disagree)" "$(count known)" "$(count 'not comparable')"
      "$(awk '/^of those compared, / {n = $4} END {print n + 0}' "$RUNS_DIR/$target/diff.log")")
    # shellcheck disable=SC2059
    printf "$fmt" "${row[@]}" >>"$RUNS_DIR/diff-summary.txt"
  done
  cat "$RUNS_DIR/diff-summary.txt"
  echo "in part = compared only up to where the run stops being comparable (see docs/diff.md)"
  echo "per input: fuzz-runs/<target>/diff.log; minimised disagreements: diffs/<signature>.pkt"
}

build_all() {
  local bins=("$@")
  banner "build: preset $LF_PRESET (${bins[*]})"
  configure_and_build "$LF_PRESET" "${bins[@]}"
  if [[ "$ENGINE" == afl ]]; then
    command -v afl-fuzz >/dev/null || die "afl-fuzz not found (ci/bootstrap.sh installs afl++)"
    if [[ $CMPLOG -eq 1 ]]; then
      banner "build: presets afl, afl-cmplog (${bins[*]})"
      configure_and_build afl "${bins[@]}"
      configure_and_build afl-cmplog "${bins[@]}"
    else
      banner "build: preset afl (${bins[*]})"
      configure_and_build afl "${bins[@]}"
    fi
    banner "build: preset release (AFL++ custom mutator)"
    configure_and_build release afl_scenario_mutator
  fi
}

main() {
  local start
  start=$(now_s)
  banner "bootstrap"
  run_bootstrap
  # tcpfuzz first: it knows the targets.
  banner "build: preset $LF_PRESET (tcpfuzz)"
  configure_and_build "$LF_PRESET" tcpfuzz
  select_targets "${TARGET_ARGS[@]}"
  build_all "${TARGETS[@]}"
  banner "fuzz: ${#TARGETS[@]} target(s) with $ENGINE, ${SECONDS_PER_TARGET}s each, $JOBS at a time"
  local target running=0
  for target in "${TARGETS[@]}"; do
    rm -f "$RUNS_DIR/$target/summary.tsv"
    if [[ $JOBS -eq 1 ]]; then
      fuzz_one "$target"
      continue
    fi
    fuzz_one "$target" &
    running=$((running + 1))
    if [[ $running -ge $JOBS ]]; then
      wait -n || true
      running=$((running - 1))
    fi
  done
  wait || true
  for target in "${TARGETS[@]}"; do
    if [[ -f "$RUNS_DIR/$target/summary.tsv" ]]; then
      RESULTS+=("$(cat "$RUNS_DIR/$target/summary.tsv")")
    else
      RESULTS+=("$(printf '%s\t%s\t-\t-\t-\t-\t-\t-\t-\t-\terror' "$target" "$ENGINE")")
    fi
  done
  print_summary
  [[ $DIFF_NEWEST -eq 0 ]] || diff_against_linux
  echo "wall time $(fmt_duration $(($(now_s) - start)))"

  local row failed=0
  for row in "${RESULTS[@]}"; do
    [[ "${row##*$'\t'}" == ok ]] || failed=1
  done
  if [[ $failed -ne 0 ]]; then
    echo "fuzz.sh: crashes or failures found (see crashes/<target>/)" >&2
    exit 1
  fi
}

main "$@"
