# Code from Git in one plan: two notebooks from local files in a folder of
# their own, a Git folder of shared libraries checked out at a tag with the
# team's Git credential, and a job whose tasks run the notebooks.
#
# Run it against brickform-emulator or a workspace with DATABRICKS_HOST and
# DATABRICKS_TOKEN set (and GITHUB_TOKEN for the Git credential).
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

variable "github_token" {
  type      = string
  sensitive = true
  default   = null # then GITHUB_TOKEN, as with the official provider
}

resource "databricks_directory" "etl" {
  path = "/Shared/etl"
}

resource "databricks_notebook" "ingest" {
  source = "${path.module}/notebooks/ingest.py"
  path   = "${databricks_directory.etl.path}/ingest"
}

resource "databricks_notebook" "report" {
  source = "${path.module}/notebooks/report.sql"
  path   = "${databricks_directory.etl.path}/report"
}

resource "databricks_git_credential" "team" {
  git_provider          = "gitHub"
  git_username          = "etl-bot"
  personal_access_token = var.github_token
  force                 = true
}

resource "databricks_repo" "libs" {
  url        = "https://github.com/example/etl-libs.git"
  path       = "/Repos/etl/etl-libs"
  tag        = "v1.4.0"
  depends_on = [databricks_git_credential.team]
}

resource "databricks_job" "daily" {
  name = "daily ingest and report"

  job_cluster {
    job_cluster_key = "etl"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 2
      spark_env_vars = {
        PYTHONPATH = databricks_repo.libs.workspace_path
      }
    }
  }

  task {
    task_key        = "ingest"
    job_cluster_key = "etl"
    notebook_task {
      notebook_path   = databricks_notebook.ingest.path
      base_parameters = { date = "{{job.start_time.iso_date}}" }
    }
  }

  task {
    task_key        = "report"
    job_cluster_key = "etl"
    depends_on {
      task_key = "ingest"
    }
    notebook_task {
      notebook_path = databricks_notebook.report.path
    }
  }
}

output "job_id" {
  value = databricks_job.daily.id
}
