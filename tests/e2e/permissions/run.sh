#!/usr/bin/env bash
# databricks_permissions against the emulator's Permissions API, in the
# official provider's configuration style, with principals made by REST:
# a job (CAN_MANAGE_RUN to a group, CAN_VIEW to a user), a cluster
# (CAN_RESTART), a cluster policy (CAN_USE) and tokens (CAN_USE) apply and
# plan clean; a permission granted by REST is drift that the next apply
# revokes, and the admins' entry stays; IS_OWNER moves in one apply and a
# configuration without an owner keeps the current one, clean; invalid
# levels fail at plan time naming the attribute; a principal that does not
# exist fails the apply with the API's message and the state keeps what
# was there; import by /jobs/<id> and /authorization/tokens plans clean;
# destroy leaves only the admins and the object's creator.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 100
SCIM=/api/2.0/preview/scim/v2
SP=9d2b7c1e-4f3a-4b8e-8c6d-1a2b3c4d5e6f

for u in alice@example.com bob@example.com carol@example.com; do
	api POST $SCIM/Users "{\"userName\":\"$u\"}" >/dev/null
done
for g in data-engineers analysts; do
	api POST $SCIM/Groups "{\"displayName\":\"$g\"}" >/dev/null
done
api POST $SCIM/ServicePrincipals \
	"{\"applicationId\":\"$SP\",\"displayName\":\"etl-runner\"}" >/dev/null

# acl PATH: the object's direct entries, one "principal=LEVEL" per line,
# sorted; inherited ones are marked "(inherited)".
acl() {
	api GET "/api/2.0/permissions$1" | python3 -c '
import json, sys
out = []
for e in json.load(sys.stdin).get("access_control_list", []):
    who = e.get("user_name") or e.get("group_name") or e.get("service_principal_name")
    for p in e.get("all_permissions", []):
        out.append("%s=%s%s" % (who, p["permission_level"], " (inherited)" if p.get("inherited") else ""))
print("\n".join(sorted(out)))'
}

write_config() {
	local owner_block=$1 job_user=${2:-alice@example.com}
	config_text <<EOF_TF
resource "databricks_job" "etl" {
  name = "nightly etl"
  task {
    task_key = "main"
    notebook_task { notebook_path = "/etl/main" }
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 1
    }
  }
}
resource "databricks_cluster" "shared" {
  cluster_name            = "shared"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "i3.xlarge"
  num_workers             = 1
  autotermination_minutes = 20
}
resource "databricks_cluster_policy" "team" {
  name       = "team"
  definition = jsonencode({ "autotermination_minutes" = { type = "fixed", value = 20 } })
}
resource "databricks_permissions" "job" {
  job_id = databricks_job.etl.id
  access_control {
    group_name       = "data-engineers"
    permission_level = "CAN_MANAGE_RUN"
  }
  access_control {
    user_name        = "$job_user"
    permission_level = "CAN_VIEW"
  }
$owner_block
}
resource "databricks_permissions" "cluster" {
  cluster_id = databricks_cluster.shared.id
  access_control {
    group_name       = "analysts"
    permission_level = "CAN_RESTART"
  }
  access_control {
    service_principal_name = "$SP"
    permission_level       = "CAN_ATTACH_TO"
  }
}
resource "databricks_permissions" "policy" {
  cluster_policy_id = databricks_cluster_policy.team.id
  access_control {
    group_name       = "data-engineers"
    permission_level = "CAN_USE"
  }
}
resource "databricks_permissions" "tokens" {
  authorization = "tokens"
  access_control {
    group_name       = "data-engineers"
    permission_level = "CAN_USE"
  }
}
output "job_id" { value = databricks_job.etl.id }
output "job_perm_id" { value = databricks_permissions.job.id }
output "cluster_id" { value = databricks_cluster.shared.id }
EOF_TF
}

# --- a team's permissions ---------------------------------------------------

write_config ""
apply_clean
tf output -raw job_id
JOB=$(cat "$WORK/last.out")
tf output -raw cluster_id
CLUSTER=$(cat "$WORK/last.out")
tf output -raw job_perm_id
[ "$(cat "$WORK/last.out")" = "/jobs/$JOB" ] || fail "the job's permissions ID is $(cat "$WORK/last.out")"
job_acl=$(acl "/jobs/$JOB")
for want in "data-engineers=CAN_MANAGE_RUN" "alice@example.com=CAN_VIEW" \
	"admin@example.com=IS_OWNER" "admins=CAN_MANAGE (inherited)"; do
	grep -qxF "$want" <<<"$job_acl" || fail "job ACL lacks $want: $job_acl"
done
cluster_acl=$(acl "/clusters/$CLUSTER")
for want in "analysts=CAN_RESTART" "$SP=CAN_ATTACH_TO" "admin@example.com=CAN_MANAGE"; do
	grep -qxF "$want" <<<"$cluster_acl" || fail "cluster ACL lacks $want: $cluster_acl"
done
grep -qxF "data-engineers=CAN_USE" <<<"$(acl /authorization/tokens)" ||
	fail "tokens ACL: $(acl /authorization/tokens)"
