#!/usr/bin/env bash
# databricks_job end to end: the daily-etl-pipeline example applies and
# plans clean; reordering tasks and job clusters is not a change; editing
# one task is an in-place update that keeps the job ID; drift made by REST
# (a paused schedule, an extra task) is reported and repaired; a job
# deleted by REST is created again; destroy removes the job.
source "$(dirname "$0")/../lib.sh"
start_emulator

# job_get ID: the job as the workspace has it (all pages), in $WORK/job.json.
job_get() {
	python3 - "$EMU_URL" "$E2E_TOKEN" "$1" >"$WORK/job.json" <<'PY'
import json, sys, urllib.request
url, token, job_id = sys.argv[1:4]
job, page = None, None
while True:
    q = f"{url}/api/2.2/jobs/get?job_id={job_id}" + (f"&page_token={page}" if page else "")
    req = urllib.request.Request(q, headers={"Authorization": f"Bearer {token}"})
    reply = json.load(urllib.request.urlopen(req))
    if job is None:
        job = reply
    else:
        for k in ("tasks", "job_clusters", "parameters", "environments"):
            job["settings"].setdefault(k, []).extend(reply.get("settings", {}).get(k, []))
    page = reply.get("next_page_token")
    if not page:
        break
print(json.dumps(job))
PY
}

# check PYTHON-EXPR: evaluated with s = the job's settings from job_get.
check() {
	python3 - "$WORK/job.json" "$1" <<'PY' || fail "workspace check failed: $1: $(cat "$WORK/job.json")"
import json, sys
s = json.load(open(sys.argv[1]))["settings"]
tasks = {t["task_key"]: t for t in s.get("tasks", [])}
assert eval(sys.argv[2]), sys.argv[2]
PY
}

output() {
	tf output -raw "$1"
	cat "$WORK/last.out"
}

# (a) The example as shipped.
config "$REPO_DIR/examples/daily-etl-pipeline/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "1 to add, 0 to change, 0 to destroy"
apply_clean
JOB_ID=$(output job_id)
[[ $JOB_ID =~ ^[0-9]+$ ]] || fail "job id is '$JOB_ID'"
[ "$(output job_url)" = "$EMU_URL/#job/$JOB_ID" ] || fail "url is $(output job_url)"
job_get "$JOB_ID"
check 's["name"] == "daily-etl-pipeline"'
check 'sorted(tasks) == ["ingest", "transform"]'
check 'tasks["transform"]["depends_on"] == [{"task_key": "ingest"}]'
check 's["job_clusters"][0]["new_cluster"]["num_workers"] == 2'
check 's["schedule"]["quartz_cron_expression"] == "0 0 6 * * ?"'
check 's["tags"] == {"team": "data-platform", "env": "staging"}'
check 's["email_notifications"]["on_failure"] == ["data-platform-oncall@example.com"]'
ok "the daily-etl-pipeline example applies; plan -refresh=false and plan are empty"

# (b) The same job with two job clusters; then tasks and job clusters in
# the opposite order.
cluster_block() { # key workers
	cat <<EOF
  job_cluster {
    job_cluster_key = "$1"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = $2
    }
  }
EOF
}
task_block() { # key cluster notebook [depends_on]
	cat <<EOF
  task {
    task_key        = "$1"
    job_cluster_key = "$2"
    notebook_task {
      notebook_path = "$3"
    }
EOF
	if [ -n "${4:-}" ]; then
		printf '    depends_on {\n      task_key = "%s"\n    }\n' "$4"
	fi
	echo "  }"
}
job_config() { # blocks...
	{
		echo 'resource "databricks_job" "daily_etl" {'
		echo '  name = "daily-etl-pipeline"'
		printf '%s\n' "$@"
		cat <<'EOF'
  schedule {
    quartz_cron_expression = "0 0 6 * * ?"
    timezone_id            = "UTC"
  }
  email_notifications {
    on_failure = ["data-platform-oncall@example.com"]
  }
  tags = {
    team = "data-platform"
    env  = "staging"
  }
}
output "job_id" {
  value = databricks_job.daily_etl.id
}
EOF
	} | config_text
}

ETL=$(cluster_block etl-cluster 2)
SMALL=$(cluster_block etl-small 1)
INGEST=$(task_block ingest etl-cluster /Workspace/etl/ingest)
TRANSFORM=$(task_block transform etl-small /Workspace/etl/transform ingest)
job_config "$ETL" "$SMALL" "$INGEST" "$TRANSFORM"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(output job_id)" = "$JOB_ID" ] || fail "job id changed"

