#!/usr/bin/env bash
# Line, branch and function coverage of stack/ by the tests and the
# committed corpora. Builds the `coverage` preset (clang-14 source-based
# coverage, no sanitizers), runs ctest with every process writing a raw
# profile (the fuzz-smoke and regression labels replay corpus/<target>/ and
# corpus/regressions/<target>/ through each target's replay main), merges
# the profiles, writes an HTML report of stack/ to coverage/html/ and prints
# one line:
#   coverage stack/: lines 91.2% (3012/3302), branches 78.4% (...), functions ...
#
#   ci/coverage.sh [--tests-only | --corpus-only] [--runs-dir DIR]
#
#   --tests-only    only the tests (every ctest label but fuzz-smoke and regression)
#   --corpus-only   only the corpus replays (labels fuzz-smoke and regression)
#   --runs-dir DIR  also replay the working corpora of a ci/fuzz.sh runs folder,
#                   DIR/<target>/corpus/ (e.g. fuzz-runs)
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n 's/^#   //p' "$0" | head -n 1 >&2
  exit 2
}

LABELS=()
RUNS_DIR=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --tests-only) LABELS=(-LE '^(fuzz-smoke|regression)$') ;;
    --corpus-only) LABELS=(-L '^(fuzz-smoke|regression)$') ;;
    --runs-dir)
      [[ $# -ge 2 ]] || usage
      RUNS_DIR=$(cd "$2" && pwd) || die "--runs-dir $2: no such folder"
      shift
      ;;
    *) usage ;;
  esac
  shift
done

START=$(now_s)
BUILD=$TCPFUZZ_ROOT/build/coverage
PROFILES=$BUILD/profiles
OUT=$TCPFUZZ_ROOT/coverage

run_bootstrap
banner "build: preset coverage (clang-14, -fprofile-instr-generate -fcoverage-mapping)"
configure_and_build coverage

rm -rf "$PROFILES" "$OUT"
mkdir -p "$PROFILES" "$OUT"
# %p: one file per process (tests fork children); %m: per binary.
export LLVM_PROFILE_FILE="$PROFILES/%p-%m.profraw"

banner "ctest ${LABELS[*]:-(every label)}"
# A failing test still covers what it ran: report it, keep going.
if ctest --test-dir "$BUILD" -j "$TCPFUZZ_JOBS" "${LABELS[@]}" --output-on-failure \
  >"$BUILD/ctest.log" 2>&1; then
  grep -E 'tests passed' "$BUILD/ctest.log"
else
  grep -E 'tests passed|\((Failed|Timeout|Subprocess)' "$BUILD/ctest.log" >&2
  echo "coverage: tests failed (build/coverage/ctest.log); the report counts what they ran" >&2
fi

if [[ -n "$RUNS_DIR" ]]; then
  banner "replay: $RUNS_DIR/<target>/corpus"
  for target in $("$BUILD/fuzz/tcpfuzz" targets --names); do
    corpus=$RUNS_DIR/$target/corpus
    [[ -d "$corpus" ]] || continue
    echo "$target: $(find "$corpus" -type f | wc -l) inputs"
    "$BUILD/fuzz/$target" "$corpus" >/dev/null 2>&1 ||
      echo "coverage: $target crashed on an input of $corpus" >&2
  done
fi

banner "report: stack/"
shopt -s nullglob
raw=("$PROFILES"/*.profraw)
[[ ${#raw[@]} -gt 0 ]] || die "no profiles were written under $PROFILES"
llvm-profdata-14 merge -sparse "${raw[@]}" -o "$BUILD/coverage.profdata"
rm -rf "$PROFILES"  # hundreds of megabytes, all in the merged profile now

# Every instrumented executable of the build: the tests, tcpfuzz and the
# fuzz targets' replay mains.
objects=()
while IFS= read -r bin; do
  [[ "$(head -c 4 "$bin" | tr -d '\0')" == $'\x7fELF' ]] || continue
  if [[ ${#objects[@]} -eq 0 ]]; then objects=("$bin"); else objects+=(-object "$bin"); fi
done < <(find "$BUILD" -path '*/CMakeFiles' -prune -o -type f -perm -u+x -print | sort)
[[ ${#objects[@]} -gt 0 ]] || die "no executables under $BUILD"

cov_args=(-instr-profile="$BUILD/coverage.profdata" "${objects[@]}" "$TCPFUZZ_ROOT/stack")
llvm-cov-14 show -format=html -output-dir="$OUT/html" -show-branches=count "${cov_args[@]}" \
  >/dev/null
llvm-cov-14 export -summary-only "${cov_args[@]}" >"$OUT/summary.json"
summary=$(python3 - "$OUT/summary.json" <<'PY'
import json, sys
totals = json.load(open(sys.argv[1]))["data"][0]["totals"]
def part(name, key):
    t = totals[key]
    return f"{name} {t['percent']:.1f}% ({t['covered']}/{t['count']})"
print("coverage stack/: " + ", ".join(
    part(n, k) for n, k in [("lines", "lines"), ("branches", "branches"),
                            ("functions", "functions"), ("regions", "regions")]))
PY
)
echo "$summary" | tee "$OUT/summary.txt"
echo "html: ${OUT#"$TCPFUZZ_ROOT"/}/html/index.html; wall time $(fmt_duration $(($(now_s) - START)))"
