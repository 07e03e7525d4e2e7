#!/usr/bin/env bash
# databricks_cluster_policy, resource and data source, in the official
# provider's configuration style: a policy with a definition, libraries and
# a per-user limit; a policy from a family with overrides; clusters and a
# job cluster that use them; drift made by REST; import by policy ID.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 200
POL=/api/2.0/policies/clusters

write_config() {
	config_text <<EOF_TF
locals {
  team_rules = {
    "spark_version"           = { type = "unlimited", defaultValue = "auto:latest-lts" }
    "custom_tags.Team"        = { type = "fixed", value = "$1" }
    "autotermination_minutes" = { type = "fixed", value = 20, hidden = true }
  }
}
resource "databricks_cluster_policy" "team" {
  name                  = "team policy"
  definition            = jsonencode(local.team_rules)
  description           = "for the team"
  max_clusters_per_user = 3
  libraries {
    pypi {
      package = "requests==2.31.0"
    }
  }
  libraries {
    jar = "s3://libs/etl.jar"
  }
}
# Written by hand: other key order and white space than any JSON encoder.
resource "databricks_cluster_policy" "raw" {
  name       = "raw text"
  definition = <<-JSON
    {
      "spark_conf.spark.databricks.io.cache.enabled" : { "value" : "true", "type" : "fixed" },
      "dbus_per_hour":{"type":"range","maxValue":10}
    }
  JSON
  # Never sent to the workspace: kept from the configuration.
  libraries {
    whl = "s3://libs/tools.whl"
    provider_config {
      workspace_id = "1234567890"
    }
  }
}
resource "databricks_cluster_policy" "personal" {
  name             = "personal vm for the team"
  policy_family_id = "personal-vm"
  policy_family_definition_overrides = jsonencode({
    "autotermination_minutes" = { type = "fixed", value = 220, hidden = true }
  })
}
data "databricks_cluster_policy" "by_name" {
  name       = databricks_cluster_policy.team.name
  depends_on = [databricks_cluster_policy.team]
}
data "databricks_cluster_policy" "by_id" {
  id = databricks_cluster_policy.raw.id
}
resource "databricks_cluster" "c" {
  cluster_name  = "under team policy"
  spark_version = "15.4.x-scala2.12"
  node_type_id  = "i3.xlarge"
  num_workers   = 1
  policy_id     = databricks_cluster_policy.team.id
}
resource "databricks_job" "j" {
  name = "under a policy"
  job_cluster {
    job_cluster_key = "main"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 1
      policy_id     = databricks_cluster_policy.personal.policy_id
    }
  }
  task {
    task_key        = "t"
    job_cluster_key = "main"
    notebook_task {
      notebook_path = "/Shared/etl"
    }
  }
}
output "team_id" { value = databricks_cluster_policy.team.id }
output "raw_id" { value = databricks_cluster_policy.raw.id }
output "by_name_id" { value = data.databricks_cluster_policy.by_name.id }
output "by_name_max" { value = data.databricks_cluster_policy.by_name.max_clusters_per_user }
output "by_id_name" { value = data.databricks_cluster_policy.by_id.name }
output "personal_definition" { value = databricks_cluster_policy.personal.definition }
EOF_TF
}

out() {
	tf output -raw "$1"
	cat "$WORK/last.out"
}

write_config data
apply_clean
team=$(out team_id)
raw=$(out raw_id)
[ "$(out by_name_id)" = "$team" ] || fail "data source by name: $(out by_name_id), want $team"
[ "$(out by_name_max)" = 3 ] || fail "data source max_clusters_per_user: $(out by_name_max)"
[ "$(out by_id_name)" = "raw text" ] || fail "data source by id: $(out by_id_name)"
out personal_definition | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["autotermination_minutes"]["value"] == 220, d
assert len(d) > 1, d' || fail "the family policy's definition is not the family's with the override"
api GET "$POL/get?policy_id=$team" | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert p["max_clusters_per_user"] == 3, p
assert p["description"] == "for the team", p
assert {"pypi": {"package": "requests==2.31.0"}} in p["libraries"], p
assert {"jar": "s3://libs/etl.jar"} in p["libraries"], p' || fail "the workspace's policy differs from the configuration"
ok "policies (definition, libraries, limit, family with overrides), data sources by name and id, a cluster and a job cluster under them: apply and plans clean"

