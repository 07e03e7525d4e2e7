terraform {
  required_version = ">= 1.5"
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

# The account console: credentials, storage, network, the workspace and
# its Unity Catalog metastore.
provider "databricks" {
  alias      = "mws"
  host       = var.databricks_account_host
  account_id = var.databricks_account_id
}

# The new workspace, known only once it exists: Terraform configures this
# provider during the same apply, after databricks_mws_workspaces.this.
provider "databricks" {
  alias = "workspace"
  host  = databricks_mws_workspaces.this.workspace_url
  token = databricks_mws_workspaces.this.token[0].token_value
}
