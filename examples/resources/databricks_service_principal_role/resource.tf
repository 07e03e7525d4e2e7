resource "databricks_service_principal" "this" {
  display_name = "etl-runner"
}

resource "databricks_service_principal_role" "this" {
  service_principal_id = databricks_service_principal.this.id
  role                 = "arn:aws:iam::123456789012:instance-profile/data-eng"
}
