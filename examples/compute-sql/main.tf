# Compute and SQL for a data platform team, in one plan: a SQL warehouse
# for the analysts, an instance pool that feeds both an all-purpose cluster
# and a job's cluster, and a Lakeflow Declarative Pipeline that a nightly
# job runs through a pipeline_task, with who may use each.
#
# Run it against brickform-emulator or a workspace (as an admin) with
# DATABRICKS_HOST and DATABRICKS_TOKEN set.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

resource "databricks_group" "analysts" {
  display_name = "Analysts"
}

# --- SQL for the analysts -----------------------------------------------------

resource "databricks_sql_endpoint" "analysts" {
  name             = "analysts"
  cluster_size     = "Small"
  min_num_clusters = 1
  max_num_clusters = 2
  auto_stop_mins   = 20
  enable_photon    = true

  tags {
    custom_tags {
      key   = "team"
      value = "analytics"
    }
  }
}

resource "databricks_permissions" "warehouse_usage" {
  sql_endpoint_id = databricks_sql_endpoint.analysts.id

  access_control {
    group_name       = databricks_group.analysts.display_name
    permission_level = "CAN_USE"
  }
}

# --- a pool for fast starts ---------------------------------------------------

resource "databricks_instance_pool" "etl" {
  instance_pool_name                    = "etl-pool"
  node_type_id                          = "i3.xlarge"
  min_idle_instances                    = 1
  max_capacity                          = 10
  idle_instance_autotermination_minutes = 15
  preloaded_spark_versions              = ["15.4.x-scala2.12"]

  aws_attributes {
    availability = "ON_DEMAND"
  }

  disk_spec {
    disk_count = 1
    disk_size  = 100
    disk_type {
      ebs_volume_type = "GENERAL_PURPOSE_SSD"
    }
  }
}

# The cluster takes its node type from the pool: none is set here.
resource "databricks_cluster" "shared" {
  cluster_name            = "shared-on-pool"
  spark_version           = "15.4.x-scala2.12"
  instance_pool_id        = databricks_instance_pool.etl.id
  num_workers             = 1
  autotermination_minutes = 30
}

resource "databricks_permissions" "pool_usage" {
  instance_pool_id = databricks_instance_pool.etl.id

  access_control {
    group_name       = databricks_group.analysts.display_name
    permission_level = "CAN_ATTACH_TO"
  }
}

# --- the pipeline and the job that runs it ----------------------------------

resource "databricks_notebook" "bronze" {
  path           = "/Shared/pipelines/bronze"
  language       = "PYTHON"
  content_base64 = base64encode("import dlt\n\n@dlt.table\ndef bronze():\n    return spark.read.table(\"samples.nyctaxi.trips\")\n")
}

resource "databricks_pipeline" "trips" {
  name    = "trips"
  catalog = "main"
  schema  = "trips"

  cluster {
    label            = "default"
    instance_pool_id = databricks_instance_pool.etl.id
    autoscale {
      min_workers = 1
      max_workers = 4
      mode        = "ENHANCED"
    }
  }

  cluster {
    label            = "maintenance"
    instance_pool_id = databricks_instance_pool.etl.id
    num_workers      = 1
  }

  library {
    notebook {
      path = databricks_notebook.bronze.id
    }
  }

  development = false

  notification {
    email_recipients = ["data-team@example.com"]
    alerts           = ["on-update-failure"]
  }
}

resource "databricks_permissions" "pipeline_usage" {
  pipeline_id = databricks_pipeline.trips.id

  access_control {
    group_name       = databricks_group.analysts.display_name
    permission_level = "CAN_VIEW"
  }
}

resource "databricks_job" "nightly" {
  name = "nightly-trips"

  job_cluster {
    job_cluster_key = "pool"
    new_cluster {
      spark_version    = "15.4.x-scala2.12"
      instance_pool_id = databricks_instance_pool.etl.id
      num_workers      = 2
    }
  }

  task {
    task_key = "refresh"
    pipeline_task {
      pipeline_id = databricks_pipeline.trips.id
    }
  }

  task {
    task_key        = "report"
    job_cluster_key = "pool"
    depends_on {
      task_key = "refresh"
    }
    notebook_task {
      notebook_path = databricks_notebook.bronze.path
    }
  }

  schedule {
    quartz_cron_expression = "0 0 2 * * ?"
    timezone_id            = "UTC"
  }
}

output "warehouse_id" { value = databricks_sql_endpoint.analysts.id }
output "jdbc_url" { value = databricks_sql_endpoint.analysts.jdbc_url }
output "pool_id" { value = databricks_instance_pool.etl.id }
output "cluster_id" { value = databricks_cluster.shared.id }
output "pipeline_id" { value = databricks_pipeline.trips.id }
output "job_id" { value = databricks_job.nightly.id }
