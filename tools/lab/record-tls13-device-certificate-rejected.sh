#!/usr/bin/env bash
# Records pcaps/lab/tls13-device-certificate-rejected.pcap: TLS 1.3 where the
# server requires a client certificate of its own CA and the device (curl)
# presents one of another CA, so the server rejects it with an alert encrypted
# after the device's Finished. Its own PKI (the server's root is written to
# tls13-device-certificate-rejected-root-ca.pem), two network namespaces joined
# by a veth pair, tcpdump on the device's side; curl writes the key log.
#
#   sudo tools/lab/record-tls13-device-certificate-rejected.sh
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly OUT="$REPO/pcaps/lab" NAME=tls13-device-certificate-rejected
readonly NS_DEV=tcrej-dev NS_SRV=tcrej-srv DEV_IP=10.99.1.2 SRV_IP=10.99.1.10
[[ $EUID -eq 0 ]] || { echo "run as root" >&2; exit 2; }
WORK=$(mktemp -d /tmp/trustcap-lab.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$NS_DEV" 2>/dev/null || true
    ip netns del "$NS_SRV" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

cd "$WORK"
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
printf 'subjectAltName=DNS:smartreceiver.cisco.com\nextendedKeyUsage=serverAuth\n' >server.ext
printf 'extendedKeyUsage=clientAuth\n' >client.ext
root root "/O=Trustcap Lab/CN=Trustcap Lab Root CA"
issue server "/CN=smartreceiver.cisco.com" root server.ext
root otherca "/O=Trustcap Lab/CN=Trustcap Lab Retired Device CA"
issue device "/serialNumber=PID:C9800-CL-K9 SN:9ZL3QH5XK2B/CN=C9800-CL-K9_9ZL3QH5XK2B" otherca client.ext

ip netns add "$NS_DEV"
ip netns add "$NS_SRV"
ip link add rej-dev0 type veth peer name rej-srv0
ip link set rej-dev0 netns "$NS_DEV"
ip link set rej-srv0 netns "$NS_SRV"
ip -n "$NS_DEV" addr add "$DEV_IP/24" dev rej-dev0
ip -n "$NS_SRV" addr add "$SRV_IP/24" dev rej-srv0
for ns in "$NS_DEV" "$NS_SRV"; do ip -n "$ns" link set lo up; done
ip -n "$NS_DEV" link set rej-dev0 up
ip -n "$NS_SRV" link set rej-srv0 up
ip netns exec "$NS_DEV" ethtool -K rej-dev0 tso off gso off gro off >/dev/null 2>&1 || true
ip netns exec "$NS_SRV" ethtool -K rej-srv0 tso off gso off gro off >/dev/null 2>&1 || true

mkdir www
printf '{"status":"OK","response":"lab licensing answer"}\n' >www/SmartTransport
(cd www && exec ip netns exec "$NS_SRV" openssl s_server -accept 443 -naccept 1 -cert "$WORK/server.pem" \
    -key "$WORK/server.key" -CAfile "$WORK/root.pem" -Verify 3 -verify_return_error -tls1_3 -WWW -quiet) \
    >server.log 2>&1 &
PIDS+=("$!")
sleep 1
ip netns exec "$NS_DEV" tcpdump -i rej-dev0 -s 0 -U --immediate-mode -n -w "$WORK/$NAME.pcap" ip 2>tcpdump.err &
TCPDUMP=$!
sleep 1.5
: >keylog
SSLKEYLOGFILE=$WORK/keylog ip netns exec "$NS_DEV" curl -4 -sS -o body \
    --resolve "smartreceiver.cisco.com:443:$SRV_IP" --cacert root.pem --cert device.pem --key device.key \
    --tlsv1.3 --connect-timeout 4 --max-time 6 https://smartreceiver.cisco.com/SmartTransport || true
sleep 1
kill -INT "$TCPDUMP"
wait "$TCPDUMP" || true
cp "$NAME.pcap" "$OUT/$NAME.pcap"
cp keylog "$OUT/$NAME.keylog"
cp root.pem "$OUT/$NAME-root-ca.pem"
chmod 644 "$OUT/$NAME.pcap" "$OUT/$NAME.keylog" "$OUT/$NAME-root-ca.pem"
