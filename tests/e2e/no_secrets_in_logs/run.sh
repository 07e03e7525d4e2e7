#!/usr/bin/env bash
# Nothing secret in the logs: with TF_LOG=TRACE (terraform's and the
# provider's most verbose logging, request headers included) an apply,
# plan, import and destroy of a secret whose value is a unique random
# string, made with a personal access token, never write the token or the
# value to the trace log or to terraform's output, even with the provider's
# request and reply bodies logged (DATABRICKS_DEBUG_HEADERS). The log must hold
# provider lines, so the test cannot pass by logging nothing.
source "$(dirname "$0")/../lib.sh"
start_emulator

SECRET_VALUE="sv-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$SECRET_VALUE"
export TF_VAR_secret_value="$SECRET_VALUE"
export TF_LOG=TRACE TF_LOG_PATH="$WORK/trace.log"
# Request and reply bodies too (secrets/put carries the value).
export DATABRICKS_DEBUG_HEADERS=true DATABRICKS_DEBUG_TRUNCATE_BYTES=100000

config_text <<'EOF_TF'
variable "secret_value" {
  type      = string
  sensitive = true
}
resource "databricks_secret_scope" "s" {
  name = "logged"
}
resource "databricks_secret" "k" {
  scope        = databricks_secret_scope.s.name
  key          = "password"
  string_value = var.secret_value
}
resource "databricks_secret_acl" "r" {
  scope      = databricks_secret_scope.s.name
  principal  = "readers"
  permission = "READ"
}
EOF_TF

: >"$WORK/all.out"
run() {
	expect_exit "$@"
	cat "$WORK/last.out" >>"$WORK/all.out"
}

run 0 apply -auto-approve
run 0 plan -detailed-exitcode
terraform -chdir="$WORK/cfg" state rm databricks_secret.k databricks_secret_scope.s >>"$WORK/all.out" 2>&1
run 0 import databricks_secret_scope.s logged
run 0 import databricks_secret.k 'logged|||password'
# The value cannot be read back, so an imported secret is put again.
run 2 plan -detailed-exitcode
run 0 apply -auto-approve
run 0 plan -detailed-exitcode
run 0 destroy -auto-approve
ok "apply, plan, import and destroy with TF_LOG=TRACE"

[ -s "$WORK/trace.log" ] || fail "no trace log was written"
# Provider lines: the provider's own log, and its REST requests.
grep -q 'brickform' "$WORK/trace.log" ||
	grep -q 'terraform-provider-databricks' "$WORK/trace.log" ||
	fail "the trace log has no provider lines"
grep -Eq 'POST /api/2\.0/secrets/put' "$WORK/trace.log" ||
	fail "the trace log does not show the provider's requests"
grep -Eqi 'authorization' "$WORK/trace.log" ||
	fail "the trace log does not show request headers (nothing to check)"
grep -q 'POST /api/2.0/secrets/put body' "$WORK/trace.log" ||
	fail "the trace log does not show the secrets/put body (nothing to check)"
echo "# trace log: $(wc -l <"$WORK/trace.log") lines, $(grep -c 'POST /api/2.0/secrets/put\|GET /api/2.0/secrets' "$WORK/trace.log") about secrets requests"
ok "the trace log has provider lines, requests and headers"

for f in "$WORK/trace.log" "$WORK/all.out"; do
	if grep -qF -- "$E2E_TOKEN" "$f"; then
		grep -nF -- "$E2E_TOKEN" "$f" | head -n 3 | sed "s/$E2E_TOKEN/<TOKEN>/g" >&2
		fail "the token appears in $(basename "$f")"
	fi
	if grep -qF -- "$SECRET_VALUE" "$f"; then
		grep -nF -- "$SECRET_VALUE" "$f" | head -n 3 | sed "s/$SECRET_VALUE/<VALUE>/g" >&2
		fail "the secret value appears in $(basename "$f")"
	fi
done
# The token's distinctive tail alone, in case it was split or re-encoded.
tail16=${E2E_TOKEN: -16}
! grep -qF -- "$tail16" "$WORK/trace.log" || fail "part of the token appears in the trace log"
ok "neither the token nor the secret value appears in the trace log or the output"
done_testing
