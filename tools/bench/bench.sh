#!/usr/bin/env bash
# Measures trustcap's speed and memory on a span-port-like capture, against a
# bare libpcap read loop and peers on the same file in the same run, and
# prints each as a ratio to the bare loop.
#   usage: tools/bench/bench.sh BUILD_DIR [MEBIBYTES] [CAPTURE]
# Without CAPTURE, it builds a span-port-like capture of about MEBIBYTES
# (default 1024), in time order: a quarter is copies of the public traces in
# pcaps/real (Zeek's test suite), each copy between hosts of its own and a
# copy starting every 2 ms (see trustcap-span-mix); the rest is background
# connections written by trustcap-pcapgen --span; the project's licensing
# captures (pcaps/generated*, pcaps/lab) are in it once each, so that the
# licensing flows are a few among many, as on a span port.
# Needs GNU time (/usr/bin/time); measures ndpiReader and tshark (Debian
# packages libndpi-bin, tshark) when installed.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [MEBIBYTES] [CAPTURE]" >&2
  exit 2
fi
build=$(realpath "$1")
mebibytes=${2:-1024}
project=$(cd "$(dirname "$0")/../.." && pwd)
trustcap="$build/tools/trustcap/trustcap"
bare="$build/tools/bench/bare-read-loop"
for tool in "$trustcap" "$bare" "$build/tools/bench/trustcap-span-mix" "$build/tools/pcapgen/trustcap-pcapgen" /usr/bin/time; do
  [[ -x "$tool" ]] || { echo "missing $tool" >&2; exit 2; }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
capture=${3:-}
if [[ -z "$capture" ]]; then
  capture="$scratch/span.pcap"
  # A background connection of trustcap-pcapgen --span takes about 24 KiB.
  "$build/tools/pcapgen/trustcap-pcapgen" --span "$scratch/background.pcap" $((mebibytes * 3 / 4 * 1024 / 24))
  once=(--once "$scratch/background.pcap")
  while read -r licensing_capture; do
    once+=(--once "$licensing_capture")
  done < <(find "$project/pcaps" -path "$project/pcaps/real" -prune -o \( -name '*.pcap' -o -name '*.pcapng' \) -print | sort)
  mapfile -t public_traces < <(find "$project/pcaps/real" \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
  "$build/tools/bench/trustcap-span-mix" "$capture" $((mebibytes / 4)) 2000 "${once[@]}" "${public_traces[@]}" 2>/dev/null
  rm -f "$scratch/background.pcap"
fi
frames=$("$bare" "$capture" | awk '{print $1}')
bytes=$(stat -c %s "$capture")

# Best of three after a run that warms the page cache (tshark: one run). A
# program that fails (trustcap: exit status above 1, which is "problem
# found") stops the benchmark rather than being timed.
measure() {
  local name=$1 runs=$2
  shift 2
  "$@" >/dev/null 2>&1 || true
  local best_seconds="" best_kib=""
  for ((run = 0; run < runs; run++)); do
    /usr/bin/time -o "$scratch/time" -f "%e %M %x" "$@" >/dev/null 2>"$scratch/stderr" || true
    read -r seconds kib status < <(tail -n 1 "$scratch/time")
    if [[ ! "$status" =~ ^[01]$ ]]; then
      echo "$name failed (exit status $status):" >&2
      tail -n 5 "$scratch/stderr" >&2
      exit 1
    fi
    if [[ -z "$best_seconds" ]] || awk "BEGIN {exit !($seconds < $best_seconds)}"; then
      best_seconds=$seconds
      best_kib=$kib
    fi
  done
  echo "$best_seconds $best_kib $name"
}

{
  measure "bare libpcap read loop" 3 "$bare" "$capture"
  measure "bare loop, 1 MiB stdio buffer" 3 "$bare" "$capture" 1048576
  measure "trustcap" 3 "$trustcap" "$capture"
  measure "trustcap --format json" 3 "$trustcap" --format json "$capture"
  measure "trustcap --all-flows" 3 "$trustcap" --all-flows "$capture"
  if command -v ndpiReader >/dev/null; then measure "ndpiReader -q" 3 ndpiReader -q -i "$capture"; fi
  if command -v tshark >/dev/null; then measure "tshark -q -z conv,tcp" 1 tshark -n -q -z conv,tcp -r "$capture"; fi
} >"$scratch/results"

read -r bare_seconds _ < <(head -1 "$scratch/results")
echo "capture: $(basename "$capture"), $frames frames, $((bytes / 1048576)) MiB"
printf "| %-30s | %8s | %13s | %12s |\n" "program" "seconds" "x bare loop" "peak RSS MiB"
printf "|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..15})" "$(printf -- '-%.0s' {1..14})"
while read -r seconds kib name; do
  awk -v n="$name" -v s="$seconds" -v k="$kib" -v b="$bare_seconds" \
    'BEGIN {printf "| %-30s | %8.2f | %13.2f | %12.1f |\n", n, s, s / b, k / 1024}'
done <"$scratch/results"
