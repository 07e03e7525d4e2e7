terraform import databricks_directory.etl /Shared/etl
