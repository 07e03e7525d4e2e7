#!/usr/bin/env bash
# SCIM principals made by REST, brought under Terraform: a user, a group,
# a service principal, a group membership, a service principal role and a
# group's entitlements import by the official IDs (the SCIM id,
# "<group_id>|<member_id>", "<service_principal_id>|<role>",
# "group/<id>") and plan clean; a malformed ID is refused; `force = true`
# adopts a user, a group and a service principal that exist instead of
# failing, and without it the service's duplicate error stands; destroy
# removes them (checked by REST).
source "$(dirname "$0")/../lib.sh"
start_emulator
SCIM=/api/2.0/preview/scim/v2
PATCH_OP='"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]'
APP=5d8c2a1e-7b3f-4c6d-9e0a-1f2b3c4d5e6f
RUNNER_APP=9a7b6c5d-4e3f-4a1b-8c2d-0e1f2a3b4c5d
ROLE=arn:aws:iam::123456789012:instance-profile/ops

py() {
	python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"
}
# create KIND JSON: POSTs a principal, prints its id.
create() {
	api POST "$SCIM/$1" "$2" | py 'j["id"]'
}
status_of() {
	api GET "$SCIM/$1" | py 'j.get("status", "200")'
}

dave=$(create Users '{"userName":"dave@example.com","displayName":"Dave","entitlements":[{"value":"workspace-access"}]}')
ops=$(create Groups '{"displayName":"ops","entitlements":[{"value":"allow-cluster-create"}]}')
bot=$(create ServicePrincipals "{\"applicationId\":\"$APP\",\"displayName\":\"ops-bot\"}")
readers=$(create Groups '{"displayName":"readers","entitlements":[{"value":"databricks-sql-access"}]}')
api PATCH "$SCIM/Groups/$ops" "{$PATCH_OP,\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$dave\"}]}]}"
api PATCH "$SCIM/ServicePrincipals/$bot" "{$PATCH_OP,\"Operations\":[{\"op\":\"add\",\"path\":\"roles\",\"value\":[{\"value\":\"$ROLE\"}]}]}"

config_text <<EOF_TF
import {
  to = databricks_user.dave
  id = "$dave"
}
import {
  to = databricks_group.ops
  id = "$ops"
}
import {
  to = databricks_service_principal.bot
  id = "$bot"
}
import {
  to = databricks_group_member.dave_ops
  id = "$ops|$dave"
}
import {
  to = databricks_service_principal_role.bot
  id = "$bot|$ROLE"
}
import {
  to = databricks_entitlements.readers
  id = "group/$readers"
}

resource "databricks_user" "dave" {
  user_name        = "dave@example.com"
  display_name     = "Dave"
  workspace_access = true
}

resource "databricks_group" "ops" {
  display_name         = "ops"
  allow_cluster_create = true
}

resource "databricks_service_principal" "bot" {
  application_id = "$APP"
  display_name   = "ops-bot"
}

resource "databricks_group_member" "dave_ops" {
  group_id  = databricks_group.ops.id
  member_id = databricks_user.dave.id
}

resource "databricks_service_principal_role" "bot" {
  service_principal_id = databricks_service_principal.bot.id
  role                 = "$ROLE"
}

resource "databricks_entitlements" "readers" {
  group_id              = "$readers"
  databricks_sql_access = true
}
EOF_TF
expect_exit 2 plan -detailed-exitcode
expect_output 'Plan: 6 to import, 0 to add, 0 to change, 0 to destroy'
apply_clean
tf state show databricks_user.dave
expect_output "home += \"/Users/dave@example.com\""
expect_output 'acl_principal_id += "users/dave@example.com"'
tf state show databricks_service_principal.bot
expect_output "acl_principal_id += \"servicePrincipals/$APP\""
ok "a user, group, service principal, membership, role and entitlements made by REST import by the official IDs and plan clean"

# The same with the CLI, as terraform 1.4 and earlier import; and IDs of
# the wrong form are refused with the form.
expect_exit 0 state rm databricks_group_member.dave_ops databricks_entitlements.readers
sed -i '/^import {/,/^}/d' "$WORK/cfg/main.tf"
expect_exit 0 import databricks_group_member.dave_ops "$ops|$dave"
expect_exit 0 import databricks_entitlements.readers "GROUP/$readers"
expect_exit 0 plan -detailed-exitcode
# The CLI import records no dependencies, which a refresh-only plan would
# add (exit 2 with "No changes"): an apply records them first.
expect_exit 0 apply -auto-approve
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 state rm databricks_entitlements.readers
expect_exit 1 import databricks_entitlements.readers "team/$readers"
expect_output 'is not an ID of entitlements'
expect_exit 0 import databricks_entitlements.readers "group/$readers"
ok "terraform import takes the same IDs, and refuses a malformed one"

