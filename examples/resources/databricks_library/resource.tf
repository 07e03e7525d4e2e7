resource "databricks_library" "requests" {
  cluster_id = databricks_cluster.shared.id
  pypi {
    package = "requests==2.31.0"
  }
}
