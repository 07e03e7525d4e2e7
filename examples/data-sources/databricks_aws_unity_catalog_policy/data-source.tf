variable "aws_account_id" {}

data "databricks_aws_unity_catalog_policy" "this" {
  aws_account_id = var.aws_account_id
  bucket_name    = "databricks-bucket"
  role_name      = "uc-access"
}

output "unity_catalog_policy" {
  value = data.databricks_aws_unity_catalog_policy.this.json
}
