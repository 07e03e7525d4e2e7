resource "databricks_service_principal_secret" "etl" {
  service_principal_id = databricks_service_principal.etl.id
}

output "etl_client_secret" {
  value     = databricks_service_principal_secret.etl.secret
  sensitive = true
}
