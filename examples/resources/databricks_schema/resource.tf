resource "databricks_catalog" "sandbox" {
  name = "sandbox"
}

resource "databricks_schema" "things" {
  catalog_name = databricks_catalog.sandbox.name
  name         = "things"
  comment      = "Managed by Terraform"
  properties = {
    kind = "various"
  }
}
