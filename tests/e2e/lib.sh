# Shared harness for the end-to-end tests: real terraform, the built
# provider through dev_overrides, and a fresh brickform-emulator on a
# loopback port. Each tests/e2e/<case>/run.sh sources this file.
#
# Environment (set by ctest; defaults suit a manual run from the repo):
#   TFP_PROVIDER  path of terraform-provider-databricks
#   TFP_EMULATOR  path of brickform-emulator
#   KEEP=1        keep the work directory for inspection
# shellcheck shell=bash
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
TFP_PROVIDER=${TFP_PROVIDER:-$REPO_DIR/build/terraform-provider-databricks}
TFP_EMULATOR=${TFP_EMULATOR:-$REPO_DIR/build/brickform-emulator}

if ! command -v terraform >/dev/null 2>&1; then
	echo "SKIPPED: terraform not found on PATH; end-to-end tests did not run" >&2
	exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/brickform-e2e.XXXXXX")
EMU_PID=""
E2E_TOKEN="dapi-e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
PASSED=0

cleanup() {
	local status=$?
	if [ "$status" -eq 0 ] && ! scan_trace; then
		status=1
	fi
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null || true
		wait "$EMU_PID" 2>/dev/null || true
	fi
	if [ "$status" -ne 0 ] || [ "${KEEP:-0}" = 1 ]; then
		echo "work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
	exit "$status"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	PASSED=$((PASSED + 1))
	echo "ok $PASSED - $*"
}

# The provider through dev_overrides: no init, no registry.
mkdir -p "$WORK/plugins" "$WORK/cfg"
ln -s "$TFP_PROVIDER" "$WORK/plugins/terraform-provider-databricks"
cat >"$WORK/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "brickform/databricks" = "$WORK/plugins"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$WORK/dev.tfrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_LOG TF_LOG_PROVIDER TF_LOG_PATH

# Cases run concurrently (ctest -j), so nothing is shared between them:
# each has its own work directory, emulator on a port the kernel picks, CLI
# configuration and HOME (terraform's ~/.terraform.d, the provider's
# ~/.databrickscfg), and no plugin cache or data directory from the caller.
export HOME="$WORK/home"
mkdir -p "$HOME"
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR

# Every test runs with the most verbose logging, into one file that the
# cleanup scans: no token and no secret value a test declares (see
# secret_value) may appear in it, whatever the test itself checks.
# TFP_E2E_TRACE=0 turns this off for a quicker local run.
SECRET_VALUES=()
if [ "${TFP_E2E_TRACE:-1}" = 1 ]; then
	export TF_LOG=TRACE TF_LOG_PATH="$WORK/trace.log"
fi

# secret_value VALUE: a string that must never reach a log.
secret_value() {
	SECRET_VALUES+=("$1")
}

scan_trace() {
	local v
	[ -f "$WORK/trace.log" ] || return 0
	if ! grep -q 'provider.terraform-provider-databricks' "$WORK/trace.log"; then
		echo "FAIL: the TRACE log has no provider lines" >&2
		return 1
	fi
	for v in "$E2E_TOKEN" "${SECRET_VALUES[@]}"; do
		if grep -qF -- "$v" "$WORK/trace.log"; then
			echo "FAIL: a secret reached the TRACE log ($WORK/trace.log)" >&2
			return 1
		fi
	done
}

# start_emulator [extra args...]: a fresh workspace; sets EMU_URL.
start_emulator() {
	"$TFP_EMULATOR" --port 0 --token "$E2E_TOKEN" "$@" \
		>"$WORK/emulator.out" 2>"$WORK/emulator.err" </dev/null &
	EMU_PID=$!
	for _ in $(seq 1 200); do
		if grep -q '^listening on ' "$WORK/emulator.out" 2>/dev/null; then
			break
		fi
		sleep 0.05
	done
	EMU_URL=$(sed -n 's/^listening on //p' "$WORK/emulator.out" | head -n1)
	[ -n "$EMU_URL" ] || fail "emulator did not start: $(cat "$WORK/emulator.err")"
	export DATABRICKS_HOST="$EMU_URL" DATABRICKS_TOKEN="$E2E_TOKEN"
}

# api METHOD PATH [JSON]: a REST call to the emulator, as a person or
# script acting behind Terraform's back would make it. Prints the body.
api() {
	local method=$1 path=$2 body=${3:-}
	local args=(-sS -X "$method" -H "Authorization: Bearer $E2E_TOKEN")
	if [ -n "$body" ]; then
		args+=(-H 'Content-Type: application/json' --data "$body")
	fi
	curl "${args[@]}" "$EMU_URL$path"
}

