resource "databricks_grants" "sales" {
  catalog = "sales"

  grant {
    principal  = "Data Engineers"
    privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT", "MODIFY"]
  }
  grant {
    principal  = "analysts"
    privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT"]
  }
}

resource "databricks_grants" "landing" {
  external_location = "landing"

  grant {
    principal  = "Data Engineers"
    privileges = ["READ_FILES", "WRITE_FILES"]
  }
}
