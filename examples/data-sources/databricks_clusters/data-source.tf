data "databricks_clusters" "shared" {
  cluster_name_contains = "shared"
}

data "databricks_clusters" "running_api" {
  filter_by {
    cluster_states  = ["RUNNING"]
    cluster_sources = ["API"]
  }
}

output "shared_cluster_ids" {
  value = data.databricks_clusters.shared.ids
}
