#!/usr/bin/env bash
# databricks_user, databricks_group, databricks_service_principal,
# databricks_group_member, databricks_entitlements and databricks_group_role
# / databricks_user_role against the emulator's SCIM API, in the official
# provider's style: apply and plans clean (a user name in mixed case, which
# the service lower-cases, included); drift made by REST is seen and undone
# by the next apply (a member taken out of a group, a user deactivated, an
# entitlement granted or taken away); an update is a PUT that keeps the
# principal's groups and roles; destroy deletes what it made, deactivates a
# user with disable_as_user_deletion and takes back the entitlements it
# gave the built-in "users" group.
source "$(dirname "$0")/../lib.sh"
start_emulator
SCIM=/api/2.0/preview/scim/v2
PATCH_OP='"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]'

# py EXPR < JSON: EXPR of the parsed document j, printed.
py() {
	python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"
}
# out NAME: a terraform output.
out() {
	tf output -raw "$1"
	cat "$WORK/last.out"
}
# has LIST ID VALUE: does the principal's multi-valued LIST hold VALUE?
# KIND/ID is e.g. Groups/123.
has() {
	api GET "$SCIM/$2" | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("yes" if any(e.get("value") == sys.argv[2] for e in j.get(sys.argv[1], [])) else "no")' "$1" "$3"
}

USERS_GROUP=$(api GET "$SCIM/Groups?filter=displayName%20eq%20%22users%22" | py 'j["Resources"][0]["id"]')
ROLE=arn:aws:iam::123456789012:instance-profile/data-eng

principals_config() {
	config_text <<EOF_TF
resource "databricks_group" "eng" {
  display_name               = "Data Engineering"
  allow_cluster_create       = true
  allow_instance_pool_create = true
}

resource "databricks_group" "analysts" {
  display_name          = "${2:-Analysts}"
  databricks_sql_access = true
}

resource "databricks_user" "ann" {
  user_name        = "Ann.Lee@Example.com"
  display_name     = "$1"
  workspace_access = true
}

resource "databricks_user" "bob" {
  user_name             = "bob@example.com"
  force_delete_home_dir = true
}

resource "databricks_user" "frank" {
  user_name                = "frank@example.com"
  disable_as_user_deletion = true
}

resource "databricks_service_principal" "etl" {
  display_name         = "etl-runner"
  allow_cluster_create = true
}

resource "databricks_group_member" "ann_eng" {
  group_id  = databricks_group.eng.id
  member_id = databricks_user.ann.id
}

resource "databricks_group_member" "bob_analysts" {
  group_id  = databricks_group.analysts.id
  member_id = databricks_user.bob.id
}

resource "databricks_group_member" "etl_eng" {
  group_id  = databricks_group.eng.id
  member_id = databricks_service_principal.etl.id
}

resource "databricks_group_member" "analysts_in_eng" {
  group_id  = databricks_group.eng.id
  member_id = databricks_group.analysts.id
}

resource "databricks_group_role" "eng" {
  group_id = databricks_group.eng.id
  role     = "$ROLE"
}

resource "databricks_user_role" "ann" {
  user_id = databricks_user.ann.id
  role    = "$ROLE"
}

resource "databricks_entitlements" "workspace_users" {
  group_id              = "$USERS_GROUP"
  databricks_sql_access = true
  workspace_access      = true
}

output "ann" { value = databricks_user.ann.id }
output "bob" { value = databricks_user.bob.id }
output "frank" { value = databricks_user.frank.id }
output "etl" { value = databricks_service_principal.etl.id }
output "etl_app" { value = databricks_service_principal.etl.application_id }
output "eng" { value = databricks_group.eng.id }
output "analysts" { value = databricks_group.analysts.id }
output "ann_home" { value = databricks_user.ann.home }
output "ann_acl" { value = databricks_user.ann.acl_principal_id }
output "etl_acl" { value = databricks_service_principal.etl.acl_principal_id }
output "eng_acl" { value = databricks_group.eng.acl_principal_id }
output "eng_url" { value = databricks_group.eng.url }
output "member_id" { value = databricks_group_member.ann_eng.id }
output "role_id" { value = databricks_user_role.ann.id }
EOF_TF
}

principals_config "Ann Lee"
apply_clean
ann=$(out ann) bob=$(out bob) frank=$(out frank) etl=$(out etl)
eng=$(out eng) analysts=$(out analysts) etl_app=$(out etl_app)
api GET "$SCIM/Users/$ann" >"$WORK/ann.json"
[ "$(py 'j["userName"], j["displayName"], j["active"]' <"$WORK/ann.json")" = "ann.lee@example.com Ann Lee True" ] ||
	fail "ann as the service has her: $(cat "$WORK/ann.json")"
