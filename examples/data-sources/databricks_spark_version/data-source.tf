data "databricks_spark_version" "lts" {
  long_term_support = true
}

data "databricks_spark_version" "ml_gpu" {
  ml  = true
  gpu = true
}

output "lts_runtime" {
  value = data.databricks_spark_version.lts.id
}
