#!/usr/bin/env bash
# `cmake --install` puts a working trustcap, its manual page, bash and zsh
# completion and its documentation where packaged tools keep theirs; the
# manual page and the bash completion name every option the program has;
# `cpack -G DEB` makes a package with the program and its library
# dependencies declared, its manual page compressed and its copyright file
# where Debian wants them.
#   usage: install_test.sh BUILD_DIR SOURCE_DIR VERSION
# Exits 77 (skipped) when a tool it needs is missing (tools/install-deps.sh installs them).
set -euo pipefail

build=$(realpath "$1")
source=$(realpath "$2")
version=$3
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
for tool in groff dpkg-deb dpkg-shlibdeps zsh; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[[ -f /usr/share/bash-completion/bash_completion ]] || skip "bash-completion is not installed"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/usr
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"

for file in bin/trustcap share/man/man1/trustcap.1.gz share/bash-completion/completions/trustcap \
            share/zsh/vendor-completions/_trustcap share/doc/trustcap/README.md share/doc/trustcap/copyright; do
    [[ -f $prefix/$file ]] || fail "not installed: $file"
done
trustcap=$prefix/bin/trustcap

# The installed program runs and says which version it is.
[[ $("$trustcap" --version | head -n 1) == "trustcap $version" ]] || fail "--version: $("$trustcap" --version)"
status=0
"$trustcap" --ca-bundle "$source/pcaps/generated-tls/lab-root-ca.pem" \
    "$source/pcaps/generated-tls/tls12-mutual-healthy.pcap" >"$scratch/report.txt" || status=$?
[[ $status -eq 0 ]] || fail "the installed trustcap judged the healthy sample with exit status $status"
grep -q "HEALTHY" "$scratch/report.txt" || fail "the healthy sample's report: $(head -3 "$scratch/report.txt")"

# The manual page is compressed as Debian wants it (gzip -9n: no file name,
# no time stamp, best compression), and is valid man(7) markup with the
# version filled in.
compressed=$prefix/share/man/man1/trustcap.1.gz
gzip -t "$compressed" || fail "the manual page is not gzip data"
read -r -a header < <(od -An -tu1 -N9 "$compressed")
(( (header[3] & 8) == 0 )) || fail "the compressed manual page keeps its file name (gzip without -n)"
(( header[4] + header[5] + header[6] + header[7] == 0 )) || fail "the compressed manual page keeps a time stamp"
(( header[8] == 2 )) || fail "the manual page is not compressed with -9"
manual=$scratch/trustcap.1
gzip -dc "$compressed" >"$manual"
warnings=$(groff -man -ww -z "$manual" 2>&1)
[[ -z $warnings ]] || fail "groff warns about the manual page: $warnings"
grep -q "trustcap $version" "$manual" || fail "the manual page does not carry version $version"
zsh -n "$prefix/share/zsh/vendor-completions/_trustcap" || fail "the zsh completion does not parse"

# Every long option of each command is in the manual page and offered by the
# bash completion.
# The first column of --help (the option names), whatever CLI11's layout.
long_options() {
    "$trustcap" "$@" --help | grep -E '^ +-' | sed -E 's/^ +//; s/ {2,}.*//' | grep -oE -- '--[a-z][a-z-]*' | sort -u
}
completed() {
    bash -c 'source /usr/share/bash-completion/bash_completion
             source "$1"; shift
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
             _trustcap; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$prefix/share/bash-completion/completions/trustcap" trustcap "$@" -- | sort -u
}
# The options each section of the manual page describes: OPTIONS up to the
# live subsection, then the live and the epc subsections (--help is described once, in OPTIONS).
described() {
    sed -n "/^$1/,/^$2/p" "$manual" | grep -oE '\\-\\-[a-z]+(\\-[a-z]+)*' | sed 's/\\-/-/g'
    [[ $1 == .SH\ OPTIONS ]] || echo --help
}
declare -A section=([trustcap]=".SH OPTIONS|.SS trustcap live" [live]=".SS trustcap live|.SS trustcap epc"
                    [epc]=".SS trustcap epc|.SH EXIT STATUS")
for command in "" live epc; do
    [[ $(long_options $command | wc -l) -ge 5 ]] || fail "no options read from ${command:-trustcap} --help"
    missing=$(comm -23 <(long_options $command) <(described "${section[${command:-trustcap}]%|*}" "${section[${command:-trustcap}]#*|}" | sort -u))
    [[ -z $missing ]] || fail "the manual page does not describe $missing of ${command:-trustcap} in its section"
    missing=$(comm -23 <(long_options $command) <(completed $command))
    [[ -z $missing ]] || fail "bash completes no $missing for ${command:-trustcap}"
done

# A Debian package of the same files, its dependencies computed from the binary.
(cd "$scratch" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/package" >"$scratch/cpack.log" 2>&1) ||
    fail "cpack: $(tail -5 "$scratch/cpack.log")"
package=$(ls "$scratch"/package/trustcap_"$version"_*.deb)
contents=$(dpkg-deb -c "$package")
grep -q '\./usr/bin/trustcap$' <<<"$contents" || fail "the package holds no /usr/bin/trustcap"
grep -q '\./usr/share/man/man1/trustcap\.1\.gz$' <<<"$contents" || fail "the package holds no compressed manual page"
grep -q '\./usr/share/doc/trustcap/copyright$' <<<"$contents" || fail "the package holds no copyright file"
# The copyright file is machine-readable (copyright-format 1.0): it names its
# format, and the license of every Files paragraph has its own paragraph.
copyright=$prefix/share/doc/trustcap/copyright
[[ $(head -n 1 "$copyright") == "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" ]] ||
    fail "the copyright file names no copyright-format: $(head -n 1 "$copyright")"
grep -q '^Files: \*$' "$copyright" || fail "the copyright file has no Files: * paragraph"
for license in $(awk '/^Files:/ {files = 1} files && /^License:/ {print $2; files = 0}' "$copyright"); do
    awk -v wanted="License: $license" '$0 == wanted && getline text > 0 && text ~ /^ / {found = 1} END {exit !found}' \
        "$copyright" || fail "the copyright file has no text for license $license"
done
depends=$(dpkg-deb -f "$package" Depends)
for library in libpcap0.8 libssl3 zlib1g libzstd1 libabsl20220623 libstdc++6; do
    [[ $depends == *"$library"* ]] || fail "the package does not depend on $library: $depends"
done
echo "installed and packaged: $(basename "$package"), Depends: $depends"
