terraform import databricks_grant.analysts catalog/sales/analysts
