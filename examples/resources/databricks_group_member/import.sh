terraform import databricks_group_member.alice_engineer "<group_id>|<member_id>"
