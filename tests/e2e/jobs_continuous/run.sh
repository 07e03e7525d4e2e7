#!/usr/bin/env bash
# control_run_state: updating a continuous job restarts its run
# (jobs/run-now) so that it uses the new settings; a paused one, or one
# without control_run_state, is not restarted.
source "$(dirname "$0")/../lib.sh"
start_emulator

job_config() { # description pause control
	config_text <<EOF_TF
resource "databricks_job" "stream" {
  name              = "stream"
  description       = "$1"
  control_run_state = $3
  continuous {
    pause_status = "$2"
  }
  task {
    task_key            = "consume"
    existing_cluster_id = "0101-000000-abcdefgh"
    notebook_task {
      notebook_path = "/Workspace/stream/consume"
    }
  }
}
EOF_TF
}

run_nows() {
	emulator_count "POST /api/2.2/jobs/run-now"
}

job_config v1 UNPAUSED true
apply_clean
[ "$(run_nows)" = 0 ] || fail "create called run-now"
ok "a continuous job with control_run_state applies; create does not restart"

job_config v2 UNPAUSED true
expect_exit 2 plan -detailed-exitcode
apply_clean
[ "$(run_nows)" = 1 ] || fail "run-now called $(run_nows) times after update"
ok "an update restarts the continuous run (run-now)"

job_config v3 PAUSED true
apply_clean
job_config v4 UNPAUSED false
apply_clean
[ "$(run_nows)" = 1 ] || fail "run-now called $(run_nows) times"
ok "no restart for a paused job or without control_run_state"

done_testing
