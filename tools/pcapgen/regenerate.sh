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

status=0
for capture in "$output_dir"/*.pcap "$output_dir"/*.pcapng; do
    expected="${capture%.*}.expected.json"
    if [[ ! -f "$expected" ]]; then
        echo "missing expected verdict: $(basename "$expected")" >&2
        status=1
        continue
    fi
    if command -v tshark >/dev/null && command -v jq >/dev/null; then
        want=$(jq -r '.capture.frames // empty' "$expected")
        if [[ -n "$want" ]]; then
            # tshark exits non-zero on a cut file but still prints the frames it read.
            got=$( (tshark -r "$capture" -T fields -e frame.number 2>/dev/null || true) | wc -l)
            if [[ "$got" -ne "$want" ]]; then
                echo "$(basename "$capture"): tshark reads $got frames, $(basename "$expected") says $want" >&2
                status=1
            fi
        fi
    fi
done
echo "regenerated $(find "$output_dir" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) | wc -l) captures in $output_dir"
exit $status
