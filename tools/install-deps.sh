#!/usr/bin/env bash
# Installs what trustcap needs to build and test, from Debian's packages.
# Run as root on Debian 12. Does nothing when everything is already there.
set -euo pipefail

packages=(
  cmake gcc g++ make pkg-config
  libpcap-dev libssl-dev libcli11-dev nlohmann-json3-dev libabsl-dev libgtest-dev zlib1g-dev libzstd-dev
  libdbus-1-dev file
  ca-certificates
  tshark tcpreplay jq iproute2 procps libcap2-bin
  clang libfuzzer-14-dev
  dpkg-dev groff-base bash-completion zsh
  chromium fonts-dejavu-core
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
