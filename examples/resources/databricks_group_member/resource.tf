resource "databricks_group_member" "alice_engineer" {
  group_id  = databricks_group.engineers.id
  member_id = databricks_user.alice.id
}
