data "databricks_dbfs_file" "settings" {
  path            = "/FileStore/conf/settings.json"
  limit_file_size = true
}
