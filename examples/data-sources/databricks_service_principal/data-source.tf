data "databricks_service_principal" "etl" {
  display_name = "etl-runner"
}
