terraform import databricks_entitlements.workspace_users "group/<id>"
