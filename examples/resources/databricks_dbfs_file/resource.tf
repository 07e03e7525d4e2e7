resource "databricks_dbfs_file" "etl_jar" {
  source = "${path.module}/build/etl.jar"
  path   = "/FileStore/jars/etl.jar"
}
