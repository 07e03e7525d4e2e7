#!/usr/bin/env bash
# Installs what the tests need, then builds and runs the whole suite:
#   1. the normal build: unit, protocol and end-to-end tests (real terraform
#      against brickform-emulator);
#   2. an ASan + UBSan build (float-cast-overflow included): every test
#      again, so the end-to-end runs drive the sanitized provider and
#      emulator with real terraform.
# Exit status is non-zero if anything fails. Build trees: build/ and
# build-asan/ (override with BUILD_DIR / ASAN_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
build=${BUILD_DIR:-build}
asan=${ASAN_BUILD_DIR:-build-asan}

echo "== build ($build)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs"

echo "== tests ($build): unit, protocol, end-to-end"
ctest --test-dir "$build" --output-on-failure -j"$jobs"

echo "== build ($asan): AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B "$asan" -DCMAKE_BUILD_TYPE=Debug -DTFP_SANITIZE=ON >/dev/null
cmake --build "$asan" -j"$jobs"

echo "== tests ($asan): unit, protocol, end-to-end under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir "$asan" --output-on-failure -j"$jobs"

echo "== all tests passed"
