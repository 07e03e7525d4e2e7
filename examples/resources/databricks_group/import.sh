terraform import databricks_group.engineers "<group_id>"
