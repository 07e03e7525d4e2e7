data "databricks_service_principal" "spn" {
  display_name = "terraform-ci"
}

output "application_id" {
  value = data.databricks_service_principal.spn.application_id
}
