resource "databricks_token" "pat" {
  comment          = "Terraform provisioning"
  lifetime_seconds = 2592000
}

output "databricks_token" {
  value     = databricks_token.pat.token_value
  sensitive = true
}
