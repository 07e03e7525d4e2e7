#!/usr/bin/env bash
# The attributes of databricks_job beyond jobs_all_blocks, in the official
# provider's configuration style: a legacy single-task job (the task's
# fields at the top level, format SINGLE_TASK), and a multi-task job with
# every newer task type, a for_each_task over one of them, the job cluster
# extras and the job-level settings (policies, deployment, edit mode,
# performance target, continuous retry mode, Java dependencies, Git
# snapshot, provider_config). Both apply and plan clean, reach the
# workspace under the API's names, see drift made through the REST API,
# and import clean.
source "$(dirname "$0")/../lib.sh"
start_emulator

job_config() { # legacy max_retries, budget policy
	config_text <<EOF_TF
resource "databricks_job" "legacy" {
  name                      = "legacy-single-task"
  existing_cluster_id       = "0101-000000-legacy01"
  max_retries               = $1
  min_retry_interval_millis = 60000
  retry_on_timeout          = true
  timeout_seconds           = 3600

  notebook_task {
    notebook_path   = "/Shared/legacy"
    base_parameters = { env = "prod" }
  }

  library {
    pypi {
      package = "requests==2.32.3"
    }
  }
  library {
    jar = "/Volumes/main/default/jars/legacy.jar"
    provider_config {
      workspace_id = "1234567890"
    }
  }

  provider_config {
    workspace_id = "1234567890"
  }
}

resource "databricks_job" "legacy_cluster" {
  name = "legacy-new-cluster"

  new_cluster {
    spark_version  = "15.4.x-scala2.12"
    node_type_id   = "i3.xlarge"
    num_workers    = 2
    kind           = "CLASSIC_PREVIEW"
    use_ml_runtime = true
  }

  spark_jar_task {
    main_class_name = "com.example.Main"
    parameters      = ["--full"]
    run_as_repl     = true
  }
}

resource "databricks_job" "all" {
  name               = "all-attributes"
  budget_policy_id   = "$2"
  usage_policy_id    = "usage-policy-1"
  edit_mode          = "UI_LOCKED"
  performance_target = "PERFORMANCE_OPTIMIZED"

  deployment {
    kind               = "BUNDLE"
    metadata_file_path = "/Workspace/bundles/etl/metadata.json"
  }

  continuous {
    pause_status    = "PAUSED"
    task_retry_mode = "ON_FAILURE"
  }

  git_source {
    url      = "https://github.com/example/etl"
    provider = "gitHub"
    branch   = "main"
    git_snapshot {
      used_commit = "4f2c1d0"
    }
  }

  environment {
    environment_key = "serverless"
    spec {
      environment_version = "2"
      dependencies        = ["pyyaml"]
      java_dependencies   = ["/Volumes/main/default/jars/udf.jar"]
    }
  }

  job_cluster {
    job_cluster_key = "shared"
    new_cluster {
      spark_version  = "15.4.x-scala2.12"
      node_type_id   = "i3.xlarge"
      kind           = "CLASSIC_PREVIEW"
      is_single_node = true
      use_ml_runtime = false
      policy_id      = "ABC123"
      __apply_policy_default_values_allow_list = ["spark_conf"]
      library {
        whl = "/Volumes/main/default/wheels/etl.whl"
      }
      provider_config {
        workspace_id = "1234567890"
      }
    }
  }

  task {
    task_key                  = "dashboard"
    disable_auto_optimization = true
    dashboard_task {
      dashboard_id = "01ef0123456789abcdef"
      warehouse_id = "abc123"
      subscription {
        custom_subject = "Daily numbers"
        paused         = false
        subscribers {
          user_name = "lead@example.com"
        }
        subscribers {
          destination_id = "d1b2c3"
        }
      }
    }
  }

  task {
    task_key = "clean_room"
    clean_rooms_notebook_task {
      clean_room_name          = "partners"
      notebook_name            = "overlap"
      notebook_base_parameters = { day = "2024-01-01" }
      etag                     = "7"
    }
  }

  task {
    task_key = "dbt_cloud"
    dbt_cloud_task {
      connection_resource_name = "dbt_cloud_conn"
      dbt_cloud_job_id         = 4242
    }
  }

  task {
    task_key = "dbt_platform"
    dbt_platform_task {
      connection_resource_name = "dbt_platform_conn"
      dbt_platform_job_id      = "123456789012345678"
    }
  }

  task {
    task_key = "train"
    gen_ai_compute_task {
      dl_runtime_image       = "databricks/dl-runtime:1"
      command                = "python train.py"
      training_script_path   = "train.py"
      yaml_parameters        = "epochs: 3"
      mlflow_experiment_name = "/Shared/train"
      source                 = "GIT"
      compute {
        num_gpus = 8
        gpu_type = "a100"
      }
    }
  }

  task {
    task_key = "power_bi"
    power_bi_task {
      connection_resource_name = "pbi_conn"
      warehouse_id             = "abc123"
      refresh_after_update     = true
      power_bi_model {
        workspace_name        = "Finance"
        model_name            = "sales"
        storage_mode          = "DIRECT_QUERY"
        authentication_method = "OAUTH"
        overwrite_existing    = true
      }
      tables {
        catalog = "main"
        schema  = "sales"
        name    = "orders"
      }
    }
  }

  task {
    task_key        = "wheel"
    job_cluster_key = "shared"
    python_wheel_task {
      package_name = "etl"
      entry_point  = "main"
    }
    library {
      pypi {
        package = "pandas"
      }
      provider_config {
        workspace_id = "1234567890"
      }
    }
  }

  task {
    task_key = "run_other"
    run_job_task {
      job_id          = 998654886170278
      notebook_params = { env = "prod" }
      python_params   = ["--x"]
      jar_params      = ["a"]
      dbt_commands    = ["dbt run"]
      pipeline_params {
        full_refresh = true
      }
    }
  }

  task {
    task_key = "per_dashboard"
    for_each_task {
      inputs = "[\"a\", \"b\"]"
      task {
        task_key                  = "per_dashboard_iteration"
        disable_auto_optimization = true
        dbt_platform_task {
          connection_resource_name = "dbt_platform_conn"
          dbt_platform_job_id      = "{{input}}"
        }
      }
    }
  }

  task {
    task_key = "per_cluster"
    for_each_task {
      inputs = "[1, 2]"
      task {
        task_key = "per_cluster_iteration"
        new_cluster {
          spark_version     = "15.4.x-scala2.12"
          node_type_id      = "i3.xlarge"
          num_workers       = 1
          kind              = "CLASSIC_PREVIEW"
          idempotency_token = "iteration"
        }
        spark_jar_task {
          main_class_name = "com.example.Main"
        }
      }
    }
  }
}

resource "databricks_job" "model_trigger" {
  name = "on-model"
  trigger {
    model {
      condition      = "MODEL_ALIAS_SET"
      securable_name = "main.ml.churn"
      aliases        = ["champion"]
    }
  }
  task {
    task_key = "score"
    notebook_task {
      notebook_path = "/Shared/score"
    }
  }
}

resource "databricks_job" "always" {
  name                = "always-$1"
  always_running      = true
  max_concurrent_runs = 1
  existing_cluster_id = "0101-000000-legacy01"
  notebook_task {
    notebook_path = "/Shared/stream"
  }
}

output "always_id" {
  value = databricks_job.always.id
}
output "legacy_id" {
  value = databricks_job.legacy.id
}
output "all_id" {
  value = databricks_job.all.id
}
EOF_TF
}

