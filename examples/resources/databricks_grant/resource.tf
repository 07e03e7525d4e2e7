resource "databricks_grant" "analysts" {
  catalog    = "sales"
  principal  = "analysts"
  privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT"]
}

resource "databricks_grant" "etl" {
  schema     = "sales.raw"
  principal  = "etl-service-principal"
  privileges = ["USE_SCHEMA", "SELECT", "MODIFY"]
}
