terraform import databricks_permissions.job_usage "/jobs/<job_id>"
terraform import databricks_permissions.token_usage "/authorization/tokens"
