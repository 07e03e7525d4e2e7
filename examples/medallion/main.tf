# A medallion lakehouse in Unity Catalog, in one plan: raw files land in a
# volume and in an external location, bronze holds an external table over
# them, silver a managed table, gold a view for the analysts; each layer
# has its own grants, and the account's billing and audit system schemas
# are enabled. A small SQL warehouse runs the tables' DDL.
#
# Run it against brickform-emulator or a workspace (as a metastore admin)
# with DATABRICKS_HOST and DATABRICKS_TOKEN set.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

variable "bucket" {
  type    = string
  default = "acme-lakehouse"
}

# --- where the raw data lives -------------------------------------------------

resource "databricks_storage_credential" "lake" {
  name = "lakehouse-role"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/lakehouse"
  }
  comment = "the role Unity Catalog assumes for the lakehouse bucket"
}

resource "databricks_external_location" "landing" {
  name            = "landing"
  url             = "s3://${var.bucket}/landing"
  credential_name = databricks_storage_credential.lake.id
  comment         = "raw files as the sources deliver them"
}

# --- the catalog and its layers -----------------------------------------------

resource "databricks_catalog" "lakehouse" {
  name          = "lakehouse"
  comment       = "bronze, silver and gold"
  force_destroy = true
}

resource "databricks_schema" "bronze" {
  catalog_name  = databricks_catalog.lakehouse.id
  name          = "bronze"
  comment       = "raw data, as delivered"
  force_destroy = true
}

resource "databricks_schema" "silver" {
  catalog_name  = databricks_catalog.lakehouse.id
  name          = "silver"
  comment       = "cleaned and conformed"
  force_destroy = true
}

resource "databricks_schema" "gold" {
  catalog_name  = databricks_catalog.lakehouse.id
  name          = "gold"
  comment       = "business aggregates"
  force_destroy = true
}

# The SQL warehouse that runs the tables' DDL (CREATE TABLE, ALTER TABLE,
# DROP TABLE): Unity Catalog makes and changes tables through SQL only.
resource "databricks_sql_endpoint" "ddl" {
  name             = "lakehouse-ddl"
  cluster_size     = "2X-Small"
  max_num_clusters = 1
  auto_stop_mins   = 10
}

# Files that arrive by upload (CSV exports, reference data).
resource "databricks_volume" "raw" {
  name         = "raw_files"
  catalog_name = databricks_catalog.lakehouse.name
  schema_name  = databricks_schema.bronze.name
  volume_type  = "MANAGED"
  comment      = "uploads"
}

resource "databricks_sql_table" "orders_raw" {
  name               = "orders_raw"
  catalog_name       = databricks_catalog.lakehouse.name
  schema_name        = databricks_schema.bronze.name
  table_type         = "EXTERNAL"
  data_source_format = "JSON"
  storage_location   = "s3://${var.bucket}/landing/orders"
  comment            = "orders as the shop exports them"
  warehouse_id       = databricks_sql_endpoint.ddl.id
  column {
    name = "order_id"
    type = "string"
  }
  column {
    name = "payload"
    type = "string"
  }
  column {
    name = "received_at"
    type = "timestamp"
  }
  depends_on = [databricks_external_location.landing]
}

resource "databricks_sql_table" "orders" {
  name         = "orders"
  catalog_name = databricks_catalog.lakehouse.name
  schema_name  = databricks_schema.silver.name
  table_type   = "MANAGED"
  comment      = "one row per order"
  cluster_keys = ["order_date"]
  warehouse_id = databricks_sql_endpoint.ddl.id
  properties = {
    quality = "silver"
  }
  column {
    name     = "order_id"
    type     = "string"
    nullable = false
  }
  column {
    name = "customer_id"
    type = "string"
  }
  column {
    name = "amount"
    type = "decimal(12,2)"
  }
  column {
    name = "order_date"
    type = "date"
  }
}

resource "databricks_sql_table" "daily_revenue" {
  name            = "daily_revenue"
  catalog_name    = databricks_catalog.lakehouse.name
  schema_name     = databricks_schema.gold.name
  table_type      = "VIEW"
  comment         = "revenue per day"
  view_definition = "SELECT order_date, sum(amount) AS revenue FROM lakehouse.silver.orders GROUP BY order_date"
  warehouse_id    = databricks_sql_endpoint.ddl.id
  depends_on      = [databricks_sql_table.orders]
}

# --- who may do what, per layer -----------------------------------------------

resource "databricks_grants" "catalog" {
  catalog = databricks_catalog.lakehouse.name
  grant {
    principal  = "data-engineers"
    privileges = ["USE_CATALOG"]
  }
  grant {
    principal  = "analysts"
    privileges = ["USE_CATALOG"]
  }
}

resource "databricks_grants" "bronze" {
  schema = databricks_schema.bronze.id
  grant {
    principal  = "data-engineers"
    privileges = ["USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE", "READ_VOLUME", "WRITE_VOLUME"]
  }
}

resource "databricks_grants" "silver" {
  schema = databricks_schema.silver.id
  grant {
    principal  = "data-engineers"
    privileges = ["USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE"]
  }
}

resource "databricks_grants" "gold" {
  schema = databricks_schema.gold.id
  grant {
    principal  = "data-engineers"
    privileges = ["USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE"]
  }
  grant {
    principal  = "analysts"
    privileges = ["USE_SCHEMA", "SELECT"]
  }
}

resource "databricks_grants" "landing" {
  external_location = databricks_external_location.landing.id
  grant {
    principal  = "data-engineers"
    privileges = ["READ_FILES", "CREATE_EXTERNAL_TABLE"]
  }
}

# --- billing and audit --------------------------------------------------------

resource "databricks_system_schema" "billing" {
  schema = "billing"
}

resource "databricks_system_schema" "access" {
  schema = "access"
}

output "catalog" { value = databricks_catalog.lakehouse.id }
output "raw_volume_path" { value = databricks_volume.raw.volume_path }
output "gold_view" { value = databricks_sql_table.daily_revenue.id }
