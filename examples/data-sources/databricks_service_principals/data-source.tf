data "databricks_service_principals" "runners" {
  display_name_contains = "runner"
}
