data "databricks_sql_warehouse" "shared" {
  name = "shared"
}

output "jdbc_url" {
  value = data.databricks_sql_warehouse.shared.jdbc_url
}
