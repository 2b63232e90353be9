#!/usr/bin/env bash
# Runs trustcap over every capture in pcaps/ (with the arguments its expected
# file gives, and with --all-flows) and over the shared real traces, in every
# output format, and with --annotate and --export-flow: a crash, a sanitizer
# report (in the sanitized build) or an exit status other than 0/1/2 fails,
# and for the extracts of a usable capture, other than 0/1.
#   usage: every_capture_test.sh TRUSTCAP SOURCE_DIR
set -uo pipefail

trustcap=$1
source_dir=$2

# Written as nobody when run as root.
scratch=$(mktemp -d)
chmod 1777 "$scratch"
trap 'rm -rf "$scratch"' EXIT

failures=0
runs=0
# Runs trustcap; an exit status above `worst` (2: unusable input is an
# answer; 1: it is not), a crash or a sanitizer report fails.
run_at_most() {
    local worst=$1 output status
    shift
    output=$("$trustcap" "$@" 2>&1 >/dev/null)
    status=$?
    runs=$((runs + 1))
    if [[ $status -gt $worst ]] || grep -q "Sanitizer\|runtime error" <<<"$output"; then
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
    for format in text json ndjson html; do
        run_at_most 2 --format "$format" "${args[@]}" "$capture"
    done
    run_at_most 2 --all-flows --format json "$capture"
    # The extracts of a usable capture: its first flow, if it has one.
    if [[ $(jq '.exit_status' "$expected" 2>/dev/null) != 2 ]]; then
        flow=$("$trustcap" --format json "${args[@]}" "$capture" 2>/dev/null | jq '.flows[0].id // empty')
        extracts=(--annotate "$scratch/annotated.pcapng")
        [[ -n $flow ]] && extracts+=(--export-flow "$flow" "$scratch/flow.pcap")
        run_at_most 1 "${extracts[@]}" "${args[@]}" "$capture"
    fi
done

echo "$runs runs over ${#captures[@]} captures, $failures failed"
[[ $failures -eq 0 ]]
