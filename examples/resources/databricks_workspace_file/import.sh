terraform import databricks_workspace_file.helpers /Shared/etl/helpers.py
