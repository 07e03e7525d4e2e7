#!/usr/bin/env bash
# Unity Catalog objects made by REST (a script, the UI) before Terraform
# knew them: a catalog, a schema, a managed volume and a managed table are
# created through the API, then imported by their official IDs into a
# configuration in the official provider's style; the plans after the
# import (and an apply) are empty, refresh-only too.
source "$(dirname "$0")/../lib.sh"
start_emulator
UC=/api/2.1/unity-catalog

api POST "$UC/catalogs" '{"name":"ops","comment":"made by hand"}' >/dev/null
api POST "$UC/schemas" '{"catalog_name":"ops","name":"raw","comment":"landing"}' >/dev/null
api POST "$UC/volumes" '{"catalog_name":"ops","schema_name":"raw","name":"drops","volume_type":"MANAGED","comment":"uploads"}' |
	grep -q '"full_name":"ops.raw.drops"' || fail "REST volume create"
api POST "$UC/tables" '{"catalog_name":"ops","schema_name":"raw","name":"events","table_type":"MANAGED","data_source_format":"DELTA","comment":"events as they come","columns":[{"name":"id","type_text":"bigint","type_name":"LONG","position":0,"nullable":false},{"name":"body","type_text":"string","type_name":"STRING","position":1,"nullable":true}]}' |
	grep -q '"full_name":"ops.raw.events"' || fail "REST table create"

config_text <<'EOF_TF'
resource "databricks_catalog" "ops" {
  name    = "ops"
  comment = "made by hand"
}
resource "databricks_schema" "raw" {
  catalog_name = databricks_catalog.ops.id
  name         = "raw"
  comment      = "landing"
}
resource "databricks_volume" "drops" {
  name         = "drops"
  catalog_name = databricks_catalog.ops.name
  schema_name  = databricks_schema.raw.name
  volume_type  = "MANAGED"
  comment      = "uploads"
}
resource "databricks_sql_table" "events" {
  name         = "events"
  catalog_name = databricks_catalog.ops.name
  schema_name  = databricks_schema.raw.name
  table_type   = "MANAGED"
  comment      = "events as they come"
  column {
    name     = "id"
    type     = "bigint"
    nullable = false
  }
  column {
    name = "body"
    type = "string"
  }
}
EOF_TF
expect_exit 0 import databricks_catalog.ops ops
expect_exit 0 import databricks_schema.raw ops.raw
expect_exit 0 import databricks_volume.drops ops.raw.drops
expect_exit 0 import databricks_sql_table.events ops.raw.events
expect_exit 0 plan -detailed-exitcode
apply_clean
ok "a catalog, schema, volume and table made by REST import by their official IDs and plan clean"

done_testing
