#!/usr/bin/env bash
# databricks_library in the official provider's style: a PyPI package and
# a wheel on a running cluster install and plan clean (a cluster whose
# configuration has no library block leaves its libraries alone); a library uninstalled by REST is drift that
# the next apply installs again; on a terminated cluster a library is
# queued without starting the cluster; destroy uninstalls.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 100 --library-install-ms 100

write_config() {
	config_text <<EOF_TF
resource "databricks_cluster" "shared" {
  cluster_name            = "shared"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "i3.xlarge"
  num_workers             = 1
  autotermination_minutes = 20
}
resource "databricks_library" "requests" {
  cluster_id = databricks_cluster.shared.id
  pypi {
    package = "requests==2.31.0"
  }
}
resource "databricks_library" "etl" {
  cluster_id = databricks_cluster.shared.id
  whl        = "/Workspace/Shared/etl-1.0-py3-none-any.whl"
}
$1
output "cluster_id" { value = databricks_cluster.shared.id }
output "requests_id" { value = databricks_library.requests.id }
EOF_TF
}

# events TYPE: how many events of TYPE the cluster has had.
events() {
	api POST /api/2.1/clusters/events "{\"cluster_id\":\"$CLUSTER\",\"limit\":500}" |
		python3 -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin).get("events",[]) if e["type"]==sys.argv[1]))' "$1"
}
cluster_state() {
	api GET "/api/2.1/clusters/get?cluster_id=$CLUSTER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'
}

# statuses: "<library json>=<status>" per library of the cluster, sorted.
statuses() {
	api GET "/api/2.0/libraries/cluster-status?cluster_id=$CLUSTER" | python3 -c '
import json, sys
for s in sorted(json.load(sys.stdin).get("library_statuses", []), key=lambda s: json.dumps(s["library"], sort_keys=True)):
    print(json.dumps(s["library"], sort_keys=True) + "=" + s["status"])'
}

write_config ""
apply_clean
tf output -raw cluster_id
CLUSTER=$(cat "$WORK/last.out")
tf output -raw requests_id
[ "$(cat "$WORK/last.out")" = "pypi:requests==2.31.0" ] || fail "id $(cat "$WORK/last.out")"
st=$(statuses)
grep -qF '{"pypi": {"package": "requests==2.31.0"}}=INSTALLED' <<<"$st" || fail "requests: $st"
grep -qF '{"whl": "/Workspace/Shared/etl-1.0-py3-none-any.whl"}=INSTALLED' <<<"$st" || fail "whl: $st"
[ "$(events RESTARTING)" = 0 ] && [ "$(events TERMINATING)" = 0 ] ||
	fail "installing restarted the cluster: $(events RESTARTING) restarts"
[ "$(cluster_state)" = RUNNING ] || fail "cluster $(cluster_state) after the install"
ok "two libraries install on a running cluster without restarting it, and plan clean"

write_config ""
sed -i '/resource "databricks_library" "etl"/,/^}/d' "$WORK/cfg/main.tf"
apply_clean
st=$(statuses)
grep -qF '{"whl": "/Workspace/Shared/etl-1.0-py3-none-any.whl"}=UNINSTALL_ON_RESTART' <<<"$st" || fail "whl after removal: $st"
[ "$(events RESTARTING)" = 0 ] && [ "$(cluster_state)" = RUNNING ] || fail "removing a library restarted the cluster"
write_config ""
apply_clean
ok "a library removed from the configuration is uninstalled and the cluster keeps running"

api POST /api/2.0/libraries/uninstall \
	"{\"cluster_id\":\"$CLUSTER\",\"libraries\":[{\"pypi\":{\"package\":\"requests==2.31.0\"}}]}" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_library.requests will be created'
apply_clean
ok "a library uninstalled by REST is drift, and apply installs it again"

api POST /api/2.1/clusters/delete "{\"cluster_id\":\"$CLUSTER\"}" >/dev/null
for _ in $(seq 1 50); do
	[ "$(api GET "/api/2.1/clusters/get?cluster_id=$CLUSTER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = TERMINATED ] && break
	sleep 0.1
done
write_config 'resource "databricks_library" "late" {
  cluster_id = databricks_cluster.shared.id
  maven {
    coordinates = "com.example:udfs:1.0.0"
    exclusions  = ["org.slf4j:slf4j-api"]
  }
}'
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
[ "$(api GET "/api/2.1/clusters/get?cluster_id=$CLUSTER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = TERMINATED ] ||
	fail "installing on a terminated cluster started it"
tf state show databricks_library.late
expect_output 'id += "mvn:com.example:udfs:1.0.0org.slf4j:slf4j-api"'
ok "a library on a terminated cluster is queued without starting it"

expect_exit 0 destroy -auto-approve
ok "destroy uninstalls"

done_testing
