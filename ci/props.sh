#!/usr/bin/env bash
# The property suites, long: builds the dev preset and runs every rapidcheck
# property (ctest label `props`) with many more cases than ctest's fixed
# 300-1000, and a fresh random seed unless one is given.
#
#   ci/props.sh [--cases N] [--seed S] [GTEST_FILTER]
#
# --cases N  cases per property (default 20000)
# --seed S   rapidcheck's seed (default: random, printed)
# A failure prints rapidcheck's RC_PARAMS="reproduce=..." line, the shrunk
# scenario as a script and the trace; rerun one property with
#   RC_PARAMS="reproduce=..." build/dev/props/tcp_props --gtest_filter=NAME
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CASES=20000
SEED=""
FILTER="*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cases)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--cases needs a positive number"
      CASES=$2
      shift 2
      ;;
    --seed)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--seed needs a number"
      SEED=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,13p' "${BASH_SOURCE[0]}" | cut -c3- >&2
      exit 2
      ;;
    -*) die "unknown option '$1'" ;;
    *)
      FILTER=$1
      shift
      ;;
  esac
done
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
BINARIES=(wire_props tcp_props)

banner "bootstrap"
run_bootstrap
banner "build: preset dev (${BINARIES[*]})"
configure_and_build dev "${BINARIES[@]}"
banner "properties: $CASES cases each, seed $SEED"
start=$(now_s)
failed=0
for bin in "${BINARIES[@]}"; do
  RC_PARAMS="max_success=$CASES seed=$SEED" "$TCPFUZZ_ROOT/build/dev/props/$bin" \
    --gtest_filter="$FILTER" || failed=1
done
echo "wall time $(fmt_duration $(($(now_s) - start))), seed $SEED"
[[ $failed -eq 0 ]] || die "properties failed (reproduce with the RC_PARAMS line above)"
