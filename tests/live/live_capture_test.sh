#!/usr/bin/env bash
# trustcap live on one end of a veth pair inside a network namespace while
# tcpreplay plays captures from pcaps/ onto the other end: the verdicts equal
# the offline ones, SIGINT leaves a -w file the offline mode reads, and the
# process has dropped root before it parses a packet.
#   usage: live_capture_test.sh TRUSTCAP_BINARY PCAPS_DIR
# Exits 77 (skipped) where network namespaces or tcpreplay are not available.
set -euo pipefail

trustcap=$1
pcaps=$2
skip() { echo "SKIP: $*"; exit 77; }

[[ $(id -u) -eq 0 ]] || skip "needs root to create a network namespace"
command -v tcpreplay >/dev/null || skip "tcpreplay is not installed (tools/install-deps.sh installs it)"
command -v jq >/dev/null || skip "jq is not installed (tools/install-deps.sh installs it)"

namespace="tclive$$"
outside="tcl$$a"
inside="tcl$$b"
scratch=$(mktemp -d)
cleanup() {
    ip netns del "$namespace" 2>/dev/null || true
    ip link del "$outside" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
ip netns add "$namespace" 2>/dev/null || skip "network namespaces are not permitted here"
ip netns exec "$namespace" true 2>/dev/null || skip "entering a network namespace is not permitted here (ip netns exec)"
ip link add "$outside" type veth peer name "$inside" || skip "veth pairs are not permitted here"
ip link set "$inside" netns "$namespace"
ip link set "$outside" up
ip netns exec "$namespace" ip link set "$inside" up
ip netns exec "$namespace" ip link set lo up

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# What a verdict consists of, comparable across runs: exit status, each flow's
# step statuses and finding ids.
summary() { jq -c '[.verdict, [.flows[] | [([.steps[] | .status]), ([.findings[].id] | sort)]], ([.findings[] | select(.flow == null) | .id] | sort)]' "$1"; }

# Starts trustcap live in the namespace in the background; sets live_pid.
start_live() {
    ip netns exec "$namespace" "$trustcap" live -i "$inside" --format json "$@" >"$scratch/live.json" 2>"$scratch/live.err" &
    live_pid=$!
    sleep 1.5  # the interface is open well before this
}

check_same_verdict() {
    local capture=$1
    shift
    "$trustcap" --format json "$@" "$pcaps/$capture" >"$scratch/offline.json" || true
    start_live --duration 4 "$@"
    tcpreplay -q -i "$outside" --topspeed "$pcaps/$capture" >/dev/null 2>&1
    local status=0
    wait "$live_pid" || status=$?
    local offline_status
    offline_status=$(jq -r 'if .verdict == "healthy" then 0 else 1 end' "$scratch/offline.json")
    [[ $status -eq $offline_status ]] || fail "$capture: live exit status $status, offline $offline_status ($(cat "$scratch/live.err"))"
    if [[ "$(summary "$scratch/live.json")" != "$(summary "$scratch/offline.json")" ]]; then
        fail "$capture: live verdict $(summary "$scratch/live.json") differs from offline $(summary "$scratch/offline.json")"
    else
        echo "ok: $capture gives the same verdict live and offline"
    fi
}

check_same_verdict generated/syn-answered-by-rst.pcap
check_same_verdict generated/syn-icmp-admin-prohibited.pcap
check_same_verdict generated/complete-connection.pcap --port 443
check_same_verdict generated/server-reset-mid-stream.pcap --port 443
# The live filter keeps a proxy's port only when told it (--proxy).
check_same_verdict generated-tls/proxy-auth-required.pcap --proxy 10.20.30.8:3128
check_same_verdict generated-tls/dns-nxdomain.pcap

# SIGINT in the middle: a complete -w file that the offline mode reads, and
# no root while packets were parsed.
written="$scratch/written.pcap"
chmod 0777 "$scratch"
start_live -w "$written"
uid=$(ps -o uid= -p "$(pgrep -P "$live_pid" -x trustcap || echo "$live_pid")" | tr -d ' ')
[[ "$uid" != "0" && -n "$uid" ]] && echo "ok: trustcap live runs as uid $uid, not root" || fail "trustcap live still runs as root"
tcpreplay -q -i "$outside" --topspeed "$pcaps/generated-tls/tls12-mutual-healthy.pcap" >/dev/null 2>&1
sleep 0.5
pkill -INT -P "$live_pid" -x trustcap || kill -INT "$live_pid"
wait "$live_pid" || true
[[ $(stat -c %U "$written") != root ]] || fail "-w file written as root"
frames=$(tshark -r "$written" -T fields -e frame.number 2>/dev/null | wc -l)
status=0
"$trustcap" --format json "$written" >"$scratch/replayed.json" || status=$?
if [[ $status -le 1 && $frames -ge 21 ]]; then
    echo "ok: after SIGINT the -w file holds $frames frames and reads offline (exit $status)"
else
    fail "after SIGINT: $frames frames, offline exit status $status"
fi

echo "$((8 - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
