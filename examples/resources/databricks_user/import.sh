terraform import databricks_user.analyst "<id>"
