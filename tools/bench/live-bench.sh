#!/usr/bin/env bash
# Measures `trustcap live` against the fastest replay of a capture through a
# veth pair: tcpreplay --topspeed sends CAPTURE into one end, trustcap
# captures on the other (in a network namespace of its own) with its default
# kernel buffer, once with its default filter, once with FILTER (the
# licensing traffic alone) and once unfiltered, and the table says how many
# frames each run received and how many the kernel dropped.
#   usage: tools/bench/live-bench.sh BUILD_DIR CAPTURE [FILTER]
# FILTER defaults to the licensing server of the project's captures and DNS.
# Run as root; needs tcpreplay, iproute2 and jq.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR CAPTURE [FILTER]" >&2
  exit 2
fi
trustcap=$(realpath "$1")/tools/trustcap/trustcap
capture=$(realpath "$2")
licensing_filter=${3:-host 146.112.59.25 or port 53}
for tool in "$trustcap" tcpreplay jq ip; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

namespace=trustcap-bench-$$
sender=tcb$$s
receiver=tcb$$r
scratch=$(mktemp -d)
cleanup() {
  ip link del "$sender" 2>/dev/null || true
  ip netns del "$namespace" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
ip netns add "$namespace"
ip link add "$sender" type veth peer name "$receiver" netns "$namespace"
# Public traces hold frames of up to 9 KB (captured with segmentation offload).
ip link set "$sender" mtu 9000 up
ip -n "$namespace" link set "$receiver" mtu 9000 up

# One replay per case; trustcap is stopped with SIGINT once the replay is over.
measure() {
  local name=$1
  shift
  ip netns exec "$namespace" "$trustcap" live -i "$receiver" -Z root --format json -o "$scratch/report.json" "$@" \
    2>"$scratch/live.err" &
  local live=$!
  sleep 2
  tcpreplay --topspeed -i "$sender" "$capture" >"$scratch/replay.txt" 2>&1
  sleep 3
  kill -INT "$live"
  wait "$live" || true
  local sent rate
  sent=$(awk '/Actual:/ {print $2}' "$scratch/replay.txt")
  rate=$(awk '/Rated:/ {printf "%.0f pps, %.0f Mbit/s", $6, $4}' "$scratch/replay.txt")
  jq -r --arg name "$name" --arg sent "$sent" --arg rate "$rate" \
    '"| \($name) | \($sent) at \($rate) | \(.capture.frames) | \(.capture.kernel_drops) |"' "$scratch/report.json"
}

echo "capture: $(basename "$capture")"
echo "| trustcap live filter | frames sent (tcpreplay --topspeed) | frames received | kernel drops |"
echo "|---|---|---|---|"
measure "default (licensing ports, DNS, ICMP)"
measure "$licensing_filter" --filter "$licensing_filter"
measure "none (len > 0)" --filter "len > 0"
