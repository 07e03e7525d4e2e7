terraform import databricks_service_principal.etl "<service_principal_id>"
