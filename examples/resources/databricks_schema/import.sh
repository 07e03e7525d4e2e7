terraform import databricks_schema.things "sandbox.things"
