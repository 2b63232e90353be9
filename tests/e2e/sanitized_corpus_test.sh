#!/usr/bin/env bash
# Builds trustcap with AddressSanitizer and UndefinedBehaviorSanitizer and
# runs it over every capture in pcaps/ (with the arguments its expected file
# gives, and with --all-flows) and over the shared real traces, in every
# output format: any sanitizer report, crash or exit status other than
# 0/1/2 fails.
#   usage: sanitized_corpus_test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail

source_dir=$1
build_dir=$2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

if ! cmake -S "$source_dir" -B "$build_dir" -DTRUSTCAP_SANITIZE=ON -DBUILD_TESTING=OFF >"$build_dir.log" 2>&1 ||
   ! cmake --build "$build_dir" -j2 --target trustcap >>"$build_dir.log" 2>&1; then
    cat "$build_dir.log"
    echo "FAIL: the sanitized build failed"
    exit 1
fi
trustcap="$build_dir/tools/trustcap/trustcap"

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
echo "$((runs - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
