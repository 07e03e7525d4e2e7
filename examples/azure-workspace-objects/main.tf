# An Azure Databricks workspace's objects, in the official provider's
# configuration style: the REST guide's two-task daily ETL job on
# Standard_DS3_v2 VMs, an interactive cluster on spot VMs, an ADLS Gen2
# external location reached through an access connector's managed
# identity, and a secret scope backed by Azure Key Vault.
#
# Sign in as the official provider does on Azure: ARM_CLIENT_ID,
# ARM_CLIENT_SECRET and ARM_TENANT_ID (azure-client-secret), `az login`
# (azure-cli) or a managed identity (ARM_USE_MSI); DATABRICKS_HOST or
# azure_workspace_resource_id names the workspace. See README.md.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

variable "access_connector_id" {
  description = "Resource id of the Azure Databricks access connector whose managed identity reads the storage account."
  type        = string
  default     = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-data/providers/Microsoft.Databricks/accessConnectors/ac-lake"
}

variable "storage_account" {
  description = "The ADLS Gen2 storage account of the lake."
  type        = string
  default     = "stbrickformlake"
}

variable "key_vault_id" {
  description = "Resource id of the Key Vault behind the secret scope."
  type        = string
  default     = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-etl"
}

variable "key_vault_uri" {
  description = "The Key Vault's DNS name (vault URI)."
  type        = string
  default     = "https://kv-etl.vault.azure.net/"
}

resource "databricks_job" "daily_etl" {
  name = "daily-etl-pipeline"

  job_cluster {
    job_cluster_key = "etl-cluster"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "Standard_DS3_v2"
      num_workers   = 2
    }
  }

  task {
    task_key        = "ingest"
    job_cluster_key = "etl-cluster"
    notebook_task {
      notebook_path = "/Workspace/etl/ingest"
    }
  }

  task {
    task_key        = "transform"
    job_cluster_key = "etl-cluster"
    depends_on {
      task_key = "ingest"
    }
    notebook_task {
      notebook_path = "/Workspace/etl/transform"
    }
  }

  schedule {
    quartz_cron_expression = "0 0 6 * * ?"
    timezone_id            = "UTC"
  }
}

resource "databricks_cluster" "analysts" {
  cluster_name            = "analysts"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "Standard_DS4_v2"
  autotermination_minutes = 30
  autoscale {
    min_workers = 1
    max_workers = 4
  }
  azure_attributes {
    availability       = "SPOT_WITH_FALLBACK_AZURE"
    first_on_demand    = 1
    spot_bid_max_price = -1
  }
}

resource "databricks_storage_credential" "lake" {
  name    = "lake-access-connector"
  comment = "The access connector's managed identity"
  azure_managed_identity {
    access_connector_id = var.access_connector_id
  }
}

resource "databricks_external_location" "landing" {
  name            = "landing"
  url             = "abfss://landing@${var.storage_account}.dfs.core.windows.net/"
  credential_name = databricks_storage_credential.lake.name
  comment         = "Raw files as they arrive"
}

resource "databricks_secret_scope" "kv" {
  name         = "etl-keyvault"
  backend_type = "AZURE_KEYVAULT"
  keyvault_metadata {
    resource_id = var.key_vault_id
    dns_name    = var.key_vault_uri
  }
}

output "job_id" {
  value = databricks_job.daily_etl.id
}

output "landing_url" {
  value = databricks_external_location.landing.url
}
