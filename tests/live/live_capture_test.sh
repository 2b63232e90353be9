#!/usr/bin/env bash
# trustcap live on one end of a veth pair inside a network namespace while
# tcpreplay plays captures from pcaps/ onto the other end: the verdicts equal
# the offline ones; flows stream as they are judged; --until-verdict exits
# with the first licensing flow's status; SIGINT loses no packet already
# captured and leaves a -w file the offline
# mode reads and the report in the -o file, both written without root; -C/-W
# rotate it; kernel drops make the steps they could hide
# unknown; the process has dropped root before it parses a packet.
#   usage: live_capture_test.sh TRUSTCAP_BINARY PCAPS_DIR PCAPGEN_BINARY
# Exits 77 (skipped) where network namespaces or tcpreplay are not available.
set -euo pipefail

trustcap=$1
pcaps=$2
pcapgen=$3
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
# ERSPAN and 802.1ad frames are larger than 1500 bytes.
ip link add "$outside" mtu 9000 type veth peer name "$inside" mtu 9000 || skip "veth pairs are not permitted here"
ip link set "$inside" netns "$namespace"
ip link set "$outside" up
ip netns exec "$namespace" ip link set "$inside" up
ip netns exec "$namespace" ip link set lo up

failures=0
passes=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
pass() {
    echo "ok: $*"
    passes=$((passes + 1))
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
        pass "$capture gives the same verdict live and offline"
    fi
}

check_same_verdict generated/syn-answered-by-rst.pcap
check_same_verdict generated/syn-icmp-admin-prohibited.pcap
check_same_verdict generated/complete-connection.pcap --port 443
check_same_verdict generated/server-reset-mid-stream.pcap --port 443
# Span ports bring VLAN tags and ERSPAN: the default filter must keep them.
check_same_verdict generated/complete-connection-qinq.pcap --port 443
check_same_verdict generated/complete-connection-erspan-type2.pcap --port 443
check_same_verdict generated/complete-connection-vlan.pcap --port 443
# Ports BPF cannot see: IPv4 fragments, IPv6 extension headers and
# fragments, MPLS labels.
check_same_verdict generated/complete-connection-ipv4-fragments.pcap --port 443
check_same_verdict generated/complete-connection-ipv6.pcap --port 443
check_same_verdict generated/complete-connection-ipv6-fragments.pcap --port 443
check_same_verdict generated/complete-connection-mpls.pcap --port 443
# A server given by address alone: all its ports are kept.
check_same_verdict generated/port-8443-with-background.pcap --server 146.112.59.25
# The live filter keeps a proxy's port only when told it (--proxy).
check_same_verdict generated-tls/proxy-auth-required.pcap --proxy 10.20.30.8:3128
check_same_verdict generated-tls/dns-nxdomain.pcap
# Port 80 is in the default filter: SSM On-Prem's http CSLU URL, found by its path.
check_same_verdict generated-tls/ssm-onprem-http-chunked-then-error.pcap

# SIGINT in the middle: a complete -w file that the offline mode reads, and
# no root while packets were parsed.
written="$scratch/written.pcap"
chmod 0777 "$scratch"
start_live -w "$written" -o "$scratch/sigint-report.json"
uid=$(ps -o uid= -p "$(pgrep -P "$live_pid" -x trustcap || echo "$live_pid")" | tr -d ' ')
if [[ "$uid" != "0" && -n "$uid" ]]; then pass "trustcap live runs as uid $uid, not root"; else fail "trustcap live still runs as root"; fi
tcpreplay -q -i "$outside" --topspeed "$pcaps/generated-tls/tls12-mutual-healthy.pcap" >/dev/null 2>&1
sleep 0.5
pkill -INT -P "$live_pid" -x trustcap || kill -INT "$live_pid"
wait "$live_pid" || true
[[ $(stat -c %U "$written") != root ]] || fail "-w file written as root"
if [[ $(stat -c %U "$scratch/sigint-report.json") != root &&
      $(jq -r '.capture.frames' "$scratch/sigint-report.json" 2>/dev/null || echo 0) -ge 21 ]]; then
    pass "-o opened after root was given up, the report written there at SIGINT"
else
    fail "-o: owner $(stat -c %U "$scratch/sigint-report.json" 2>&1), $(head -c 200 "$scratch/sigint-report.json" 2>&1)"
fi
frames=$(tshark -r "$written" -T fields -e frame.number 2>/dev/null | wc -l)
status=0
"$trustcap" --format json "$written" >"$scratch/replayed.json" || status=$?
if [[ $status -le 1 && $frames -ge 21 ]]; then
    pass "after SIGINT the -w file holds $frames frames and reads offline (exit $status)"
else
    fail "after SIGINT: $frames frames, offline exit status $status"
fi

