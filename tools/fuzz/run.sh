#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (their own build tree) and fuzzes
# each for a while, seeded from tests/fuzz/corpus and tests/fuzz/regressions.
# Inputs that crash, leak, time out or trip a sanitizer are copied to
# BUILD_DIR/crashes/<target>/; the run fails if any target found one.
#   usage: run.sh [--seconds N] [--jobs J] [--build-dir DIR] [TARGET...]
#   (default: every target, 60 seconds each, two targets at a time,
#   build-fuzz/ in the source tree)
set -uo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
fuzz_dir=$source_dir/tests/fuzz
seconds=60
jobs=2
build_dir=$source_dir/build-fuzz
targets=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --seconds) seconds=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --build-dir) build_dir=$(realpath -m "$2"); shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
all_targets=(packet_decoder ip_fragments tcp_reassembly tls x509 http dns_message dns_tcp capture_file key_log pipeline)
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")

# Longest input per target: a frame, a few dozen segments or fragments, a
# TLS flight with its certificates, an HTTP head past its 16 KB cap, a small
# capture, a key log of a few dozen lines.
declare -A max_len=([packet_decoder]=4096 [ip_fragments]=4096 [tcp_reassembly]=8192 [tls]=32768 [x509]=8192
                    [http]=20000 [dns_message]=2048 [dns_tcp]=8192 [capture_file]=16384 [key_log]=8192
                    [pipeline]=65536)
declare -A dictionaries=([packet_decoder]=pcap [ip_fragments]=pcap [tcp_reassembly]="" [tls]=tls [x509]=tls
                         [http]=http [dns_message]=dns [dns_tcp]=dns [capture_file]=pcap [key_log]=""
                         [pipeline]="pcap tls http dns")
for target in "${targets[@]}"; do
    if [[ -z ${max_len[$target]+set} ]]; then
        echo "run.sh: no target $target (targets: ${all_targets[*]})" >&2
        exit 2
    fi
done

mkdir -p "$build_dir"
echo "== building the fuzz targets in $build_dir"
if ! cmake -S "$source_dir" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DTRUSTCAP_FUZZ=ON -DBUILD_TESTING=OFF \
        >"$build_dir/build.log" 2>&1 ||
   ! cmake --build "$build_dir" -j"${FUZZ_BUILD_JOBS:-2}" --target fuzz_targets >>"$build_dir/build.log" 2>&1; then
    tail -40 "$build_dir/build.log"
    echo "run.sh: the fuzz build failed (see $build_dir/build.log)" >&2
    exit 2
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Fuzzes one target; its lines are printed together once it is done.
fuzz_target() {
    local target=$1
    local work=$build_dir/corpus/$target crashes=$build_dir/crashes/$target log=$build_dir/logs/$target.log
    local dictionary=$build_dir/dict/$target.dict
    mkdir -p "$work" "$crashes" "$(dirname "$log")" "$(dirname "$dictionary")"
    : >"$dictionary"
    local name
    for name in ${dictionaries[$target]}; do cat "$fuzz_dir/dict/$name.dict" >>"$dictionary"; done
    local arguments=(-max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len="${max_len[$target]}"
                     -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/")
    [[ -s $dictionary ]] && arguments+=(-dict="$dictionary")
    local seeds=("$fuzz_dir/corpus/$target")
    [[ -d $fuzz_dir/regressions/$target ]] && seeds+=("$fuzz_dir/regressions/$target")

    "$build_dir/tests/fuzz/fuzz_$target" "${arguments[@]}" "$work" "${seeds[@]}" >"$log" 2>&1
    local status=$?
    {
        echo "== $target, ${seconds}s"
        grep -aE '^#[0-9]+[[:space:]]+(DONE|INITED)' "$log" | tail -1
        grep -aE '^stat::number_of_executed_units' "$log"
        if [[ $status -ne 0 ]]; then
            grep -aE 'ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -10
            echo "FAIL: $target (exit $status); input in $crashes/, log in $log"
        fi
    } >"$log.summary"
    return $status
}

echo "== fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
declare -A running=()
failed=()
collect_one() {
    local pid status=0
    wait -n -p pid "${!running[@]}" || status=$?
    cat "$build_dir/logs/${running[$pid]}.log.summary"
    [[ $status -ne 0 ]] && failed+=("${running[$pid]}")
    unset "running[$pid]"
}
for target in "${targets[@]}"; do
    [[ ${#running[@]} -ge $jobs ]] && collect_one
    fuzz_target "$target" &
    running[$!]=$target
done
while [[ ${#running[@]} -gt 0 ]]; do collect_one; done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "run.sh: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}"
    exit 1
fi
echo "run.sh: ${#targets[@]} targets ran ${seconds}s each without a finding"
