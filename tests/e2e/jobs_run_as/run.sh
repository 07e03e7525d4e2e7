#!/usr/bin/env bash
# run_as is write-only in the Jobs API: the reply names the identity in
# run_as_user_name instead. Read rebuilds the block from it (a UUID is a
# service principal), so run_as plans clean, and a run_as changed behind
# Terraform's back shows as drift and is put back.
source "$(dirname "$0")/../lib.sh"
start_emulator

job_config() { # run_as body
	config_text <<EOF_TF
resource "databricks_job" "r" {
  name = "run-as"
  run_as {
    $1
  }
  task {
    task_key            = "a"
    existing_cluster_id = "0101-000000-abcdefgh"
    notebook_task {
      notebook_path = "/Workspace/a"
    }
  }
}
output "job_id" {
  value = databricks_job.r.id
}
EOF_TF
}

run_as_user() {
	api GET "/api/2.2/jobs/get?job_id=$JOB_ID" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["run_as_user_name"])'
}

job_config 'user_name = "etl-bot@example.com"'
apply_clean
tf output -raw job_id
JOB_ID=$(cat "$WORK/last.out")
[ "$(run_as_user)" = "etl-bot@example.com" ] || fail "run_as_user_name is $(run_as_user)"
ok "run_as user_name applies and plans clean"

SP=0b9e4c2a-1234-4abc-8def-0123456789ab
job_config "service_principal_name = \"$SP\""
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(run_as_user)" = "$SP" ] || fail "run_as_user_name is $(run_as_user)"
ok "run_as service_principal_name applies in place and plans clean"

api POST /api/2.2/jobs/update \
	"{\"job_id\": $JOB_ID, \"new_settings\": {\"run_as\": {\"user_name\": \"mallory@example.com\"}}}" >/dev/null
[ "$(run_as_user)" = "mallory@example.com" ] || fail "update by REST did not change run_as"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output "mallory@example.com"
expect_exit 0 apply -auto-approve
[ "$(run_as_user)" = "$SP" ] || fail "run_as not restored: $(run_as_user)"
expect_exit 0 plan -detailed-exitcode
ok "run_as changed by REST is reported and put back"

done_testing
