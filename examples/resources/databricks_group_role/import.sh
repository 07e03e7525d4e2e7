terraform import databricks_group_role.this "<group_id>|<role>"
