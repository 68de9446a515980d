#!/usr/bin/env bash
# Measures what finds bugs: applies each seeded semantic bug (a mutant,
# tests/mutants/*.patch) to a scratch copy of this tree, fuzzes it with the
# fuzz command (ci/fuzz.sh) from the committed seeds, runs the test suite on
# it, and prints one table row per mutant.
#
#   ci/mutants.sh [SECONDS] [--no-fuzz] [--no-tests] [--every-target]
#                 [--targets "T1 T2..."] [--list] [MUTANT...]
#
# SECONDS         fuzzing per target and mutant (default 120); 0 = no fuzzing
# --no-fuzz       the test suite only (same as SECONDS 0)
# --no-tests      fuzzing only
# --every-target  fuzz every target even after one found the mutant (by
#                 default the next mutant starts once one target found it)
# --targets "..." the fuzz targets, in order (default: the stateful ones,
#                 tcpfuzz targets --with stateful)
# --list          print the mutants (file name, the bug) and exit
# MUTANT          a patch file or its name, with or without the number
#                 (rst-in-window-accepted, 01-rst-in-window-accepted);
#                 default: every tests/mutants/*.patch
#
# The test suite is ctest on the release build without the labels in
# TCPFUZZ_MUTANTS_EXCLUDE (default fuzz|bench|interop|diff|mutants: diff and
# interop need root and the kernel, mutants checks the unmutated patches),
# and without the tests matching TCPFUZZ_MUTANTS_EXCLUDE_TESTS (default
# conformance.pcap-tshark: minutes of tshark judging the pcap writer, which
# no mutant touches), each test bounded by TCPFUZZ_MUTANTS_TEST_TIMEOUT
# seconds (default 120).
# A test that already fails on the unmutated tree (the baseline run) kills
# nothing. Fuzzing uses the libFuzzer build; a mutant is found when ci/fuzz.sh
# files a crash signature (sanitizer, invariant, oracle, timeout) for it.
#
# Everything lives under TCPFUZZ_MUTANTS_DIR (default mutant-runs/, ignored by
# git): src/ is the scratch copy (the user's tree is never touched), with its
# build/release and build/libfuzzer kept between mutants and between runs so
# only the files a patch touches recompile (ccache, when installed, shares
# objects with the other builds); results/<mutant>/ holds the logs, crashes
# and fuzz corpora of the last run; summary.tsv the table.
# Exits 0 when every mutant could be built and measured, 1 otherwise.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | cut -c3- >&2
  exit 2
}

SECONDS_PER_TARGET=120
RUN_FUZZ=1
RUN_TESTS=1
EVERY_TARGET=0
LIST_ONLY=0
TARGETS=()
MUTANT_ARGS=()
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
  SECONDS_PER_TARGET=$1
  shift
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage ;;
    --no-fuzz) RUN_FUZZ=0 ;;
    --no-tests) RUN_TESTS=0 ;;
    --every-target) EVERY_TARGET=1 ;;
    --list) LIST_ONLY=1 ;;
    --targets)
      [[ $# -ge 2 && -n "$2" ]] || die "--targets needs a list of fuzz targets"
      read -r -a TARGETS <<<"$2"
      shift
      ;;
    -*) die "unknown option '$1' (--help lists them)" ;;
    *) MUTANT_ARGS+=("$1") ;;
  esac
  shift
done
[[ "$SECONDS_PER_TARGET" -eq 0 ]] && RUN_FUZZ=0
[[ $RUN_FUZZ -eq 1 || $RUN_TESTS -eq 1 ]] || die "--no-fuzz with --no-tests leaves nothing to measure"

MUTANTS_DIR=$(realpath -m "${TCPFUZZ_MUTANTS_DIR:-$TCPFUZZ_ROOT/mutant-runs}")
EXCLUDE_LABELS=${TCPFUZZ_MUTANTS_EXCLUDE:-fuzz|bench|interop|diff|mutants}
TEST_TIMEOUT=${TCPFUZZ_MUTANTS_TEST_TIMEOUT:-120}
EXCLUDE_TESTS=${TCPFUZZ_MUTANTS_EXCLUDE_TESTS:-^conformance.pcap-tshark$}
PATCH_DIR="$TCPFUZZ_ROOT/tests/mutants"
SCRATCH="$MUTANTS_DIR/src"
RESULTS_DIR="$MUTANTS_DIR/results"
# Build through ccache when there is one (CMake reads these at the first configure).
if command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi

