data "databricks_cluster_policy" "personal" {
  name = "Personal Compute"
}

resource "databricks_cluster" "mine" {
  cluster_name  = "mine"
  spark_version = "15.4.x-scala2.12"
  node_type_id  = "i3.xlarge"
  num_workers   = 1
  policy_id     = data.databricks_cluster_policy.personal.id
}
