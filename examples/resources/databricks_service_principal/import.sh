terraform import databricks_service_principal.etl "<id>"
