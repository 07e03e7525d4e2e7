terraform import databricks_service_principal_role.this "<service_principal_id>|<role>"
