#!/usr/bin/env bash
# Installs what building and testing tstat needs on Debian 12 (skips what is already there).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config python3 libpcap-dev zlib1g-dev libssl-dev
          libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
          nfdump   # nfanon: the independent Crypto-PAn the anonymize tests compare with
          librrd-dev rrdtool    # -R/-r, and rrdtool info in the RRD corpus test
          graphite-carbon python3-whisper   # carbon-cache and whisper-fetch: --graphite test
          chromium)   # headless browser of the tstat-web test
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
