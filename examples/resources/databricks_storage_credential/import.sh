terraform import databricks_storage_credential.lake "lake-role"
