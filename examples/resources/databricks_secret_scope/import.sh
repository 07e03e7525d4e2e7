terraform import databricks_secret_scope.app "app-secrets"
