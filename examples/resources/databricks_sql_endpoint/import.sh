terraform import databricks_sql_endpoint.this "<warehouse_id>"