[ "$(py '[e["value"] for e in j["entitlements"]]' <"$WORK/ann.json")" = "['workspace-access']" ] ||
	fail "ann's entitlements: $(cat "$WORK/ann.json")"
[ "$(out ann_home)" = /Users/ann.lee@example.com ] || fail "home is $(out ann_home)"
[ "$(out ann_acl)" = users/ann.lee@example.com ] || fail "acl_principal_id is $(out ann_acl)"
[ "$(out etl_acl)" = "servicePrincipals/$etl_app" ] || fail "the service principal's acl_principal_id is $(out etl_acl)"
[ "$(out eng_acl)" = "groups/Data Engineering" ] || fail "the group's acl_principal_id is $(out eng_acl)"
[ "$(out eng_url)" = "$EMU_URL/#setting/accounts/groups/$eng" ] || fail "the group's url is $(out eng_url)"
[ "$(out member_id)" = "$eng|$ann" ] || fail "the group member's id is $(out member_id)"
[ "$(out role_id)" = "$ann|$ROLE" ] || fail "the user role's id is $(out role_id)"
api GET "$SCIM/Groups/$eng" >"$WORK/eng.json"
[ "$(py 'sorted(m["value"] for m in j["members"])' <"$WORK/eng.json")" = "$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$ann" "$etl" "$analysts")" ] ||
	fail "eng's members: $(cat "$WORK/eng.json")"
[ "$(py 'sorted(e["value"] for e in j["entitlements"])' <"$WORK/eng.json")" = "['allow-cluster-create', 'allow-instance-pool-create']" ] ||
	fail "eng's entitlements: $(cat "$WORK/eng.json")"
[ "$(has roles "Groups/$eng" "$ROLE")" = yes ] || fail "the group has no role"
[ "$(has members "Groups/$analysts" "$bob")" = yes ] || fail "bob is not an analyst"
[ "$(has entitlements "Groups/$USERS_GROUP" databricks-sql-access)" = yes ] || fail "the users group lacks SQL access"
ok "two groups, three users and a service principal with members, entitlements and roles apply and plan clean"

# A member taken out of its group by REST is drift; apply puts it back.
api PATCH "$SCIM/Groups/$eng" "{$PATCH_OP,\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$ann\\\"]\"}]}"
[ "$(has members "Groups/$eng" "$ann")" = no ] || fail "the REST remove did not take"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_group_member.ann_eng will be created'
apply_clean
[ "$(has members "Groups/$eng" "$ann")" = yes ] || fail "apply did not put ann back in the group"
ok "a member removed by REST is drift, and apply restores it"

