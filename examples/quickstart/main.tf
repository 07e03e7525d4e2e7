# brickform quickstart: a secret scope, a secret and an ACL.
#
# scripts/quickstart.sh runs this against brickform-emulator with
# DATABRICKS_HOST and DATABRICKS_TOKEN set. Against a real workspace, set
# those two variables to your workspace URL and a personal access token.
terraform {
  required_providers {
    databricks = {
      source  = "brickform/databricks"
      version = "0.1.0"
    }
  }
}

provider "databricks" {}

resource "databricks_secret_scope" "app" {
  name = "quickstart-app"
}

resource "databricks_secret" "db_password" {
  scope        = databricks_secret_scope.app.name
  key          = "db-password"
  string_value = "correct-horse-battery-staple"
}

resource "databricks_secret_acl" "data_engineers" {
  scope      = databricks_secret_scope.app.name
  principal  = "data-engineers"
  permission = "READ"
}

output "password_reference" {
  description = "Use this in Spark conf or environment variables."
  value       = databricks_secret.db_password.config_reference
}
