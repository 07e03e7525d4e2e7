data "databricks_aws_bucket_policy" "this" {
  bucket = "my-workspace-root-bucket"
}

output "bucket_policy" {
  value = data.databricks_aws_bucket_policy.this.json
}
