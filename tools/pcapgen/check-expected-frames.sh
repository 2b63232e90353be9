#!/usr/bin/env bash
# Checks that every capture in a folder has an expected-verdict file whose
# frame count agrees with tshark's. Sourced by the regenerate scripts.
#   check_expected_frames FOLDER CAPTURE...
check_expected_frames() {
    local folder=$1
    shift
    local status=0 capture expected want got
    for capture in "$@"; do
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
    echo "regenerated $# captures in $folder"
    return $status
}
