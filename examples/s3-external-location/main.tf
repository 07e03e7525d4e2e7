# The mixed stack with real AWS resources: an S3 bucket, the IAM role that
# Unity Catalog assumes (trusting the Databricks-managed principal with the
# storage credential's external ID), its policy, and the Unity Catalog
# objects on top. See README.md; not applied by the tests.
terraform {
  required_providers {
    aws        = { source = "hashicorp/aws" }
    databricks = { source = "brickform/databricks" }
  }
}

provider "aws" {
  region = var.region
}

provider "databricks" {}

variable "region" {
  type    = string
  default = "us-west-2"
}

variable "prefix" {
  type    = string
  default = "analytics"
}

data "aws_caller_identity" "current" {}

locals {
  role_name = "${var.prefix}-uc-access"
  # Known before the role exists, which breaks the cycle between the role
  # (whose trust policy needs the credential's external ID) and the
  # credential (which needs the role's ARN).
  role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.role_name}"
}

resource "aws_s3_bucket" "lake" {
  bucket = "${var.prefix}-lake"
}

resource "databricks_storage_credential" "lake" {
  name    = "${var.prefix}-lake-role"
  comment = "IAM role that Unity Catalog assumes for the lake bucket"
  aws_iam_role {
    role_arn = local.role_arn
  }
  # The role is created after the credential (its trust policy needs the
  # external ID), so it cannot be validated yet.
  skip_validation = true
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [databricks_storage_credential.lake.aws_iam_role[0].unity_catalog_iam_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [databricks_storage_credential.lake.aws_iam_role[0].external_id]
    }
  }
  # Unity Catalog requires the role to be able to assume itself.
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [local.role_arn]
    }
  }
}

resource "aws_iam_role" "uc" {
  name               = local.role_name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "lake" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
  }
  statement {
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.lake.arn]
  }
  statement {
    actions   = ["sts:AssumeRole"]
    resources = [local.role_arn]
  }
}

resource "aws_iam_role_policy" "lake" {
  name   = "${var.prefix}-lake-access"
  role   = aws_iam_role.uc.id
  policy = data.aws_iam_policy_document.lake.json
}

resource "databricks_external_location" "lake" {
  name            = "${var.prefix}-lake"
  url             = "s3://${aws_s3_bucket.lake.id}/data"
  credential_name = databricks_storage_credential.lake.name
  comment         = "The lake bucket"
  # Validation needs the role's policy in place.
  depends_on = [aws_iam_role_policy.lake]
}

resource "databricks_catalog" "analytics" {
  name         = var.prefix
  comment      = "Managed tables live in the lake bucket"
  storage_root = "${databricks_external_location.lake.url}/catalogs/${var.prefix}"
}

resource "databricks_schema" "raw" {
  catalog_name = databricks_catalog.analytics.name
  name         = "raw"
}

resource "databricks_schema" "curated" {
  catalog_name = databricks_catalog.analytics.name
  name         = "curated"
}

resource "databricks_grants" "catalog" {
  catalog = databricks_catalog.analytics.name
  grant {
    principal  = "data-engineers"
    privileges = ["USE_CATALOG", "USE_SCHEMA", "CREATE_TABLE", "SELECT", "MODIFY"]
  }
}

resource "databricks_grants" "lake" {
  external_location = databricks_external_location.lake.id
  grant {
    principal  = "data-engineers"
    privileges = ["READ_FILES", "WRITE_FILES", "CREATE_EXTERNAL_TABLE"]
  }
}
