resource "databricks_global_init_script" "proxy" {
  source  = "${path.module}/scripts/proxy.sh"
  name    = "corporate proxy"
  enabled = true
}