# patch_field PATCH KEY: the header field "KEY: value" of a mutant patch,
# with its continuation lines (indented) joined.
patch_field() {
  awk -v key="$2: " '
    /^diff / { exit }
    index($0, key) == 1 { v = substr($0, length(key) + 1); on = 1; next }
    on && /^  / { sub(/^ +/, ""); v = v " " $0; next }
    { on = 0 }
    END { print v }' "$1"
}

# select_mutants [MUTANT...]: MUTANTS, the patch files to measure.
select_mutants() {
  local all=("$PATCH_DIR"/*.patch) arg p found
  [[ -f "${all[0]}" ]] || die "no mutants in ${PATCH_DIR#"$TCPFUZZ_ROOT"/}"
  MUTANTS=()
  if [[ $# -eq 0 ]]; then
    MUTANTS=("${all[@]}")
    return
  fi
  for arg in "$@"; do
    found=""
    if [[ -f "$arg" ]]; then
      found=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")
    else
      for p in "${all[@]}"; do
        local base=${p##*/}
        base=${base%.patch}
        if [[ "$base" == "$arg" || "${base#*-}" == "$arg" ]]; then
          found=$p
        fi
      done
    fi
    [[ -n "$found" ]] || die "no mutant '$arg' (ci/mutants.sh --list shows them)"
    MUTANTS+=("$found")
  done
}

list_mutants() {
  local p
  for p in "${MUTANTS[@]}"; do
    printf '%s  %s\n' "$(basename "$p" .patch)" "$(patch_field "$p" Bug)"
  done
}

# source_files: the user's files, NUL-separated, relative to the root: what
# git tracks plus what it would track, or every file outside generated folders.
source_files() {
  if git -C "$TCPFUZZ_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$TCPFUZZ_ROOT" ls-files -z --cached --others --exclude-standard
  else
    (cd "$TCPFUZZ_ROOT" && find . -path ./build -prune -o -path "./${MUTANTS_DIR##*/}" -prune \
      -o -path ./fuzz-runs -prune -o -path ./crashes -prune -o -type f -printf '%P\0')
  fi
}

# sync_scratch: makes the scratch copy equal to the user's tree, rewriting
# only the files that differ (a fresh mtime, so the builds see them; the
# others keep theirs, so nothing else recompiles). This also undoes the
# previous mutant.
sync_scratch() {
  mkdir -p "$SCRATCH"
  local list="$MUTANTS_DIR/files.txt" f copied=0
  source_files | tr '\0' '\n' | grep -v "^${MUTANTS_DIR#"$TCPFUZZ_ROOT"/}/" >"$list" || true
  while IFS= read -r f; do
    [[ -f "$TCPFUZZ_ROOT/$f" ]] || continue
    if ! cmp -s "$TCPFUZZ_ROOT/$f" "$SCRATCH/$f"; then
      mkdir -p "$(dirname "$SCRATCH/$f")"
      cp "$TCPFUZZ_ROOT/$f" "$SCRATCH/$f"
      copied=$((copied + 1))
    fi
  done <"$list"
  # Files the user removed go from the copy too (builds are kept).
  local gone
  gone=$(cd "$SCRATCH" && { find . -path ./build -prune -o -type f -printf '%P\n' |
    grep -vxF -f "$list" || true; })
  while IFS= read -r f; do
    [[ -n "$f" ]] && rm -f "$SCRATCH/$f"
  done <<<"$gone"
  SYNCED=$copied
}

apply_mutant() {
  if command -v patch >/dev/null; then
    patch -p1 -s -N -d "$SCRATCH" <"$1"
  else
    (cd "$SCRATCH" && git apply "$1")
  fi
}

