resource "databricks_sql_endpoint" "this" {
  name             = "shared"
  cluster_size     = "Small"
  max_num_clusters = 1
  auto_stop_mins   = 20

  tags {
    custom_tags {
      key   = "City"
      value = "Amsterdam"
    }
  }
}
