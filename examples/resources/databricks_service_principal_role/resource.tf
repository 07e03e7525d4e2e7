resource "databricks_service_principal_role" "etl_profile" {
  service_principal_id = databricks_service_principal.etl.id
  role                 = "arn:aws:iam::123456789012:instance-profile/etl"
}
