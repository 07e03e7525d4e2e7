terraform import databricks_secret.db_password "app-secrets|||db-password"
