# The AWS side: a root bucket for the workspace, a cross-account role
# Databricks assumes to run compute, and a VPC with two private subnets.
#
# Here they are terraform_data stand-ins, so the example applies anywhere
# (against brickform-emulator in our tests). The same graph with the real
# hashicorp/aws resources is in aws-real.tf.example: rename it to
# aws-real.tf, delete this file and the outputs keep their names, so
# workspace.tf needs no change.
#
# The policy documents are the real ones either way: the databricks_aws_*
# data sources compute them locally, without calling Databricks.

data "databricks_aws_assume_role_policy" "this" {
  provider    = databricks.mws
  external_id = var.databricks_account_id
}

data "databricks_aws_crossaccount_policy" "this" {
  provider = databricks.mws
}

data "databricks_aws_bucket_policy" "root" {
  provider = databricks.mws
  bucket   = "${var.prefix}-rootbucket"
}

resource "terraform_data" "root_bucket" {
  input = {
    bucket = "${var.prefix}-rootbucket"
    policy = data.databricks_aws_bucket_policy.root.json
  }
}

resource "terraform_data" "cross_account_role" {
  input = {
    arn                = "arn:aws:iam::${var.aws_account_id}:role/${var.prefix}-crossaccount"
    assume_role_policy = data.databricks_aws_assume_role_policy.this.json
    policy             = data.databricks_aws_crossaccount_policy.this.json
  }
}

resource "terraform_data" "vpc" {
  input = {
    vpc_id             = "vpc-0${substr(sha1(var.prefix), 0, 16)}"
    subnet_ids         = ["subnet-0a${substr(sha1(var.prefix), 0, 15)}", "subnet-0b${substr(sha1(var.prefix), 0, 15)}"]
    security_group_ids = ["sg-0${substr(sha1(var.prefix), 0, 16)}"]
  }
}

locals {
  root_bucket_name       = terraform_data.root_bucket.output.bucket
  cross_account_role_arn = terraform_data.cross_account_role.output.arn
  vpc_id                 = terraform_data.vpc.output.vpc_id
  subnet_ids             = terraform_data.vpc.output.subnet_ids
  security_group_ids     = terraform_data.vpc.output.security_group_ids
}
