data "databricks_job" "etl" {
  job_name = "daily-etl-pipeline"
}

output "etl_job_id" {
  value = data.databricks_job.etl.job_id
}
