#!/usr/bin/env bash
# The test command: bootstrap, dev build (gcc, ASan+UBSan) and every ctest
# label, then a short libFuzzer smoke run of every fuzz target.
#
#   ci/test.sh
#
# Environment:
#   TCPFUZZ_SMOKE_SECONDS  seconds of libFuzzer per target (default 20)
#   TCPFUZZ_JOBS           build/ctest parallelism (default 2)
#
# Seed corpora are copied to a temporary folder: CI never writes into
# corpus/. A crash, leak or timeout fails the run; its input is copied to
# crashes/<target>/ (ignored by git) and the path printed.
# A failing bootstrap, configure or build stops the run at once; failing
# checks (ctest, fuzz smoke) are collected so one run reports all of them.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SMOKE_SECONDS=${TCPFUZZ_SMOKE_SECONDS:-20}
[[ "$SMOKE_SECONDS" =~ ^[0-9]+$ ]] || die "TCPFUZZ_SMOKE_SECONDS must be a number of seconds, got '$SMOKE_SECONDS'"

START=$(now_s)
TMP_DIRS=()
FAILED_CHECKS=()
on_exit() {
  local rc=$?
  if [[ ${#TMP_DIRS[@]} -gt 0 ]]; then rm -rf "${TMP_DIRS[@]}"; fi
  if [[ $rc -eq 0 ]]; then
    banner "ci/test.sh passed; wall time $(fmt_duration $(($(now_s) - START)))"
  else
    banner "ci/test.sh FAILED (exit $rc); wall time $(fmt_duration $(($(now_s) - START)))"
  fi
}
trap on_exit EXIT
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
}

step_libfuzzer_build() {
  banner "configure + build: preset libfuzzer (clang-14, ASan+UBSan)"
  configure_and_build libfuzzer "${TARGETS[@]}"
}

# smoke_one TARGET WORKDIR: runs TARGET for SMOKE_SECONDS from a copy of its
# seeds; returns non-zero on any crash, leak or timeout.
smoke_one() {
  local target=$1 work=$2
  local bin log flags_text flags=() rc=0
  bin=$(fuzz_binary libfuzzer "$target")
  [[ -x "$bin" ]] || die "fuzz target $target was not built ($bin missing)"
  seed_corpus_into "$target" "$work/corpus"
  mkdir -p "$work/artifacts"
  log="$work/libfuzzer.log"
  flags_text=$(libfuzzer_option_flags "$target")
  if [[ -n "$flags_text" ]]; then mapfile -t flags <<<"$flags_text"; fi

  "$bin" -max_total_time="$SMOKE_SECONDS" -timeout=10 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "${flags[@]}" "$work/corpus" >"$log" 2>&1 || rc=$?

  local line
  line=$(last_stat_line "$log")
  printf '%-24s exit %-3s execs %-10s exec/s %-8s cov %-6s ft %-6s corp %s\n' \
    "$target" "$rc" "$(final_stat "$log" number_of_executed_units)" \
    "$(final_stat "$log" average_exec_per_sec)" "$(stat_field "$line" cov)" \
    "$(stat_field "$line" ft)" "$(stat_field "$line" corp)"
  if [[ $rc -ne 0 ]]; then
    echo "---- $target: libFuzzer exited with $rc; last lines of its log:" >&2
    tail -n 40 "$log" >&2
    local kept="$TCPFUZZ_ROOT/crashes/$target" input
    mkdir -p "$kept"
    while IFS= read -r input; do
      [[ -n "$input" && -f "$input" ]] || continue
      cp "$input" "$kept/"
      echo "FAIL $target: crash input $kept/${input##*/}" >&2
      echo "     replay: build/dev/fuzz/$target $kept/${input##*/}" >&2
    done < <(crash_inputs "$log")
    cp "$log" "$kept/smoke-$(date +%Y%m%d-%H%M%S).log"
    return 1
  fi
}

step_fuzz_smoke() {
  banner "fuzz smoke: ${#TARGETS[@]} target(s), ${SMOKE_SECONDS}s each (libFuzzer, ASan+UBSan)"
  local tmp target failed=()
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpfuzz-smoke.XXXXXX")
  TMP_DIRS+=("$tmp")
  for target in "${TARGETS[@]}"; do
    smoke_one "$target" "$tmp/$target" || failed+=("$target")
  done
  if [[ ${#failed[@]} -gt 0 ]]; then
    FAILED_CHECKS+=("fuzz smoke (${failed[*]})")
  fi
}

step_oss_fuzz_check() {
  banner "oss-fuzz integration: ci/oss-fuzz/check.sh (build.sh with libFuzzer and AFL++)"
  "$TCPFUZZ_ROOT/ci/oss-fuzz/check.sh" || FAILED_CHECKS+=("oss-fuzz check")
}

mapfile -t TARGETS < <(fuzz_targets)
[[ ${#TARGETS[@]} -gt 0 ]] || die "no fuzz targets found in fuzz/targets/*.cc"

step_bootstrap
step_seeds
step_dev_build
step_ctest
step_libfuzzer_build
step_fuzz_smoke
step_oss_fuzz_check

if [[ ${#FAILED_CHECKS[@]} -gt 0 ]]; then
  printf -v list '%s; ' "${FAILED_CHECKS[@]}"
  die "failed: ${list%; }"
fi
