data "databricks_sql_warehouses" "shared" {
  warehouse_name_contains = "shared"
}

output "shared_warehouses" {
  value = data.databricks_sql_warehouses.shared.ids
}
