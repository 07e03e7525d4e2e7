resource "databricks_secret_scope" "app" {
  name = "app-secrets"
}

resource "databricks_secret" "db_password" {
  scope        = databricks_secret_scope.app.name
  key          = "db-password"
  string_value = var.db_password
}

variable "db_password" {
  type      = string
  sensitive = true
}

# Use it in Spark configuration or environment variables.
output "db_password_reference" {
  value = databricks_secret.db_password.config_reference
}
