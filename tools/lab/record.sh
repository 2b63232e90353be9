#!/usr/bin/env bash
# Records real Smart Licensing-like traffic in network namespaces and writes the
# captures into pcaps/lab/, each with NAME.expected.json derived from tshark.
#
#   sudo tools/lab/record.sh
#
# Every run makes a new lab PKI, so it records every scenario and rewrites all of
# pcaps/lab/ (captures, TLS key logs, expected files, lab-root-ca.pem) together.
#
# Topology (all private addresses, no link to the host's network namespace):
#
#   tclab-dev  dev0 10.99.1.2 ──veth── fw-dev 10.99.1.1  tclab-fw  fw-srv 10.99.2.1 ──veth── srv0 10.99.2.10  tclab-srv
#   (device: curl)                      (router, iptables,          fw-dns 10.99.3.1 ──veth── dns0 10.99.3.53 tclab-dns
#                                        squid on 10.99.1.1:3128)                             (dnsmasq)
#
# The licensing server (openssl s_server) answers as smartreceiver.cisco.com with a
# certificate of a lab CA generated per run and requires a client certificate;
# dnsmasq resolves smartreceiver.cisco.com to 10.99.2.10. tcpdump records on dev0
# (both directions, IPv4 only). Not part of CI: the captures are committed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly REPO
readonly OUT="$REPO/pcaps/lab"
readonly EXPECT="$REPO/tools/lab/expect.py"
readonly NS_DEV=tclab-dev NS_FW=tclab-fw NS_SRV=tclab-srv NS_DNS=tclab-dns
readonly DEV_IP=10.99.1.2 FW_DEV_IP=10.99.1.1 FW_SRV_IP=10.99.2.1 SRV_IP=10.99.2.10 FW_DNS_IP=10.99.3.1 DNS_IP=10.99.3.53
readonly PROXY="$FW_DEV_IP:3128"
readonly URL=https://smartreceiver.cisco.com/SmartTransport
readonly ALL_SCENARIOS=(tls12-healthy tls13-healthy tls12-via-proxy syn-dropped syn-reset syn-icmp-admin-prohibited
    proxy-auth-required tls12-expired-device-certificate squid-bump-tls12 squid-bump-tls13
    tls12-reset-injected tls12-no-response dns-nxdomain dns-no-answer)

WORK=""
PIDS=()
CAPTURE_PID=""

log() { printf '[lab] %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------
# Set-up and clean-up

install_packages() {
    local missing=()
    command -v openssl >/dev/null || missing+=(openssl)
    command -v curl >/dev/null || missing+=(curl)
    command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
    [[ -x /usr/sbin/squid ]] && /usr/sbin/squid -v | grep -q -- --with-openssl || missing+=(squid-openssl)
    command -v iptables >/dev/null || missing+=(iptables)
    command -v tcpdump >/dev/null || missing+=(tcpdump)
    command -v tshark >/dev/null || missing+=(tshark)
    command -v ethtool >/dev/null || missing+=(ethtool)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        apt-get update -qq
        # squid's package would start a squid service on the host: forbid service starts
        # during the installation (policy-rc.d exit 101), unless a policy already exists.
        local policy=/usr/sbin/policy-rc.d made_policy=""
        if [[ ! -e $policy ]]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        if [[ -n $made_policy ]]; then rm -f "$policy"; fi
    fi
}

stop_processes() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}

cleanup() {
    set +e
    [[ -n "$CAPTURE_PID" ]] && kill "$CAPTURE_PID" 2>/dev/null
    stop_processes
    local ns
    for ns in "$NS_DEV" "$NS_FW" "$NS_SRV" "$NS_DNS"; do
        ip netns del "$ns" 2>/dev/null
    done
    rm -rf "/etc/netns/$NS_DEV"
    rmdir /etc/netns 2>/dev/null # only when empty
    [[ -n "$WORK" ]] && rm -rf "$WORK"
}

# Runs a command in a namespace in the background and remembers its pid
# (ip netns exec execs the command, so the pid is the command's own).
spawn() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@" &
    PIDS+=("$!")
}

in_ns() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@"
}

