#!/usr/bin/env bash
# databricks_cluster end to end, following the cluster state machine:
# create waits through PENDING and for the libraries; a size change on a
# running cluster resizes it without a restart or an edit; a tag change
# edits it (restarting a running cluster, leaving a terminated one
# terminated); auto-termination by REST is not drift, a worker count
# changed by REST is, and apply restores it; library and pin changes
# neither edit nor restart (nor start a terminated cluster); a change
# while the cluster restarts waits for it; destroy unpins and permanently
# deletes.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 1500 --cluster-resize-ms 500 \
	--cluster-terminate-ms 300 --library-install-ms 500

# field PATH: a dotted path of the JSON on stdin ("" when absent).
field() {
	python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else json.dumps(v) if isinstance(v, (dict, list)) else v)' "$1"
}
cluster() { api GET "/api/2.1/clusters/get?cluster_id=$1" | field "$2"; }
# events ID TYPE: how many events of TYPE the cluster has had.
events() {
	api POST /api/2.1/clusters/events "{\"cluster_id\":\"$1\",\"limit\":500}" |
		python3 -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin).get("events",[]) if e["type"]==sys.argv[1]))' "$2"
}
# wait_state ID STATE: polls until the cluster is in STATE (10 s at most).
wait_state() {
	for _ in $(seq 1 100); do
		[ "$(cluster "$1" state)" = "$2" ] && return 0
		sleep 0.1
	done
	fail "cluster $1 is $(cluster "$1" state), not $2"
}
libraries() {
	api GET "/api/2.0/libraries/cluster-status?cluster_id=$1" |
		python3 -c 'import json,sys; print(" ".join(sorted(s["status"] for s in json.load(sys.stdin).get("library_statuses",[]))))'
}

# write_config WORKERS TEAM [EXTRA]: the cluster under test.
write_config() {
	config_text <<EOF_TF
resource "databricks_cluster" "etl" {
  cluster_name            = "etl"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "i3.xlarge"
  num_workers             = $1
  autotermination_minutes = 30
  custom_tags             = { team = "$2" }
  spark_conf              = { "spark.sql.shuffle.partitions" = "64" }
  library {
    pypi { package = "requests==2.31.0" }
  }
  library {
    maven { coordinates = "com.example:etl-udfs:1.0.0" }
  }
  ${3:-}
}
output "id" { value = databricks_cluster.etl.id }
output "state" { value = databricks_cluster.etl.state }
EOF_TF
}

write_config 2 data
start=$(date +%s%N)
apply_clean
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
tf output -raw id
id=$(cat "$WORK/last.out")
[ "$(cluster "$id" state)" = RUNNING ] || fail "cluster is $(cluster "$id" state)"
tf output -raw state
[ "$(cat "$WORK/last.out")" = RUNNING ] || fail "state output $(cat "$WORK/last.out")"
[ "$(libraries "$id")" = "INSTALLED INSTALLED" ] || fail "libraries: $(libraries "$id")"
[ "$(emulator_count "GET /api/2.1/clusters/get")" -ge 2 ] || fail "create did not poll clusters/get"
ok "a cluster with two libraries applies after waiting through PENDING (${elapsed_ms} ms for apply and three plans), and plans clean"

edits=$(emulator_count "POST /api/2.1/clusters/edit")
write_config 4 data
expect_exit 0 apply -auto-approve
expect_output "1 changed"
[ "$(emulator_count "POST /api/2.1/clusters/resize")" = 1 ] || fail "no resize"
[ "$(emulator_count "POST /api/2.1/clusters/edit")" = "$edits" ] || fail "a resize also edited"
[ "$(events "$id" RESTARTING)" = 0 ] || fail "the resize restarted the cluster"
[ "$(cluster "$id" num_workers)" = 4 ] || fail "num_workers is $(cluster "$id" num_workers)"
[ "$(cluster "$id" state)" = RUNNING ] || fail "cluster is $(cluster "$id" state) after resize"
expect_exit 0 plan -detailed-exitcode
ok "num_workers 2 -> 4 on a running cluster: one resize, no edit, no restart"

write_config 4 ml
expect_exit 0 apply -auto-approve
[ "$(emulator_count "POST /api/2.1/clusters/edit")" = $((edits + 1)) ] || fail "no edit"
[ "$(events "$id" RESTARTING)" = 1 ] || fail "the running cluster did not restart with its new tags"
[ "$(cluster "$id" custom_tags.team)" = ml ] || fail "tag is $(cluster "$id" custom_tags.team)"
[ "$(cluster "$id" state)" = RUNNING ] || fail "apply returned before the restart ended"
expect_exit 0 plan -detailed-exitcode
ok "a tag change edits the running cluster, which restarts, and apply waits for RUNNING"

