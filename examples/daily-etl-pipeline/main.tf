# The seed workflow: a daily ETL job of two notebook tasks on a shared job
# cluster. "transform" waits for "ingest"; both run at 06:00 UTC.
#
# Run it against brickform-emulator or a workspace with DATABRICKS_HOST and
# DATABRICKS_TOKEN set. Tasks are identified by task_key: reordering the
# task blocks below is not a change.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

resource "databricks_job" "daily_etl" {
  name = "daily-etl-pipeline"

  job_cluster {
    job_cluster_key = "etl-cluster"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 2
    }
  }

  task {
    task_key        = "ingest"
    job_cluster_key = "etl-cluster"
    notebook_task {
      notebook_path = "/Workspace/etl/ingest"
    }
  }

  task {
    task_key        = "transform"
    job_cluster_key = "etl-cluster"
    depends_on {
      task_key = "ingest"
    }
    notebook_task {
      notebook_path = "/Workspace/etl/transform"
    }
  }

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

output "job_url" {
  value = databricks_job.daily_etl.url
}
