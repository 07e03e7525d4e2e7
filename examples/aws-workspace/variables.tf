variable "databricks_account_id" {
  description = "The Databricks account ID (the account console shows it)."
  type        = string
  default     = "00000000-0000-4000-8000-000000000001"
}

variable "databricks_account_host" {
  description = <<-EOT
    The account console. The new workspace's URL is derived from it:
    accounts.cloud.databricks.com gives <deployment>.cloud.databricks.com,
    and brickform-emulator's http://accounts.localhost:<port> gives
    http://<deployment>.localhost:<port>.
  EOT
  type        = string
  default     = "https://accounts.cloud.databricks.com"
}

variable "prefix" {
  description = "Names of everything made here start with it; also the deployment name."
  type        = string
  default     = "demo"
}

variable "region" {
  description = "The AWS region of the workspace and its metastore."
  type        = string
  default     = "us-east-1"
}

variable "aws_account_id" {
  description = "The AWS account the bucket and roles live in."
  type        = string
  default     = "123456789012"
}
