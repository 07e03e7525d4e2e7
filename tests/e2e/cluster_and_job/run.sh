#!/usr/bin/env bash
# examples/cluster-and-job: a standing cluster and a job in one plan. The
# job's task runs on the cluster by existing_cluster_id, and its job
# cluster is sized from data.databricks_spark_version and
# data.databricks_node_type; one apply creates both, the next plans are
# empty, and the job references the cluster the apply made.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 500 --library-install-ms 300

config "$TFP_SOURCE_DIR/examples/cluster-and-job/main.tf"
apply_clean
tf state show databricks_cluster.shared
cluster_id=$(sed -n 's/^ *cluster_id *= *"\(.*\)"$/\1/p' "$WORK/last.out" | head -n1)
[ -n "$cluster_id" ] || fail "no cluster_id in state"
api GET /api/2.2/jobs/list >"$WORK/jobs.json"
job_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jobs"][0]["job_id"])' "$WORK/jobs.json")
api GET "/api/2.2/jobs/get?job_id=$job_id" >"$WORK/job.json"
python3 - "$WORK/job.json" "$cluster_id" <<'PY' || fail "job does not match: $(cat "$WORK/job.json")"
import json, sys
job = json.load(open(sys.argv[1]))["settings"]
tasks = {t["task_key"]: t for t in job["tasks"]}
assert tasks["report"]["existing_cluster_id"] == sys.argv[2], tasks["report"]
nc = job["job_clusters"][0]["new_cluster"]
assert nc["spark_version"].endswith("-scala2.12") or "scala" in nc["spark_version"], nc
assert nc["node_type_id"], nc
PY
ok "one apply creates the cluster and a job whose task runs on it, and plans clean"
expect_exit 0 destroy -auto-approve
api GET /api/2.1/clusters/list >"$WORK/clusters.json"
python3 -c 'import json,sys; assert not json.load(open(sys.argv[1])).get("clusters"), "clusters left"' "$WORK/clusters.json" ||
	fail "destroy left clusters: $(cat "$WORK/clusters.json")"
ok "destroy removes both"
done_testing
