#!/usr/bin/env bash
# Secrets end to end: apply a scope, secrets and ACLs; plans after apply are
# empty; drift made by REST behind Terraform's back is reported by a
# refresh-only plan and repaired by apply; renaming a scope replaces it;
# destroy leaves the workspace empty.
source "$(dirname "$0")/../lib.sh"
start_emulator
secret_value s3cr3t-db
secret_value s3cr3t-api

config_text <<'EOF_TF'
resource "databricks_secret_scope" "app" {
  name = "app-secrets"
}
resource "databricks_secret" "db" {
  scope        = databricks_secret_scope.app.name
  key          = "db-password"
  string_value = "s3cr3t-db"
}
resource "databricks_secret" "api" {
  scope        = databricks_secret_scope.app.name
  key          = "api-key"
  string_value = "s3cr3t-api"
}
resource "databricks_secret_acl" "readers" {
  scope      = databricks_secret_scope.app.name
  principal  = "data-engineers"
  permission = "READ"
}
resource "databricks_secret_acl" "writers" {
  scope      = databricks_secret_scope.app.name
  principal  = "platform-team"
  permission = "WRITE"
}
output "ref" { value = databricks_secret.db.config_reference }
EOF_TF

expect_exit 2 plan -detailed-exitcode
expect_output "5 to add, 0 to change, 0 to destroy"
ok "plan on an empty workspace shows 5 to add"

apply_clean
ok "apply, then plan -refresh=false and plan are both empty"

tf output -raw ref
[ "$(cat "$WORK/last.out")" = "{{secrets/app-secrets/db-password}}" ] ||
	fail "config_reference is $(cat "$WORK/last.out")"
ok "config_reference is {{secrets/<scope>/<key>}}"

api GET "/api/2.0/secrets/get?scope=app-secrets&key=db-password" >"$WORK/get.json"
python3 - "$WORK/get.json" <<'PY' || fail "secret value not stored"
import base64, json, sys
v = json.load(open(sys.argv[1]))["value"]
assert base64.b64decode(v) == b"s3cr3t-db", v
PY
ok "the workspace holds the configured secret value"

grep -q 's3cr3t' "$WORK/last.out" && fail "secret value printed"
tf show
grep -q 's3cr3t' "$WORK/last.out" && fail "terraform show printed a secret value"
ok "secret values are not shown"

# Drift: an ACL changed and a secret deleted by REST.
api POST /api/2.0/secrets/acls/put \
	'{"scope":"app-secrets","principal":"data-engineers","permission":"MANAGE"}' >/dev/null
api POST /api/2.0/secrets/delete '{"scope":"app-secrets","key":"api-key"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output "databricks_secret_acl.readers"
expect_output "databricks_secret.api"
ok "plan -refresh-only reports the drift (exit 2)"

expect_exit 0 apply -auto-approve
api GET "/api/2.0/secrets/acls/get?scope=app-secrets&principal=data-engineers" >"$WORK/acl.json"
grep -q '"READ"' "$WORK/acl.json" || fail "ACL not restored: $(cat "$WORK/acl.json")"
api GET "/api/2.0/secrets/list?scope=app-secrets" >"$WORK/list.json"
grep -q '"api-key"' "$WORK/list.json" || fail "secret not restored"
expect_exit 0 plan -detailed-exitcode
ok "apply restores the ACL and the secret; the next plan is empty"

# A value rewritten behind Terraform's back is noticed by its timestamp.
sleep 0.01
api POST /api/2.0/secrets/put \
	'{"scope":"app-secrets","key":"db-password","string_value":"tampered"}' >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_secret.db must be replaced"
expect_exit 0 apply -auto-approve
api GET "/api/2.0/secrets/get?scope=app-secrets&key=db-password" >"$WORK/get.json"
python3 - "$WORK/get.json" <<'PY' || fail "secret value not restored"
import base64, json, sys
assert base64.b64decode(json.load(open(sys.argv[1]))["value"]) == b"s3cr3t-db"
PY
expect_exit 0 plan -detailed-exitcode
ok "a value rewritten by REST is detected and written back"

# Renaming a scope replaces it (and everything in it).
sed -i 's/name = "app-secrets"/name = "app-secrets-v2"/' "$WORK/cfg/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_secret_scope.app must be replaced"
expect_output "# forces replacement"
apply_clean
api GET /api/2.0/secrets/scopes/list >"$WORK/scopes.json"
grep -q '"app-secrets-v2"' "$WORK/scopes.json" || fail "new scope missing"
grep -q '"app-secrets"' "$WORK/scopes.json" && fail "old scope still there"
ok "renaming a scope replaces it; the next plans are empty"

expect_exit 0 destroy -auto-approve
api GET /api/2.0/secrets/scopes/list >"$WORK/scopes.json"
python3 - "$WORK/scopes.json" <<'PY' || fail "workspace not empty: $(cat "$WORK/scopes.json")"
import json, sys
assert not json.load(open(sys.argv[1])).get("scopes")
PY
ok "destroy leaves the workspace empty"

done_testing
