variable "application_id" {
  description = "The application ID of the service principal."
  type        = string
}

data "databricks_service_principal" "ci" {
  application_id = var.application_id
}

resource "databricks_service_principal_secret" "ci" {
  service_principal_id = data.databricks_service_principal.ci.id
  lifetime             = "7776000s"
}

output "client_id" {
  value = data.databricks_service_principal.ci.application_id
}

output "client_secret" {
  value     = databricks_service_principal_secret.ci.secret
  sensitive = true
}
