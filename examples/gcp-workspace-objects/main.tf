# A Databricks on Google Cloud workspace's objects, in the official
# provider's configuration style: a two-task job on an n2-standard-4 job
# cluster, an interactive cluster on preemptible workers with its own
# service account (gcp_attributes), and a Unity Catalog storage credential
# (a Databricks-managed Google service account) with a gs:// external
# location on it.
#
# Sign in as the official provider does on Google Cloud: a service account
# key in GOOGLE_CREDENTIALS (google-credentials), or
# google_service_account impersonated with your application default
# credentials (google-id); DATABRICKS_HOST names the workspace. See
# README.md.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

variable "bucket" {
  description = "The GCS bucket of the lake."
  type        = string
  default     = "brickform-lake-raw"
}

variable "cluster_service_account" {
  description = "The Google service account the cluster's VMs run as."
  type        = string
  default     = "databricks-compute@my-project.iam.gserviceaccount.com"
}

resource "databricks_job" "daily_etl" {
  name = "daily-etl-pipeline"

  job_cluster {
    job_cluster_key = "etl-cluster"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "n2-standard-4"
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
}

resource "databricks_cluster" "analysts" {
  cluster_name            = "analysts"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "n2-highmem-4"
  autotermination_minutes = 30
  num_workers             = 2
  gcp_attributes {
    availability           = "PREEMPTIBLE_WITH_FALLBACK_GCP"
    google_service_account = var.cluster_service_account
    local_ssd_count        = 1
    zone_id                = "HA"
  }
}

resource "databricks_storage_credential" "lake" {
  name    = "lake-gcp-sa"
  comment = "A Databricks-managed service account; grant it on the bucket"
  databricks_gcp_service_account {}
}

resource "databricks_external_location" "landing" {
  name            = "landing"
  url             = "gs://${var.bucket}/landing"
  credential_name = databricks_storage_credential.lake.name
  comment         = "Raw files as they arrive"
}

output "job_id" {
  value = databricks_job.daily_etl.id
}

output "credential_service_account" {
  # Grant this account roles/storage.objectAdmin on the bucket.
  value = databricks_storage_credential.lake.databricks_gcp_service_account[0].email
}