# force adopts principals that exist; without it the duplicate fails with
# the service's message.
erin=$(create Users '{"userName":"erin@example.com"}')
platform=$(create Groups '{"displayName":"platform"}')
runner=$(create ServicePrincipals "{\"applicationId\":\"$RUNNER_APP\",\"displayName\":\"runner\",\"active\":false}")
reporter=$(create ServicePrincipals '{"displayName":"reporter"}')
cat >>"$WORK/cfg/main.tf" <<EOF_TF

resource "databricks_service_principal" "runner" {
  application_id = "$RUNNER_APP"
  display_name   = "ci-runner"
  force          = true
}

resource "databricks_entitlements" "reporter" {
  service_principal_id = "$reporter"
  workspace_consume    = true
}

output "runner" { value = databricks_service_principal.runner.id }
EOF_TF
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'

resource "databricks_user" "erin" {
  user_name            = "Erin@Example.com"
  display_name         = "Erin Example"
  allow_cluster_create = true
  force                = true
}

resource "databricks_group" "platform" {
  display_name     = "platform"
  workspace_access = true
  force            = true
}

output "erin" { value = databricks_user.erin.id }
output "platform" { value = databricks_group.platform.id }
EOF_TF
apply_clean
tf output -raw erin
[ "$(cat "$WORK/last.out")" = "$erin" ] || fail "force made a new user instead of adopting $erin"
tf output -raw platform
[ "$(cat "$WORK/last.out")" = "$platform" ] || fail "force made a new group instead of adopting $platform"
api GET "$SCIM/Users/$erin" | py 'j["displayName"], [e["value"] for e in j["entitlements"]]' >"$WORK/erin.txt"
[ "$(cat "$WORK/erin.txt")" = "Erin Example ['allow-cluster-create']" ] || fail "the adopted user is $(cat "$WORK/erin.txt")"
[ "$(api GET "$SCIM/Users?filter=userName%20eq%20%22erin@example.com%22" | py 'j["totalResults"]')" = 1 ] ||
	fail "there are two users erin"
tf output -raw runner
[ "$(cat "$WORK/last.out")" = "$runner" ] || fail "force made a new service principal instead of adopting $runner"
[ "$(api GET "$SCIM/ServicePrincipals/$runner" | py 'j["displayName"], j["active"]')" = "ci-runner True" ] ||
	fail "the adopted service principal is not as configured"
[ "$(api GET "$SCIM/ServicePrincipals/$reporter" | py '[e["value"] for e in j["entitlements"]]')" = "['workspace-consume']" ] ||
	fail "the service principal's entitlements were not set"
ok "force = true adopts a user, a group and a service principal made by REST and sets them as configured"

cat >>"$WORK/cfg/main.tf" <<'EOF_TF'

resource "databricks_user" "dave_again" {
  user_name = "dave@example.com"
}
EOF_TF
expect_exit 1 apply -auto-approve
# Terraform wraps the message: it is matched with the lines joined.
tr -s ' \n' ' ' <"$WORK/last.out" | grep -q 'HTTP 409 SCIM_409: User with username dave@example.com already exists' ||
	fail "the duplicate's error: $(cat "$WORK/last.out")"
sed -i '/^resource "databricks_user" "dave_again"/,/^}/d' "$WORK/cfg/main.tf"
ok "without force, a duplicate user fails with the service's message"

expect_exit 0 destroy -auto-approve
[ "$(status_of "Users/$dave")" = 404 ] || fail "destroy left dave"
[ "$(status_of "Users/$erin")" = 404 ] || fail "destroy left erin"
[ "$(status_of "Groups/$ops")" = 404 ] || fail "destroy left ops"
[ "$(status_of "Groups/$platform")" = 404 ] || fail "destroy left platform"
[ "$(status_of "ServicePrincipals/$bot")" = 404 ] || fail "destroy left the service principal"
[ "$(status_of "ServicePrincipals/$runner")" = 404 ] || fail "destroy left the adopted service principal"
[ "$(api GET "$SCIM/ServicePrincipals/$reporter" | py 'len(j.get("entitlements", []))')" = 0 ] ||
	fail "destroy left the reporter's entitlement"
[ "$(status_of "Groups/$readers")" = 200 ] || fail "destroying the entitlements deleted their group"
[ "$(api GET "$SCIM/Groups/$readers" | py 'len(j.get("entitlements", []))')" = 0 ] ||
	fail "destroy left the readers' SQL access"
ok "destroy removes the imported and adopted principals, and the entitlements but not their group"
done_testing
