#!/usr/bin/env bash
# databricks_sql_table's SQL DDL, change by change, as the official
# provider emits it, on a SQL warehouse through the Statement Execution
# API: without warehouse_id a write fails at that attribute; a new column
# is added where the configuration puts it (ADD COLUMN ... AFTER), column
# comments and NOT NULL change in place, properties are UNSET and SET,
# clustering changes and is dropped (CLUSTER BY NONE), a view's query
# changes (ALTER VIEW AS), the owner goes through the Tables API; a type
# change is refused at plan time while another spelling of the same type
# is no change, a new column needs a type; names and texts with quotes and backticks arrive intact;
# a stopped warehouse is started for the statements; destroy drops.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

# write_config WAREHOUSE_LINE COLUMNS PROPERTIES CLUSTER VIEW_QUERY OWNER
write_config() {
	config_text <<EOF_TF
resource "databricks_catalog" "c" {
  name          = "ddl"
  force_destroy = true
}
resource "databricks_schema" "s" {
  catalog_name  = databricks_catalog.c.id
  name          = "s"
  force_destroy = true
}
resource "databricks_sql_endpoint" "wh" {
  name             = "ddl"
  cluster_size     = "2X-Small"
  max_num_clusters = 1
}
resource "databricks_sql_table" "t" {
  name         = "Orders"
  catalog_name = databricks_catalog.c.name
  schema_name  = databricks_schema.s.name
  table_type   = "MANAGED"
  comment      = "it's \`quoted\`"
  owner        = "$6"
  $1
  properties = {
    "delta.columnMapping.mode" = "name"
    $3
  }
  $4
$2
}
resource "databricks_sql_table" "v" {
  name            = "recent"
  catalog_name    = databricks_catalog.c.name
  schema_name     = databricks_schema.s.name
  table_type      = "VIEW"
  view_definition = "$5"
  $1
  depends_on      = [databricks_sql_table.t]
}
EOF_TF
}

WH_LINE='warehouse_id = databricks_sql_endpoint.wh.id'
COLS='  column {
    name     = "id"
    type     = "bigint"
    nullable = false
  }
  column {
    name    = "we`ird"
    type    = "string"
    comment = "a \"quoted\" and '"'"'single'"'"' name"
  }
  column {
    name = "n"
    type = "int"
  }'
T=$UC/tables/ddl.s.orders

# --- no warehouse ----------------------------------------------------------
write_config "" "$COLS" 'team = "a"' 'cluster_keys = ["id"]' "SELECT 1" "admin@example.com"
expect_exit 1 apply -auto-approve
expect_output 'A SQL warehouse is needed'
expect_output 'warehouse_id'
api GET "$T" | grep -q TABLE_DOES_NOT_EXIST || fail "a table was made without a warehouse"
ok "without warehouse_id, a create fails at warehouse_id and makes nothing"

# --- create ----------------------------------------------------------------
write_config "$WH_LINE" "$COLS" 'team = "a"' 'cluster_keys = ["id"]' "SELECT 1" "admin@example.com"
apply_clean
[ "$(jget "$T" '",".join("%s:%s:%s" % (c["name"], c["type_text"], c["nullable"]) for c in j["columns"]) + " " + j["comment"] + " " + ",".join(j["cluster_keys"])')" = \
	'id:bigint:False,we`ird:string:True,n:int:True it'"'"'s `quoted` id' ] || fail "created table: $(api GET "$T")"
[ "$(jget "$T" 'j["columns"][1]["comment"]')" = "a \"quoted\" and 'single' name" ] || fail "column comment"
[ "$(jget "$UC/tables/ddl.s.recent" 'j["view_definition"]')" = "SELECT 1" ] || fail "view"
ok "a table and a view are made by CREATE statements; backticks and quotes in names and texts arrive intact; plans after are empty"

# --- changes in place ------------------------------------------------------
COLS2='  column {
    name     = "id"
    type     = "BIGINT"
    nullable = false
  }
  column {
    name    = "added"
    type    = "date"
    comment = "new"
  }
  column {
    name    = "we`ird"
    type    = "string"
    comment = "a \"quoted\" and '"'"'single'"'"' name"
  }
  column {
    name = "n"
    type = "INTEGER"
  }'
write_config "$WH_LINE" "$COLS2" 'tier = "gold"' 'cluster_keys = ["n", "id"]' "SELECT 2 AS two" "data-eng"
apply_clean
[ "$(jget "$T" '",".join(c["name"] for c in j["columns"]) + " " + ",".join(j["cluster_keys"]) + " " + ",".join(sorted(j["properties"])) + " " + j["owner"]')" = \
	'id,added,we`ird,n n,id delta.columnMapping.mode,tier data-eng' ] || fail "after changes: $(api GET "$T")"
