data "databricks_instance_pool" "pool" {
  name = "Smallest Nodes"
}

output "idle_instances" {
  value = data.databricks_instance_pool.pool.pool_info[0].stats[0].idle_count
}