# dbfs_put PATH LOCAL_FILE: writes LOCAL_FILE (at most 1 MiB) into the
# emulator's DBFS at PATH, overwriting, as a change made behind
# Terraform's back. The body goes through stdin: a 1 MiB file is more
# base64 than one command-line argument may hold.
dbfs_put() {
	python3 -c 'import base64,json,sys
print(json.dumps({"path": sys.argv[1], "overwrite": True,
    "contents": base64.b64encode(open(sys.argv[2], "rb").read()).decode()}))' \
		"$1" "$2" |
		curl -sS -X POST -H "Authorization: Bearer $E2E_TOKEN" \
			-H 'Content-Type: application/json' --data-binary @- \
			"$EMU_URL/api/2.0/dbfs/put"
}

# dbfs_cat PATH: the bytes of the emulator's DBFS file PATH on stdout,
# read 1 MiB at a time as clients do; fails when it is not there.
dbfs_cat() {
	python3 - "$EMU_URL" "$E2E_TOKEN" "$1" <<'PY'
import base64, json, sys, urllib.error, urllib.parse, urllib.request
url, token, path = sys.argv[1:4]
offset = 0
while True:
    q = urllib.parse.urlencode({"path": path, "offset": offset,
                                "length": 1 << 20})
    req = urllib.request.Request(url + "/api/2.0/dbfs/read?" + q,
                                 headers={"Authorization": "Bearer " + token})
    try:
        body = json.load(urllib.request.urlopen(req))
    except urllib.error.HTTPError as e:
        sys.exit("dbfs_cat %s: %s" % (path, e.read().decode()))
    if body["bytes_read"] == 0:
        break
    sys.stdout.buffer.write(base64.b64decode(body["data"]))
    offset += body["bytes_read"]
PY
}

# emulator_count "GET /api/2.0/secrets/scopes/list": requests seen so far.
emulator_count() {
	curl -sS "$EMU_URL/_emulator/requests" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("counts",{}).get(sys.argv[1],0))' "$1"
}

# config FILE...: the test's configuration (replaces the previous one).
config() {
	rm -f "$WORK"/cfg/*.tf
	cp "$@" "$WORK/cfg/"
}

# config_text: the configuration from stdin, after the terraform and
# provider blocks every test needs.
config_text() {
	rm -f "$WORK"/cfg/*.tf
	{
		cat <<'EOF_HEADER'
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {}

EOF_HEADER
		cat
	} >"$WORK/cfg/main.tf"
}

# tf COMMAND ARGS...: terraform in the config directory; output in
# $WORK/last.out. Flags go right after the command, before its arguments.
tf() {
	local args=("$1")
	shift
	case ${args[0]} in
	plan | apply | destroy | import | init | refresh)
		args+=(-no-color -input=false)
		;;
	state)
		# `terraform state list -no-color`: the subcommand comes first.
		args+=("$1" -no-color)
		shift
		;;
	*) args+=(-no-color) ;;
	esac
	terraform -chdir="$WORK/cfg" "${args[@]}" "$@" >"$WORK/last.out" 2>&1
}

# expect_exit CODE tf-args...: runs terraform and checks its exit code.
expect_exit() {
	local want=$1
	shift
	local got=0
	tf "$@" || got=$?
	if [ "$got" -ne "$want" ]; then
		cat "$WORK/last.out" >&2
		fail "terraform $* exited $got, expected $want"
	fi
}

# expect_output REGEX: the last terraform output matches.
expect_output() {
	grep -Eq -- "$1" "$WORK/last.out" || {
		cat "$WORK/last.out" >&2
		fail "output does not match /$1/"
	}
}

# apply_clean: apply, then the post-apply invariant of terraform-plugin-
# testing: a non-refresh plan and a refresh plan, both empty; and the
# scheduled drift check users run, a refresh-only plan, finds nothing (it
# exits 2 when a refresh changes the state at all, even invisibly).
apply_clean() {
	expect_exit 0 apply -auto-approve
	expect_exit 0 plan -refresh=false -detailed-exitcode
	expect_exit 0 plan -detailed-exitcode
	expect_exit 0 plan -refresh-only -detailed-exitcode
}

done_testing() {
	echo "$PASSED passed, 0 failed"
}
