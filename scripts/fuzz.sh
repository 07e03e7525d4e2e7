#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/fuzz_*.c) with clang, ASan and UBSan
# in build-fuzz/ (FUZZ_BUILD_DIR), then runs each one: first every input
# of its checked-in corpus fuzz/corpus/<target>/ (regressions and seeds),
# then new inputs for a budget of time.
#
#   scripts/fuzz.sh                       every target, 20 s each (CI)
#   scripts/fuzz.sh -t 1800 fuzz_rpc      one target for 30 minutes
#   scripts/fuzz.sh -r 1000000            every target, a million runs each
#
# New inputs go to a scratch corpus (FUZZ_WORK_DIR, default a temporary
# directory), never into the checked-in one; copy a crash's input into
# fuzz/corpus/<target>/ as a regression once it is fixed. A crash, leak,
# timeout or sanitizer report fails the run and leaves the input in
# FUZZ_WORK_DIR/artifacts/. The last lines print executions and coverage
# per target.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=20
runs=""
while getopts "t:r:" opt; do
	case $opt in
	t) budget=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-r RUNS] [fuzz_target...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

build=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_WORK_DIR:-$(mktemp -d)}
mkdir -p "$work/artifacts"

CC=clang cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DTFP_FUZZ=ON \
	-DTFP_WERROR=ON -DTFP_E2E=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target fuzz_all

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		targets+=("$(basename "$f" .c)")
	done
fi

# max_malloc_fill_size=0: ASan would fill 4 KiB of every allocation,
# which costs more than the decoders themselves.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:max_malloc_fill_size=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
summary=()
for t in "${targets[@]}"; do
	name=${t#fuzz_}
	seeds=fuzz/corpus/$name
	scratch=$work/corpus/$name
	mkdir -p "$scratch" "$seeds"
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
	limit=(-max_total_time="$budget")
	[ -n "$runs" ] && limit=(-runs="$runs")
	if [ -n "$runs" ]; then what="$runs runs"; else what="$budget s"; fi
	echo "== $t: the checked-in corpus, then $what"
	if ! "$build/$t" -runs=0 -timeout=10 -rss_limit_mb=2560 \
		-artifact_prefix="$work/artifacts/$name-" "$seeds" \
		>"$work/$name.regress.log" 2>&1; then
		tail -40 "$work/$name.regress.log"
		echo "FAIL: $t on its checked-in corpus (inputs in $work/artifacts)"
		status=1
		continue
	fi
	if ! "$build/$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2560 \
		-print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$work/artifacts/$name-" "$scratch" "$seeds" \
		>"$work/$name.log" 2>&1; then
		tail -40 "$work/$name.log"
		echo "FAIL: $t (inputs in $work/artifacts)"
		status=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+' "$work/$name.log" | tail -1)
	summary+=("$(printf '%-16s %12s executions  %s' "$t" "${execs:-?}" "${cov:-}")")
done
printf '%s\n' "${summary[@]}"
[ "$status" -eq 0 ] && echo "fuzz: no crash, leak or undefined behaviour"
exit "$status"
