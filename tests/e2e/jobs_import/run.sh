#!/usr/bin/env bash
# Import of jobs created by REST: `terraform import` of a job whose five
# tasks the workspace holds in another order than the configuration, then
# an import {} block with -generate-config-out whose generated HCL plans
# clean; malformed and missing job IDs fail clearly.
source "$(dirname "$0")/../lib.sh"
start_emulator

# create_job JSON: POST jobs/create; prints the job_id.
create_job() {
	api POST /api/2.2/jobs/create "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])'
}

LEGACY=$(create_job '{
  "name": "legacy-etl",
  "max_concurrent_runs": 2,
  "tags": {"owner": "ops"},
  "job_clusters": [
    {"job_cluster_key": "small", "new_cluster": {"spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 1}},
    {"job_cluster_key": "big", "new_cluster": {"spark_version": "15.4.x-scala2.12", "node_type_id": "i3.2xlarge", "num_workers": 8}}
  ],
  "tasks": [
    {"task_key": "zeta", "job_cluster_key": "big", "notebook_task": {"notebook_path": "/etl/zeta"},
     "depends_on": [{"task_key": "mid"}, {"task_key": "beta"}]},
    {"task_key": "alpha", "job_cluster_key": "small", "notebook_task": {"notebook_path": "/etl/alpha"}},
    {"task_key": "mid", "job_cluster_key": "small", "spark_python_task": {"python_file": "/etl/mid.py", "parameters": ["--x", "1"]},
     "depends_on": [{"task_key": "alpha"}], "max_retries": 2},
    {"task_key": "omega", "job_cluster_key": "big", "notebook_task": {"notebook_path": "/etl/omega", "base_parameters": {"k": "v"}},
     "depends_on": [{"task_key": "zeta"}], "run_if": "ALL_DONE"},
    {"task_key": "beta", "job_cluster_key": "small", "notebook_task": {"notebook_path": "/etl/beta"},
     "depends_on": [{"task_key": "alpha"}]}
  ],
  "schedule": {"quartz_cron_expression": "0 15 2 * * ?", "timezone_id": "UTC"}
}')
[[ $LEGACY =~ ^[0-9]+$ ]] || fail "create returned '$LEGACY'"

# The matching configuration, in yet another order.
config_text <<'EOF_TF'
resource "databricks_job" "legacy" {
  name                = "legacy-etl"
  max_concurrent_runs = 2
  tags                = { owner = "ops" }

  task {
    task_key        = "omega"
    job_cluster_key = "big"
    run_if          = "ALL_DONE"
    depends_on {
      task_key = "zeta"
    }
    notebook_task {
      notebook_path   = "/etl/omega"
      base_parameters = { k = "v" }
    }
  }
  task {
    task_key        = "beta"
    job_cluster_key = "small"
    depends_on {
      task_key = "alpha"
    }
    notebook_task {
      notebook_path = "/etl/beta"
    }
  }
  task {
    task_key        = "alpha"
    job_cluster_key = "small"
    notebook_task {
      notebook_path = "/etl/alpha"
    }
  }
  task {
    task_key        = "zeta"
    job_cluster_key = "big"
    depends_on {
      task_key = "beta"
    }
    depends_on {
      task_key = "mid"
    }
    notebook_task {
      notebook_path = "/etl/zeta"
    }
  }
  task {
    task_key        = "mid"
    job_cluster_key = "small"
    max_retries     = 2
    depends_on {
      task_key = "alpha"
    }
    spark_python_task {
      python_file = "/etl/mid.py"
      parameters  = ["--x", "1"]
    }
  }

  job_cluster {
    job_cluster_key = "big"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.2xlarge"
      num_workers   = 8
    }
  }
  job_cluster {
    job_cluster_key = "small"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 1
    }
  }

  schedule {
    quartz_cron_expression = "0 15 2 * * ?"
    timezone_id            = "UTC"
  }
}
EOF_TF

expect_exit 0 import databricks_job.legacy "$LEGACY"
expect_output "Import successful"
expect_exit 0 plan -detailed-exitcode
expect_output "No changes"
ok "terraform import of a five-task job in another order; the next plan is empty"

cp "$WORK/cfg/main.tf" "$WORK/legacy.tf"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_job" "bad" {
  name = "bad"
}
EOF_TF
expect_exit 1 import databricks_job.bad "job-42"
expect_output "Invalid job ID"
expect_exit 1 import databricks_job.bad "987654321"
expect_output "non-existent remote object"
ok "a malformed job ID and a missing job fail clearly"

# An import {} block and generated configuration.
GEN=$(create_job '{
  "name": "generated",
  "description": "made by hand",
  "tasks": [
    {"task_key": "second", "existing_cluster_id": "0101-000000-abcdefgh",
     "notebook_task": {"notebook_path": "/gen/second", "source": "WORKSPACE"},
     "depends_on": [{"task_key": "first"}]},
    {"task_key": "first", "existing_cluster_id": "0101-000000-abcdefgh",
     "spark_python_task": {"python_file": "/gen/first.py"},
     "libraries": [{"pypi": {"package": "requests"}}, {"whl": "/Volumes/x/y.whl"}]},
    {"task_key": "check", "condition_task": {"left": "{{tasks.first.values.n}}", "op": "GREATER_THAN", "right": "0"},
     "depends_on": [{"task_key": "first"}]}
  ],
  "parameters": [{"name": "day", "default": "today"}],
  "email_notifications": {"on_failure": ["ops@example.com"]},
  "queue": {"enabled": false}
}')
cp "$WORK/legacy.tf" "$WORK/cfg/main.tf"
cat >>"$WORK/cfg/main.tf" <<EOF_TF
import {
  to = databricks_job.generated
  id = "$GEN"
}
EOF_TF
expect_exit 0 plan -generate-config-out=generated.tf
[ -s "$WORK/cfg/generated.tf" ] || fail "no generated.tf"
expect_exit 0 validate
expect_exit 2 plan -detailed-exitcode
expect_output "1 to import, 0 to add, 0 to change, 0 to destroy"
apply_clean
ok "an import {} block with -generate-config-out; the generated HCL plans clean"

done_testing
