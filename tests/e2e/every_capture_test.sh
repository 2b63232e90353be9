#!/usr/bin/env bash
# Runs trustcap over every capture in pcaps/ (with the arguments its expected
# file gives, and with --all-flows) and over the shared real traces, in every
# output format: a crash, a sanitizer report (in the sanitized build) or an
# exit status other than 0/1/2 fails.
#   usage: every_capture_test.sh TRUSTCAP SOURCE_DIR
set -uo pipefail

trustcap=$1
source_dir=$2

failures=0
runs=0
run() {
    local output status
    output=$("$trustcap" "$@" 2>&1 >/dev/null)
    status=$?
    runs=$((runs + 1))
    if [[ $status -gt 2 ]] || grep -q "Sanitizer\|runtime error" <<<"$output"; then
        echo "FAIL (exit $status): trustcap $*"
        echo "$output" | head -40
        failures=$((failures + 1))
    fi
}

shopt -s nullglob
captures=("$source_dir"/pcaps/*/*.pcap "$source_dir"/pcaps/*/*.pcapng "$source_dir"/../shared/pcaps/real/*.pcap)
for capture in "${captures[@]}"; do
    expected="${capture%.*}.expected.json"
    args=()
    if [[ -f "$expected" ]]; then
        mapfile -t args < <(jq -r '.args // [] | .[]' "$expected" | sed "s#@PCAPS@#$source_dir/pcaps#g")
    fi
    for format in text json ndjson; do
        run --format "$format" "${args[@]}" "$capture"
    done
    run --all-flows --format json "$capture"
done

echo "$runs runs over ${#captures[@]} captures, $failures failed"
[[ $failures -eq 0 ]]
