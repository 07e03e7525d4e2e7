terraform import databricks_user_role.this "<user_id>|<role>"
