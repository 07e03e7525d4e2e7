resource "databricks_group" "this" {
  display_name = "Data Engineering"
}

resource "databricks_group_role" "this" {
  group_id = databricks_group.this.id
  role     = "arn:aws:iam::123456789012:instance-profile/data-eng"
}
