#!/usr/bin/env bash
# Data sources databricks_jobs and databricks_job against jobs created by
# REST: the name -> id map with job_name_contains, lookups by id and by
# name, and clear errors for a missing or ambiguous name.
source "$(dirname "$0")/../lib.sh"
start_emulator

job() {
	api POST /api/2.2/jobs/create "{\"name\":\"$1\",\"tasks\":[{\"task_key\":\"t\",\"notebook_task\":{\"notebook_path\":\"/n\"}}]}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])'
}
etl_id=$(job "daily-etl")
job "hourly-ETL-refresh" >/dev/null
job "ml-training" >/dev/null
job "twin" >/dev/null
job "twin" >/dev/null

config_text <<EOF_TF
data "databricks_jobs" "etl" {
  job_name_contains = "etl"
}
data "databricks_job" "by_name" {
  job_name = "daily-etl"
}
data "databricks_job" "by_id" {
  job_id = "$etl_id"
}
output "etl" { value = data.databricks_jobs.etl.ids }
output "by_name" { value = data.databricks_job.by_name.id }
output "by_id" { value = data.databricks_job.by_id.name }
EOF_TF
expect_exit 0 apply -auto-approve
tf output -json etl
python3 - "$WORK/last.out" "$etl_id" <<'PY' || fail "unexpected ids: $(cat "$WORK/last.out")"
import json, sys
ids = json.load(open(sys.argv[1]))
assert set(ids) == {"daily-etl", "hourly-ETL-refresh"}, ids
assert ids["daily-etl"] == sys.argv[2], ids
PY
ok "databricks_jobs maps names containing \"etl\" (any case) to ids"

tf output -raw by_name
[ "$(cat "$WORK/last.out")" = "$etl_id" ] || fail "by_name gave $(cat "$WORK/last.out")"
tf output -raw by_id
[ "$(cat "$WORK/last.out")" = "daily-etl" ] || fail "by_id gave $(cat "$WORK/last.out")"
ok "databricks_job finds a job by name and by id"

config_text <<'EOF_TF'
data "databricks_job" "twin" {
  name = "twin"
}
EOF_TF
expect_exit 1 plan
expect_output "Ambiguous job name"
config_text <<'EOF_TF'
data "databricks_jobs" "all" {}
EOF_TF
expect_exit 1 plan
expect_output "Duplicate job name"
config_text <<'EOF_TF'
data "databricks_job" "missing" {
  job_name = "no-such-job"
}
EOF_TF
expect_exit 1 plan
expect_output "no job named"
ok "missing and ambiguous names are clear errors"

done_testing
