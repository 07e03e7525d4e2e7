resource "databricks_job" "this" {
  name = "nightly-report"

  job_cluster {
    job_cluster_key = "shared"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 2
    }
  }

  task {
    task_key        = "extract"
    job_cluster_key = "shared"
    notebook_task {
      notebook_path = "/Workspace/reports/extract"
      base_parameters = {
        day = "{{job.start_time.iso_date}}"
      }
    }
  }

  task {
    task_key        = "publish"
    job_cluster_key = "shared"
    depends_on {
      task_key = "extract"
    }
    spark_python_task {
      python_file = "/Workspace/reports/publish.py"
      parameters  = ["--target", "prod"]
    }
    library {
      pypi {
        package = "requests==2.32.3"
      }
    }
  }

  schedule {
    quartz_cron_expression = "0 30 1 * * ?"
    timezone_id            = "Europe/Amsterdam"
  }

  email_notifications {
    on_failure = ["reports@example.com"]
  }
}
