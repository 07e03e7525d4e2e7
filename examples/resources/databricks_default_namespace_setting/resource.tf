resource "databricks_default_namespace_setting" "this" {
  namespace {
    value = "main"
  }
}
