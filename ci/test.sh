#!/usr/bin/env bash
# The test command: bootstrap, dev build (gcc, ASan+UBSan) and every ctest
# label, then a short run of the fuzz command (ci/fuzz.sh) with both engines
# and the OSS-Fuzz build check.
#
#   ci/test.sh
#
# Environment:
#   TCPFUZZ_SMOKE_SECONDS  seconds of fuzzing per target and engine (default 20)
#   TCPFUZZ_JOBS           build/ctest parallelism (default 2)
#
# Seed corpora are copied to a temporary folder: CI never writes into
# corpus/. A crash, leak or timeout fails the run; ci/fuzz.sh files it under
# crashes/<target>/ (ignored by git) and prints where.
# A failing bootstrap, configure or build stops the run at once; failing
# checks (ctest, fuzz smoke) are collected so one run reports all of them.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SMOKE_SECONDS=${TCPFUZZ_SMOKE_SECONDS:-20}
[[ "$SMOKE_SECONDS" =~ ^[1-9][0-9]*$ ]] || die "TCPFUZZ_SMOKE_SECONDS must be a number of seconds, got '$SMOKE_SECONDS'"

START=$(now_s)
TMP_DIRS=()
FAILED_CHECKS=()
STEP_TIMES=()
on_exit() {
  local rc=$?
  if [[ ${#TMP_DIRS[@]} -gt 0 ]]; then rm -rf "${TMP_DIRS[@]}"; fi
  if [[ ${#STEP_TIMES[@]} -gt 0 ]]; then
    banner "step times"
    printf '  %s\n' "${STEP_TIMES[@]}"
  fi
  if [[ $rc -eq 0 ]]; then
    banner "ci/test.sh passed; wall time $(fmt_duration $(($(now_s) - START)))"
  else
    banner "ci/test.sh FAILED (exit $rc); wall time $(fmt_duration $(($(now_s) - START)))"
  fi
}
trap on_exit EXIT
# Interrupted, the run has not passed: exit with the signal's code.
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$TCPFUZZ_ROOT"

step_bootstrap() {
  banner "bootstrap: Debian packages"
  run_bootstrap
  echo "all packages present"
}

step_seeds() {
  banner "seeds: corpus/make_*_seeds.py reproduce the committed seeds"
  python3 corpus/make_wire_seeds.py --check || die "committed seeds differ from corpus/make_wire_seeds.py; rerun it"
  python3 corpus/make_scenario_seeds.py --check || die "committed seeds differ from corpus/make_scenario_seeds.py; rerun it"
  python3 corpus/make_segment_seeds.py --check || die "committed seeds differ from corpus/make_segment_seeds.py; rerun it"
  python3 corpus/make_pair_seeds.py --check || die "committed seeds differ from corpus/make_pair_seeds.py; rerun it"
  echo "seeds up to date"
}

step_dev_build() {
  banner "configure + build: preset dev (gcc, ASan+UBSan, invariants)"
  configure_and_build dev
}

step_ctest() {
  banner "ctest: preset dev (all labels)"
  ctest --preset dev || FAILED_CHECKS+=("ctest --preset dev")
  # A skipped test (the interop tests without root, namespaces or TUN) says
  # why in its output; ctest itself only says "Skipped".
  grep -h '^SKIP: ' "$TCPFUZZ_ROOT/build/dev/Testing/Temporary/LastTest.log" 2>/dev/null |
    sort | uniq -c || true
}

# The fuzz command itself, bounded: every target with libFuzzer
# ($TCPFUZZ_JOBS at a time), then scenario_fuzzer with AFL++ (custom
# mutator; CmpLog, one more build, is left to campaigns), each from
# its seeds in a temporary runs folder. Crashes land in crashes/<target>/,
# triaged, minimised and exported, and fail the run.
step_fuzz_smoke() {
  banner "fuzz smoke: ci/fuzz.sh ${SMOKE_SECONDS} --jobs $TCPFUZZ_JOBS, then --engine afl --no-cmplog scenario_fuzzer"
  local tmp before after
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpfuzz-smoke.XXXXXX")
  TMP_DIRS+=("$tmp")
  before=$(engine_artifacts)
  TCPFUZZ_RUNS_DIR="$tmp/libfuzzer" "$TCPFUZZ_ROOT/ci/fuzz.sh" "$SMOKE_SECONDS" \
    --jobs "$TCPFUZZ_JOBS" || FAILED_CHECKS+=("ci/fuzz.sh (libFuzzer)")
  TCPFUZZ_RUNS_DIR="$tmp/afl" "$TCPFUZZ_ROOT/ci/fuzz.sh" "$SMOKE_SECONDS" --engine afl \
    --no-cmplog scenario_fuzzer || FAILED_CHECKS+=("ci/fuzz.sh --engine afl")
  # Every engine artifact belongs under crashes/ or the runs folder.
  after=$(engine_artifacts)
  if [[ "$after" != "$before" ]]; then
    echo "fuzz smoke left engine artifacts in the source tree:" >&2
    comm -13 <(echo "$before") <(echo "$after") | head -n 5 >&2
    FAILED_CHECKS+=("engine artifacts in the source tree")
  fi
}

# engine_artifacts: libFuzzer's crash-/leak-/timeout-/oom- files at the root.
engine_artifacts() {
  find "$TCPFUZZ_ROOT" -maxdepth 1 -type f \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort
}

step_oss_fuzz_check() {
  banner "oss-fuzz integration: ci/oss-fuzz/check.sh (build.sh with libFuzzer and AFL++)"
  "$TCPFUZZ_ROOT/ci/oss-fuzz/check.sh" || FAILED_CHECKS+=("oss-fuzz check")
}

# timed STEP: runs it and keeps its wall time for the closing summary.
timed() {
  local t0
  t0=$(now_s)
  "$1"
  STEP_TIMES+=("$(printf '%-18s %s' "${1#step_}" "$(fmt_duration $(($(now_s) - t0)))")")
}

timed step_bootstrap
timed step_seeds
timed step_dev_build
timed step_ctest
timed step_fuzz_smoke
timed step_oss_fuzz_check

if [[ ${#FAILED_CHECKS[@]} -gt 0 ]]; then
  printf -v list '%s; ' "${FAILED_CHECKS[@]}"
  die "failed: ${list%; }"
fi