job_config 2 "budget-1"
apply_clean
tf output -raw legacy_id
LEGACY_ID=$(cat "$WORK/last.out")
tf output -raw all_id
ALL_ID=$(cat "$WORK/last.out")
tf output -raw always_id
ALWAYS_ID=$(cat "$WORK/last.out")
ok "a legacy single-task job and a job with every newer attribute apply; plans after are empty"

api GET "/api/2.2/jobs/get?job_id=$LEGACY_ID" >"$WORK/legacy.json"
python3 - "$WORK/legacy.json" <<'PY' || fail "legacy settings not as sent: $(cat "$WORK/legacy.json")"
import json, sys
s = json.load(open(sys.argv[1]))["settings"]
assert s["format"] == "SINGLE_TASK", s.get("format")
assert "tasks" not in s, s
assert s["notebook_task"]["notebook_path"] == "/Shared/legacy"
assert s["existing_cluster_id"] == "0101-000000-legacy01"
assert s["max_retries"] == 2 and s["retry_on_timeout"] is True
assert s["min_retry_interval_millis"] == 60000
assert {"pypi": {"package": "requests==2.32.3"}} in s["libraries"], s["libraries"]
# provider_config is the provider's own: never sent.
assert "provider_config" not in json.dumps(s), s
PY
ok "the legacy job is a SINGLE_TASK job with its task's fields at the top"

