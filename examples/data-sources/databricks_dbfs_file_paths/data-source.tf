data "databricks_dbfs_file_paths" "jars" {
  path      = "/FileStore/jars"
  recursive = true
}
