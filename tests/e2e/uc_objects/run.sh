#!/usr/bin/env bash
# Unity Catalog objects in a schema: managed and external volumes and
# tables and a view, in the official provider's configuration style.
# Apply, then plans are empty; the workspace fills what is left out
# (locations, format, column types) without drift; the tables are made
# and changed by SQL DDL on a SQL warehouse; a column added by SQL
# through the Statement Execution API is drift that apply takes back; a volume's comment changed by REST
# is drift too; import by the full name plans clean. Workspace bindings
# of an isolated catalog and external location, and a system schema:
# removed or disabled by REST is drift; import by the official IDs.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

write_config() {
	config_text <<EOF_TF
resource "databricks_storage_credential" "cred" {
  name = "lake-role"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/lake"
  }
}
resource "databricks_external_location" "loc" {
  name            = "lake"
  url             = "s3://lake-bucket/data"
  credential_name = databricks_storage_credential.cred.id
}
resource "databricks_catalog" "sandbox" {
  name          = "sandbox"
  force_destroy = true
}
resource "databricks_schema" "things" {
  catalog_name  = databricks_catalog.sandbox.id
  name          = "things"
  force_destroy = true
}
resource "databricks_volume" "managed" {
  name         = "files"
  catalog_name = databricks_catalog.sandbox.name
  schema_name  = databricks_schema.things.name
  volume_type  = "MANAGED"
  comment      = "${VOL_COMMENT}"
}
resource "databricks_volume" "external" {
  name             = "landing"
  catalog_name     = databricks_catalog.sandbox.name
  schema_name      = databricks_schema.things.name
  volume_type      = "EXTERNAL"
  storage_location = "s3://lake-bucket/data/landing"
  owner            = "data-eng"
  depends_on       = [databricks_external_location.loc]
}
resource "databricks_sql_endpoint" "ddl" {
  name             = "ddl"
  cluster_size     = "2X-Small"
  max_num_clusters = 1
}
resource "databricks_sql_table" "managed" {
  name         = "people"
  catalog_name = databricks_catalog.sandbox.name
  schema_name  = databricks_schema.things.name
  table_type   = "MANAGED"
  comment      = "${TABLE_COMMENT}"
  cluster_keys = ["id"]
  warehouse_id = databricks_sql_endpoint.ddl.id
  properties = {
    owner_team                 = "hr"
    "delta.columnMapping.mode" = "name"
  }
  column {
    name     = "id"
    type     = "bigint"
    identity = "always"
    nullable = false
  }
  column {
    name    = "name"
    type    = "string"
    comment = "full name"
  }
}
resource "databricks_sql_table" "external" {
  name               = "events"
  catalog_name       = databricks_catalog.sandbox.name
  schema_name        = databricks_schema.things.name
  table_type         = "EXTERNAL"
  data_source_format = "PARQUET"
  storage_location   = "s3://lake-bucket/data/events"
  partitions         = ["day"]
  warehouse_id       = databricks_sql_endpoint.ddl.id
  column {
    name = "day"
    type = "date"
  }
  column {
    name = "payload"
    type = "string"
  }
  depends_on = [databricks_external_location.loc]
}
resource "databricks_sql_table" "view" {
  name            = "people_names"
  catalog_name    = databricks_catalog.sandbox.name
  schema_name     = databricks_schema.things.name
  table_type      = "VIEW"
  view_definition = "SELECT name FROM sandbox.things.people"
  warehouse_id    = databricks_sql_endpoint.ddl.id
  depends_on      = [databricks_sql_table.managed]
}
resource "databricks_registered_model" "churn" {
  name         = "Churn"
  catalog_name = databricks_catalog.sandbox.name
  schema_name  = databricks_schema.things.name
  comment      = "churn model"
  owner        = "ml-team"
}
resource "databricks_catalog" "iso" {
  name           = "isolated"
  isolation_mode = "ISOLATED"
  force_destroy  = true
}
resource "databricks_external_location" "iso" {
  name            = "iso-lake"
  url             = "s3://iso-bucket/data"
  credential_name = databricks_storage_credential.cred.id
  isolation_mode  = "ISOLATION_MODE_ISOLATED"
}
resource "databricks_workspace_binding" "rw" {
  securable_name = databricks_catalog.iso.name
  workspace_id   = 900800700600
}
resource "databricks_workspace_binding" "ro" {
  securable_name = databricks_external_location.iso.id
  securable_type = "external_location"
  workspace_id   = 1234567890
  binding_type   = "BINDING_TYPE_READ_ONLY"
}
resource "databricks_system_schema" "access" {
  schema = "access"
}
data "databricks_tables" "t" {
  catalog_name = databricks_catalog.sandbox.name
  schema_name  = databricks_schema.things.name
  depends_on   = [databricks_sql_table.managed, databricks_sql_table.external, databricks_sql_table.view]
}
data "databricks_views" "v" {
  catalog_name = databricks_catalog.sandbox.name
  schema_name  = databricks_schema.things.name
  depends_on   = [databricks_sql_table.view]
}
data "databricks_volumes" "v" {
  catalog_name = databricks_catalog.sandbox.name
  schema_name  = databricks_schema.things.name
  depends_on   = [databricks_volume.managed, databricks_volume.external]
}
data "databricks_table" "people" {
  name = databricks_sql_table.managed.id
}
data "databricks_volume" "landing" {
  name = databricks_volume.external.id
}
output "data" {
  value = {
    tables       = sort(tolist(data.databricks_tables.t.ids))
    views        = sort(tolist(data.databricks_views.v.ids))
    volumes      = sort(tolist(data.databricks_volumes.v.ids))
    columns      = [for c in try(data.databricks_table.people.table_info[0].columns, []) : "\${c.name}:\${c.type_name}"]
    table_type   = try(data.databricks_table.people.table_info[0].table_type, null)
    volume_type  = try(data.databricks_volume.landing.volume_info[0].volume_type, null)
    volume_place = try(data.databricks_volume.landing.volume_info[0].storage_location, null)
  }
}
output "warehouse" {
  value = databricks_sql_endpoint.ddl.id
}
output "volume_path" {
  value = databricks_volume.managed.volume_path
}
output "managed_location" {
  value = databricks_volume.managed.storage_location
}
EOF_TF
}

