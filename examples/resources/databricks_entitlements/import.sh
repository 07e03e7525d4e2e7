terraform import databricks_entitlements.etl "spn/<service_principal_id>"
