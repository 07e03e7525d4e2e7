#!/usr/bin/env bash
# A job of 150 tasks, each depending on the one before: Jobs API 2.2 pages
# tasks 100 at a time, so every read follows next_page_token. The job
# applies, reads back whole and plans clean; reordering is not a change.
source "$(dirname "$0")/../lib.sh"
start_emulator

job_config() { # notebook-dir
	config_text <<EOF_TF
resource "databricks_job" "big" {
  name = "many-tasks"

  dynamic "task" {
    for_each = range(150)
    content {
      task_key            = format("t%03d", task.value)
      existing_cluster_id = "0101-000000-abcdefgh"
      dynamic "depends_on" {
        for_each = task.value == 0 ? [] : [task.value - 1]
        content {
          task_key = format("t%03d", depends_on.value)
        }
      }
      notebook_task {
        notebook_path = "/Workspace/$1/\${task.value}"
      }
    }
  }
}
EOF_TF
}

job_config big
expect_exit 2 plan -detailed-exitcode
expect_output "1 to add, 0 to change, 0 to destroy"
apply_clean
tf show -json
python3 - "$WORK/last.out" <<'PY' || fail "state does not hold 150 tasks"
import json, sys
values = json.load(open(sys.argv[1]))["values"]["root_module"]["resources"][0]["values"]
keys = sorted(t["task_key"] for t in values["task"])
assert keys == ["t%03d" % i for i in range(150)], keys[:5]
deps = {t["task_key"]: [d["task_key"] for d in t["depends_on"]] for t in values["task"]}
assert deps["t000"] == [] and deps["t149"] == ["t148"]
PY
pages=$(emulator_count "GET /api/2.2/jobs/get")
[ "$pages" -ge 2 ] || fail "jobs/get was called $pages times"
ok "150 tasks apply, read back whole across pages, and plan clean"

# The same tasks listed in reverse.
sed -i 's/for_each = range(150)/for_each = reverse(range(150))/' "$WORK/cfg/main.tf"
expect_exit 0 plan -detailed-exitcode
ok "the 150 tasks in reverse order: no changes"

job_config big2
expect_exit 0 apply -auto-approve
expect_output "0 added, 1 changed, 0 destroyed"
expect_exit 0 plan -detailed-exitcode
ok "changing every task updates the job in place; the next plan is empty"

expect_exit 0 destroy -auto-approve
ok "destroy"

done_testing
