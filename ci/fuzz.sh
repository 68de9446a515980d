#!/usr/bin/env bash
# The fuzz command: build the libfuzzer preset (clang-14, ASan+UBSan) and run
# every fuzz target for SECONDS, then print a summary table.
#
#   ci/fuzz.sh [SECONDS_PER_TARGET] [--jobs N] [TARGET...]
#                                   (default 60 s, all targets, one at a time)
# --jobs N runs N targets at once, one libFuzzer process each (N cores).
#
# Per target:
#   fuzz-runs/<target>/corpus/       working corpus, seeded from corpus/<target>/;
#                                    kept between runs, so runs resume
#   fuzz-runs/<target>/libfuzzer.log the last run's full libFuzzer output
#   crashes/<target>/                crash-*, leak-*, timeout-*, oom-* inputs
# Both folders are ignored by git. fuzz/dict/<target>.dict and
# fuzz/options/<target>.options are applied when present.
# Exits 1 if any target crashed (or libFuzzer failed), 0 otherwise.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  echo "usage: ci/fuzz.sh [SECONDS_PER_TARGET] [--jobs N] [TARGET...]" >&2
  exit 2
}

SECONDS_PER_TARGET=60
if [[ $# -gt 0 ]]; then
  case "$1" in
    -h | --help) usage ;;
    --*) ;;  # options only; the default time
    *[!0-9]* | "") die "SECONDS_PER_TARGET must be a positive number, got '$1'" ;;
    *)
      SECONDS_PER_TARGET=$1
      shift
      ;;
  esac
fi
[[ "$SECONDS_PER_TARGET" -gt 0 ]] || die "SECONDS_PER_TARGET must be > 0"
JOBS=1
TARGET_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jobs)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"
      JOBS=$2
      shift 2
      ;;
    -*) die "unknown option '$1'" ;;
    *)
      TARGET_ARGS+=("$1")
      shift
      ;;
  esac
done
PRESET=libfuzzer
PROGRESS_EVERY=10  # seconds between progress lines
RUNS_DIR="$TCPFUZZ_ROOT/fuzz-runs"
CRASH_DIR="$TCPFUZZ_ROOT/crashes"

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
  exit 130
}
trap on_signal INT TERM