[ "$(jget "$UC/tables/ddl.s.recent" 'j["view_definition"]')" = "SELECT 2 AS two" ] || fail "view query"
ok "a column is added after its neighbour, a property UNSET and another SET, clustering changed, a view's query replaced and the owner set; BIGINT and INTEGER are the workspace's bigint and int (no change)"

COLS3='  column {
    name     = "id"
    type     = "bigint"
    nullable = true
  }
  column {
    name    = "added"
    type    = "date"
    comment = "changed"
  }
  column {
    name    = "we`ird"
    type    = "string"
    comment = "a \"quoted\" and '"'"'single'"'"' name"
  }
  column {
    name = "n"
    type = "int"
  }'
write_config "$WH_LINE" "$COLS3" 'tier = "gold"' '' "SELECT 2 AS two" "data-eng"
apply_clean
[ "$(jget "$T" '"%s %s %s" % (j["columns"][0]["nullable"], j["columns"][1]["comment"], j.get("cluster_keys"))')" = "True changed None" ] ||
	fail "in place: $(api GET "$T")"
ok "a column's NOT NULL is dropped and its comment changed in place; clustering removed (CLUSTER BY NONE)"

# --- refusals at plan time ---------------------------------------------------
COLS_BAD=${COLS3/name = \"n\"
    type = \"int\"/name = \"n\"
    type = \"string\"}
write_config "$WH_LINE" "$COLS_BAD" 'tier = "gold"' '' "SELECT 2 AS two" "data-eng"
expect_exit 1 plan
expect_output 'Changing the type of column n'
write_config "$WH_LINE" "${COLS3/comment = \"changed\"/comment = \"again\"}
  column {
    name = \"more\"
    type = \"int\"
  }" 'tier = "gold"' '' "SELECT 2 AS two" "data-eng"
expect_exit 1 plan
expect_output 'Too many column changes at once'
write_config "$WH_LINE" "$COLS3
  column {
    name = \"untyped\"
  }" 'tier = "gold"' '' "SELECT 2 AS two" "data-eng"
expect_exit 1 apply -auto-approve
expect_output 'Missing column type'
[ "$(jget "$T" 'len(j["columns"])')" = 4 ] || fail "an untyped column reached the table"
ok "a column type change, and a column change made while adding another, are refused at plan time; a new column without a type at apply, before any SQL"

# --- a stopped warehouse is started for the statements -----------------------
tf output
WH=$(api GET /api/2.0/sql/warehouses | python3 -c 'import json,sys; print([w["id"] for w in json.load(sys.stdin)["warehouses"] if w["name"] == "ddl"][0])')
api POST "/api/2.0/sql/warehouses/$WH/stop" '{}' >/dev/null
sleep 1.2
[ "$(jget "/api/2.0/sql/warehouses/$WH" 'j["state"]')" = STOPPED ] || fail "warehouse not stopped"
write_config "$WH_LINE" "$COLS3" 'tier = "platinum"' '' "SELECT 2 AS two" "data-eng"
expect_exit 0 apply -auto-approve
[ "$(jget "$T" 'j["properties"]["tier"]')" = platinum ] || fail "property on a stopped warehouse"
[ "$(jget "/api/2.0/sql/warehouses/$WH" 'j["state"]')" = RUNNING ] || fail "warehouse not started"
ok "a change on a stopped warehouse starts it and runs"

# --- drift by SQL -------------------------------------------------------------
sql "$WH" "ALTER TABLE ddl.s.orders ALTER COLUMN n COMMENT 'by hand'"
sql "$WH" "ALTER TABLE ddl.s.orders SET TBLPROPERTIES ('extra' = '1')"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output '1 to change'
apply_clean
[ "$(jget "$T" '"%s %s" % (j["columns"][3].get("comment"), sorted(j["properties"]))')" = \
	"None ['delta.columnMapping.mode', 'tier']" ] || fail "drift not taken back: $(api GET "$T")"
ok "a column comment and a property set by SQL are drift that apply takes back"

# --- destroy -------------------------------------------------------------------
N=$(emulator_count "POST /api/2.0/sql/statements")
expect_exit 0 destroy -auto-approve
[ "$(emulator_count "POST /api/2.0/sql/statements")" -ge $((N + 2)) ] || fail "destroy ran no DROP"
ok "destroy drops the view and the table by SQL"

done_testing
