# One plan, one state: cloud storage and an IAM role (stood in for by
# terraform_data, whose outputs are unknown until apply, as a real bucket's
# and role's are) flow into a storage credential, an external location, a
# catalog stored under it, schemas, and grants. See README.md.
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}

provider "databricks" {}

variable "prefix" {
  type    = string
  default = "analytics"
}

# Stand-in for aws_s3_bucket: the bucket name goes in, and the output (the
# bucket's name, known after apply) makes the URL.
resource "terraform_data" "bucket" {
  input = "${var.prefix}-lake"
}

# Stand-in for aws_iam_role: the role's ARN, known after apply.
resource "terraform_data" "role" {
  input = "arn:aws:iam::123456789012:role/${var.prefix}-uc-access"
}

locals {
  lake_url = "s3://${terraform_data.bucket.output}"
}

resource "databricks_storage_credential" "lake" {
  name    = "${var.prefix}-lake-role"
  comment = "IAM role that Unity Catalog assumes for the lake bucket"
  aws_iam_role {
    role_arn = terraform_data.role.output
  }
}

resource "databricks_external_location" "lake" {
  name            = "${var.prefix}-lake"
  url             = "${local.lake_url}/data"
  credential_name = databricks_storage_credential.lake.name
  comment         = "The lake bucket"
}

resource "databricks_catalog" "analytics" {
  name         = var.prefix
  comment      = "Managed tables live in the lake bucket"
  storage_root = "${databricks_external_location.lake.url}/catalogs/${var.prefix}"
  properties = {
    team = "data-platform"
  }
}

resource "databricks_schema" "raw" {
  catalog_name = databricks_catalog.analytics.name
  name         = "raw"
  comment      = "Landed data, as received"
}

resource "databricks_schema" "curated" {
  catalog_name = databricks_catalog.analytics.name
  name         = "curated"
  comment      = "Cleaned and joined data"
  properties = {
    quality = "gold"
  }
}

resource "databricks_grants" "catalog" {
  catalog = databricks_catalog.analytics.name
  grant {
    principal  = "data-engineers"
    privileges = ["USE_CATALOG", "USE_SCHEMA", "CREATE_TABLE", "SELECT", "MODIFY"]
  }
  grant {
    principal  = "analysts"
    privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT"]
  }
}

resource "databricks_grants" "lake" {
  external_location = databricks_external_location.lake.id
  grant {
    principal  = "data-engineers"
    privileges = ["READ_FILES", "WRITE_FILES", "CREATE_EXTERNAL_TABLE"]
  }
}

output "catalog" {
  value = databricks_catalog.analytics.id
}

output "schemas" {
  value = [databricks_schema.raw.id, databricks_schema.curated.id]
}

output "lake_url" {
  value = databricks_external_location.lake.url
}
