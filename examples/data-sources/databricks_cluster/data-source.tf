data "databricks_clusters" "all" {}

data "databricks_cluster" "each" {
  for_each   = data.databricks_clusters.all.ids
  cluster_id = each.value
}

output "cluster_states" {
  value = { for id, c in data.databricks_cluster.each : id => c.cluster_info[0].state }
}
