resource "databricks_user_role" "alice_admin" {
  user_id = databricks_user.alice.id
  role    = "account_admin"
}
