#!/usr/bin/env bash
# The benchmarks: builds the release preset (gcc -O2, no sanitizers, no
# invariant checks) and runs every Google Benchmark binary in build/release/bench.
#
#   ci/bench.sh [BENCHMARK_FILTER]   (a --benchmark_filter regex; default all)
#
# Prints Google Benchmark's table and writes its JSON to
# bench-results/<binary>.json (ignored by git).
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FILTER=${1:-.}
PRESET=release
BENCHES=(harness_bench)
OUT_DIR="$TCPFUZZ_ROOT/bench-results"

banner "bootstrap"
run_bootstrap
banner "build: preset $PRESET (${BENCHES[*]})"
configure_and_build "$PRESET" "${BENCHES[@]}"
mkdir -p "$OUT_DIR"
for bench in "${BENCHES[@]}"; do
  banner "$bench ($(nproc) cores, $(date -u +%Y-%m-%d))"
  "$TCPFUZZ_ROOT/build/$PRESET/bench/$bench" --benchmark_filter="$FILTER" \
    --benchmark_out="$OUT_DIR/$bench.json" --benchmark_out_format=json
  echo "JSON: ${OUT_DIR#"$TCPFUZZ_ROOT"/}/$bench.json"
done
