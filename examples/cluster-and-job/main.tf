# A shared all-purpose cluster and a nightly job in one plan: the job's
# "report" task runs on the standing cluster (existing_cluster_id), and its
# "aggregate" task on a job cluster sized from the workspace's catalogues
# (the latest LTS runtime, the smallest node type with a local disk).
#
# Run it against brickform-emulator or a workspace with DATABRICKS_HOST and
# DATABRICKS_TOKEN set.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

data "databricks_spark_version" "lts" {
  long_term_support = true
}

data "databricks_node_type" "smallest" {
  local_disk = true
}

data "databricks_current_user" "me" {}

resource "databricks_cluster" "shared" {
  cluster_name            = "shared-reporting"
  spark_version           = data.databricks_spark_version.lts.id
  node_type_id            = data.databricks_node_type.smallest.id
  num_workers             = 1
  autotermination_minutes = 20

  custom_tags = {
    team = "reporting"
  }

  library {
    pypi {
      package = "openpyxl==3.1.5"
    }
  }
}

resource "databricks_job" "nightly" {
  name = "nightly-reporting"

  job_cluster {
    job_cluster_key = "aggregate"
    new_cluster {
      spark_version = data.databricks_spark_version.lts.id
      node_type_id  = data.databricks_node_type.smallest.id
      num_workers   = 2
    }
  }

  task {
    task_key        = "aggregate"
    job_cluster_key = "aggregate"
    notebook_task {
      notebook_path = "${data.databricks_current_user.me.home}/aggregate"
    }
  }

  task {
    task_key            = "report"
    existing_cluster_id = databricks_cluster.shared.id
    depends_on {
      task_key = "aggregate"
    }
    notebook_task {
      notebook_path = "${data.databricks_current_user.me.home}/report"
    }
  }

  schedule {
    quartz_cron_expression = "0 0 2 * * ?"
    timezone_id            = "UTC"
  }
}

output "cluster_url" {
  value = databricks_cluster.shared.url
}

output "job_url" {
  value = databricks_job.nightly.url
}