# The workspace answers the same document in another form: not drift.
api POST "$POL/edit" "$(python3 - "$raw" <<'PY'
import json, sys
print(json.dumps({"policy_id": sys.argv[1], "name": "raw text",
                  "libraries": [{"whl": "s3://libs/tools.whl"}],
                  "definition": json.dumps({"dbus_per_hour": {"maxValue": 10, "type": "range"},
                                            "spark_conf.spark.databricks.io.cache.enabled": {"type": "fixed", "value": "true"}},
                                           separators=(",", ":"))}))
PY
)" >/dev/null
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
ok "a definition with other key order and white space is the same policy: no drift"

# A rule changed by REST is drift; apply restores the configured one.
api POST "$POL/edit" "$(python3 - "$team" <<'PY'
import json, sys
print(json.dumps({"policy_id": sys.argv[1], "name": "team policy",
                  "max_clusters_per_user": 3, "description": "for the team",
                  "libraries": [{"pypi": {"package": "requests==2.31.0"}}, {"jar": "s3://libs/etl.jar"}],
                  "definition": json.dumps({"custom_tags.Team": {"type": "fixed", "value": "intruder"}})}))
PY
)" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'intruder'
apply_clean
api GET "$POL/get?policy_id=$team" | python3 -c '
import json, sys
d = json.loads(json.load(sys.stdin)["definition"])
assert d["custom_tags.Team"]["value"] == "data", d' || fail "apply did not restore the definition"
ok "a definition edited by REST is drift (refresh-only exits 2), and apply restores it"

# A change of the configuration is an edit in place: the ID stays.
write_config ml
expect_exit 2 plan -detailed-exitcode
expect_output '1 to change'
apply_clean
[ "$(out team_id)" = "$team" ] || fail "the policy was replaced"
ok "a rule changed in the configuration edits the policy in place"

# Deleted by REST: the next plan creates it again.
api POST "$POL/delete" "{\"policy_id\":\"$raw\"}" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
ok "a policy deleted by REST is created again"

# Import by the policy ID, as the official provider documents it.
expect_exit 0 state rm databricks_cluster_policy.team
expect_exit 0 import databricks_cluster_policy.team "$team"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by policy ID plans clean"

expect_exit 0 destroy -auto-approve
n=$(api GET "$POL/list" | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("policies") or []))')
[ "$n" = 0 ] || fail "policies left after destroy: $n"
ok "destroy deletes every policy"

# A workspace's built-in policy (made here by REST, as a workspace has it
# from the start) is overridden in place, as the official provider
# documents: same ID, no second policy, and destroy gives it back its
# family's definition instead of deleting it.
builtin=$(api POST "$POL/create" '{"name":"Personal Compute","policy_family_id":"personal-vm"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["policy_id"])')
config_text <<'EOF_TF'
resource "databricks_cluster_policy" "personal_vm" {
  name             = "Personal Compute"
  policy_family_id = "personal-vm"
  policy_family_definition_overrides = jsonencode({
    "autotermination_minutes" = { type = "fixed", value = 220, hidden = true }
  })
}
output "id" { value = databricks_cluster_policy.personal_vm.id }
EOF_TF
apply_clean
[ "$(out id)" = "$builtin" ] || fail "the built-in policy was not overridden: $(out id), want $builtin"
api GET "$POL/list" | python3 -c '
import json, sys
ps = json.load(sys.stdin)["policies"]
assert len(ps) == 1, ps
assert "220" in ps[0]["definition"], ps[0]' || fail "overriding made a second policy or lost the override"
expect_exit 0 destroy -auto-approve
api GET "$POL/get?policy_id=$builtin" | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert not p.get("policy_family_definition_overrides"), p
assert "220" not in p["definition"], p' || fail "destroy did not give the built-in policy back its family's definition"
ok "a built-in policy is overridden in place, and destroy restores it"
done_testing
