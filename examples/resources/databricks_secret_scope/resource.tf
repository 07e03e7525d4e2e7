resource "databricks_secret_scope" "app" {
  name = "app-secrets"
}
