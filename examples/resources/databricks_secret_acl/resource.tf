resource "databricks_secret_scope" "app" {
  name = "app-secrets"
}

resource "databricks_secret_acl" "data_engineers" {
  scope      = databricks_secret_scope.app.name
  principal  = "data-engineers"
  permission = "READ"
}
