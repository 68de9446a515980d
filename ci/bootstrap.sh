#!/usr/bin/env bash
# Installs every Debian package tcpfuzz needs (Debian 12, as root).
# Idempotent: when everything is already installed it prints nothing and
# touches nothing; otherwise it runs `apt-get update` once and installs only
# what is missing.
set -euo pipefail

PACKAGES=(
  cmake ninja-build make g++
  clang-14 libclang-rt-14-dev llvm-14   # libFuzzer runtime, llvm-profdata, llvm-cov
  afl++
  librapidcheck-dev libgtest-dev libgmock-dev libbenchmark-dev libpcap-dev
  libssl-dev                            # SHA-256 in tcpfuzz serve
  tshark tcpdump graphviz iproute2 iperf3
  python3 bison flex zip unzip
)

die() {
  echo "bootstrap: $*" >&2
  exit 1
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != ii* ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: ${missing[*]}"
  SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer "no" up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
  "${SUDO[@]}" debconf-set-selections 2>/dev/null || true

# apt's output goes to a log that is kept (and named) only when a step fails.
log=$(mktemp "${TMPDIR:-/tmp}/tcpfuzz-bootstrap.XXXXXX")

last_error() { grep -E '^(E|Err):' "$log" | tail -n 1 || true; }

"${SUDO[@]}" apt-get update -q >"$log" 2>&1 ||
  die "apt-get update failed: $(last_error) (log: $log)"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  "${missing[@]}" >"$log" 2>&1 ||
  die "apt-get install ${missing[*]} failed: $(last_error) (log: $log)"
rm -f "$log"

echo "bootstrap: done"
