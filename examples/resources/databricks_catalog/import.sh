terraform import databricks_catalog.sandbox "sandbox"
