terraform import databricks_cluster_policy.team "<policy_id>"