# SIGINT at once after the last packet: the packets the kernel still holds in
# a block not yet handed over (up to its 100 ms delivery delay) are read
# before the report, none lost.
expected_frames=$(tshark -r "$pcaps/generated-tls/tls12-mutual-healthy.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
[[ $expected_frames -gt 0 ]] || fail "tshark read no frame of generated-tls/tls12-mutual-healthy.pcap"
start_live
tcpreplay -q -i "$outside" --topspeed "$pcaps/generated-tls/tls12-mutual-healthy.pcap" >/dev/null 2>&1
pkill -INT -P "$live_pid" -x trustcap || kill -INT "$live_pid"
wait "$live_pid" || true
read_frames=$(jq -r '.capture.frames' "$scratch/live.json" 2>/dev/null || echo 0)
if [[ $read_frames -ge $expected_frames ]]; then
    pass "SIGINT right after the last packet: all $expected_frames frames read"
else
    fail "SIGINT right after the last packet: $read_frames of $expected_frames frames read"
fi

# Without root, as the README says: the binary given CAP_NET_RAW and
# CAP_NET_ADMIN, started as an ordinary user; it gives both up before it
# parses a packet, and judges as the root-started one does.
if command -v setcap >/dev/null && command -v setpriv >/dev/null; then
    cp "$trustcap" "$scratch/trustcap-caps"
    setcap cap_net_raw,cap_net_admin=eip "$scratch/trustcap-caps"
    ip netns exec "$namespace" setpriv --reuid=65534 --regid=65534 --clear-groups "$scratch/trustcap-caps" live \
        -i "$inside" --format json --duration 4 --port 443 >"$scratch/caps.json" 2>"$scratch/live.err" &
    live_pid=$!
    sleep 1.5
    capabilities=$(awk '/^CapEff/ {print $2}' "/proc/$live_pid/status")
    tcpreplay -q -i "$outside" --topspeed "$pcaps/generated/complete-connection.pcap" >/dev/null 2>&1
    wait "$live_pid" || true
    "$trustcap" --format json --port 443 "$pcaps/generated/complete-connection.pcap" >"$scratch/offline.json" || true
    if [[ $capabilities =~ ^0+$ && "$(summary "$scratch/caps.json")" == "$(summary "$scratch/offline.json")" ]]; then
        pass "with setcap and no root: capabilities $capabilities while parsing, same verdict as offline"
    else
        fail "with setcap and no root: CapEff $capabilities, verdict $(summary "$scratch/caps.json" 2>/dev/null) ($(cat "$scratch/live.err"))"
    fi
else
    echo "note: setcap or setpriv missing; the run without root is not checked"
fi

# On a terminal, standard error carries the status line.
if command -v script >/dev/null; then
    script -qfc "ip netns exec $namespace $trustcap live -i $inside --duration 4 --port 443 2>&1 >/dev/null" \
        "$scratch/terminal.out" >/dev/null &
    terminal_pid=$!
    sleep 1.5
    tcpreplay -q -i "$outside" --topspeed "$pcaps/generated/complete-connection.pcap" >/dev/null 2>&1
    wait "$terminal_pid" || true
    if grep -aqE "live $inside: [0-9]+ packets, 1 TCP flow, 1 licensing flow judged \(0 healthy\), 0 kernel drops" \
        "$scratch/terminal.out"; then
        pass "the status line counts packets, flows, licensing flows and kernel drops"
    else
        fail "no status line on the terminal: $(tr '\r' '\n' <"$scratch/terminal.out" | tail -3)"
    fi
fi

# A -w file that cannot be written ends the run early, with what was captured.
start_live --duration 10 -w /dev/full
tcpreplay -q -i "$outside" --topspeed "$pcaps/generated/complete-connection.pcap" >/dev/null 2>&1
status=0
wait "$live_pid" || status=$?
stopped=$(jq -r '[.findings[] | select(.id == "capture.stopped")] | length' "$scratch/live.json" 2>/dev/null || echo invalid)
if [[ $status -eq 1 && $stopped == 1 && $(jq -r '.capture.complete' "$scratch/live.json") == false ]]; then
    pass "a -w write failure stops the capture early with capture.stopped"
else
    fail "-w /dev/full: exit $status, capture.stopped $stopped ($(cat "$scratch/live.err"))"
fi

# --until-verdict: the run ends once the licensing flow is judged (a closed
# connection 2 s after its close), long before --duration, with its status.
check_until_verdict() {
    local capture=$1 expected=$2
    shift 2
    local started=$SECONDS
    start_live --until-verdict --duration 60 "$@"
    tcpreplay -q -i "$outside" --topspeed "$pcaps/$capture" >/dev/null 2>&1
    local status=0
    wait "$live_pid" || status=$?
    local took=$((SECONDS - started))
    if [[ $status -eq $expected && $took -lt 30 ]]; then
        pass "--until-verdict on $capture: exit $status after ${took} s"
    else
        fail "--until-verdict on $capture: exit $status (expected $expected) after ${took} s ($(cat "$scratch/live.err"))"
    fi
}
check_until_verdict lab/tls12-healthy.pcap 0 --ca-bundle "$pcaps/lab/lab-root-ca.pem"
check_until_verdict lab/tls12-expired-device-certificate.pcap 1 --ca-bundle "$pcaps/lab/lab-root-ca.pem"
check_until_verdict lab/syn-reset.pcap 1 --flow-timeout 3

# NDJSON streams: the flow's event is on the output while the capture still
# runs, then the findings and, at the end, the whole report.
ip netns exec "$namespace" "$trustcap" live -i "$inside" --format ndjson --duration 8 \
    --ca-bundle "$pcaps/lab/lab-root-ca.pem" >"$scratch/events.ndjson" 2>"$scratch/live.err" &
live_pid=$!
sleep 1.5
tcpreplay -q -i "$outside" --topspeed "$pcaps/lab/tls12-expired-device-certificate.pcap" >/dev/null 2>&1
sleep 3.5
streamed=$(jq -r 'select(.event == "flow") | "\(.licensing) \(.flow.healthy)"' "$scratch/events.ndjson" 2>/dev/null || echo invalid)
kill -0 "$live_pid" 2>/dev/null && still_running=yes || still_running=no
wait "$live_pid" || true
events=$(jq -r '.event' "$scratch/events.ndjson" | uniq -c | awk '{print $2 "x" $1}' | paste -sd, -)
report_ids=$(jq -r 'select(.event == "report") | [.report.findings[].id] | sort | join(",")' "$scratch/events.ndjson")
streamed_ids=$(jq -r 'select(.event == "finding") | .id' "$scratch/events.ndjson" | sort | paste -sd, -)
if [[ $streamed == "true false" && $still_running == yes && $events == flowx1,findingx*,reportx1 &&
      -n $report_ids && $report_ids == "$streamed_ids" ]]; then
    pass "ndjson: the flow streamed while the capture ran; events $events"
else
    fail "ndjson: streamed '$streamed' while running=$still_running; events $events; report findings $report_ids, streamed $streamed_ids"
fi

# -w with -C 2k -W 3: a ring of three files, each a valid capture.
ip netns exec "$namespace" "$trustcap" live -i "$inside" --format json --duration 4 -w "$scratch/ring.pcap" -C 2k -W 3 \
    >/dev/null 2>"$scratch/live.err" &
live_pid=$!
sleep 1.5
tcpreplay -q -i "$outside" --topspeed "$pcaps/lab/tls12-healthy.pcap" >/dev/null 2>&1
wait "$live_pid" || true
ring_files=$(cd "$scratch" && ls ring.pcap* | paste -sd, -)
readable=0
for file in "$scratch"/ring.pcap*; do tshark -r "$file" -c 1 >/dev/null 2>&1 && readable=$((readable + 1)); done
if [[ $ring_files == ring.pcap0,ring.pcap1,ring.pcap2 && $readable -eq 3 ]]; then
    pass "-C 2k -W 3 rotates through $ring_files, all readable"
else
    fail "-C 2k -W 3 left $ring_files ($readable readable)"
fi

# Kernel drops: the device's SYN is captured, then trustcap is stopped while
# far more traffic than its 1 MiB buffer arrives. The SYN's missing answer may
# be among the lost packets: the tcp step is unknown, not failed.
"$pcapgen" --span "$scratch/flood.pcap" 1200 >/dev/null
ip netns exec "$namespace" "$trustcap" live -i "$inside" --format json -B 1 --duration 10 --flow-timeout 3 \
    --server 146.112.59.25 >"$scratch/drops.json" 2>"$scratch/live.err" &
live_pid=$!
sleep 1.5
tcpreplay -q -i "$outside" --topspeed "$pcaps/generated/syn-unanswered.pcap" >/dev/null 2>&1
sleep 0.5
kill -STOP "$live_pid"
tcpreplay -q -i "$outside" --topspeed "$scratch/flood.pcap" >/dev/null 2>&1
kill -CONT "$live_pid"
wait "$live_pid" || true
drops=$(jq -r '.capture.kernel_drops' "$scratch/drops.json" 2>/dev/null || echo invalid)
# The SYN's flow is the first one seen; the flood brings others.
tcp_step=$(jq -r '.flows | min_by(.id) | .steps[] | select(.step == "tcp") | .status' "$scratch/drops.json" 2>/dev/null)
hidden=$(jq -r '.flows | min_by(.id) | [.findings[] | select(.id == "capture.drops_hide_step")] | length' "$scratch/drops.json" 2>/dev/null)
if [[ $drops =~ ^[0-9]+$ && $drops -gt 0 && $tcp_step == unknown && $hidden -ge 1 ]]; then
    pass "$drops kernel drops while the SYN waited: tcp step unknown, capture.drops_hide_step raised"
else
    fail "kernel drops $drops, tcp step '$tcp_step', capture.drops_hide_step $hidden ($(cat "$scratch/live.err"))"
fi

echo "$passes passed, $failures failed"
[[ $failures -eq 0 && $passes -gt 0 ]]
