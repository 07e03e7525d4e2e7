resource "databricks_entitlements" "etl" {
  service_principal_id = databricks_service_principal.etl.id
  allow_cluster_create = true
  workspace_access     = false
}