select_targets() {
  local all
  mapfile -t all < <(fuzz_targets)
  [[ ${#all[@]} -gt 0 ]] || die "no fuzz targets found in fuzz/targets/*.cc"
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
    cp -R -n "$TCPFUZZ_ROOT/corpus/$target/." "$dir/"
  else
    echo "warning: no seed corpus corpus/$target/, starting from nothing" >&2
  fi
}

count_files() {
  find "$1" -type f | wc -l | tr -d ' '
}

# watch_progress PID LOG TARGET: until PID exits, prints libFuzzer's latest
# stats every PROGRESS_EVERY seconds.
watch_progress() {
  local pid=$1 log=$2 target=$3 waited=0 line
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if ((waited % PROGRESS_EVERY == 0)); then
      line=$(last_stat_line "$log")
      line=${line%%lim:*}  # keep "#N EVENT cov: ft: corp:", drop mutation details
      printf '  %-20s %4ss  %s\n' "$target" "$waited" "${line:-(starting)}"
    fi
  done
}

# state_coverage TARGET DIR: "states transitions" a corpus reaches, from
# tcpfuzz cov ("- -" for targets without TCP state).
state_coverage() {
  local out states transitions
  out=$("$TCPFUZZ_ROOT/build/$PRESET/fuzz/tcpfuzz" cov "$2" --target "$1" 2>/dev/null) || {
    echo "- -"
    return
  }
  states=$(awk '$1 == "states" { sub(":", "", $2); print $2 }' <<<"$out")
  transitions=$(awk '$1 == "transitions" { print $2 }' <<<"$out")
  echo "${states:--} ${transitions:--}"
}

# run_libfuzzer TARGET: one run of SECONDS_PER_TARGET; appends a RESULTS row.
run_libfuzzer() {
  local target=$1
  local bin work log flags_text flags=() rc=0
  bin=$(fuzz_binary "$PRESET" "$target")
  [[ -x "$bin" ]] || die "fuzz target $target was not built ($bin missing)"
  work="$RUNS_DIR/$target"
  log="$work/libfuzzer.log"
  prepare_corpus "$target"
  mkdir -p "$CRASH_DIR/$target"
  flags_text=$(libfuzzer_option_flags "$target")
  if [[ -n "$flags_text" ]]; then mapfile -t flags <<<"$flags_text"; fi

  echo "$target: libFuzzer for ${SECONDS_PER_TARGET}s (${flags[*]##*/})"
  # One in-process job. No -jobs: libFuzzer treats any -jobs=N as "run N
  # child processes with output to ./fuzz-<i>.log", which hides the stats.
  "$bin" -max_total_time="$SECONDS_PER_TARGET" -fork=0 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$CRASH_DIR/$target/" \
    "${flags[@]}" "$work/corpus" >"$log" 2>&1 &
  FUZZER_PID=$!
  watch_progress "$FUZZER_PID" "$log" "$target"
  wait "$FUZZER_PID" || rc=$?
  FUZZER_PID=""

  local line crashes=0 input status=ok
  line=$(last_stat_line "$log")
  while IFS= read -r input; do
    [[ -n "$input" ]] || continue
    crashes=$((crashes + 1))
    echo "CRASH $target: ${input#"$TCPFUZZ_ROOT"/}" >&2
    echo "      replay: build/dev/fuzz/$target ${input#"$TCPFUZZ_ROOT"/}" >&2
  done < <(crash_inputs "$log")
  if [[ $crashes -gt 0 ]]; then
    status=CRASH
    grep -aE '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:)' "$log" | head -n 3 >&2 || true
  elif [[ $rc -ne 0 ]]; then
    status="error($rc)"
    echo "$target: libFuzzer exited with $rc; last lines of ${log#"$TCPFUZZ_ROOT"/}:" >&2
    tail -n 15 "$log" >&2
  fi
  local states transitions
  read -r states transitions < <(state_coverage "$target" "$work/corpus")
  printf '%s\n' "$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$target" libfuzzer \
    "$(final_stat "$log" number_of_executed_units)" \
    "$(final_stat "$log" average_exec_per_sec)" \
    "$(stat_field "$line" cov)" "$(stat_field "$line" ft)" "$states" "$transitions" \
    "$(count_files "$work/corpus")" "$crashes" "$status")" >"$work/summary.tsv"
}

print_summary() {
  local fmt='%-18s %-10s %11s %8s %6s %7s %7s %11s %7s %8s  %s\n'
  banner "summary: ${SECONDS_PER_TARGET}s per target, preset $PRESET (ASan+UBSan)"
  # shellcheck disable=SC2059  # the format is ours
  printf "$fmt" target engine execs exec/s cov ft states transitions corpus crashes status
  local row fields
  for row in "${RESULTS[@]}"; do
    IFS=$'\t' read -r -a fields <<<"$row"
    # shellcheck disable=SC2059
    printf "$fmt" "${fields[@]}"
  done
  echo "cov = libFuzzer's 'cov:' (edges), ft = 'ft:' (features), corpus = files in fuzz-runs/<target>/corpus"
  echo "states, transitions = TCP states and (from, to) transitions the corpus reaches (tcpfuzz cov)"
}

main() {
  local start
  start=$(now_s)
  select_targets "${TARGET_ARGS[@]}"
  banner "bootstrap"
  run_bootstrap
  banner "build: preset $PRESET (${TARGETS[*]})"
  configure_and_build "$PRESET" "${TARGETS[@]}" tcpfuzz
  banner "fuzz: ${#TARGETS[@]} target(s), ${SECONDS_PER_TARGET}s each, $JOBS at a time"
  local target running=0
  for target in "${TARGETS[@]}"; do
    rm -f "$RUNS_DIR/$target/summary.tsv"
    if [[ $JOBS -eq 1 ]]; then
      run_libfuzzer "$target"
      continue
    fi
    run_libfuzzer "$target" &
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
      RESULTS+=("$(printf '%s\tlibfuzzer\t-\t-\t-\t-\t-\t-\t-\t-\terror' "$target")")
    fi
  done
  print_summary
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
