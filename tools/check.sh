#!/usr/bin/env bash
# The whole test suite, as CI runs it, on a fresh Debian 12 machine as root:
#   1. the normal build (GCC), warnings as errors, and every test;
#   2. the same with clang, warnings as errors;
#   3. the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
#      (any report aborts the test that triggered it);
#   4. the fully static trustcap in an empty chroot (tools/static-check.sh:
#      only the program is built static, as a hardened Release build with
#      warnings as errors, not the test suite);
#   5. a short, seeded run of every fuzz target (tools/fuzz/run.sh).
# TRUSTCAP_FUZZ_SECONDS sets the time per fuzz target (default 60; 0 skips step 5).
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=${TRUSTCAP_FUZZ_SECONDS:-60}

tools/install-deps.sh

cmake -S . -B build -DTRUSTCAP_WERROR=ON
cmake --build build -j2
ctest --test-dir build -j2 --output-on-failure

cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTRUSTCAP_WERROR=ON
cmake --build build-clang -j2
ctest --test-dir build-clang -j2 --output-on-failure

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Warnings are errors in the normal build only: GCC's flow warnings
# (-Wmaybe-uninitialized) give false positives on sanitizer-instrumented code.
cmake -S . -B build-sanitized -DTRUSTCAP_SANITIZE=ON -DTRUSTCAP_WERROR=OFF
cmake --build build-sanitized -j2
ctest --test-dir build-sanitized -j2 --output-on-failure

tools/static-check.sh build-static

if [[ $fuzz_seconds -gt 0 ]]; then
    tools/fuzz/run.sh --seconds "$fuzz_seconds"
fi
