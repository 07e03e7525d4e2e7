terraform import databricks_mws_credentials.this "<account_id>/<credentials_id>"
