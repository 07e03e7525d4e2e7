# The account side: register the AWS objects with Databricks, make the
# workspace and wait until it runs, then give it a Unity Catalog
# metastore.

resource "databricks_mws_credentials" "this" {
  provider         = databricks.mws
  account_id       = var.databricks_account_id
  credentials_name = "${var.prefix}-creds"
  role_arn         = local.cross_account_role_arn
}

resource "databricks_mws_storage_configurations" "this" {
  provider                   = databricks.mws
  account_id                 = var.databricks_account_id
  storage_configuration_name = "${var.prefix}-storage"
  bucket_name                = local.root_bucket_name
}

resource "databricks_mws_networks" "this" {
  provider           = databricks.mws
  account_id         = var.databricks_account_id
  network_name       = "${var.prefix}-network"
  vpc_id             = local.vpc_id
  subnet_ids         = local.subnet_ids
  security_group_ids = local.security_group_ids
}

resource "databricks_mws_workspaces" "this" {
  provider                 = databricks.mws
  account_id               = var.databricks_account_id
  workspace_name           = var.prefix
  deployment_name          = var.prefix
  aws_region               = var.region
  credentials_id           = databricks_mws_credentials.this.credentials_id
  storage_configuration_id = databricks_mws_storage_configurations.this.storage_configuration_id
  network_id               = databricks_mws_networks.this.network_id

  # A personal access token in the new workspace, for the "workspace"
  # provider block.
  token {
    comment = "Terraform"
  }

  timeouts {
    create = "30m"
  }
}

resource "databricks_metastore" "this" {
  provider      = databricks.mws
  name          = "${var.prefix}-${var.region}"
  region        = var.region
  storage_root  = "s3://${local.root_bucket_name}/metastore"
  force_destroy = true
}

resource "databricks_metastore_assignment" "this" {
  provider     = databricks.mws
  workspace_id = databricks_mws_workspaces.this.workspace_id
  metastore_id = databricks_metastore.this.id
}

output "workspace_url" {
  value = databricks_mws_workspaces.this.workspace_url
}

output "workspace_id" {
  value = tostring(databricks_mws_workspaces.this.workspace_id)
}
