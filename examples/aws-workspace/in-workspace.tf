# Inside the new workspace, through the "workspace" provider: a catalog in
# its metastore, a cluster and a job on it.
#
# The data sources wait for the metastore assignment (depends_on): on the
# first apply the workspace does not exist at plan time, so they are read
# during the apply instead.

data "databricks_spark_version" "lts" {
  provider          = databricks.workspace
  long_term_support = true
  depends_on        = [databricks_metastore_assignment.this]
}

data "databricks_node_type" "smallest" {
  provider   = databricks.workspace
  local_disk = true
  depends_on = [databricks_metastore_assignment.this]
}

resource "databricks_catalog" "sandbox" {
  provider   = databricks.workspace
  name       = "sandbox"
  comment    = "Made by Terraform with the workspace"
  depends_on = [databricks_metastore_assignment.this]
}

resource "databricks_cluster" "shared" {
  provider                = databricks.workspace
  cluster_name            = "${var.prefix}-shared"
  spark_version           = data.databricks_spark_version.lts.id
  node_type_id            = data.databricks_node_type.smallest.id
  num_workers             = 1
  autotermination_minutes = 20
}

resource "databricks_job" "nightly" {
  provider = databricks.workspace
  name     = "${var.prefix}-nightly"

  task {
    task_key            = "refresh"
    existing_cluster_id = databricks_cluster.shared.id
    notebook_task {
      notebook_path = "/Shared/refresh"
      base_parameters = {
        catalog = databricks_catalog.sandbox.name
      }
    }
  }

  schedule {
    quartz_cron_expression = "0 0 3 * * ?"
    timezone_id            = "UTC"
  }
}

output "cluster_id" {
  value = databricks_cluster.shared.id
}

output "job_id" {
  value = databricks_job.nightly.id
}
