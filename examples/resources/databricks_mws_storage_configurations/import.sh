terraform import databricks_mws_storage_configurations.this "<account_id>/<storage_configuration_id>"
