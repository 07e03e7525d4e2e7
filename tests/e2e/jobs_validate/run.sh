#!/usr/bin/env bash
# terraform validate reports job configurations the workspace would
# reject, with the attribute and the task named: no task type, two task
# types, two computes, an unknown dependency or job cluster, conflicting
# triggers, a duplicate task_key, a bad enum value, a bad import ID.
source "$(dirname "$0")/../lib.sh"

# invalid REGEX: the config on stdin fails validate with REGEX.
invalid() {
	config_text
	expect_exit 1 validate
	expect_output "$1"
}

invalid 'Task "a" needs exactly one of notebook_task' <<'EOF_TF'
resource "databricks_job" "x" {
  task {
    task_key = "a"
  }
}
EOF_TF
invalid 'Task "a" has both notebook_task and spark_python_task' <<'EOF_TF'
resource "databricks_job" "x" {
  task {
    task_key = "a"
    notebook_task {
      notebook_path = "/n"
    }
    spark_python_task {
      python_file = "/p.py"
    }
  }
}
EOF_TF
invalid 'sets both existing_cluster_id and job_cluster_key' <<'EOF_TF'
resource "databricks_job" "x" {
  job_cluster {
    job_cluster_key = "c"
  }
  task {
    task_key            = "a"
    existing_cluster_id = "0101-000000-abcdefgh"
    job_cluster_key     = "c"
    notebook_task {
      notebook_path = "/n"
    }
  }
}
EOF_TF
invalid 'depends on "missing", which is not' <<'EOF_TF'
resource "databricks_job" "x" {
  task {
    task_key = "a"
    depends_on {
      task_key = "missing"
    }
    notebook_task {
      notebook_path = "/n"
    }
  }
}
EOF_TF
invalid 'uses job_cluster_key "nope", but no' <<'EOF_TF'
resource "databricks_job" "x" {
  task {
    task_key        = "a"
    job_cluster_key = "nope"
    notebook_task {
      notebook_path = "/n"
    }
  }
}
EOF_TF
invalid 'Conflicting triggers' <<'EOF_TF'
resource "databricks_job" "x" {
  schedule {
    quartz_cron_expression = "0 0 6 * * ?"
    timezone_id            = "UTC"
  }
  continuous {}
}
EOF_TF
invalid 'run_if must be one of' <<'EOF_TF'
resource "databricks_job" "x" {
  task {
    task_key = "a"
    run_if   = "SOMETIMES"
    notebook_task {
      notebook_path = "/n"
    }
  }
}
EOF_TF
invalid 'Duplicate task_key' <<'EOF_TF'
resource "databricks_job" "x" {
  task {
    task_key = "a"
    notebook_task {
      notebook_path = "/one"
    }
  }
  task {
    task_key = "a"
    notebook_task {
      notebook_path = "/two"
    }
  }
}
EOF_TF
ok "validate names the task and the problem for each invalid job"

# A task key that is not known yet is not a reason to fail.
config_text <<'EOF_TF'
variable "key" {
  type = string
}
resource "databricks_job" "x" {
  task {
    task_key = var.key
    notebook_task {
      notebook_path = "/n"
    }
  }
  task {
    task_key = "b"
    depends_on {
      task_key = var.key
    }
    notebook_task {
      notebook_path = "/n"
    }
  }
}
EOF_TF
expect_exit 0 validate
ok "validate skips what is not known yet"

done_testing
