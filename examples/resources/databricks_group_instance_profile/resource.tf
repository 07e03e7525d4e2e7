resource "databricks_instance_profile" "this" {
  instance_profile_arn = "arn:aws:iam::123456789012:instance-profile/data-eng"
}

resource "databricks_group" "this" {
  display_name = "Data Engineering"
}

resource "databricks_group_instance_profile" "this" {
  group_id            = databricks_group.this.id
  instance_profile_id = databricks_instance_profile.this.id
}
