#!/usr/bin/env bash
# databricks_group, databricks_user, databricks_users,
# databricks_service_principal and databricks_service_principals against
# the emulator's SCIM directory, in the official provider's style, with
# principals made by REST: a group of 1,500 users and 2 service principals
# (lists served 100 records a page, so every list crosses pages), child
# groups in a membership cycle walked by recursive; the plans after apply
# are empty; a user added by REST is seen; lookups of missing principals
# fail with a message.
source "$(dirname "$0")/../lib.sh"
start_emulator
# Lists serve at most 100 records a page: the 1,500 users take 15 pages.
curl -sS -X POST -H 'Content-Type: application/json' \
	--data '{"page_size": 100}' "$EMU_URL/_emulator/scim/settings" >/dev/null

# The directory, made by one keep-alive connection: 1,500 users, three
# service principals, and groups big (the users, two service principals,
# child), child (a user, a service principal, grandchild), grandchild (a
# user, and child again: a cycle) and parent (big).
python3 - "$EMU_URL" "$E2E_TOKEN" >"$WORK/ids.json" <<'EOF_PY'
import http.client, json, sys, urllib.parse
url, token = urllib.parse.urlparse(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection(url.hostname, url.port)
def post(kind, body):
    conn.request("POST", "/api/2.0/preview/scim/v2/" + kind, json.dumps(body),
                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    assert r.status == 201, (r.status, data)
    return json.loads(data)["id"]
users = [post("Users", {"userName": "u%04d@corp.example" % i, "displayName": "Load User %d" % i})
         for i in range(1500)]
sps = {name: post("ServicePrincipals", {"applicationId": app, "displayName": name})
       for name, app in [("etl-a", "11111111-1111-4111-8111-111111111111"),
                         ("etl-b", "22222222-2222-4222-8222-222222222222"),
                         ("reporting", "33333333-3333-4333-8333-333333333333")]}
child_user = post("Users", {"userName": "child@other.example"})
grand_user = post("Users", {"userName": "grand@other.example", "displayName": "Grand Child",
                            "externalId": "ext-grand", "emails": [{"value": "grand@other.example", "type": "work", "primary": True}],
                            "name": {"givenName": "Grand", "familyName": "Child"}})
grand = post("Groups", {"displayName": "grandchild", "members": [{"value": grand_user}]})
child = post("Groups", {"displayName": "child",
                        "members": [{"value": child_user}, {"value": sps["reporting"]}, {"value": grand}]})
# The cycle: grandchild also contains child.
conn.request("PATCH", "/api/2.0/preview/scim/v2/Groups/" + grand, json.dumps(
    {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations": [{"op": "add", "path": "members", "value": [{"value": child}]}]}),
    {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
r = conn.getresponse(); r.read(); assert r.status in (200, 204), r.status
big = post("Groups", {"displayName": "big", "externalId": "ext-big",
                      "members": [{"value": u} for u in users] +
                                 [{"value": sps["etl-a"]}, {"value": sps["etl-b"]}, {"value": child}],
                      "entitlements": [{"value": "allow-cluster-create"}, {"value": "databricks-sql-access"}],
                      "roles": [{"value": "arn:aws:iam::123456789012:instance-profile/big"}]})
parent = post("Groups", {"displayName": "parent", "members": [{"value": big}]})
json.dump({"users": users, "sps": sps, "child_user": child_user, "grand_user": grand_user,
           "grand": grand, "child": child, "big": big, "parent": parent}, sys.stdout)
EOF_PY
ids() { python3 -c "import json,sys; d=json.load(open('$WORK/ids.json')); print(eval(sys.argv[1]))" "$1"; }
BIG=$(ids 'd["big"]')
USER7=$(ids 'd["users"][7]')
ok "1,500 users, 3 service principals and 4 groups made by REST"

config_text <<EOF_TF
data "databricks_group" "big" {
  display_name = "big"
}
data "databricks_group" "big_flat" {
  display_name = "big"
  recursive    = false
}
data "databricks_user" "by_name" {
  user_name = "u0007@corp.example"
}
data "databricks_user" "by_id" {
  user_id = "$USER7"
}
data "databricks_service_principal" "by_app" {
  application_id = "11111111-1111-4111-8111-111111111111"
}
data "databricks_service_principal" "by_name" {
  display_name = "etl-b"
}
data "databricks_service_principals" "etl" {
  display_name_contains = "etl"
}
data "databricks_users" "load" {
  filter = "userName co \"@corp.example\""
}
data "databricks_users" "grand" {
  filter           = "userName eq \"grand@other.example\""
  extra_attributes = "emails,name,groups,active"
}
# Counts go out as strings: a number an expression computes (length())
# makes terraform 1.11's refresh-only plan report a change of the output
# even when it is equal, whatever the provider does.
output "group" {
  value = {
    id                    = data.databricks_group.big.id
    users                 = tostring(length(data.databricks_group.big.users))
    flat_users            = tostring(length(data.databricks_group.big_flat.users))
    members               = tostring(length(data.databricks_group.big.members))
    service_principals    = sort(data.databricks_group.big.service_principals)
    flat_sps              = tostring(length(data.databricks_group.big_flat.service_principals))
    child_groups          = sort(data.databricks_group.big.child_groups)
    flat_child_groups     = sort(data.databricks_group.big_flat.child_groups)
    groups                = sort(data.databricks_group.big.groups)
    instance_profiles     = sort(data.databricks_group.big.instance_profiles)
    external_id           = data.databricks_group.big.external_id
    acl_principal_id      = data.databricks_group.big.acl_principal_id
    allow_cluster_create  = data.databricks_group.big.allow_cluster_create
    databricks_sql_access = data.databricks_group.big.databricks_sql_access
    workspace_access      = data.databricks_group.big.workspace_access
  }
}
output "user" {
  value = {
    id               = data.databricks_user.by_name.id
    by_id_name       = data.databricks_user.by_id.user_name
    home             = data.databricks_user.by_name.home
    repos            = data.databricks_user.by_name.repos
    alphanumeric     = data.databricks_user.by_name.alphanumeric
    display_name     = data.databricks_user.by_name.display_name
    acl_principal_id = data.databricks_user.by_name.acl_principal_id
    active           = data.databricks_user.by_name.active
  }
}
output "sp" {
  value = {
    by_app_name      = data.databricks_service_principal.by_app.display_name
    by_app_id        = data.databricks_service_principal.by_app.sp_id
    by_name_app      = data.databricks_service_principal.by_name.application_id
    home             = data.databricks_service_principal.by_name.home
    acl_principal_id = data.databricks_service_principal.by_name.acl_principal_id
    application_ids  = sort(data.databricks_service_principals.etl.application_ids)
    names            = [for sp in data.databricks_service_principals.etl.service_principals : sp.display_name]
  }
}
output "users" {
  value = {
    count      = tostring(length(data.databricks_users.load.users))
    first      = data.databricks_users.load.users[0].user_name
    last       = data.databricks_users.load.users[1499].display_name
    grand      = data.databricks_users.grand.users[0]
    # The group's 1,500 direct users are the paged list's 1,500 users.
    in_both = tostring(length(setintersection(
      data.databricks_group.big_flat.users,
      [for u in data.databricks_users.load.users : u.id])))
  }
}
EOF_TF
apply_clean
tf output -json
cp "$WORK/last.out" "$WORK/outputs.json"
python3 - "$WORK/outputs.json" "$WORK/ids.json" <<'EOF_PY' || fail "the data sources' values are wrong"
import json, sys
out = {k: v["value"] for k, v in json.load(open(sys.argv[1])).items()}
ids = json.load(open(sys.argv[2]))
g, u, sp, us = out["group"], out["user"], out["sp"], out["users"]
def check(what, got, want):
    if got != want:
        sys.exit("%s: %r, expected %r" % (what, got, want))
check("group id", g["id"], ids["big"])
# recursive: the 1,500 plus child's and grandchild's users.
check("users", g["users"], "1502")
check("flat users", g["flat_users"], "1500")
check("members", g["members"], str(1500 + 1 + 1 + 3 + 2))
check("service principals", g["service_principals"],
      sorted([ids["sps"]["etl-a"], ids["sps"]["etl-b"], ids["sps"]["reporting"]]))
check("flat service principals", g["flat_sps"], "2")
check("child groups", g["child_groups"], sorted([ids["child"], ids["grand"]]))
check("flat child groups", g["flat_child_groups"], [ids["child"]])
check("groups", g["groups"], [ids["parent"]])
check("instance profiles", g["instance_profiles"], ["arn:aws:iam::123456789012:instance-profile/big"])
check("external id", g["external_id"], "ext-big")
check("acl principal", g["acl_principal_id"], "groups/big")
check("entitlements", (g["allow_cluster_create"], g["databricks_sql_access"], g["workspace_access"]),
      (True, True, False))
check("user id", u["id"], ids["users"][7])
check("user by id", u["by_id_name"], "u0007@corp.example")
check("home", (u["home"], u["repos"]), ("/Users/u0007@corp.example", "/Repos/u0007@corp.example"))
check("alphanumeric", u["alphanumeric"], "u0007")
check("display name", u["display_name"], "Load User 7")
check("user acl", u["acl_principal_id"], "users/u0007@corp.example")
check("active", u["active"], True)
check("sp by app", (sp["by_app_name"], sp["by_app_id"]), ("etl-a", ids["sps"]["etl-a"]))
check("sp by name", sp["by_name_app"], "22222222-2222-4222-8222-222222222222")
check("sp home", sp["home"], "/Users/22222222-2222-4222-8222-222222222222")
check("sp acl", sp["acl_principal_id"], "servicePrincipals/22222222-2222-4222-8222-222222222222")
check("application ids", sp["application_ids"],
      ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"])
check("sp names", sp["names"], ["etl-a", "etl-b"])
check("users count", us["count"], "1500")
check("group users in the paged list", us["in_both"], "1500")
check("users order", (us["first"], us["last"]), ("u0000@corp.example", "Load User 1499"))
grand = us["grand"]
check("grand id", (grand["id"], grand["user_name"], grand["external_id"], grand["active"]),
      (ids["grand_user"], "grand@other.example", "ext-grand", True))
check("grand emails", [(e["value"], e["type"], e["primary"]) for e in grand["emails"]],
      [("grand@other.example", "work", True)])
check("grand name", grand["name"], {"given_name": "Grand", "family_name": "Child"})
# Every user is also in the built-in group "users".
check("grand groups", sorted((x["value"], x["ref"]) for x in grand["groups"]),
      sorted([(ids["grand"], "Groups/" + ids["grand"]), ("4200000000000101", "Groups/4200000000000101")]))
EOF_PY
ok "the data sources apply and plan clean with the directory's values (recursive walks a cycle once)"

pages=$(emulator_count "GET /api/2.0/preview/scim/v2/Users")
[ "$pages" -ge 15 ] || fail "the users were listed in $pages requests, not page by page"
ok "the 1,500 users are listed across SCIM pages ($pages list requests)"

# A user added by REST to the group is seen by the next plan.
NEW=$(api POST /api/2.0/preview/scim/v2/Users '{"userName": "late@corp.example"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api PATCH "/api/2.0/preview/scim/v2/Groups/$BIG" "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": [{\"op\": \"add\", \"path\": \"members\", \"value\": [{\"value\": \"$NEW\"}]}]}" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'users *= *"1502" -> "1503"'
expect_output 'count *= *"1500" -> "1501"'
apply_clean
ok "a user added by REST is seen by the group and the users list"

config_text <<'EOF_TF'
data "databricks_group" "missing" {
  display_name = "no such group"
}
EOF_TF
expect_exit 1 plan
expect_output 'The workspace has no group named "no such group"'
config_text <<'EOF_TF'
data "databricks_service_principal" "missing" {
  application_id = "44444444-4444-4444-8444-444444444444"
}
EOF_TF
expect_exit 1 plan
expect_output 'Service principal not found'
expect_output '44444444-4444-4444-8444-444444444444'
config_text <<'EOF_TF'
data "databricks_user" "both" {
  user_name = "u0001@corp.example"
  user_id   = "1"
}
EOF_TF
expect_exit 1 plan
expect_output 'Set exactly one of user_name and user_id'
ok "missing principals and conflicting arguments fail with a message"
done_testing