api GET "/api/2.2/jobs/get?job_id=$ALL_ID" >"$WORK/all.json"
python3 - "$WORK/all.json" <<'PY' || fail "settings not as sent: $(cat "$WORK/all.json")"
import json, sys
s = json.load(open(sys.argv[1]))["settings"]
t = {x["task_key"]: x for x in s["tasks"]}
assert s["format"] == "MULTI_TASK"
assert s["budget_policy_id"] == "budget-1"
assert s["edit_mode"] == "UI_LOCKED"
assert s["performance_target"] == "PERFORMANCE_OPTIMIZED"
assert s["deployment"] == {"kind": "BUNDLE", "metadata_file_path": "/Workspace/bundles/etl/metadata.json"}
assert s["continuous"]["task_retry_mode"] == "ON_FAILURE"
assert s["git_source"]["git_snapshot"] == {"used_commit": "4f2c1d0"}
assert s["environments"][0]["spec"]["java_dependencies"] == ["/Volumes/main/default/jars/udf.jar"]
nc = s["job_clusters"][0]["new_cluster"]
assert nc["kind"] == "CLASSIC_PREVIEW" and nc["is_single_node"] is True
assert "provider_config" not in nc
assert t["dashboard"]["disable_auto_optimization"] is True
sub = t["dashboard"]["dashboard_task"]["subscription"]
assert sub["subscribers"] == [{"user_name": "lead@example.com"}, {"destination_id": "d1b2c3"}], sub
assert t["clean_room"]["clean_rooms_notebook_task"]["notebook_name"] == "overlap"
assert t["dbt_cloud"]["dbt_cloud_task"]["dbt_cloud_job_id"] == 4242
assert t["dbt_platform"]["dbt_platform_task"]["dbt_platform_job_id"] == "123456789012345678"
assert t["train"]["gen_ai_compute_task"]["compute"] == {"num_gpus": 8, "gpu_type": "a100"}
assert t["power_bi"]["power_bi_task"]["power_bi_model"]["model_name"] == "sales"
assert t["run_other"]["run_job_task"]["pipeline_params"] == {"full_refresh": True}
assert t["wheel"]["libraries"] == [{"pypi": {"package": "pandas"}}], t["wheel"]["libraries"]
inner = t["per_dashboard"]["for_each_task"]["task"]
assert inner["dbt_platform_task"]["dbt_platform_job_id"] == "{{input}}"
PY
ok "the workspace holds the new settings under the API's names"

runs() { # job ID: how many runs it has had
	api GET "/api/2.2/jobs/runs/list?job_id=$1" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("runs", [])))'
}
[ "$(runs "$ALWAYS_ID")" = 1 ] || fail "always_running did not start a run after create"
[ "$(runs "$ALL_ID")" = 0 ] || fail "a job without always_running was run"
ok "always_running starts a run after create"

# Drift through the REST API: the budget policy changed behind Terraform's
# back, and the legacy job's retries.
api POST /api/2.2/jobs/update "{\"job_id\": $ALL_ID, \"new_settings\": {\"budget_policy_id\": \"budget-2\"}}" >/dev/null
api POST /api/2.2/jobs/update "{\"job_id\": $LEGACY_ID, \"new_settings\": {\"max_retries\": 5}}" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'budget_policy_id += +"budget-1" -> "budget-2"'
expect_output 'max_retries += +2 -> 5'
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 2 to change, 0 to destroy"
apply_clean
ok "drift made through the REST API shows, and apply puts it back"

job_config 3 "budget-3"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 3 to change, 0 to destroy"
apply_clean
api GET "/api/2.2/jobs/get?job_id=$LEGACY_ID" | grep -q '"max_retries":3' || fail "legacy max_retries not updated"
[ "$(runs "$ALWAYS_ID")" = 2 ] || fail "always_running did not restart the run after an update"
ok "changes to the jobs are made in place, always_running restarts its run; plans after are empty"

for r in legacy legacy_cluster all model_trigger always; do
	tf state show "databricks_job.$r"
	id=$(sed -n 's/^ *id *= *"\([0-9]*\)"$/\1/p' "$WORK/last.out" | head -n1)
	[ -n "$id" ] || fail "no id for $r"
	terraform -chdir="$WORK/cfg" state rm "databricks_job.$r" >"$WORK/last.out" 2>&1 || fail "state rm failed"
	expect_exit 0 import "databricks_job.$r" "$id"
done
# Import reads what the workspace has; provider_config (never sent) and
# the values the workspace does not echo come back from the configuration
# with the apply after it, which changes nothing in the workspace.
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "the jobs import by their IDs and plan clean"

done_testing
