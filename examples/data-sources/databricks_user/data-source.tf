data "databricks_user" "alice" {
  user_name = "alice@example.com"
}
