resource "databricks_storage_credential" "lake" {
  name = "lake-role"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/uc-lake-access"
  }
}

resource "databricks_external_location" "lake" {
  name            = "lake"
  url             = "s3://my-lake-bucket/data"
  credential_name = databricks_storage_credential.lake.name
  comment         = "Managed by Terraform"
}
