#!/usr/bin/env bash
# Rewrites the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) from
# the captures in pcaps/. Needs python3, tshark, editcap, openssl and zstd.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$source_dir/tools/fuzz/make_seeds.py" "$source_dir/pcaps" "$source_dir/tests/fuzz/corpus"
