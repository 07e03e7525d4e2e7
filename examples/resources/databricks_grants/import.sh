terraform import databricks_grants.sales catalog/sales
