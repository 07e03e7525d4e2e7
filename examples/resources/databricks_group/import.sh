terraform import databricks_group.eng "<id>"
