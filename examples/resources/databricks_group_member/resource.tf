resource "databricks_group" "eng" {
  display_name = "Data Engineering"
}

resource "databricks_user" "ann" {
  user_name = "ann.lee@example.com"
}

resource "databricks_group_member" "ann_eng" {
  group_id  = databricks_group.eng.id
  member_id = databricks_user.ann.id
}
