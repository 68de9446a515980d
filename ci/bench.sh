#!/usr/bin/env bash
# The benchmarks: builds the release preset (gcc -O2, no sanitizers, no
# invariant checks), runs every Google Benchmark binary in build/release/bench,
# then measures the Linux kernel's own loopback TCP with iperf3 in the same
# run, so the in-process bulk transfer can be set beside it.
#
#   ci/bench.sh [BENCHMARK_FILTER]   (a --benchmark_filter regex; default all)
#
# Prints Google Benchmark's tables and writes their JSON to
# bench-results/<binary>.json, iperf3's to bench-results/iperf3-*.json, and a
# summary table (bench-results/summary.txt; all ignored by git).
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FILTER=${1:-.}
PRESET=release
BENCHES=(transfer_bench harness_bench)
OUT_DIR="$TCPFUZZ_ROOT/bench-results"
IPERF_SECONDS=${TCPFUZZ_IPERF_SECONDS:-5}
IPERF_PORT=5299

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

# iperf3 over 127.0.0.1: both processes free to use every core, then both
# pinned to core 0 (the in-process pair runs on one core).
iperf_run() {
  local name=$1
  shift
  "$@" iperf3 -s -1 -p "$IPERF_PORT" >/dev/null 2>&1 &
  local server=$!
  sleep 0.5
  if ! "$@" iperf3 -c 127.0.0.1 -p "$IPERF_PORT" -t "$IPERF_SECONDS" -J \
    >"$OUT_DIR/iperf3-$name.json" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    echo "iperf3 ($name) failed" >&2
    return 1
  fi
  wait "$server" || true
}

banner "Linux loopback TCP: iperf3 -c 127.0.0.1 -t $IPERF_SECONDS"
if ! command -v iperf3 >/dev/null; then
  echo "SKIP: iperf3 not installed (ci/bootstrap.sh installs it as root)"
else
  iperf_run all-cores
  iperf_run one-core taskset -c 0
  python3 - "$OUT_DIR" <<'PY' | tee "$OUT_DIR/summary.txt"
import json, sys, os
out = sys.argv[1]
def iperf(name):
    with open(os.path.join(out, f"iperf3-{name}.json")) as f:
        return json.load(f)["end"]["sum_received"]["bits_per_second"] / 1e9
rows = []
try:
    with open(os.path.join(out, "transfer_bench.json")) as f:
        bench = {b["name"]: b for b in json.load(f)["benchmarks"]}
except (FileNotFoundError, ValueError):  # not run, or the filter matched none of it
    bench = {}
linux_all, linux_one = iperf("all-cores"), iperf("one-core")
print(f"{'what':58} {'Gbit/s':>8} {'vs Linux 1 core':>16}")
print(f"{'Linux loopback, iperf3, client+server on all cores':58} {linux_all:8.2f} {linux_all / linux_one:15.0%}")
print(f"{'Linux loopback, iperf3, client+server pinned to core 0':58} {linux_one:8.2f} {1:15.0%}")
for key, label in [("BM_BulkTransfer/65535/real_time", "tcpfuzz stacks in process, MTU 65535, one thread"),
                   ("BM_BulkTransfer/1500/real_time", "tcpfuzz stacks in process, MTU 1500, one thread"),
                   ("BM_BulkTransferLossy/65535/real_time", "  same, MTU 65535, 1% drop + 1% reorder"),
                   ("BM_BulkTransferLossy/1500/real_time", "  same, MTU 1500, 1% drop + 1% reorder")]:
    if key in bench:
        g = bench[key]["Gbit/s"]
        print(f"{label:58} {g:8.2f} {g / linux_one:15.0%}")
PY
fi
