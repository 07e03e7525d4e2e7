resource "databricks_group" "engineers" {
  display_name          = "Data Engineers"
  allow_cluster_create  = true
  databricks_sql_access = true
  workspace_access      = true
}
