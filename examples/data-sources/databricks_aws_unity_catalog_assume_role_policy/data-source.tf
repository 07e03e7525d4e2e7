variable "aws_account_id" {}

data "databricks_aws_unity_catalog_assume_role_policy" "this" {
  aws_account_id = var.aws_account_id
  role_name      = "uc-access"
  external_id    = "12345"
}

output "unity_catalog_assume_role_policy" {
  value = data.databricks_aws_unity_catalog_assume_role_policy.this.json
}
