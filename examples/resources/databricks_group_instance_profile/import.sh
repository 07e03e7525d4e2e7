terraform import databricks_group_instance_profile.this "<group_id>|<instance_profile_arn>"
