terraform import databricks_obo_token.automation "<token_id>"
