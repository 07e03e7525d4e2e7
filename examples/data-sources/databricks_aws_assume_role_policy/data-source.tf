variable "databricks_account_id" {
  description = "The Databricks account ID, from the top right corner of the account console"
}

data "databricks_aws_assume_role_policy" "this" {
  external_id = var.databricks_account_id
}

output "assume_role_policy" {
  value = data.databricks_aws_assume_role_policy.this.json
}
