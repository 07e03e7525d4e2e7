data "databricks_users" "company" {
  filter = "userName co \"@example.com\""
}
