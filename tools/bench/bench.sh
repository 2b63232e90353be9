#!/usr/bin/env bash
# Measures trustcap's speed and memory against tshark on the same capture, in
# the same run, and prints the ratios.
#   usage: tools/bench/bench.sh BUILD_DIR [CONNECTIONS] [CAPTURE]
# Without CAPTURE, trustcap-pcapgen writes a span-port-like capture of
# CONNECTIONS connections (default 20000, about 480 k frames and 490 MB)
# into a temporary directory. Needs tshark and GNU time (/usr/bin/time).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [CONNECTIONS] [CAPTURE]" >&2
  exit 2
fi
build=$(realpath "$1")
connections=${2:-20000}
trustcap="$build/tools/trustcap/trustcap"
generator="$build/tools/pcapgen/trustcap-pcapgen"
for tool in "$trustcap" /usr/bin/time; do
  [[ -x "$tool" ]] || { echo "missing $tool" >&2; exit 2; }
done
command -v tshark >/dev/null || { echo "missing tshark" >&2; exit 2; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
capture=${3:-}
if [[ -z "$capture" ]]; then
  capture="$scratch/span.pcap"
  "$generator" --span "$capture" "$connections"
fi
frames=$(capinfos -c -M "$capture" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
bytes=$(stat -c %s "$capture")

# Runs a command once to warm the page cache, then measures the best of three.
measure() {
  local name=$1
  shift
  "$@" >/dev/null 2>&1 || true
  local best_seconds="" best_kib=""
  for _ in 1 2 3; do
    /usr/bin/time -o "$scratch/time" -f "%e %M" "$@" >/dev/null 2>&1 || true
    read -r seconds kib < <(tail -n 1 "$scratch/time")
    if [[ -z "$best_seconds" ]] || awk "BEGIN {exit !($seconds < $best_seconds)}"; then
      best_seconds=$seconds
      best_kib=$kib
    fi
  done
  echo "$name $best_seconds $best_kib"
}

{
  measure "tshark -q -z conv,tcp" tshark -n -r "$capture" -q -z conv,tcp
  measure "trustcap (text)" "$trustcap" "$capture"
  measure "trustcap (json)" "$trustcap" --format json "$capture"
} >"$scratch/results"

tshark_seconds=$(head -1 "$scratch/results" | awk '{print $(NF-1)}')
tshark_kib=$(head -1 "$scratch/results" | awk '{print $NF}')

echo "capture: $capture ($frames frames, $((bytes / 1048576)) MiB)"
printf "%-24s %10s %12s %14s %14s\n" "program" "seconds" "max RSS MiB" "time ratio" "memory ratio"
while read -r line; do
  seconds=$(awk '{print $(NF-1)}' <<<"$line")
  kib=$(awk '{print $NF}' <<<"$line")
  name=$(awk '{$NF=""; $(NF-1)=""; sub(/ +$/, ""); print}' <<<"$line")
  awk -v n="$name" -v s="$seconds" -v k="$kib" -v ts="$tshark_seconds" -v tk="$tshark_kib" \
    'BEGIN {printf "%-24s %10.2f %12.1f %14.2f %14.2f\n", n, s, k / 1024, s / ts, k / tk}'
done <"$scratch/results"
echo "ratios are trustcap / tshark on the same file in this run (below 1: trustcap is faster / smaller)"
