resource "databricks_workspace_file" "helpers" {
  source = "${path.module}/src/helpers.py"
  path   = "/Shared/etl/helpers.py"
}
