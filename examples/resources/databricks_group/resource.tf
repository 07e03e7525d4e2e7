resource "databricks_group" "eng" {
  display_name               = "Data Engineering"
  allow_cluster_create       = true
  allow_instance_pool_create = true
}
