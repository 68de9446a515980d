# Shared helpers of ci/test.sh and ci/fuzz.sh. Source it; do not run it.
# Every function is small so later scripts (coverage, AFL++, merging) can reuse them.
# shellcheck shell=bash

# The repository root, whatever the caller's working directory.
TCPFUZZ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Parallelism of builds and ctest: the CI machines have 2 cores.
TCPFUZZ_JOBS=${TCPFUZZ_JOBS:-2}

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

banner() {
  printf '\n==== %s ====\n' "$*"
}

# Seconds since the epoch, for wall-time reports.
now_s() { date +%s; }

fmt_duration() {
  local s=$1
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

run_bootstrap() {
  "$TCPFUZZ_ROOT/ci/bootstrap.sh" || die "bootstrap failed"
}

# configure_and_build PRESET [TARGET...]: configure the preset (build/PRESET)
# and build the named targets, or everything when none are named.
configure_and_build() {
  local preset=$1
  shift
  (cd "$TCPFUZZ_ROOT" && cmake --preset "$preset" >/dev/null) ||
    die "cmake --preset $preset failed"
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  (cd "$TCPFUZZ_ROOT" && cmake --build --preset "$preset" -j "$TCPFUZZ_JOBS" "${targets[@]}") ||
    die "build of preset $preset failed"
}

# fuzz_binary PRESET TARGET: path of the target's executable in that build.
fuzz_binary() {
  echo "$TCPFUZZ_ROOT/build/$1/fuzz/$2"
}

# libfuzzer_option_flags TARGET: prints one libFuzzer flag per line from
# fuzz/options/TARGET.options ([libfuzzer] section, OSS-Fuzz's format) plus
# -dict=: the options file's `dict = NAME` is looked up in fuzz/dict/, and
# without one fuzz/dict/TARGET.dict is used when it exists.
libfuzzer_option_flags() {
  local target=$1
  local options="$TCPFUZZ_ROOT/fuzz/options/$target.options"
  local dict=""
  if [[ -f "$options" ]]; then
    local section="" line key value
    while IFS= read -r line || [[ -n "$line" ]]; do
      line=${line%%#*}
      line=${line%%;*}
      [[ "$line" =~ ^[[:space:]]*$ ]] && continue
      if [[ "$line" =~ ^[[:space:]]*\[([^]]+)\] ]]; then
        section=${BASH_REMATCH[1]}
        continue
      fi
      [[ "$section" == libfuzzer ]] || continue
      [[ "$line" =~ ^[[:space:]]*([A-Za-z_]+)[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]] ||
        die "$options: cannot parse line: $line"
      key=${BASH_REMATCH[1]}
      value=${BASH_REMATCH[2]}
      if [[ "$key" == dict ]]; then
        dict="$TCPFUZZ_ROOT/fuzz/dict/$value"
        [[ -f "$dict" ]] || die "$options: dict $value not found in fuzz/dict/"
      else
        echo "-$key=$value"
      fi
    done <"$options"
  fi
  if [[ -z "$dict" && -f "$TCPFUZZ_ROOT/fuzz/dict/$target.dict" ]]; then
    dict="$TCPFUZZ_ROOT/fuzz/dict/$target.dict"
  fi
  if [[ -n "$dict" ]]; then echo "-dict=$dict"; fi
}

# last_stat_line LOG: libFuzzer's latest "#N ... cov: ... ft: ..." line.
last_stat_line() {
  grep -aE '^#[0-9]+[[:space:]]' "$1" | tail -n 1 || true
}

# stat_field LINE KEY: the value after "KEY: " in a libFuzzer stats line.
stat_field() {
  local line=$1 key=$2
  if [[ "$line" =~ (^|[[:space:]])$key:[[:space:]]*([^[:space:]]+) ]]; then
    echo "${BASH_REMATCH[2]}"
  else
    echo "-"
  fi
}

# final_stat LOG NAME: a value printed by -print_final_stats=1.
final_stat() {
  local v
  v=$(sed -n "s/^stat::$2:[[:space:]]*//p" "$1" | tail -n 1)
  echo "${v:--}"
}

# afl_stat FILE KEY: a value from afl-fuzz's fuzzer_stats ("-" if none).
afl_stat() {
  local v
  v=$(sed -n "s/^$2[[:space:]]*:[[:space:]]*//p" "$1" 2>/dev/null | head -n 1)
  echo "${v:--}"
}