# A user deactivated by REST (the official provider's own form) is drift.
api PATCH "$SCIM/Users/$bob" "{$PATCH_OP,\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":[{\"value\":\"false\"}]}]}"
[ "$(api GET "$SCIM/Users/$bob" | py 'j["active"]')" = False ] || fail "the REST deactivation did not take"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'active += false -> true'
apply_clean
[ "$(api GET "$SCIM/Users/$bob" | py 'j["active"]')" = True ] || fail "apply did not reactivate bob"
[ "$(has members "Groups/$analysts" "$bob")" = yes ] || fail "the PUT took bob out of his group"
ok "a user deactivated by REST is drift, and apply reactivates it"

# Entitlements granted or taken away by REST are drift, on a principal's
# flags and on databricks_entitlements alike.
api PATCH "$SCIM/Groups/$analysts" "{$PATCH_OP,\"Operations\":[{\"op\":\"add\",\"path\":\"entitlements\",\"value\":[{\"value\":\"allow-cluster-create\"}]}]}"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'allow_cluster_create += true -> false'
apply_clean
[ "$(has entitlements "Groups/$analysts" allow-cluster-create)" = no ] || fail "apply did not take the entitlement back"
[ "$(has entitlements "Groups/$analysts" databricks-sql-access)" = yes ] || fail "apply took SQL access away"
api PATCH "$SCIM/ServicePrincipals/$etl" "{$PATCH_OP,\"Operations\":[{\"op\":\"remove\",\"path\":\"entitlements[value eq \\\"allow-cluster-create\\\"]\"}]}"
api PATCH "$SCIM/Groups/$USERS_GROUP" "{$PATCH_OP,\"Operations\":[{\"op\":\"remove\",\"path\":\"entitlements[value eq \\\"workspace-access\\\"]\"}]}"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_entitlements.workspace_users will be updated in-place'
expect_output 'databricks_service_principal.etl will be updated in-place'
apply_clean
[ "$(has entitlements "ServicePrincipals/$etl" allow-cluster-create)" = yes ] || fail "apply did not give the entitlement back"
[ "$(has entitlements "Groups/$USERS_GROUP" workspace-access)" = yes ] || fail "apply did not give the users group workspace access back"
ok "entitlements changed by REST are drift, and apply restores them"

# A new display name is an update in place: a PUT that keeps the user's
# groups and roles, which Terraform manages elsewhere.
principals_config "Ann Lee-Smith"
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_user.ann will be updated in-place'
expect_output 'Plan: 0 to add, 1 to change, 0 to destroy'
apply_clean
[ "$(out ann)" = "$ann" ] || fail "the user was replaced"
[ "$(api GET "$SCIM/Users/$ann" | py 'j["displayName"]')" = "Ann Lee-Smith" ] || fail "the display name did not change"
[ "$(has roles "Users/$ann" "$ROLE")" = yes ] || fail "the update took ann's role away"
[ "$(has groups "Users/$ann" "$eng")" = yes ] || fail "the update took ann out of her group"
[ "$(emulator_count "PUT $SCIM/Users/$ann")" -ge 1 ] || fail "the update was not a PUT"
# The PUT carried the whole user: its name, entitlements and schema.
curl -sS "$EMU_URL/_emulator/requests" | python3 -c '
import json, sys
puts = [r for r in json.load(sys.stdin)["requests"]
        if r["method"] == "PUT" and r["path"].endswith("/Users/" + sys.argv[1])]
b = puts[-1]["body"]
assert b["userName"] == "Ann.Lee@Example.com", b
assert b["entitlements"] == [{"value": "workspace-access"}], b
assert b["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:User"], b
assert b["active"] is True, b' "$ann" || fail "the PUT's body"
ok "a changed display name is a PUT in place that keeps groups and roles"

# A group renamed in place keeps its id, members and entitlements.
principals_config "Ann Lee-Smith" "Analysts Team"
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_group.analysts will be updated in-place'
expect_output 'acl_principal_id += "groups/Analysts" -> "groups/Analysts Team"'
apply_clean
[ "$(out analysts)" = "$analysts" ] || fail "the group was replaced"
[ "$(api GET "$SCIM/Groups/$analysts" | py 'j["displayName"]')" = "Analysts Team" ] || fail "the group was not renamed"
[ "$(has members "Groups/$analysts" "$bob")" = yes ] || fail "the rename took bob out of the group"
[ "$(has members "Groups/$eng" "$analysts")" = yes ] || fail "the rename took the group out of eng"
[ "$(has entitlements "Groups/$analysts" databricks-sql-access)" = yes ] || fail "the rename lost the entitlement"
ok "a renamed group is a PUT in place that keeps its members"

# A member deleted behind Terraform's back leaves its groups: the
# membership is gone from the state, and the next apply makes both again.
api DELETE "$SCIM/Users/$bob"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_user.bob will be created'
expect_output 'databricks_group_member.bob_analysts will be created'
apply_clean
bob=$(out bob)
[ "$(has members "Groups/$analysts" "$bob")" = yes ] || fail "the new bob is not an analyst"
ok "a user deleted by REST takes its memberships; apply makes both again"

expect_exit 0 destroy -auto-approve
for id in "$ann" "$bob"; do
	[ "$(api GET "$SCIM/Users/$id" | py 'j.get("status")')" = 404 ] || fail "destroy left user $id"
done
[ "$(api GET "$SCIM/Users/$frank" | py 'j["active"]')" = False ] || fail "frank was not deactivated"
[ "$(api GET "$SCIM/ServicePrincipals/$etl" | py 'j.get("status")')" = 404 ] || fail "destroy left the service principal"
for id in "$eng" "$analysts"; do
	[ "$(api GET "$SCIM/Groups/$id" | py 'j.get("status")')" = 404 ] || fail "destroy left group $id"
done
[ "$(has entitlements "Groups/$USERS_GROUP" databricks-sql-access)" = no ] || fail "destroy left the users group SQL access"
[ "$(has entitlements "Groups/$USERS_GROUP" workspace-access)" = no ] || fail "destroy left the users group workspace access"
ok "destroy deletes what it made, deactivates frank and takes the entitlements back"
done_testing
