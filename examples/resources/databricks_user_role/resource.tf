resource "databricks_user" "this" {
  user_name = "me@example.com"
}

resource "databricks_user_role" "this" {
  user_id = databricks_user.this.id
  role    = "arn:aws:iam::123456789012:instance-profile/data-eng"
}
