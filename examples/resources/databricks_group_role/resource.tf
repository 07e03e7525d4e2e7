resource "databricks_group_role" "engineers_profile" {
  group_id = databricks_group.engineers.id
  role     = "arn:aws:iam::123456789012:instance-profile/data-engineers"
}
