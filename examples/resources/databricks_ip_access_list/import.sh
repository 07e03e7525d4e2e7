terraform import databricks_ip_access_list.allowed "<list_id>"