# Waits until a TCP or UDP port listens in a namespace.
wait_listen() {
    local ns=$1 flags=$2 port=$3 _
    for _ in $(seq 1 100); do
        if in_ns "$ns" ss "$flags" | awk '{print $4}' | grep -q ":$port\$"; then return 0; fi
        sleep 0.1
    done
    log "nothing listens on $port in $ns"
    return 1
}

setup_network() {
    local ns
    for ns in "$NS_DEV" "$NS_FW" "$NS_SRV" "$NS_DNS"; do
        ip netns add "$ns"
        in_ns "$ns" ip link set lo up
        # No IPv6 on any link: keeps router solicitations and MLD reports out of the capture.
        in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    # veth pairs created directly inside their namespaces.
    ip link add dev0 netns "$NS_DEV" type veth peer name fw-dev netns "$NS_FW"
    ip link add srv0 netns "$NS_SRV" type veth peer name fw-srv netns "$NS_FW"
    ip link add dns0 netns "$NS_DNS" type veth peer name fw-dns netns "$NS_FW"
    in_ns "$NS_DEV" ip addr add "$DEV_IP/24" dev dev0
    in_ns "$NS_FW" ip addr add "$FW_DEV_IP/24" dev fw-dev
    in_ns "$NS_FW" ip addr add "$FW_SRV_IP/24" dev fw-srv
    in_ns "$NS_FW" ip addr add "$FW_DNS_IP/24" dev fw-dns
    in_ns "$NS_SRV" ip addr add "$SRV_IP/24" dev srv0
    in_ns "$NS_DNS" ip addr add "$DNS_IP/24" dev dns0
    local pair
    for pair in "$NS_DEV:dev0" "$NS_FW:fw-dev" "$NS_FW:fw-srv" "$NS_FW:fw-dns" "$NS_SRV:srv0" "$NS_DNS:dns0"; do
        in_ns "${pair%%:*}" ip link set "${pair#*:}" up
        # veth offloads would put unfinished checksums and 64 KiB "segments" (TSO/GSO)
        # into the capture; switch them off so frames look like a real wire's.
        in_ns "${pair%%:*}" ethtool -K "${pair#*:}" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    done
    in_ns "$NS_DEV" ip route add default via "$FW_DEV_IP"
    in_ns "$NS_SRV" ip route add default via "$FW_SRV_IP"
    in_ns "$NS_DNS" ip route add default via "$FW_DNS_IP"
    in_ns "$NS_FW" sysctl -qw net.ipv4.ip_forward=1
    # The device's resolver: ip netns exec bind-mounts /etc/netns/NS/resolv.conf over
    # /etc/resolv.conf. One server, 2 s timeout, 2 attempts (query + one retransmission).
    mkdir -p "/etc/netns/$NS_DEV"
    printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$DNS_IP" >"/etc/netns/$NS_DEV/resolv.conf"
}

# ---------------------------------------------------------------------------
# Lab PKI (fresh per run, valid from yesterday for two years, except the expired
# device certificate). The lab root goes to pcaps/lab/lab-root-ca.pem.