ok "a job, a cluster, a policy and tokens get their ACLs; the owner and the caller stay; plans are clean"

# --- drift by REST ----------------------------------------------------------

api PATCH "/api/2.0/permissions/jobs/$JOB" \
	'{"access_control_list":[{"user_name":"bob@example.com","permission_level":"CAN_MANAGE"}]}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'bob@example.com'
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_permissions.job will be updated in-place'
apply_clean
job_acl=$(acl "/jobs/$JOB")
grep -q "bob@example.com" <<<"$job_acl" && fail "bob's grant was not revoked: $job_acl"
grep -qxF "admins=CAN_MANAGE (inherited)" <<<"$job_acl" || fail "admins lost their entry: $job_acl"
grep -qxF "admin@example.com=IS_OWNER" <<<"$job_acl" || fail "the owner changed: $job_acl"
ok "a grant made by REST is drift, and apply revokes it; admins and the owner stay"

# A user name in another case than the workspace's is the same principal:
# the workspace answers with its own spelling, which is not drift.
write_config "" "Alice@Example.com"
apply_clean
grep -qxF "alice@example.com=CAN_VIEW" <<<"$(acl "/jobs/$JOB")" ||
	fail "ACL after a user name in other case: $(acl "/jobs/$JOB")"
write_config ""
apply_clean
ok "a user name in other case than the workspace's plans clean"

# --- owners -----------------------------------------------------------------

write_config '  access_control {
    service_principal_name = "'"$SP"'"
    permission_level       = "IS_OWNER"
  }'
expect_exit 2 plan -detailed-exitcode
apply_clean
job_acl=$(acl "/jobs/$JOB")
grep -qxF "$SP=IS_OWNER" <<<"$job_acl" || fail "ownership did not move: $job_acl"
[ "$(grep -c IS_OWNER <<<"$job_acl")" = 1 ] || fail "more than one owner: $job_acl"
write_config ""
expect_exit 2 plan -detailed-exitcode
apply_clean
grep -qxF "$SP=IS_OWNER" <<<"$(acl "/jobs/$JOB")" ||
	fail "leaving the owner out changed it: $(acl "/jobs/$JOB")"
ok "IS_OWNER moves in one apply; a configuration without an owner keeps it and plans clean"

# --- plan-time checks ---------------------------------------------------------

write_config '  access_control {
    group_name       = "analysts"
    permission_level = "CAN_RESTART"
  }'
expect_exit 1 plan
# (A set's element has no path in the protocol: Terraform points at the
# resource, and the message names the argument and the object type.)
expect_output 'permission_level CAN_RESTART is not supported with job_id objects'
expect_output 'databricks_permissions.job'
expect_output 'CAN_VIEW, CAN_MANAGE_RUN, IS_OWNER, CAN_MANAGE'
write_config '  access_control {
    group_name       = "admins"
    permission_level = "CAN_MANAGE"
  }'
expect_exit 1 plan
expect_output 'admins group is not configurable'
ok "invalid levels and the admins group fail at plan time with the attribute"

# --- a principal that does not exist -----------------------------------------

write_config "" "nobody@example.com"
expect_exit 1 apply -auto-approve
expect_output 'nobody@example.com'
tf state show databricks_permissions.job
expect_output 'alice@example.com'
grep -qxF "alice@example.com=CAN_VIEW" <<<"$(acl "/jobs/$JOB")" ||
	fail "a failed PUT changed the ACL: $(acl "/jobs/$JOB")"
write_config ""
expect_exit 0 plan -detailed-exitcode
ok "an unknown principal fails the apply with the API's message; state and ACL are as before"

# --- import -------------------------------------------------------------------

tf state rm databricks_permissions.job databricks_permissions.tokens
expect_exit 0 import databricks_permissions.job "/jobs/$JOB"
expect_exit 0 import databricks_permissions.tokens /authorization/tokens
expect_exit 0 plan -detailed-exitcode
# (import records no dependencies, so the first refresh-only plan after it
# would report them; an apply with no changes records them.)
expect_exit 0 apply -auto-approve
expect_output 'Resources: 0 added, 0 changed, 0 destroyed'
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 1 import databricks_permissions.job "jobs-$JOB"
ok "import by /jobs/<id> and /authorization/tokens plans clean"

# --- destroy ------------------------------------------------------------------

tf destroy -auto-approve -target databricks_permissions.cluster \
	-target databricks_permissions.tokens || { cat "$WORK/last.out"; fail "destroy"; }
cluster_acl=$(acl "/clusters/$CLUSTER")
grep -q "analysts\|$SP" <<<"$cluster_acl" && fail "destroy left grants: $cluster_acl"
grep -qxF "admin@example.com=CAN_MANAGE" <<<"$cluster_acl" || fail "destroy removed the caller: $cluster_acl"
grep -q "data-engineers" <<<"$(acl /authorization/tokens)" && fail "tokens ACL kept its grant"
expect_exit 0 destroy -auto-approve
ok "destroy revokes what the resources granted and keeps the caller"

done_testing
