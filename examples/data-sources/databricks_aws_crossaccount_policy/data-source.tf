data "databricks_aws_crossaccount_policy" "this" {}

output "cross_account_policy" {
  value = data.databricks_aws_crossaccount_policy.this.json
}