# build_release LOG: the release build of the scratch copy (tests, tcpfuzz).
build_release() {
  (cd "$SCRATCH" && cmake --preset release >"$1" 2>&1 &&
    cmake --build build/release -j "$TCPFUZZ_JOBS" >>"$1" 2>&1)
}

# failed_tests LOG: the names of the tests ctest reported failed, one a line.
failed_tests() {
  sed -n '/The following tests FAILED:/,$p' "$1" | sed -n 's/^[[:space:]]*[0-9]* - \(.*\) (.*)$/\1/p'
}

# run_tests LOG: ctest on the release build; sets FAILED (test names).
run_tests() {
  (cd "$SCRATCH" && ctest --test-dir build/release -LE "$EXCLUDE_LABELS" -E "$EXCLUDE_TESTS" \
    -j "$TCPFUZZ_JOBS" --timeout "$TEST_TIMEOUT" --no-tests=error) >"$1" 2>&1 || true
  mapfile -t FAILED < <(failed_tests "$1")
}

# default_targets: the stateful fuzz targets of the scratch build's registry.
default_targets() {
  local tcpfuzz="$SCRATCH/build/release/fuzz/tcpfuzz" listed=()
  if [[ -x "$tcpfuzz" ]]; then mapfile -t listed < <("$tcpfuzz" targets --names --with stateful); fi
  if [[ ${#listed[@]} -eq 0 ]]; then listed=(scenario_fuzzer segment_fuzzer pair_fuzzer); fi
  TARGETS=("${listed[@]}")
}

# fuzz_target MUTANT_DIR TARGET: one ci/fuzz.sh run from the committed seeds.
# Sets FOUND_SIGNATURE (empty if nothing), FOUND_EXECS, FOUND_SECONDS, FUZZ_ERROR.
fuzz_target() {
  local out=$1 target=$2
  local runs="$out/fuzz-runs" crashes="$out/crashes" log="$out/fuzz-$target.log" rc=0
  rm -rf "${runs:?}/$target" "${crashes:?}/$target"
  TCPFUZZ_RUNS_DIR=$runs TCPFUZZ_CRASH_DIR=$crashes \
    "$SCRATCH/ci/fuzz.sh" "$SECONDS_PER_TARGET" "$target" >"$log" 2>&1 || rc=$?
  FOUND_SIGNATURE=""
  FUZZ_ERROR=""
  local sig
  for sig in "$crashes/$target"/*/signature.txt; do
    [[ -f "$sig" ]] || continue
    FOUND_SIGNATURE=$(head -n 1 "$sig")
    break
  done
  local engine_log="$runs/$target/libfuzzer.log" rate="-"
  FOUND_EXECS="-"
  if [[ -f "$engine_log" ]]; then
    FOUND_EXECS=$(final_stat "$engine_log" number_of_executed_units)
    rate=$(final_stat "$engine_log" average_exec_per_sec)
  fi
  FOUND_SECONDS=$(awk -v n="$FOUND_EXECS" -v r="$rate" \
    'BEGIN {
      # libFuzzer reports 0 exec/s for a run shorter than a second.
      if (n ~ /^[0-9]+$/ && r ~ /^[0-9]+$/) { if (r > 0) printf "%.0f", n / r; else print "<1" }
      else print "-"
    }')
  if [[ -z "$FOUND_SIGNATURE" && $rc -ne 0 ]]; then
    FUZZ_ERROR="fuzz.sh exited $rc, see ${log#"$TCPFUZZ_ROOT"/}"
  fi
}

# baseline: builds the unmutated copy and runs the tests once; the tests
# failing there are remembered in BASELINE_FAILED.
baseline() {
  banner "baseline: the unmutated tree"
  sync_scratch
  echo "scratch copy ${SCRATCH#"$TCPFUZZ_ROOT"/}: $SYNCED file(s) updated"
  mkdir -p "$RESULTS_DIR/baseline"
  local t0
  # Needed by the tests and, without --targets, to list the stateful targets.
  if [[ $RUN_TESTS -eq 1 || ${#TARGETS[@]} -eq 0 ]]; then
    t0=$(now_s)
    build_release "$RESULTS_DIR/baseline/build.log" ||
      die "the unmutated tree does not build; see ${RESULTS_DIR#"$TCPFUZZ_ROOT"/}/baseline/build.log"
    echo "release build: $(fmt_duration $(($(now_s) - t0)))"
  fi
  BASELINE_FAILED=()
  if [[ $RUN_TESTS -eq 1 ]]; then
    t0=$(now_s)
    run_tests "$RESULTS_DIR/baseline/ctest.log"
    BASELINE_FAILED=("${FAILED[@]}")
    echo "test suite: $(grep -m1 -E 'tests passed' "$RESULTS_DIR/baseline/ctest.log" || echo '?')" \
      "($(fmt_duration $(($(now_s) - t0))))"
    if [[ ${#BASELINE_FAILED[@]} -gt 0 ]]; then
      echo "warning: ${#BASELINE_FAILED[@]} test(s) fail without a mutant and kill nothing:" >&2
      printf '  %s\n' "${BASELINE_FAILED[@]}" >&2
    fi
  fi
}

# new_failures: FAILED less BASELINE_FAILED, into KILLERS.
new_failures() {
  KILLERS=()
  local t
  for t in "${FAILED[@]}"; do
    [[ " ${BASELINE_FAILED[*]} " == *" $t "* ]] || KILLERS+=("$t")
  done
}

# measure PATCH INDEX: one mutant; appends its row to ROWS.
measure() {
  local patch=$1 index=$2
  local name
  name=$(basename "$patch" .patch)
  local out="$RESULTS_DIR/$name"
  rm -rf "$out"
  mkdir -p "$out"
  banner "[$index/${#MUTANTS[@]}] $name: $(patch_field "$patch" Bug | head -c 100)"
  sync_scratch
  if ! apply_mutant "$patch" >"$out/apply.log" 2>&1; then
    echo "does not apply; see ${out#"$TCPFUZZ_ROOT"/}/apply.log" >&2
    ROWS+=("$(printf '%s\terror\t-\t-\t-\tpatch does not apply\terror\t-' "$name")")
    return
  fi
  local t0
  # The release build serves the tests only; ci/fuzz.sh builds its own.
  if [[ $RUN_TESTS -eq 1 ]]; then
    t0=$(now_s)
    if ! build_release "$out/build.log"; then
      echo "does not build; see ${out#"$TCPFUZZ_ROOT"/}/build.log" >&2
      ROWS+=("$(printf '%s\terror\t-\t-\t-\tbuild failed\terror\t-' "$name")")
      return
    fi
    echo "release build: $(fmt_duration $(($(now_s) - t0)))"
  fi

  local fuzz="-" by="-" execs="-" secs="-" signature="-" target searched=0
  if [[ $RUN_FUZZ -eq 1 ]]; then
    fuzz=no
    for target in "${TARGETS[@]}"; do
      t0=$(now_s)
      echo "fuzzing $target for ${SECONDS_PER_TARGET}s..."
      fuzz_target "$out" "$target"
      if [[ -n "$FOUND_SIGNATURE" ]]; then
        echo "  found by $target after $FOUND_EXECS executions (~${FOUND_SECONDS}s): $FOUND_SIGNATURE"
        if [[ "$fuzz" == yes ]]; then
          by+=",$target"
        else
          fuzz=yes by=$target execs=$FOUND_EXECS secs=$FOUND_SECONDS signature=$FOUND_SIGNATURE
        fi
        [[ $EVERY_TARGET -eq 1 ]] || break
      elif [[ -n "$FUZZ_ERROR" ]]; then
        echo "  $FUZZ_ERROR" >&2
        [[ "$fuzz" == no ]] && fuzz=error signature=$FUZZ_ERROR
      else
        echo "  not found ($FOUND_EXECS executions, $(fmt_duration $(($(now_s) - t0))) with the build)"
        [[ "$FOUND_EXECS" =~ ^[0-9]+$ ]] && searched=$((searched + FOUND_EXECS))
      fi
    done
    # Not found: the executions spent on it, over every target.
    [[ "$fuzz" == no ]] && execs=$searched
  fi

  local tests="-" killer="-"
  if [[ $RUN_TESTS -eq 1 ]]; then
    t0=$(now_s)
    run_tests "$out/ctest.log"
    new_failures
    if [[ ${#KILLERS[@]} -gt 0 ]]; then
      tests=killed
      killer=${KILLERS[0]}
      [[ ${#KILLERS[@]} -gt 1 ]] && killer+=" (+$((${#KILLERS[@]} - 1)))"
      printf '%s\n' "${KILLERS[@]}" >"$out/killed-by.txt"
    else
      tests=survived
    fi
    echo "test suite: $tests${KILLERS[0]:+ by $killer} ($(fmt_duration $(($(now_s) - t0))))"
  fi
  ROWS+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$name" "$fuzz" "$by" "$execs" "$secs" \
    "$signature" "$tests" "$killer")")
}

print_table() {
  local summary="$MUTANTS_DIR/summary.tsv" row fields found=0 killed=0 errors=0
  if [[ $RUN_FUZZ -eq 1 ]]; then
    banner "mutants: ${#ROWS[@]}, fuzzing ${SECONDS_PER_TARGET}s per target (${TARGETS[*]})"
  else
    banner "mutants: ${#ROWS[@]}, no fuzzing"
  fi
  printf 'mutant\tfuzz\ttarget\texecs\tseconds\tsignature\ttests\tkilled by\n' >"$summary"
  local fmt='%-40s %-5s %-16s %9s %7s  %-8s  %s\n'
  # shellcheck disable=SC2059  # the format is ours
  printf "$fmt" mutant fuzz target execs seconds tests "killed by / signature"
  for row in "${ROWS[@]}"; do
    printf '%s\n' "$row" >>"$summary"
    IFS=$'\t' read -r -a fields <<<"$row"
    # shellcheck disable=SC2059
    printf "$fmt" "${fields[0]}" "${fields[1]}" "${fields[2]}" "${fields[3]}" "${fields[4]}" \
      "${fields[6]}" "${fields[7]}"
    [[ "${fields[5]}" == - ]] || printf '%-40s %s\n' "" "signature: ${fields[5]}"
    [[ "${fields[1]}" == yes ]] && found=$((found + 1))
    [[ "${fields[6]}" == killed ]] && killed=$((killed + 1))
    [[ "${fields[1]}" == error || "${fields[6]}" == error ]] && errors=$((errors + 1))
  done
  local n=${#ROWS[@]}
  [[ $RUN_FUZZ -eq 1 ]] && echo "found by fuzzing: $found of $n ($((100 * found / n)) %)"
  [[ $RUN_TESTS -eq 1 ]] && echo "killed by the test suite: $killed of $n ($((100 * killed / n)) %)"
  echo "table: ${summary#"$TCPFUZZ_ROOT"/}; logs: ${RESULTS_DIR#"$TCPFUZZ_ROOT"/}/<mutant>/"
  ERRORS=$errors
}

on_signal() {
  local job
  for job in $(jobs -p); do
    pkill -P "$job" 2>/dev/null || true
    kill "$job" 2>/dev/null || true
  done
  echo "mutants.sh: interrupted (the scratch copy is restored by the next run)" >&2
  exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

main() {
  select_mutants "${MUTANT_ARGS[@]}"
  if [[ $LIST_ONLY -eq 1 ]]; then
    list_mutants
    return
  fi
  command -v patch >/dev/null || command -v git >/dev/null || die "needs patch or git to apply mutants"
  local start
  start=$(now_s)
  baseline
  if [[ $RUN_FUZZ -eq 1 && ${#TARGETS[@]} -eq 0 ]]; then default_targets; fi
  ROWS=()
  local i=0 p
  for p in "${MUTANTS[@]}"; do
    i=$((i + 1))
    measure "$p" "$i"
  done
  # Leave the copy unmutated (a later build of it is the plain tree).
  sync_scratch
  print_table
  echo "wall time $(fmt_duration $(($(now_s) - start)))"
  [[ $ERRORS -eq 0 ]]
}

main
