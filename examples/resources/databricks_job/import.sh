terraform import databricks_job.this 123456789
