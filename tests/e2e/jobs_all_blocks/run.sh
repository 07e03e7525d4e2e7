#!/usr/bin/env bash
# Every kind of block of databricks_job in one job: task types, libraries,
# cluster specs, notifications, health, git_source, trigger, parameters,
# environments. It applies and plans clean (every table maps to the API's
# JSON and back), imports clean, and changes in place.
source "$(dirname "$0")/../lib.sh"
start_emulator

job_config() { # description
	config_text <<EOF_TF
resource "databricks_job" "all" {
  name                = "all-blocks"
  description         = "$1"
  max_concurrent_runs = 3
  timeout_seconds     = 7200
  tags                = { team = "platform" }

  parameter {
    name    = "env"
    default = "staging"
  }
  parameter {
    name    = "day"
    default = "{{job.start_time.iso_date}}"
  }

  environment {
    environment_key = "serverless"
    spec {
      client       = "1"
      dependencies = ["requests==2.32.3", "pyyaml"]
    }
  }

  job_cluster {
    job_cluster_key = "autoscaled"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      autoscale {
        min_workers = 1
        max_workers = 4
      }
      spark_conf = {
        "spark.sql.shuffle.partitions" = "64"
      }
      spark_env_vars = { STAGE = "staging" }
      custom_tags    = { cost_center = "42" }
      aws_attributes {
        availability           = "SPOT_WITH_FALLBACK"
        first_on_demand        = 1
        zone_id                = "auto"
        spot_bid_price_percent = 100
      }
      init_scripts {
        workspace {
          destination = "/Workspace/init/setup.sh"
        }
      }
      init_scripts {
        volumes {
          destination = "/Volumes/main/default/scripts/second.sh"
        }
      }
      cluster_log_conf {
        dbfs {
          destination = "dbfs:/cluster-logs"
        }
      }
      data_security_mode = "SINGLE_USER"
      single_user_name   = "etl-bot@example.com"
      runtime_engine     = "PHOTON"
    }
  }

  git_source {
    url      = "https://github.com/example/etl"
    provider = "gitHub"
    branch   = "main"
  }

  trigger {
    pause_status = "PAUSED"
    file_arrival {
      url                               = "s3://landing/incoming/"
      min_time_between_triggers_seconds = 60
    }
  }

  email_notifications {
    on_start                  = ["start@example.com"]
    on_failure                = ["oncall@example.com", "lead@example.com"]
    no_alert_for_skipped_runs = true
  }

  webhook_notifications {
    on_failure {
      id = "d1b2c3"
    }
    on_failure {
      id = "a1b2c3"
    }
  }

  notification_settings {
    no_alert_for_canceled_runs = true
  }

  health {
    rules {
      metric = "RUN_DURATION_SECONDS"
      op     = "GREATER_THAN"
      value  = 3600
    }
  }

  queue {
    enabled = false
  }

  task {
    task_key        = "notebook"
    job_cluster_key = "autoscaled"
    max_retries     = 2
    retry_on_timeout = true
    notebook_task {
      notebook_path   = "etl/notebook"
      base_parameters = { env = "{{job.parameters.env}}" }
    }
    library {
      maven {
        coordinates = "com.example:lib:1.0"
        exclusions  = ["org.slf4j:slf4j-log4j12"]
      }
    }
    library {
      pypi {
        package = "pandas==2.2.2"
      }
    }
    library {
      whl = "/Volumes/main/default/wheels/etl-1.0-py3-none-any.whl"
    }
  }

  task {
    task_key = "wheel"
    depends_on {
      task_key = "notebook"
    }
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 1
    }
    python_wheel_task {
      package_name     = "etl"
      entry_point      = "main"
      named_parameters = { mode = "full" }
    }
    email_notifications {
      on_failure = ["wheel@example.com"]
    }
    health {
      rules {
        metric = "RUN_DURATION_SECONDS"
        op     = "GREATER_THAN"
        value  = 600
      }
    }
  }

  task {
    task_key        = "serverless"
    environment_key = "serverless"
    spark_python_task {
      python_file = "etl/job.py"
      parameters  = ["--day", "{{job.parameters.day}}"]
    }
  }

  task {
    task_key = "sql"
    run_if   = "ALL_DONE"
    depends_on {
      task_key = "wheel"
    }
    depends_on {
      task_key = "serverless"
    }
    sql_task {
      warehouse_id = "abc123"
      parameters   = { day = "2024-01-01" }
      file {
        path   = "queries/report.sql"
        source = "GIT"
      }
    }
  }

  task {
    task_key = "dbt"
    depends_on {
      task_key = "sql"
    }
    environment_key = "serverless"
    dbt_task {
      commands     = ["dbt deps", "dbt run"]
      warehouse_id = "abc123"
      catalog      = "main"
    }
  }

  task {
    task_key = "check"
    depends_on {
      task_key = "dbt"
    }
    condition_task {
      left  = "{{job.parameters.env}}"
      op    = "EQUAL_TO"
      right = "prod"
    }
  }

  task {
    task_key = "promote"
    depends_on {
      task_key = "check"
      outcome  = "true"
    }
    run_job_task {
      job_id         = 998654886170278
      job_parameters = { source = "staging" }
    }
  }

  task {
    task_key = "per_region"
    depends_on {
      task_key = "check"
      outcome  = "false"
    }
    for_each_task {
      inputs      = "[\"emea\", \"amer\"]"
      concurrency = 2
      task {
        task_key            = "per_region_iteration"
        existing_cluster_id = "0101-000000-abcdefgh"
        notebook_task {
          notebook_path   = "etl/region"
          base_parameters = { region = "{{input}}" }
        }
      }
    }
  }

  task {
    task_key = "refresh"
    depends_on {
      task_key = "per_region"
    }
    pipeline_task {
      pipeline_id  = "1234-5678"
      full_refresh = true
    }
  }
}
output "job_id" {
  value = databricks_job.all.id
}
EOF_TF
}

