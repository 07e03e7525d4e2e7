data "databricks_service_principals" "etl" {
  display_name_contains = "etl"
}

output "application_ids" {
  value = data.databricks_service_principals.etl.application_ids
}