# Auto-termination, as the workspace does it after autotermination_minutes.
api POST /api/2.1/clusters/delete "{\"cluster_id\":\"$id\"}" >/dev/null
wait_state "$id" TERMINATED
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
ok "a cluster terminated behind Terraform's back is not drift"

WHL='library {
    whl = "/Workspace/Shared/etl-0.3-py3-none-any.whl"
  }'
starts=$(emulator_count "POST /api/2.1/clusters/start")
write_config 4 finance "$WHL"
expect_exit 0 apply -auto-approve
[ "$(cluster "$id" state)" = TERMINATED ] || fail "the edit started the cluster: $(cluster "$id" state)"
[ "$(cluster "$id" custom_tags.team)" = finance ] || fail "the terminated cluster was not edited"
[ "$(emulator_count "POST /api/2.1/clusters/start")" = "$starts" ] || fail "apply started the cluster"
[ "$(emulator_count "POST /api/2.0/libraries/install")" = 2 ] || fail "the new library was not installed"
api GET "/api/2.0/libraries/cluster-status?cluster_id=$id" | grep -q '"whl".*"status": *"PENDING"\|"whl".*"PENDING"' ||
	fail "the library is not waiting for the next start: $(api GET "/api/2.0/libraries/cluster-status?cluster_id=$id")"
expect_exit 0 plan -detailed-exitcode
ok "a tag and a library change on a terminated cluster: edited and library queued, still TERMINATED, never started"

# Someone starts it and changes the worker count in the UI.
api POST /api/2.1/clusters/start "{\"cluster_id\":\"$id\"}" >/dev/null
wait_state "$id" RUNNING
api POST /api/2.1/clusters/resize "{\"cluster_id\":\"$id\",\"num_workers\":7}" >/dev/null
wait_state "$id" RUNNING
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output "num_workers"
expect_exit 0 apply -auto-approve
[ "$(cluster "$id" num_workers)" = 4 ] || fail "num_workers is $(cluster "$id" num_workers) after apply"
expect_exit 0 plan -detailed-exitcode
ok "a worker count changed by REST is drift (refresh-only exits 2) and apply restores it"

# A change while the cluster restarts: edit would be INVALID_STATE, so
# apply waits for the restart to end, then edits.
edits=$(emulator_count "POST /api/2.1/clusters/edit")
api POST /api/2.1/clusters/restart "{\"cluster_id\":\"$id\"}" >/dev/null
[ "$(cluster "$id" state)" = RESTARTING ] || fail "cluster is $(cluster "$id" state), not RESTARTING"
write_config 4 finance "$WHL
  spark_env_vars = { STAGE = \"prod\" }"
expect_exit 0 apply -auto-approve
[ "$(emulator_count "POST /api/2.1/clusters/edit")" = $((edits + 1)) ] || fail "expected one edit after the restart"
[ "$(cluster "$id" spark_env_vars.STAGE)" = prod ] || fail "the edit did not apply"
[ "$(cluster "$id" state)" = RUNNING ] || fail "cluster is $(cluster "$id" state) after apply"
expect_exit 0 plan -detailed-exitcode
ok "a change while the cluster is RESTARTING waits for the restart, then edits"

edits=$(emulator_count "POST /api/2.1/clusters/edit")
restarts=$(events "$id" RESTARTING)
write_config 4 finance "$WHL
  spark_env_vars = { STAGE = \"prod\" }
  is_pinned = true"
apply_clean
[ "$(emulator_count "POST /api/2.1/clusters/pin")" = 1 ] || fail "no pin"
[ "$(emulator_count "POST /api/2.1/clusters/edit")" = "$edits" ] || fail "a pin edited the cluster"
[ "$(events "$id" RESTARTING)" = "$restarts" ] || fail "a pin restarted the cluster"
ok "pinning: clusters/pin, no edit, no restart"

write_config 4 finance 'spark_env_vars = { STAGE = "prod" }
  is_pinned = true'
apply_clean
[ "$(emulator_count "POST /api/2.0/libraries/uninstall")" = 1 ] || fail "no uninstall"
[ "$(emulator_count "POST /api/2.1/clusters/edit")" = "$edits" ] || fail "an uninstall edited the cluster"
[ "$(events "$id" RESTARTING)" = "$restarts" ] || fail "an uninstall restarted the cluster"
ok "removing a library uninstalls it without an edit or a restart (it goes at the next restart), and plans clean"

expect_exit 0 destroy -auto-approve
[ "$(emulator_count "POST /api/2.1/clusters/unpin")" = 1 ] || fail "destroy did not unpin"
api GET "/api/2.1/clusters/get?cluster_id=$id" >"$WORK/gone.json"
grep -q "does not exist" "$WORK/gone.json" || fail "cluster still exists: $(cat "$WORK/gone.json")"
ok "destroy unpins and permanently deletes the cluster"
done_testing
