#!/usr/bin/env bash
# Provides google/packetdrill: its TCP scripts (GPL test data, kept outside
# the project) and the packetdrill tool that runs them on the Linux kernel.
#   ci/packetdrill.sh scripts [--dir PATH] [--build DIR]  prints the tcp/ scripts folder
#   ci/packetdrill.sh tool    [--dir PATH] [--build DIR]  builds if needed, prints the binary
#   ci/packetdrill.sh linux   [--dir PATH] [--build DIR] [--ipv6] FILE.pkt...
#       runs each script on the running kernel with the tool, in a fresh
#       network namespace (root), printing PASS/FAIL; exit 1 on any FAIL
# Where from, first that applies:
#   1. --dir PATH or $TCPFUZZ_PACKETDRILL_DIR: a google/packetdrill checkout,
#      its gtests/net/tcp folder, or a folder with tcp/ and src/ (as below);
#   2. ../shared/packetdrill beside the repository (this workplace; no network);
#   3. a clone of google/packetdrill at the pinned commit into
#      DIR/packetdrill-src (DIR: --build, else $TCPFUZZ_BUILD_DIR, else build/).
# Exit 77 with the reason on stderr when none gives what was asked.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The commit the scripts' expected outcomes (tests/scenario/packetdrill_expected.txt)
# were recorded against.
readonly pinned_commit=2c4001c
readonly upstream=https://github.com/google/packetdrill.git

unavailable() {
  echo "packetdrill unavailable: $*" >&2
  exit 77
}

what=${1:-}
shift || true
dir=${TCPFUZZ_PACKETDRILL_DIR:-}
build=${TCPFUZZ_BUILD_DIR:-$root/build}
usage="usage: ci/packetdrill.sh scripts|tool|linux [--dir PATH] [--build DIR] [--ipv6] [FILE.pkt...]"
ipv6=0
files=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) dir=$2 && shift 2 ;;
    --build) build=$2 && shift 2 ;;
    --ipv6) ipv6=1 && shift ;;
    -*) echo "$usage" >&2 && exit 2 ;;
    *) files+=("$1") && shift ;;
  esac
done
case $what in
  scripts | tool) [[ ${#files[@]} -eq 0 ]] || { echo "$usage" >&2 && exit 2; } ;;
  linux) [[ ${#files[@]} -gt 0 ]] || { echo "$usage" >&2 && exit 2; } ;;
  *) echo "$usage" >&2 && exit 2 ;;
esac

# scripts_in PATH / tool_source_in PATH: the two halves of a folder in
# either layout (google's checkout, or tcp/ + src/ as in ../shared).
scripts_in() {
  local p=$1
  for s in "$p/gtests/net/tcp" "$p/tcp" "$p"; do
    [[ -d $s/common || -d $s/close ]] && { (cd "$s" && pwd) && return 0; }
  done
  return 1
}
tool_source_in() {
  local p=$1
  for s in "$p/gtests/net/packetdrill" "$p/src" "$p/../packetdrill" "$p/../src"; do
    [[ -f $s/packetdrill.c ]] && { (cd "$s" && pwd) && return 0; }
  done
  return 1
}

clone_pinned() {
  local into=$build/packetdrill-src
  if [[ ! -d $into/.git ]]; then
    command -v git >/dev/null || unavailable "no git to clone $upstream"
    mkdir -p "$build" || unavailable "cannot create $build"
    echo "cloning $upstream at $pinned_commit into $into" >&2
    timeout 300 git clone -q "$upstream" "$into" >&2 ||
      { rm -rf "$into" && unavailable "git clone $upstream failed (no network?); pass --dir or set TCPFUZZ_PACKETDRILL_DIR"; }
  fi
  git -C "$into" checkout -q "$pinned_commit" >&2 || unavailable "commit $pinned_commit not in $into"
  echo "$into"
}

if [[ -n $dir ]]; then
  [[ -d $dir ]] || unavailable "$dir (from --dir or TCPFUZZ_PACKETDRILL_DIR) is not a folder"
  from=$dir
elif [[ -d $root/../shared/packetdrill ]]; then
  from=$root/../shared/packetdrill
else
  from=$(clone_pinned) || unavailable "no scripts: cloning failed (reason above)"
fi

if [[ $what == scripts ]]; then
  scripts_in "$from" || unavailable "no packetdrill tcp/ scripts folder in $from"
  exit 0
fi

# The tool: packetdrill's own build (configure, make) into the build folder.
build_tool() {
  local src out=$build/packetdrill-tool
  src=$(tool_source_in "$from") || unavailable "no packetdrill source in $from"
  if [[ ! -x $out/packetdrill ]]; then
    for t in bison flex gcc make; do
      command -v $t >/dev/null || unavailable "building packetdrill needs $t"
    done
    rm -rf "$out" && mkdir -p "$out" && cp -r "$src/." "$out/" && chmod -R u+w "$out"
    (cd "$out" && ./configure >/dev/null && make -j2 >"$out/build.log" 2>&1) ||
      unavailable "building packetdrill failed: see $out/build.log"
  fi
  echo "$out/packetdrill"
}
tool=$(build_tool) || unavailable "no tool: building failed (reason above)"
[[ $what == tool ]] && echo "$tool" && exit 0

# linux: packetdrill's usual addresses (the runner's defaults too), each
# script from its own folder so its relative backtick commands resolve.
[[ $(id -u) -eq 0 ]] || unavailable "not root: packetdrill needs root for its tun device"
if [[ $ipv6 -eq 1 ]]; then
  net=(--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1
    --gateway_ip=fd3d:0a0b:17d6:8888::1 --remote_ip=fd3d:fa7b:d17d::1)
else
  net=(--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1
    --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1)
fi
status=0
for f in "${files[@]}"; do
  [[ -f $f ]] || { echo "FAIL $f: no such file" && status=1 && continue; }
  if log=$(cd "$(dirname "$f")" && timeout 120 unshare -n sh -c \
    'ip link set lo up && exec "$@"' sh "$tool" --send_omit_free "${net[@]}" "$(basename "$f")" 2>&1); then
    echo "PASS $f"
  else
    echo "FAIL $f: $(grep -m1 -iE 'error|fail' <<<"$log")"
    status=1
  fi
done
exit $status
