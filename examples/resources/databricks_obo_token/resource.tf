variable "application_id" {
  description = "The application ID of the service principal."
  type        = string
}

resource "databricks_obo_token" "automation" {
  application_id   = var.application_id
  comment          = "PAT on behalf of the automation service principal"
  lifetime_seconds = 3600
}

output "obo_token" {
  value     = databricks_obo_token.automation.token_value
  sensitive = true
}
