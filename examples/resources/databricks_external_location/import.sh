terraform import databricks_external_location.lake "lake"