make_pki() {
    local d=$WORK/pki
    mkdir -p "$d"
    cd "$d"
    key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
    root() { # name subject
        key "$1"
        openssl req -new -x509 -key "$1.key" -out "$1.pem" -subj "$2" -days 730 -sha256 \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    }
    issue() { # name subject issuer extensions-file
        key "$1"
        openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
        openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 730 -sha256 \
            -extfile "$4" -out "$1.pem" 2>/dev/null
    }
    printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
    printf 'subjectAltName=DNS:smartreceiver.cisco.com\nextendedKeyUsage=serverAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    local device_subject="/serialNumber=PID:C9800-CL-K9 SN:9ZL3QH5XK2B/CN=C9800-CL-K9_9ZL3QH5XK2B"
    root root "/O=Trustcap Lab/CN=Trustcap Lab Root CA"
    issue server "/CN=smartreceiver.cisco.com" root server.ext
    issue devsub "/O=Trustcap Lab/CN=Trustcap Lab Device Sub CA" root ca.ext
    issue device "$device_subject" devsub client.ext
    cat device.pem devsub.pem >device-chain.pem
    # The bump CA of squid's ssl-bump: trusted by nobody in the lab.
    root bump "/O=Corp/CN=Corp Squid SSL-Bump CA"
    # An old device certificate (2022-01-01 .. 2023-01-01) from a retired device CA
    # the server no longer trusts: `openssl ca` is the 3.0 tool that sets both dates.
    root olddevca "/O=Trustcap Lab/CN=Trustcap Lab Device CA 2022"
    key olddevice
    openssl req -new -key olddevice.key -subj "$device_subject" -out olddevice.csr
    mkdir -p ca-db && : >ca-db/index.txt && echo 1000 >ca-db/serial
    cat >ca.cnf <<EOF
[ca]
default_ca = lab
[lab]
database = $d/ca-db/index.txt
serial = $d/ca-db/serial
new_certs_dir = $d/ca-db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
x509_extensions = client
[any]
commonName = supplied
serialNumber = optional
[client]
extendedKeyUsage = clientAuth
EOF
    openssl ca -batch -config ca.cnf -cert olddevca.pem -keyfile olddevca.key -in olddevice.csr \
        -startdate 20220101000000Z -enddate 20230101000000Z -out olddevice.pem 2>/dev/null
    cat olddevice.pem olddevca.pem >olddevice-chain.pem
    cp root.pem "$OUT/lab-root-ca.pem"
    chmod 644 ./*.pem ./*.key
    cd - >/dev/null
}

# ---------------------------------------------------------------------------
# Services

start_dns() { # mode: answer | nxdomain
    local record="--address=/smartreceiver.cisco.com/$SRV_IP"
    # An address-less --address answers NXDOMAIN for the name and everything under it.
    [[ $1 == nxdomain ]] && record="--address=/smartreceiver.cisco.com/"
    spawn "$NS_DNS" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
        --listen-address="$DNS_IP" --except-interface=lo --pid-file="$WORK/dnsmasq.pid" \
        --user=root --group=root "$record" --log-facility="$WORK/dnsmasq.log"
    wait_listen "$NS_DNS" -lun 53
}

# openssl s_server as smartreceiver.cisco.com, client certificate required.
# mode www: serves $WORK/www/SmartTransport and closes; silent: reads, never answers.
start_server() { # mode [CAfile]
    local mode=$1 cafile=${2:-$WORK/pki/root.pem}
    local args=(s_server -accept 443 -naccept 1 -cert "$WORK/pki/server.pem" -key "$WORK/pki/server.key"
        -CAfile "$cafile" -Verify 3 -verify_return_error)
    mkdir -p "$WORK/www"
    printf '{"status":"OK","response":"lab licensing answer"}\n' >"$WORK/www/SmartTransport"
    if [[ $mode == www ]]; then
        (cd "$WORK/www" && exec ip netns exec "$NS_SRV" openssl "${args[@]}" -WWW -quiet) >"$WORK/server.log" 2>&1 &
        PIDS+=("$!")
    else
        # Without -WWW s_server echoes nothing and ends when its stdin closes: keep stdin
        # open with a fifo that is never written.
        mkfifo "$WORK/server.stdin"
        ip netns exec "$NS_SRV" openssl "${args[@]}" -quiet <>"$WORK/server.stdin" >"$WORK/server.log" 2>&1 &
        PIDS+=("$!")
    fi
    wait_listen "$NS_SRV" -ltn 443
}

# squid on the firewall, 10.99.1.1:3128. mode: plain | auth | bump
start_squid() {
    local mode=$1 d=$WORK/squid
    rm -rf "$d"
    mkdir -p "$d"
    local port_line="http_port $PROXY"
    {
        echo "pid_filename $d/squid.pid"
        echo "cache_log $d/cache.log"
        echo "access_log $d/access.log"
        echo "coredump_dir $d"
        echo "cache deny all"
        echo "dns_nameservers $DNS_IP"
        echo "shutdown_lifetime 0 seconds"
        case $mode in
            auth)
                # Basic authentication against a one-user file (apr1 hash by openssl).
                printf 'lab:%s\n' "$(openssl passwd -apr1 labpass)" >"$d/passwd"
                echo "auth_param basic program /usr/lib/squid/basic_ncsa_auth $d/passwd"
                echo "auth_param basic realm corp"
                echo "acl authed proxy_auth REQUIRED"
                echo "http_access allow authed"
                echo "http_access deny all"
                ;;
            bump)
                # Client-first bumping: squid completes TLS with the device using a certificate
                # it mints for the CONNECT host, signed by the bump CA.
                cat "$WORK/pki/bump.pem" "$WORK/pki/bump.key" >"$d/bump-ca.pem"
                /usr/lib/squid/security_file_certgen -c -s "$d/ssl_db" -M 4MB >/dev/null
                port_line+=" ssl-bump generate-host-certificates=on dynamic_cert_mem_cache_size=4MB tls-cert=$d/bump-ca.pem"
                echo "sslcrtd_program /usr/lib/squid/security_file_certgen -s $d/ssl_db -M 4MB"
                echo "sslcrtd_children 1 startup=1 idle=1"
                echo "ssl_bump bump all"
                echo "http_access allow all"
                ;;
            *) echo "http_access allow all" ;;
        esac
        echo "$port_line"
    } >"$d/squid.conf"
    chown -R proxy:proxy "$d"
    spawn "$NS_FW" squid -N -f "$d/squid.conf"
    wait_listen "$NS_FW" -ltn 3128
}

firewall() { in_ns "$NS_FW" iptables "$@"; }

# ---------------------------------------------------------------------------
# Capture and device

capture_start() { # name
    local err=$WORK/tcpdump.err
    : >"$err"
    # IPv4 only: the relevant traffic; no ARP.
    ip netns exec "$NS_DEV" tcpdump -i dev0 -s 0 -U --immediate-mode -n -w "$WORK/$1.pcap" ip 2>"$err" &
    CAPTURE_PID=$!
    local _
    for _ in $(seq 1 50); do
        if grep -q 'listening on' "$err"; then
            sleep 0.5 # the socket may take a moment to see packets after the message
            return 0
        fi
        sleep 0.1
    done
    log "tcpdump did not start"
    return 1
}

capture_stop() { # name
    sleep 0.5 # let late packets (final ACKs, retransmissions) in
    kill -INT "$CAPTURE_PID"
    wait "$CAPTURE_PID" || true
    CAPTURE_PID=""
    log "tcpdump: $(grep -h captured "$WORK/tcpdump.err" || true)"
    mv "$WORK/$1.pcap" "$OUT/$1.pcap"
    chown --reference="$OUT" "$OUT/$1.pcap" # tcpdump wrote it as its own user
}

# curl as the device: GET /SmartTransport with the device certificate, trusting the lab root only.
# TLS keys go to $WORK/keylog so that tshark can show the encrypted TLS 1.3 handshake.
device() { # curl-args...
    local status=0
    : >"$WORK/keylog"
    SSLKEYLOGFILE=$WORK/keylog ip netns exec "$NS_DEV" curl -4 -sS -o "$WORK/body" \
        --cacert "$WORK/pki/root.pem" --connect-timeout 4 --max-time 6 "$@" "$URL" 2>"$WORK/curl.err" || status=$?
    log "curl exit $status: $(tr '\n' ' ' <"$WORK/curl.err")"
}


finish() { # name
    capture_stop "$1"
    stop_processes
    firewall -F FORWARD
    local keylog=()
    if [[ -s $WORK/keylog ]]; then
        cp "$WORK/keylog" "$OUT/$1.keylog"
        keylog=(--keylog "$OUT/$1.keylog")
    else
        rm -f "$OUT/$1.keylog"
    fi
    python3 "$EXPECT" "$1" "$OUT/$1.pcap" "${keylog[@]}" >"$OUT/$1.expected.json"
    log "$1: $(tshark -r "$OUT/$1.pcap" 2>/dev/null | wc -l) frames"
}

# ---------------------------------------------------------------------------
# Scenarios: one capture each

scenario_tls12_healthy() {
    start_dns answer
    start_server www
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.2 --tls-max 1.2
    finish "$1"
}

scenario_tls13_healthy() {
    local attempt
    for attempt in 1 2 3 4 5 6; do
        start_dns answer
        start_server www
        capture_start "$1"
        device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.3
        finish "$1"
        # Over a WAN the server's session tickets reach the device after its request; on veth
        # links that race goes either way (and netem is not always available to add a delay):
        # keep the recording that shows the WAN order.
        tickets_after_request "$1" && break
        log "session tickets came before the request (attempt $attempt): recording again"
    done
}

# True when the first NewSessionTicket frame follows the device's first request (tshark with keys).
tickets_after_request() { # name
    local pcap=$OUT/$1.pcap keys=$OUT/$1.keylog request ticket
    request=$(tshark -r "$pcap" -o "tls.keylog_file:$keys" -Y http.request -T fields -e frame.number 2>/dev/null | head -n 1)
    ticket=$(tshark -r "$pcap" -o "tls.keylog_file:$keys" -Y "tls.handshake.type == 4" -T fields -e frame.number 2>/dev/null | head -n 1)
    [[ -n $request && -n $ticket ]] && ((ticket > request))
}

scenario_tls12_via_proxy() {
    start_dns answer
    start_server www
    start_squid plain
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.2 --tls-max 1.2 --proxy "http://$PROXY"
    finish "$1"
}

scenario_syn_dropped() {
    start_dns answer
    firewall -A FORWARD -p tcp -d "$SRV_IP" --dport 443 -j DROP
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key"
    finish "$1"
}

scenario_syn_reset() {
    start_dns answer
    firewall -A FORWARD -p tcp -d "$SRV_IP" --dport 443 -j REJECT --reject-with tcp-reset
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key"
    finish "$1"
}

scenario_syn_icmp_admin_prohibited() {
    start_dns answer
    firewall -A FORWARD -p tcp -d "$SRV_IP" --dport 443 -j REJECT --reject-with icmp-admin-prohibited
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key"
    finish "$1"
}

scenario_proxy_auth_required() {
    start_dns answer
    start_squid auth
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --proxy "http://$PROXY"
    finish "$1"
}

scenario_tls12_expired_device_certificate() {
    start_dns answer
    start_server www
    capture_start "$1"
    device --cert "$WORK/pki/olddevice-chain.pem" --key "$WORK/pki/olddevice.key" --tlsv1.2 --tls-max 1.2
    finish "$1"
}

scenario_squid_bump_tls12() {
    start_dns answer
    start_server www
    start_squid bump
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.2 --tls-max 1.2 --proxy "http://$PROXY"
    finish "$1"
}

scenario_squid_bump_tls13() {
    start_dns answer
    start_server www
    start_squid bump
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.3 --proxy "http://$PROXY"
    finish "$1"
}

scenario_tls12_reset_injected() {
    start_dns answer
    start_server www
    # The device's Certificate (TLS 1.2: in clear) carries its name: the firewall answers
    # that segment with a RST in the server's name and drops it.
    firewall -A FORWARD -i fw-dev -p tcp -d "$SRV_IP" --dport 443 -m string --algo bm \
        --string "C9800-CL-K9" -j REJECT --reject-with tcp-reset
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.2 --tls-max 1.2
    finish "$1"
}

scenario_tls12_no_response() {
    start_dns answer
    start_server silent
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key" --tlsv1.2 --tls-max 1.2 --max-time 4
    finish "$1"
}

scenario_dns_nxdomain() {
    start_dns nxdomain
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key"
    finish "$1"
}

scenario_dns_no_answer() {
    start_dns answer
    # The firewall drops DNS queries: the resolver never answers.
    firewall -A FORWARD -p udp -d "$DNS_IP" --dport 53 -j DROP
    capture_start "$1"
    device --cert "$WORK/pki/device-chain.pem" --key "$WORK/pki/device.key"
    finish "$1"
}

main() {
    [[ $EUID -eq 0 ]] || { echo "run as root" >&2; exit 2; }
    install_packages
    mkdir -p "$OUT"
    WORK=$(mktemp -d /tmp/trustcap-lab.XXXXXX)
    chmod 755 "$WORK"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    cleanup_stale
    setup_network
    make_pki
    local s
    for s in "${ALL_SCENARIOS[@]}"; do
        log "== $s"
        "scenario_${s//-/_}" "$s"
    done
}

# Namespaces left by an interrupted earlier run (ours only, by name).
cleanup_stale() {
    local ns
    for ns in "$NS_DEV" "$NS_FW" "$NS_SRV" "$NS_DNS"; do
        ip netns del "$ns" 2>/dev/null || true
    done
}

main "$@"
