#!/usr/bin/env bash
# Proves that scripts/check-layers.sh catches what it is for: the sources
# are copied to a temporary directory, the check must pass on the clean
# copy, then each forbidden include (or stdout write) is planted one at a
# time and the check must fail naming that file and that line's text. A
# check that passes everything would otherwise look just like a clean tree.
#
#   tests/layers/planted.sh [SOURCE_DIR]   (default: the repository root)
set -euo pipefail

src=${1:-${TFP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
check="$src/scripts/check-layers.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/brickform-layers.XXXXXX")
trap 'rm -rf "$work"' EXIT

copy="$work/tree"
mkdir -p "$copy"
for d in provider client resources exporter emulator; do
	cp -R "$src/$d" "$copy/$d"
done

failures=0
n=0

fail() {
	echo "not ok - $*" >&2
	failures=$((failures + 1))
}

# plant FILE LINE: adds LINE after the file's first #include, runs the
# check, expects exit 1 and a report naming FILE and LINE, then restores.
plant() {
	local file=$1 line=$2 out rc=0
	n=$((n + 1))
	[ -f "$copy/$file" ] || {
		fail "$file: no such file in the copy"
		return
	}
	cp "$copy/$file" "$work/saved"
	PLANT="$line" awk '{ print } !done && /^#include/ { print ENVIRON["PLANT"]; done = 1 }' \
		"$work/saved" >"$copy/$file"
	out=$("$check" "$copy" 2>&1) || rc=$?
	cp "$work/saved" "$copy/$file"
	if [ "$rc" -ne 1 ]; then
		fail "$file: '$line' planted, check exited $rc:"$'\n'"$out"
	elif ! grep -qF -- "check-layers: $file:" <<<"$out" ||
		! grep -F -- "check-layers: $file:" <<<"$out" | grep -qF -- "$line"; then
		fail "$file: '$line' planted, the report does not name both:"$'\n'"$out"
	else
		echo "ok $n - $file: $line"
	fi
}

# expect_clean WHAT: the copy passes.
expect_clean() {
	local out rc=0
	n=$((n + 1))
	out=$("$check" "$copy" 2>&1) || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$1: check exited $rc:"$'\n'"$out"
	else
		echo "ok $n - $1: $out"
	fi
}

expect_clean "clean copy"

# The framework: no client or resources header, no curl.
plant provider/lifecycle.c '#include "rest.h"'
plant provider/lifecycle.c '#include "compute/cluster_spec.h"'
plant provider/rpc.c '#include "registry.h"'
plant provider/value.c '#include <curl/curl.h>'
plant provider/main.c '#include "auth.h"'
# Only the client includes curl.
plant resources/secrets/secret.c '#include <curl/curl.h>'
plant emulator/core/http.c '#include <curl/curl.h>'
# Resources: no gRPC, protobuf or msgpack, nor the framework's wire modules.
plant resources/jobs/job.c '#include "msgpack.h"'
plant resources/compute/cluster.c '#include <msgpack.h>'
plant resources/catalog/uc_grant.c '#include <grpc/grpc.h>'
plant resources/secrets/secret_acl.c '#include <protobuf-c/protobuf-c.h>'
plant resources/databricks.c '#include "tfplugin6.pb-c.h"'
plant resources/registry.c '#include "rpc.h"'
# The exporter: no wire either, and nothing below it includes it.
plant exporter/exporter.c '#include "rpc.h"'
plant exporter/services.c '#include <grpc/grpc.h>'
plant exporter/references.c '#include <curl/curl.h>'
plant provider/lifecycle.c '#include "exporter_internal.h"'
plant resources/jobs/job.c '#include "exporter.h"'
plant exporter/exporter.c 'static void stray(void) { puts("x"); }'
# The emulator core: no family header, by name or by path.
plant emulator/core/router.c '#include "jobs_internal.h"'
plant emulator/core/server.c '#include "compute/policies.h"'
# Stdout belongs to provider/plugin.c.
plant provider/lifecycle.c 'static void stray(void) { printf("x\n"); }'
plant client/auth.c 'static void stray(void) { fputs("x", stdout); }'
plant resources/secrets/secret_scope.c 'static void stray(void) { puts("x"); }'

# Each planting was undone: the copy is clean again (and main.c still
# includes databricks.h, which the composition root may).
expect_clean "clean copy after planting"

if [ "$failures" -gt 0 ]; then
	echo "$failures of $n failed" >&2
	exit 1
fi
echo "$n passed"
