data "databricks_node_type" "smallest" {
  local_disk = true
}

data "databricks_node_type" "gpu" {
  min_gpus  = 1
  min_cores = 4
}

output "node_type" {
  value = data.databricks_node_type.smallest.id
}
