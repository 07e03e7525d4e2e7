terraform import databricks_group_member.ann_eng "<group_id>|<member_id>"