job_config "first"
apply_clean
tf output -raw job_id
JOB_ID=$(cat "$WORK/last.out")
ok "a job with every kind of block applies; plans after are empty"

api GET "/api/2.2/jobs/get?job_id=$JOB_ID" >"$WORK/job.json"
python3 - "$WORK/job.json" <<'PY' || fail "settings not as sent: $(cat "$WORK/job.json")"
import json, sys
s = json.load(open(sys.argv[1]))["settings"]
tasks = {t["task_key"]: t for t in s["tasks"]}
assert s["git_source"] == {"git_url": "https://github.com/example/etl", "git_provider": "gitHub", "git_branch": "main"}, s["git_source"]
assert s["trigger"]["file_arrival"]["url"] == "s3://landing/incoming/"
assert s["queue"] == {"enabled": False}
assert tasks["promote"]["run_job_task"]["job_id"] == 998654886170278
assert tasks["per_region"]["for_each_task"]["task"]["task_key"] == "per_region_iteration"
assert tasks["dbt"]["dbt_task"]["schema"] == "default"
assert len(tasks["notebook"]["libraries"]) == 3
nc = s["job_clusters"][0]["new_cluster"]
assert nc["autoscale"] == {"min_workers": 1, "max_workers": 4}
assert [list(i)[0] for i in nc["init_scripts"]] == ["workspace", "volumes"]
assert sorted(w["id"] for w in s["webhook_notifications"]["on_failure"]) == ["a1b2c3", "d1b2c3"]
PY
ok "the workspace holds the settings under the API's names"

job_config "second"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
ok "a change to the job is made in place; plans after are empty"

terraform -chdir="$WORK/cfg" state rm databricks_job.all >"$WORK/last.out" 2>&1 || fail "state rm failed"
expect_exit 0 import databricks_job.all "$JOB_ID"
expect_exit 0 plan -detailed-exitcode
ok "the job imports back and plans clean"

done_testing
