resource "databricks_directory" "etl" {
  path = "/Shared/etl"
}
