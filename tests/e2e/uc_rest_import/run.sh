#!/usr/bin/env bash
# Unity Catalog objects made by REST (a script, the UI) before Terraform
# knew them: a catalog, a schema and a managed volume are created through
# the API and a managed table by SQL on a SQL warehouse (the Statement
# Execution API), then imported by their official IDs into a
# configuration in the official provider's style; the plans after the
# import (and an apply) are empty, refresh-only too. A type the
# configuration spells otherwise (INTEGER for the workspace's int) is no
# change.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

api POST "$UC/catalogs" '{"name":"ops","comment":"made by hand"}' >/dev/null
api POST "$UC/schemas" '{"catalog_name":"ops","name":"raw","comment":"landing"}' >/dev/null
api POST "$UC/volumes" '{"catalog_name":"ops","schema_name":"raw","name":"drops","volume_type":"MANAGED","comment":"uploads"}' |
	grep -q '"full_name":"ops.raw.drops"' || fail "REST volume create"
WH=$(api POST /api/2.0/sql/warehouses '{"name":"adhoc","cluster_size":"2X-Small"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
sql "$WH" "CREATE TABLE ops.raw.events (id BIGINT NOT NULL, body STRING, n INT) USING DELTA COMMENT 'events as they come'"
[ "$(jget "$UC/tables/ops.raw.events" '",".join(c["name"] + ":" + c["type_text"] for c in j["columns"])')" = \
	"id:bigint,body:string,n:int" ] || fail "SQL table create"

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
  column {
    name = "n"
    type = "INTEGER"
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
