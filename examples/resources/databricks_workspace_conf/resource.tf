resource "databricks_workspace_conf" "this" {
  custom_config = {
    "enableIpAccessLists"  = true
    "maxTokenLifetimeDays" = "90"
  }
}
