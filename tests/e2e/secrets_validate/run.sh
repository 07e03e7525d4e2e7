#!/usr/bin/env bash
# terraform validate reports bad values with their attribute path before
# any API call; unknown values are never a validation error; refreshing
# many scopes, secrets and ACLs costs one list call per scope, not per
# resource.
source "$(dirname "$0")/../lib.sh"
start_emulator

# The schema as Terraform shows it: every resource, data source and
# attribute has a description; string_value is sensitive.
config_text </dev/null
terraform -chdir="$WORK/cfg" providers schema -json >"$WORK/last.out" 2>&1
python3 - "$WORK/last.out" <<'PY' || fail "schema check failed"
import json, sys
s = json.load(open(sys.argv[1]))["provider_schemas"]["registry.terraform.io/brickform/databricks"]
res = s["resource_schemas"]
for name in ("databricks_secret_scope", "databricks_secret", "databricks_secret_acl"):
    assert name in res, name
for kind in ("resource_schemas", "data_source_schemas"):
    for name, sch in s[kind].items():
        def walk(block, where):
            assert block.get("description"), where
            for a, spec in block.get("attributes", {}).items():
                assert spec.get("description"), f"{where}.{a}"
            for b, nb in block.get("block_types", {}).items():
                walk(nb["block"], f"{where}.{b}")
        walk(sch["block"], name)
assert res["databricks_secret"]["block"]["attributes"]["string_value"]["sensitive"]
assert s["provider"]["block"]["attributes"]["token"]["sensitive"]
PY
ok "terraform providers schema -json: every resource and attribute is described"

long=$(printf 'a%.0s' $(seq 1 129))
config_text <<EOF_TF
resource "databricks_secret_scope" "bad_chars" {
  name = "has spaces!"
}
resource "databricks_secret_scope" "too_long" {
  name = "$long"
}
resource "databricks_secret_acl" "bad_perm" {
  scope      = "x"
  principal  = "someone"
  permission = "OWNER"
}
resource "databricks_secret" "empty" {
  scope        = "x"
  key          = "k"
  string_value = ""
}
EOF_TF
expect_exit 1 validate
expect_output 'Invalid secret scope name'
expect_output 'contains . . at position 4'
expect_output 'has 129'
expect_output 'Invalid secret ACL permission'
expect_output 'permission = "OWNER"'
expect_output 'Empty secret value'
expect_output 'on main.tf line [0-9]+, in resource "databricks_secret" "empty"'
[ "$(emulator_count 'POST /api/2.0/secrets/scopes/create')" = 0 ] ||
	fail "validate called the API"
ok "validate reports every bad value with its attribute, before any API call"

# Unknown at validate and plan time: a name computed by another resource.
config_text <<'EOF_TF'
resource "terraform_data" "suffix" {
  input = "prod"
}
resource "databricks_secret_scope" "dyn" {
  name = "team-${terraform_data.suffix.output}"
}
resource "databricks_secret_acl" "dyn" {
  scope      = databricks_secret_scope.dyn.name
  principal  = "users"
  permission = terraform_data.suffix.output == "prod" ? "READ" : "WRITE"
}
EOF_TF
expect_exit 0 validate
expect_exit 2 plan -detailed-exitcode
expect_output "3 to add"
apply_clean
ok "unknown values pass validate and plan, then apply cleanly"

# Refresh cost: 12 scopes with 3 secrets and 2 ACLs each.
{
	cat <<'EOF_TF'
locals {
  scopes = toset([for i in range(12) : "team-${i}"])
  pairs  = { for p in setproduct(local.scopes, ["a", "b", "c"]) : "${p[0]}/${p[1]}" => p }
  acls   = { for p in setproduct(local.scopes, ["readers", "writers"]) : "${p[0]}/${p[1]}" => p }
}
resource "databricks_secret_scope" "s" {
  for_each = local.scopes
  name     = each.key
}
resource "databricks_secret" "k" {
  for_each     = local.pairs
  scope        = databricks_secret_scope.s[each.value[0]].name
  key          = each.value[1]
  string_value = "v-${each.key}"
}
resource "databricks_secret_acl" "a" {
  for_each   = local.acls
  scope      = databricks_secret_scope.s[each.value[0]].name
  principal  = each.value[1]
  permission = "READ"
}
EOF_TF
} | config_text
expect_exit 0 apply -auto-approve
b1=$(emulator_count 'GET /api/2.0/secrets/scopes/list')
b2=$(emulator_count 'GET /api/2.0/secrets/list')
b3=$(emulator_count 'GET /api/2.0/secrets/acls/list')
expect_exit 0 plan -detailed-exitcode
scopes_lists=$(($(emulator_count 'GET /api/2.0/secrets/scopes/list') - b1))
secret_lists=$(($(emulator_count 'GET /api/2.0/secrets/list') - b2))
acl_lists=$(($(emulator_count 'GET /api/2.0/secrets/acls/list') - b3))
echo "# refresh of 12 scopes, 36 secrets, 24 ACLs: scopes/list=$scopes_lists list=$secret_lists acls/list=$acl_lists"
[ "$scopes_lists" = 1 ] || fail "expected 1 scopes/list call, got $scopes_lists"
[ "$secret_lists" = 12 ] || fail "expected 12 secrets/list calls (one per scope), got $secret_lists"
[ "$acl_lists" = 12 ] || fail "expected 12 acls/list calls (one per scope), got $acl_lists"
ok "refresh costs one scopes/list, and one list per scope for secrets and ACLs"

expect_exit 0 destroy -auto-approve
done_testing
