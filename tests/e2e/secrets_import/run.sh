#!/usr/bin/env bash
# Import of objects created by REST: `terraform import` and an import {}
# block, for a scope, a secret and an ACL; each plans clean afterwards.
source "$(dirname "$0")/../lib.sh"
start_emulator

api POST /api/2.0/secrets/scopes/create '{"scope":"legacy"}' >/dev/null
api POST /api/2.0/secrets/scopes/create '{"scope":"by-block"}' >/dev/null
api POST /api/2.0/secrets/acls/put \
	'{"scope":"legacy","principal":"analysts","permission":"READ"}' >/dev/null
api POST /api/2.0/secrets/put \
	'{"scope":"legacy","key":"token","string_value":"abc"}' >/dev/null

config_text <<'EOF_TF'
resource "databricks_secret_scope" "legacy" {
  name = "legacy"
}
resource "databricks_secret_acl" "analysts" {
  scope      = databricks_secret_scope.legacy.name
  principal  = "analysts"
  permission = "READ"
}
EOF_TF

expect_exit 0 import databricks_secret_scope.legacy legacy
expect_output "Import successful"
expect_exit 0 import databricks_secret_acl.analysts 'legacy|||analysts'
expect_exit 0 plan -detailed-exitcode
ok "terraform import of a scope and an ACL; the next plan is empty"

expect_exit 1 import databricks_secret_scope.legacy nope
expect_output "(already managed|Resource already managed)"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_secret_scope" "missing" {
  name = "missing"
}
EOF_TF
expect_exit 1 import databricks_secret_scope.missing missing
expect_output "non-existent remote object"
ok "importing a scope that does not exist fails clearly"

# An import {} block (terraform >= 1.5) for a scope and a secret.
config_text <<'EOF_TF'
resource "databricks_secret_scope" "legacy" {
  name = "legacy"
}
resource "databricks_secret_acl" "analysts" {
  scope      = databricks_secret_scope.legacy.name
  principal  = "analysts"
  permission = "READ"
}
import {
  to = databricks_secret_scope.by_block
  id = "by-block"
}
resource "databricks_secret_scope" "by_block" {
  name = "by-block"
}
EOF_TF
expect_exit 2 plan -detailed-exitcode
expect_output "1 to import, 0 to add, 0 to change, 0 to destroy"
apply_clean
ok "an import {} block imports a scope; the next plans are empty"

# A secret's value cannot be read, so an imported secret is rewritten once.
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
import {
  to = databricks_secret.token
  id = "legacy|||token"
}
resource "databricks_secret" "token" {
  scope        = "legacy"
  key          = "token"
  string_value = "abc"
}
EOF_TF
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
ok "an imported secret converges after one apply"

cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_secret_acl" "bad" {
  scope      = "legacy"
  principal  = "nobody"
  permission = "READ"
}
EOF_TF
expect_exit 1 import databricks_secret_acl.bad 'no-separator'
expect_output "<scope>\|\|\|<principal>"
ok "a malformed import ID names the expected form"

done_testing
