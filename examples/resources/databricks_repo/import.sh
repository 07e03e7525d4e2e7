terraform import databricks_repo.pipelines "<repo_id>"
