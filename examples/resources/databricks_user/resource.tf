resource "databricks_user" "alice" {
  user_name            = "alice@example.com"
  display_name         = "Alice Example"
  allow_cluster_create = true
}
