#!/usr/bin/env bash
# The fully static trustcap (-DTRUSTCAP_STATIC=ON) runs with nothing else
# installed: in a directory holding only the program and a capture (no
# /etc, no /usr/lib, no CA store, no /proc), as root and as an unprivileged
# user, and without a network, it reaches the verdicts of the captures'
# expected files. Run as root (chroot); builds only the trustcap target.
#   usage: tools/static-check.sh [BUILD_DIR]   (default: build-static)
set -euo pipefail
cd "$(dirname "$0")/.."
source=$PWD
build=${1:-build-static}

fail() { echo "FAIL: $*"; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "run as root: the check uses chroot"
command -v jq >/dev/null || fail "jq is not installed (tools/install-deps.sh)"

mkdir -p "$build"
# Built as a release is (optimised, with Debian's hardening flags), warnings
# as errors: this is also the check that a hardened Release build passes.
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTRUSTCAP_STATIC=ON -DBUILD_TESTING=OFF -DTRUSTCAP_WERROR=ON >"$build/static-check-configure.log" 2>&1 ||
    fail "configuring the static build: $(tail -20 "$build/static-check-configure.log")"
cmake --build "$build" --target trustcap -j2 >"$build/static-check-build.log" 2>&1 ||
    fail "the static build: $(tail -20 "$build/static-check-build.log")"
binary=$build/tools/trustcap/trustcap

file "$binary" | grep -q 'statically linked' || fail "file: $(file "$binary")"
ldd_says=$(ldd "$binary" 2>&1 || true)
grep -q 'not a dynamic executable' <<<"$ldd_says" || fail "ldd: $ldd_says"

root=$(mktemp -d)
trap 'rm -rf "$root" "$root.text" "$root.json"' EXIT
strip -o "$root/trustcap" "$binary"
chmod 755 "$root"

# A flow, for comparison with its expected form: client and server, each
# step's status and the finding ids (the frames are the verdict tests' part:
# the static program is the same code).
jq_flow='{client, server,
          steps: (.steps | to_entries | map({key, value: .value.status}) | from_entries),
          findings: ([.findings[].id] | sort)}'
jq_expected='[.flows[] | '"$jq_flow"'] , ([.findings // [] | .[].id] | sort)'
jq_actual='[.flows[] | .client |= "\(.ip):\(.port)" | .server |= "\(.ip):\(.port)"
            | .steps |= (map({key: .step, value: .}) | from_entries) | '"$jq_flow"'],
           ([.findings[] | select(.flow == null) | .id] | sort)'

checked=0
# CAPTURE (under pcaps/) and how each run enters the directory.
check() {
    local capture=$1 expected=$source/pcaps/${1%.pcap}.expected.json
    shift
    rm -f "$root"/*.pcap "$root"/*.pem
    cp "$source/pcaps/$capture" "$root/x.pcap"
    local -a args=()
    local arg
    while read -r arg; do
        if [[ $arg == @PCAPS@/* ]]; then
            cp "$source/pcaps/${arg#@PCAPS@/}" "$root/"
            arg=/$(basename "$arg")
        fi
        args+=("$arg")
    done < <(jq -r '.args // [] | .[]' "$expected")
    local want_status
    want_status=$(jq '.exit_status' "$expected")
    local status=0
    "$@" /trustcap "${args[@]}" /x.pcap >"$root.text" 2>&1 || status=$?
    [[ $status -eq $want_status ]] ||
        fail "$* /trustcap ${args[*]} /x.pcap ($capture): exit status $status, expected $want_status: $(head -3 "$root.text")"
    status=0
    "$@" /trustcap --format json "${args[@]}" /x.pcap >"$root.json" 2>"$root.text" || status=$?
    [[ $status -eq $want_status ]] ||
        fail "$* --format json ($capture): exit status $status, expected $want_status: $(head -3 "$root.text")"
    diff <(jq -S "$jq_expected" "$expected") <(jq -S "$jq_actual" "$root.json") >"$root.text" ||
        fail "$* ($capture): the flows differ from the expected file (< expected, > static build):
$(cat "$root.text")"
    checked=$((checked + 1))
}

captures=(generated-tls/cslu-http-healthy.pcap generated-tls/tls12-server-unknown-ca.pcap
          generated-tls/tls13-healthy.pcap generated/syn-answered-by-rst.pcap)
for capture in "${captures[@]}"; do
    check "$capture" chroot "$root"                                   # as root: becomes the overflow uid
    check "$capture" chroot --userspec=65534:65534 "$root"            # not root: gives up its capabilities
    check "$capture" unshare --net --ipc --uts --pid --fork chroot "$root"   # no network either
done
echo "static: $(stat -c %s "$root/trustcap") bytes stripped; $checked runs in an empty root matched their expected files"
