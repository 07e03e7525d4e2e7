resource "databricks_catalog" "sandbox" {
  name    = "sandbox"
  comment = "Managed by Terraform"
  properties = {
    purpose = "testing"
  }
}
