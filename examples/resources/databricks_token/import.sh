terraform import databricks_token.pat "<token_id>"
