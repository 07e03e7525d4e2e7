resource "databricks_storage_credential" "lake" {
  name    = "lake-role"
  comment = "Managed by Terraform"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/uc-lake-access"
  }
}

# The role's trust policy names these two.
output "uc_principal" {
  value = databricks_storage_credential.lake.aws_iam_role[0].unity_catalog_iam_arn
}

output "external_id" {
  value = databricks_storage_credential.lake.aws_iam_role[0].external_id
}
