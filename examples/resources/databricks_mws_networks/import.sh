terraform import databricks_mws_networks.this "<account_id>/<network_id>"
