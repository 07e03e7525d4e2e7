terraform import databricks_notebook.ingest /Shared/etl/ingest
