data "databricks_jobs" "etl" {
  job_name_contains = "etl"
}

output "etl_job_ids" {
  value = data.databricks_jobs.etl.ids
}
