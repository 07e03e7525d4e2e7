variable "users_group_id" {
  description = "The SCIM id of the workspace's built-in users group."
  type        = string
}

resource "databricks_entitlements" "workspace_users" {
  group_id              = var.users_group_id
  databricks_sql_access = true
  workspace_access      = true
}
