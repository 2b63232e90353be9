#!/usr/bin/env bash
# Rewrites the captures with real TLS in pcaps/generated-tls/ (and lab-root-ca.pem and lab-root-ca-2021.pem, the
# CA bundles trustcap needs for them) with an already built generator.
#   usage: tools/pcapgen/regenerate-tls.sh path/to/trustcap-pcapgen
# The expected-verdict files (*.expected.json) and README.md are kept: they are written by hand from what
# tshark shows. With tshark installed, each capture's frame count is checked against its expected file.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
    echo "usage: $0 path/to/trustcap-pcapgen" >&2
    exit 2
fi
generator=$(realpath "$1")
output_dir=$(realpath -m "$(dirname "$0")/../../pcaps/generated-tls")
mkdir -p "$output_dir"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

"$generator" --tls "$staging" >/dev/null

find "$output_dir" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pem' \) -delete
cp "$staging"/* "$output_dir"/

# shellcheck source=tools/pcapgen/check-expected-frames.sh
source "$(dirname "$0")/check-expected-frames.sh"
check_expected_frames "$output_dir" "$output_dir"/*.pcap