# --- refusals ---------------------------------------------------------------
config_text <<'EOF_TF'
resource "databricks_volume" "bad" {
  name         = "v"
  catalog_name = "main"
  schema_name  = "default"
  volume_type  = "SHARED"
}
resource "databricks_sql_table" "bad" {
  name         = "t"
  catalog_name = "main"
  schema_name  = "default"
  table_type   = "TEMPORARY"
  partitions   = ["a"]
  cluster_keys = ["a"]
}
EOF_TF
expect_exit 1 validate
expect_output 'volume_type must be MANAGED or EXTERNAL'
expect_output 'table_type must be MANAGED, EXTERNAL or VIEW'
ok "validate names the volume and table types it refuses"

config_text <<'EOF_TF'
resource "databricks_volume" "unreachable" {
  name             = "v"
  catalog_name     = "main"
  schema_name      = "default"
  volume_type      = "EXTERNAL"
  storage_location = "s3://nowhere/v"
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output "is not covered by"
api POST "$UC/volumes" '{"catalog_name":"main","schema_name":"default","name":"m","volume_type":"MANAGED","storage_location":"s3://x/y"}' >"$WORK/r.json"
grep -q 'cannot be specified' "$WORK/r.json" || fail "managed volume with a location: $(cat "$WORK/r.json")"
api POST "$UC/volumes" '{"catalog_name":"main","schema_name":"default","name":"m","volume_type":"EXTERNAL"}' >"$WORK/r.json"
grep -q 'is required' "$WORK/r.json" || fail "external volume without a location: $(cat "$WORK/r.json")"
config_text <<'EOF_TF'
EOF_TF
expect_exit 0 apply -auto-approve
ok "an external volume outside every external location fails at apply with the workspace's message; a managed one may not name a location"

# --- create -----------------------------------------------------------------
VOL_COMMENT="raw files" TABLE_COMMENT="people"
write_config
apply_clean
tf output -raw volume_path
[ "$(cat "$WORK/last.out")" = "/Volumes/sandbox/things/files" ] || fail "volume_path: $(cat "$WORK/last.out")"
tf output -raw managed_location
grep -q '^s3://emulator-metastore/[r]oot/.*__unitystorage/volumes/' "$WORK/last.out" || fail "managed location: $(cat "$WORK/last.out")"
[ "$(jget "$UC/volumes/sandbox.things.landing" 'j["volume_type"] + " " + j["storage_location"] + " " + j["owner"]')" = \
	"EXTERNAL s3://lake-bucket/data/landing data-eng" ] || fail "external volume"
[ "$(jget "$UC/tables/sandbox.things.people" 'j["table_type"] + " " + j["data_source_format"] + " " + ",".join(c["name"] + ":" + c["type_text"] + ":" + str(c["nullable"]) for c in j["columns"]) + " " + ",".join(j["cluster_keys"])')" = \
	"MANAGED DELTA id:bigint:False,name:string:True id" ] || fail "managed table"
jget "$UC/tables/sandbox.things.people" 'json.loads(j["columns"][0]["type_json"])["metadata"]["delta.identity.allowExplicitInsert"]' | grep -qx False ||
	fail "identity column metadata"
[ "$(jget "$UC/tables/sandbox.things.events" 'j["data_source_format"] + " " + j["storage_location"] + " " + ",".join(j["partitions"])')" = \
	"PARQUET s3://lake-bucket/data/events day" ] || fail "external table"
[ "$(jget "$UC/tables/sandbox.things.people_names" 'j["table_type"] + " " + j["view_definition"]')" = \
	"VIEW SELECT name FROM sandbox.things.people" ] || fail "view"
tf state show databricks_sql_table.managed
expect_output 'identity *= "always"'
[ "$(jget "$UC/bindings/catalog/isolated" '",".join("%d:%s" % (b["workspace_id"], b["binding_type"]) for b in j["bindings"])')" = \
	"900800700600:BINDING_TYPE_READ_WRITE" ] || fail "catalog binding"
[ "$(jget "$UC/bindings/external_location/iso-lake" '",".join("%d:%s" % (b["workspace_id"], b["binding_type"]) for b in j["bindings"])')" = \
	"1234567890:BINDING_TYPE_READ_ONLY" ] || fail "location binding"
MS=$(jget "$UC/metastore_summary" 'j["metastore_id"]')
[ "$(jget "$UC/metastores/$MS/systemschemas" '[s["state"] for s in j["schemas"] if s["schema"] == "access"][0]')" = \
	"ENABLE_COMPLETED" ] || fail "system schema access not enabled"
[ "$(jget "$UC/models/sandbox.things.churn" 'j["full_name"] + " " + j["owner"] + " " + j["comment"]')" = \
	"sandbox.things.churn ml-team churn model" ] || fail "registered model"
tf output -json data
python3 - "$WORK/last.out" <<'PY' || fail "data sources: $(cat "$WORK/last.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tables"] == ["sandbox.things.events", "sandbox.things.people"], d
assert d["views"] == ["sandbox.things.people_names"], d
assert d["volumes"] == ["sandbox.things.files", "sandbox.things.landing"], d
assert d["columns"] == ["id:BIGINT", "name:STRING"], d
assert d["table_type"] == "MANAGED" and d["volume_type"] == "EXTERNAL", d
assert d["volume_place"] == "s3://lake-bucket/data/landing", d
PY
tf state show databricks_system_schema.access
expect_output "id *= \"$MS|access\""
expect_output 'full_name *= "system.access"'
ok "volumes (managed and external), tables (managed, external), a view, workspace bindings and a system schema are created as configured; the table, tables, views, volume and volumes data sources read them; second plan and refresh-only are empty; the workspace's defaults are not drift"

# --- updates in place -------------------------------------------------------
VOL_COMMENT="landing files" TABLE_COMMENT="all people"
write_config
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 2 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/volumes/sandbox.things.files" 'j["comment"]')" = "landing files" ] || fail "volume comment"
[ "$(jget "$UC/tables/sandbox.things.people" 'j["comment"]')" = "all people" ] || fail "table comment"
ok "a volume's and a table's comment change in place"

