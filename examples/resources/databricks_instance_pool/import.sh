terraform import databricks_instance_pool.this "<instance_pool_id>"
