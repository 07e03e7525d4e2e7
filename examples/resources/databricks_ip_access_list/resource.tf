resource "databricks_workspace_conf" "this" {
  custom_config = {
    "enableIpAccessLists" = true
  }
}

resource "databricks_ip_access_list" "allowed" {
  label        = "office"
  list_type    = "ALLOW"
  ip_addresses = ["1.1.1.1", "1.2.3.0/24"]
  depends_on   = [databricks_workspace_conf.this]
}
