resource "databricks_service_principal" "etl" {
  display_name         = "etl-runner"
  allow_cluster_create = true
}
