terraform import databricks_git_credential.ci "<credential_id>"
