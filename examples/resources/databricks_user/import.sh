terraform import databricks_user.alice "<user_id>"
