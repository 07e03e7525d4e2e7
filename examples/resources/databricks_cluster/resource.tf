# An autoscaling all-purpose cluster for the data team, with its libraries.
# Scaling it (autoscale or num_workers) resizes it in place; tags, Spark
# settings and the runtime edit it (a running cluster restarts); libraries
# and the pin change without a restart.
data "databricks_spark_version" "lts" {
  long_term_support = true
}

data "databricks_node_type" "smallest" {
  local_disk = true
}

resource "databricks_cluster" "shared" {
  cluster_name            = "shared-analytics"
  spark_version           = data.databricks_spark_version.lts.id
  node_type_id            = data.databricks_node_type.smallest.id
  autotermination_minutes = 30
  data_security_mode      = "USER_ISOLATION"
  is_pinned               = true

  autoscale {
    min_workers = 1
    max_workers = 8
  }

  spark_conf = {
    "spark.sql.shuffle.partitions" = "64"
  }

  custom_tags = {
    team = "analytics"
  }

  library {
    pypi {
      package = "great-expectations==1.3.0"
    }
  }

  library {
    maven {
      coordinates = "com.crealytics:spark-excel_2.12:3.5.1_0.20.4"
    }
  }
}
