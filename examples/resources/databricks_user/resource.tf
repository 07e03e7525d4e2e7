resource "databricks_user" "analyst" {
  user_name             = "ann.lee@example.com"
  display_name          = "Ann Lee"
  workspace_access      = true
  databricks_sql_access = true
}