job_config "$TRANSFORM" "$INGEST" "$SMALL" "$ETL"
expect_exit 0 plan -refresh=false -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
expect_output "No changes"
ok "tasks and job clusters in the opposite order: no changes"

# (c) One task's notebook path edited: an in-place update of that task.
TRANSFORM2=$(task_block transform etl-small /Workspace/etl/transform_v2 ingest)
job_config "$TRANSFORM2" "$INGEST" "$SMALL" "$ETL"
expect_exit 2 plan -detailed-exitcode
expect_output '~ resource "databricks_job" "daily_etl"'
expect_output "0 to add, 1 to change, 0 to destroy"
expect_output "/Workspace/etl/transform_v2"
if grep -Eq -- '- +notebook_path += "/Workspace/etl/ingest"' "$WORK/last.out"; then
	cat "$WORK/last.out" >&2
	fail "the unchanged task ingest shows as changed"
fi
apply_clean
[ "$(output job_id)" = "$JOB_ID" ] || fail "job id changed on update"
job_get "$JOB_ID"
check 'tasks["transform"]["notebook_task"]["notebook_path"] == "/Workspace/etl/transform_v2"'
check 'tasks["ingest"]["notebook_task"]["notebook_path"] == "/Workspace/etl/ingest"'
ok "editing one task's notebook path updates the job in place; the job ID stays"

# (d) Drift behind Terraform's back: the schedule paused, a task added.
python3 - "$WORK/job.json" >"$WORK/reset.json" <<'PY'
import json, sys
job = json.load(open(sys.argv[1]))
s = job["settings"]
s["schedule"]["pause_status"] = "PAUSED"
for t in s["tasks"]:
    if t["task_key"] == "ingest":
        t["run_if"] = "ALL_DONE"
s["tasks"].append({"task_key": "rogue", "existing_cluster_id": "0101-000000-rogue",
                   "notebook_task": {"notebook_path": "/Users/someone/rogue"}})
s.pop("format", None)
print(json.dumps({"job_id": job["job_id"], "new_settings": s}))
PY
api POST /api/2.2/jobs/reset "$(cat "$WORK/reset.json")" >"$WORK/api.out"
job_get "$JOB_ID"
check 's["schedule"]["pause_status"] == "PAUSED" and "rogue" in tasks'
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output "rogue"
expect_output "PAUSED"
expect_output "ALL_DONE"
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
job_get "$JOB_ID"
check 'sorted(tasks) == ["ingest", "transform"]'
# The configuration says nothing of pause_status or run_if: their
# defaults (UNPAUSED, ALL_SUCCESS) are what it declares.
check 's["schedule"]["pause_status"] == "UNPAUSED"'
check 'tasks["ingest"]["run_if"] == "ALL_SUCCESS"'
ok "a paused schedule, a changed run_if and an extra task made by REST are reported; apply restores the declared job"

# (e) The job deleted by REST is created again.
api POST /api/2.2/jobs/delete "{\"job_id\": $JOB_ID}" >"$WORK/api.out"
expect_exit 2 plan -detailed-exitcode
expect_output "1 to add, 0 to change, 0 to destroy"
apply_clean
NEW_ID=$(output job_id)
[ "$NEW_ID" != "$JOB_ID" ] || fail "job id did not change after re-creation"
job_get "$NEW_ID"
check 'sorted(tasks) == ["ingest", "transform"]'
ok "a job deleted by REST is created again"

expect_exit 0 destroy -auto-approve
api GET /api/2.2/jobs/list >"$WORK/list.json"
python3 - "$WORK/list.json" <<'PY' || fail "jobs left: $(cat "$WORK/list.json")"
import json, sys
assert not json.load(open(sys.argv[1])).get("jobs")
PY
ok "destroy deletes the job"

# A destroy that does not refresh, of a job already deleted by REST:
# deleting what is gone is success, not an error.
expect_exit 0 apply -auto-approve
api POST /api/2.2/jobs/delete "{\"job_id\": $(output job_id)}" >"$WORK/api.out"
expect_exit 0 destroy -refresh=false -auto-approve
ok "destroy -refresh=false of a job deleted by REST succeeds"

done_testing
