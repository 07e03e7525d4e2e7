#!/usr/bin/env bash
# A cluster under a cluster policy that fixes a custom tag and a Spark
# setting: the workspace adds them to the cluster, but they are not in its
# spec (what the user asked for), so they are not drift, unlike with the
# official provider (its issue #3653); a tag the user changes still is.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 300

definition='{\"custom_tags.cost-center\":{\"type\":\"fixed\",\"value\":\"cc-42\"},\"spark_conf.spark.databricks.acl.dfAclsEnabled\":{\"type\":\"fixed\",\"value\":\"true\"}}'
policy_id=$(api POST /api/2.0/policies/clusters/create "{\"name\":\"finance\",\"definition\":\"$definition\"}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["policy_id"])')
[ -n "$policy_id" ] || fail "no policy id"

write_config() {
	config_text <<EOF_TF
resource "databricks_cluster" "c" {
  cluster_name  = "under-policy"
  spark_version = "15.4.x-scala2.12"
  node_type_id  = "i3.xlarge"
  num_workers   = 1
  policy_id     = "$policy_id"
  custom_tags   = { team = "$1" }
}
output "id" { value = databricks_cluster.c.id }
EOF_TF
}

write_config data
apply_clean
tf output -raw id
id=$(cat "$WORK/last.out")
api GET "/api/2.1/clusters/get?cluster_id=$id" >"$WORK/cluster.json"
python3 - "$WORK/cluster.json" <<'PY' || fail "the policy did not add its values: $(cat "$WORK/cluster.json")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["custom_tags"] == {"team": "data", "cost-center": "cc-42"}, c["custom_tags"]
assert c["spark_conf"]["spark.databricks.acl.dfAclsEnabled"] == "true", c
assert c["spec"]["custom_tags"] == {"team": "data"}, c["spec"]
PY
ok "the policy's tag and Spark setting are on the cluster, and plans (refresh-only too) are clean"

write_config ml
expect_exit 2 plan -detailed-exitcode
expect_output 'team" *= *"data" -> "ml"'
apply_clean
ok "a tag the user changes is a change; after apply, plans are clean again"
expect_exit 0 destroy -auto-approve
done_testing