# --- drift ------------------------------------------------------------------
tf output -raw warehouse
WH=$(cat "$WORK/last.out")
api PATCH "$UC/tables/sandbox.things.people" '{"comment":"not by PATCH","columns":[]}' >/dev/null
[ "$(jget "$UC/tables/sandbox.things.people" 'j["comment"] + " " + str(len(j["columns"]))')" = "all people 2" ] ||
	fail "the Tables API PATCH changed more than the owner"
sql "$WH" "ALTER TABLE sandbox.things.people ADD COLUMNS (extra INT COMMENT 'by hand')"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'extra'
expect_exit 2 plan -detailed-exitcode
expect_exit 0 apply -auto-approve
[ "$(jget "$UC/tables/sandbox.things.people" '",".join(c["name"] for c in j["columns"])')" = "id,name" ] || fail "column not removed"
jget "$UC/tables/sandbox.things.people" 'json.loads(j["columns"][0]["type_json"])["metadata"].get("delta.identity.start")' | grep -qx 1 ||
	fail "identity lost on restore"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "the Tables API PATCH changes only the owner; a column added by SQL (ALTER TABLE ADD COLUMNS through the Statement Execution API) is drift (refresh-only exits 2) and apply drops it (DROP COLUMN, column mapping on)"

api PATCH "$UC/volumes/sandbox.things.files" '{"comment":"changed by hand"}' >/dev/null
api PATCH "$UC/models/sandbox.things.churn" '{"comment":"changed by hand"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 2 to change, 0 to destroy"
expect_exit 0 apply -auto-approve
[ "$(jget "$UC/volumes/sandbox.things.files" 'j["comment"]')" = "landing files" ] || fail "volume comment not restored"
[ "$(jget "$UC/models/sandbox.things.churn" 'j["comment"]')" = "churn model" ] || fail "model comment not restored"
api DELETE "$UC/volumes/sandbox.things.landing" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output "1 to add, 0 to change, 0 to destroy"
apply_clean
ok "a volume's and a registered model's comment changed by REST are drift that apply restores; a volume deleted by REST is created again"

