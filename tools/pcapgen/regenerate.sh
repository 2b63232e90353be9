#!/usr/bin/env bash
# Rewrites the captures in pcaps/generated/ with an already built generator.
#   usage: tools/pcapgen/regenerate.sh path/to/trustcap-pcapgen
# The expected-verdict files (*.expected.json) and README.md are kept: they are written by hand from what
# tshark shows. With tshark installed, each capture's frame count is checked against its expected file.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
    echo "usage: $0 path/to/trustcap-pcapgen" >&2
    exit 2
fi
generator=$(realpath "$1")
output_dir=$(realpath "$(dirname "$0")/../../pcaps/generated")
mkdir -p "$output_dir"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

"$generator" "$staging" >/dev/null
# pcapng is not written by the generator: it is the classic capture converted by editcap, whose output is
# byte-identical from run to run (it embeds only editcap's version in the section header).
editcap -F pcapng "$staging/complete-connection.pcap" "$staging/complete-connection-pcapng.pcapng"

find "$output_dir" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) -delete
cp "$staging"/* "$output_dir"/

# shellcheck source=tools/pcapgen/check-expected-frames.sh
source "$(dirname "$0")/check-expected-frames.sh"
check_expected_frames "$output_dir" "$output_dir"/*.pcap "$output_dir"/*.pcapng
