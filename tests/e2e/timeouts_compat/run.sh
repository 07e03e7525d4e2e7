#!/usr/bin/env bash
# The official provider's `timeouts` blocks on databricks_cluster and
# databricks_job are accepted and kept in state, so configurations carry
# over. After an import the block is not in the state yet: the plan shows
# it as a one-time in-place change, and applying it sends nothing to the
# workspace (no jobs/reset, no clusters/edit).
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 300

config_text <<'EOF_TF'
resource "databricks_cluster" "c" {
  cluster_name  = "with-timeouts"
  spark_version = "15.4.x-scala2.12"
  node_type_id  = "i3.xlarge"
  num_workers   = 1
  timeouts {
    create = "45m"
    update = "1h"
  }
}
resource "databricks_job" "j" {
  name = "with-timeouts"
  task {
    task_key            = "t"
    existing_cluster_id = databricks_cluster.c.id
    notebook_task {
      notebook_path = "/Shared/t"
    }
  }
  timeouts {
    create = "20m"
  }
}
EOF_TF
apply_clean
ok "timeouts blocks on a cluster and a job apply and plan clean"

tf state show databricks_cluster.c
cluster_id=$(sed -n 's/^ *cluster_id *= *"\(.*\)"$/\1/p' "$WORK/last.out" | head -n1)
tf state show databricks_job.j
job_id=$(sed -n 's/^ *id *= *"\([0-9]*\)"$/\1/p' "$WORK/last.out" | head -n1)
[ -n "$cluster_id" ] && [ -n "$job_id" ] || fail "no ids in state"
tf state rm databricks_cluster.c databricks_job.j
expect_exit 0 import databricks_cluster.c "$cluster_id"
expect_exit 0 import databricks_job.j "$job_id"
expect_exit 2 plan -detailed-exitcode
expect_output "2 to change"
resets=$(emulator_count "POST /api/2.2/jobs/reset")
edits=$(emulator_count "POST /api/2.1/clusters/edit")
apply_clean
[ "$(emulator_count "POST /api/2.2/jobs/reset")" = "$resets" ] || fail "a timeouts-only change reset the job"
[ "$(emulator_count "POST /api/2.1/clusters/edit")" = "$edits" ] || fail "a timeouts-only change edited the cluster"
ok "after import, the timeouts blocks are a one-time change that makes no API write"
expect_exit 0 destroy -auto-approve
done_testing
