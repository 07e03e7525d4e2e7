#!/usr/bin/env bash
# Installs what the tests need, then checks, builds and runs the whole suite:
#   1. the layer check (scripts/check-layers.sh): includes point down;
#   2. the normal build, warnings as errors;
#   3. two more builds, no tests, warnings as errors: GCC Release (-O3
#      finds what -O2 does not, e.g. maybe-uninitialized through inlined
#      callees) and clang, so a user's compiler builds cleanly too
#      (TFP_WERROR is off by default, on here);
#   4. the normal build's tests: unit, protocol and end-to-end (real
#      terraform against brickform-emulator);
#   5. an ASan + UBSan build (float-cast-overflow included): every test
#      again, so the end-to-end runs drive the sanitized provider and
#      emulator with real terraform;
#   6. the libFuzzer targets (scripts/fuzz.sh): each on its checked-in
#      corpus, then new inputs for FUZZ_SECONDS (20) each.
# Exit status is non-zero if anything fails. Build trees: build/,
# build-release/, build-clang/ and build-asan/ (override with BUILD_DIR,
# RELEASE_BUILD_DIR, CLANG_BUILD_DIR, ASAN_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
build=${BUILD_DIR:-build}
release=${RELEASE_BUILD_DIR:-build-release}
clang=${CLANG_BUILD_DIR:-build-clang}
asan=${ASAN_BUILD_DIR:-build-asan}

echo "== layer check"
./scripts/check-layers.sh

echo "== build ($build)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTFP_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs"

# The programs and the libraries under them; the tests' own files are
# already compiled with -Werror above (and by clang below).
echo "== build ($release): GCC Release, warnings as errors"
cmake -S . -B "$release" -DCMAKE_BUILD_TYPE=Release -DTFP_WERROR=ON >/dev/null
cmake --build "$release" -j"$jobs" \
	--target terraform-provider-databricks brickform-emulator

# Everything, tests included: clang warns about things GCC does not.
echo "== build ($clang): clang, warnings as errors"
CC=clang cmake -S . -B "$clang" -DCMAKE_C_COMPILER=clang -DTFP_WERROR=ON >/dev/null
cmake --build "$clang" -j"$jobs"

echo "== tests ($build): layers, unit, protocol, end-to-end"
ctest --test-dir "$build" --output-on-failure -j"$jobs"

echo "== build ($asan): AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B "$asan" -DCMAKE_BUILD_TYPE=Debug -DTFP_SANITIZE=ON >/dev/null
cmake --build "$asan" -j"$jobs"

echo "== tests ($asan): unit, protocol, end-to-end under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir "$asan" --output-on-failure -j"$jobs"

echo "== fuzz: every decoder's target on its corpus, then ${FUZZ_SECONDS:-20} s each"
./scripts/fuzz.sh -t "${FUZZ_SECONDS:-20}"

echo "== all tests passed"
