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

status=0
for capture in "$output_dir"/*.pcap; do
    expected="${capture%.*}.expected.json"
    if [[ ! -f "$expected" ]]; then
        echo "missing expected verdict: $(basename "$expected")" >&2
        status=1
        continue
    fi
    if command -v tshark >/dev/null && command -v jq >/dev/null; then
        want=$(jq -r '.capture.frames // empty' "$expected")
        if [[ -n "$want" ]]; then
            got=$( (tshark -r "$capture" -T fields -e frame.number 2>/dev/null || true) | wc -l)
            if [[ "$got" -ne "$want" ]]; then
                echo "$(basename "$capture"): tshark reads $got frames, $(basename "$expected") says $want" >&2
                status=1
            fi
        fi
    fi
done
echo "regenerated $(find "$output_dir" -maxdepth 1 -type f -name '*.pcap' | wc -l) captures in $output_dir"
exit $status
