# A cluster is imported by its cluster ID (from its URL or clusters/list).
terraform import databricks_cluster.shared 1121-093000-abcd1234
