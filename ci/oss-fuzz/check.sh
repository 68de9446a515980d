#!/usr/bin/env bash
# Runs ci/oss-fuzz/build.sh here with OSS-Fuzz's environment variables, for
# the libFuzzer and AFL++ engines, into a temporary $OUT, then checks what
# OSS-Fuzz's check_build checks: every target is instrumented (sanitizer and
# coverage), survives -runs=4 with seed 1337, and runs its seed corpus.
#   ci/oss-fuzz/check.sh [libfuzzer] [afl]      (default: both)
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

engines=("$@")
[[ ${#engines[@]} -gt 0 ]] || engines=(libfuzzer afl)

work=$(mktemp -d "${TMPDIR:-/tmp}/tcpfuzz-oss-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# build.sh works in $SRC/tcpfuzz.
mkdir -p "$work/src"
ln -s "$TCPFUZZ_ROOT" "$work/src/tcpfuzz"

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

check_engine() {
  local engine=$1 out="$work/out-$1" build_work="$work/work-$1"
  mkdir -p "$out" "$build_work"
  local sanitize="-fsanitize=address,undefined -fsanitize-address-use-after-scope"
  local common="-O1 -fno-omit-frame-pointer -gline-tables-only $sanitize"
  local cc cxx lib coverage_symbol
  case "$engine" in
    libfuzzer)
      cc=clang-14 cxx=clang++-14 lib="-fsanitize=fuzzer"
      common="$common -fsanitize=fuzzer-no-link"
      coverage_symbol=__sanitizer_cov_8bit_counters_init
      ;;
    afl)
      cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a
      coverage_symbol=__afl_area_ptr
      ;;
    *) die "unknown engine '$engine' (libfuzzer, afl)" ;;
  esac
  echo "== build.sh, engine $engine"
  if ! env SRC="$work/src" OUT="$out" WORK="$build_work" CC="$cc" CXX="$cxx" \
    CFLAGS="$common" CXXFLAGS="$common" LIB_FUZZING_ENGINE="$lib" \
    FUZZING_ENGINE="$engine" SANITIZER=address ARCHITECTURE=x86_64 \
    AFL_QUIET=1 bash "$TCPFUZZ_ROOT/ci/oss-fuzz/build.sh" >"$work/build-$engine.log" 2>&1; then
    tail -n 30 "$work/build-$engine.log" >&2
    fail "build.sh failed for $engine"
    return
  fi
  # The registry's list, from the tcpfuzz build.sh built for it.
  local target bin
  for target in $("$build_work/tcpfuzz-build/fuzz/tcpfuzz" targets --names); do
    bin="$out/$target"
    [[ -x "$bin" ]] || { fail "$engine: $target not in \$OUT"; continue; }
    # (nm into a file: grep -q in a pipe would kill nm with SIGPIPE under pipefail)
    nm "$bin" >"$work/symbols"
    grep -q __asan_report "$work/symbols" || fail "$engine: $target has no ASan instrumentation"
    grep -q "$coverage_symbol" "$work/symbols" ||
      fail "$engine: $target has no coverage instrumentation"
    [[ -f "$out/${target}_seed_corpus.zip" ]] || fail "$engine: no ${target}_seed_corpus.zip"
    local seeds="$work/seeds-$engine-$target"
    mkdir -p "$seeds"
    unzip -q -o "$out/${target}_seed_corpus.zip" -d "$seeds"
    if [[ "$engine" == libfuzzer ]]; then
      "$bin" -runs=4 -seed=1337 >"$work/run.log" 2>&1 || fail "$engine: $target -runs=4 -seed=1337"
      "$bin" -runs=0 "$seeds" >"$work/run.log" 2>&1 || fail "$engine: $target on its seed corpus"
    else
      # libAFLDriver runs the files it is given once each, outside afl-fuzz.
      "$bin" "$seeds"/* >"$work/run.log" 2>&1 || fail "$engine: $target on its seed corpus"
    fi
    echo "  $target: instrumented, $(find "$seeds" -type f | wc -l) seeds run"
  done
}

for engine in "${engines[@]}"; do check_engine "$engine"; done
if [[ $failures -gt 0 ]]; then
  echo "oss-fuzz check: $failures failure(s)" >&2
  exit 1
fi
echo "oss-fuzz check: passed (${engines[*]})"
