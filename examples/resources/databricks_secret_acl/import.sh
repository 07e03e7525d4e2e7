terraform import databricks_secret_acl.data_engineers "app-secrets|||data-engineers"
