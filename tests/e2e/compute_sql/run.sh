#!/usr/bin/env bash
# examples/compute-sql: a SQL warehouse for analysts, an instance pool that
# feeds a cluster and a job cluster, and a pipeline run by a job's
# pipeline_task, with permissions on the three, in one plan. Apply and
# plans clean (the cluster's node type comes from the pool); still clean
# after the warehouse has auto-stopped, the pool's idle instances have
# settled and the job has run the pipeline; auto_stop_mins, the pipeline's
# development flag and the pool's max_capacity changed by REST are drift
# that one apply restores; destroy leaves nothing behind.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 100

config "$TFP_SOURCE_DIR/examples/compute-sql/main.tf"
apply_clean

out() { tf output -raw "$1" && cat "$WORK/last.out"; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
WH=$(out warehouse_id)
POOL=$(out pool_id)
CLUSTER=$(out cluster_id)
PIPE=$(out pipeline_id)
JOB=$(out job_id)

[ "$(api GET "/api/2.0/sql/warehouses/$WH" | field 'd["state"]')" = RUNNING ] || fail "warehouse not running after apply"
[ "$(api GET "/api/2.1/clusters/get?cluster_id=$CLUSTER" | field 'd["node_type_id"]')" = i3.xlarge ] ||
	fail "the cluster did not take its node type from the pool"
api GET "/api/2.0/permissions/sql/warehouses/$WH" | grep -q '"Analysts"' || fail "warehouse ACL"
api GET "/api/2.0/permissions/pipelines/$PIPE" | grep -q '"Analysts"' || fail "pipeline ACL"
api GET "/api/2.0/permissions/instance-pools/$POOL" | grep -q '"Analysts"' || fail "pool ACL"
ok "the example applies and plans clean; the cluster's node type comes from the pool"

# Two hours later: the warehouse has auto-stopped (20 minutes idle) and the
# pool's idle instance has settled.
api POST /_emulator/clock '{"advance_ms": 7200000}' >/dev/null
[ "$(api GET "/api/2.0/sql/warehouses/$WH" | field 'd["state"]')" = STOPPED ] || fail "warehouse did not auto-stop"
api POST /api/2.1/jobs/run-now "{\"job_id\": $JOB}" >/dev/null
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
[ "$(api GET "/api/2.0/sql/warehouses/$WH" | field 'd["state"]')" = STOPPED ] || fail "a refresh started the warehouse"
ok "an auto-stopped warehouse, a settled pool and a run of the job are not drift; refresh starts nothing"

api POST "/api/2.0/sql/warehouses/$WH/edit" '{"auto_stop_mins": 45}' >/dev/null
api GET "/api/2.0/instance-pools/get?instance_pool_id=$POOL" | python3 -c '
import json, sys
p = json.load(sys.stdin)
keep = ("instance_pool_id", "instance_pool_name", "node_type_id", "min_idle_instances",
        "idle_instance_autotermination_minutes", "custom_tags")
e = {k: p[k] for k in keep if k in p}
e["max_capacity"] = 3
print(json.dumps(e))' >"$WORK/pool.json"
api POST /api/2.0/instance-pools/edit "$(cat "$WORK/pool.json")" >/dev/null
api GET "/api/2.0/pipelines/$PIPE" | python3 -c '
import json, sys
s = json.load(sys.stdin)["spec"]; s["development"] = True
print(json.dumps(s))' >"$WORK/spec.json"
api PUT "/api/2.0/pipelines/$PIPE" "$(cat "$WORK/spec.json")" >/dev/null
[ "$(api GET "/api/2.0/sql/warehouses/$WH" | field 'd["auto_stop_mins"]')" = 45 ] || fail "REST warehouse edit did not land"
[ "$(api GET "/api/2.0/instance-pools/get?instance_pool_id=$POOL" | field 'd["max_capacity"]')" = 3 ] || fail "REST pool edit did not land"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'auto_stop_mins'
expect_output 'max_capacity'
expect_output 'development'
apply_clean
[ "$(api GET "/api/2.0/sql/warehouses/$WH" | field 'd["auto_stop_mins"]')" = 20 ] || fail "auto_stop_mins not restored"
[ "$(api GET "/api/2.0/instance-pools/get?instance_pool_id=$POOL" | field 'd["max_capacity"]')" = 10 ] || fail "max_capacity not restored"
[ "$(api GET "/api/2.0/pipelines/$PIPE" | field 'd["spec"]["development"]')" = False ] || fail "development not restored"
ok "auto_stop_mins, max_capacity and development changed by REST are drift that one apply restores"

expect_exit 0 destroy -auto-approve
[ "$(api GET /api/2.0/sql/warehouses | field 'len(d.get("warehouses", []))')" = 0 ] || fail "warehouses left"
[ "$(api GET /api/2.0/pipelines | field 'len(d.get("statuses", []))')" = 0 ] || fail "pipelines left"
[ "$(api GET /api/2.0/instance-pools/list | field 'len(d.get("instance_pools", []))')" = 0 ] || fail "pools left"
ok "destroy removes everything"

done_testing