api PATCH "$UC/bindings/catalog/isolated" '{"remove":[{"workspace_id":900800700600}]}' >/dev/null
api DELETE "$UC/metastores/$MS/systemschemas/access" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output "2 to add, 0 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/bindings/catalog/isolated" 'len(j["bindings"])')" = 1 ] || fail "binding not restored"
ok "a binding removed and a system schema disabled by REST are drift; apply restores them"

api PATCH "$UC/bindings/catalog/sandbox" '{"add":[{"workspace_id":42}]}' >"$WORK/r.json"
grep -q 'isolation mode is not ISOLATED' "$WORK/r.json" || fail "binding an open catalog: $(cat "$WORK/r.json")"
ok "the workspace refuses bindings on a securable that is not isolated"

# --- import -----------------------------------------------------------------
for r in databricks_volume.managed databricks_volume.external databricks_sql_table.managed databricks_sql_table.external databricks_sql_table.view; do
	expect_exit 0 state rm "$r"
done
expect_exit 0 import databricks_volume.managed sandbox.things.files
expect_exit 0 import databricks_volume.external sandbox.things.landing
expect_exit 0 import databricks_sql_table.managed sandbox.things.people
expect_exit 0 import databricks_sql_table.external sandbox.things.events
expect_exit 0 import databricks_sql_table.view sandbox.things.people_names
for r in databricks_workspace_binding.rw databricks_workspace_binding.ro databricks_system_schema.access databricks_registered_model.churn; do
	expect_exit 0 state rm "$r"
done
expect_exit 0 import databricks_workspace_binding.rw "900800700600|catalog|isolated"
expect_exit 0 import databricks_workspace_binding.ro "1234567890|external_location|iso-lake"
expect_exit 0 import databricks_system_schema.access "$MS|access"
expect_exit 0 import databricks_registered_model.churn sandbox.things.churn
expect_exit 1 import databricks_system_schema.x "access"
# warehouse_id says where DDL runs, not what the table is: the Tables API
# cannot tell it, so after an import it is the only change (as with the
# official provider), and applying it runs no SQL.
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 3 to change, 0 to destroy"
python3 - "$WORK/last.out" <<'PY' || fail "an imported table plans changes beyond warehouse_id: $(cat "$WORK/last.out")"
import re, sys
blocks = re.findall(r"^  # databricks_sql_table\.\w+ will be updated in-place\n(.*?)^    }$",
                    open(sys.argv[1]).read(), re.M | re.S)
assert len(blocks) == 3, blocks
for b in blocks:
    changes = [l for l in b.splitlines()[1:] if re.match(r"^ +[-+~] ", l)]
    assert len(changes) == 1 and "warehouse_id" in changes[0], b
PY
N=$(emulator_count "POST /api/2.0/sql/statements")
expect_exit 0 apply -auto-approve
[ "$(emulator_count "POST /api/2.0/sql/statements")" = "$N" ] || fail "setting warehouse_id ran SQL"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 1 import databricks_volume.x sandbox.things
ok "volumes, tables, a view and a registered model import by <catalog>.<schema>.<name>, bindings by <workspace_id>|<type>|<name>, a system schema by <metastore_id>|<schema>; all plan clean"

# --- destroy ----------------------------------------------------------------
expect_exit 0 destroy -auto-approve
api GET "$UC/tables/sandbox.things.people" | grep -q 'CATALOG_DOES_NOT_EXIST' || fail "table left behind"
ok "destroy removes the tables, volumes, schema and catalog"

done_testing
