terraform import databricks_global_init_script.proxy "<script_id>"
