resource "databricks_instance_pool" "smallest_nodes" {
  instance_pool_name                    = "Smallest Nodes"
  min_idle_instances                    = 0
  max_capacity                          = 300
  node_type_id                          = "i3.xlarge"
  idle_instance_autotermination_minutes = 10
  aws_attributes {
    availability           = "ON_DEMAND"
    zone_id                = "us-east-1a"
    spot_bid_price_percent = 100
  }
  disk_spec {
    disk_type {
      ebs_volume_type = "GENERAL_PURPOSE_SSD"
    }
    disk_size  = 80
    disk_count = 1
  }
  preloaded_spark_versions = ["15.4.x-scala2.12"]
}
