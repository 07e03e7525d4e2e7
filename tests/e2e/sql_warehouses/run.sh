#!/usr/bin/env bash
# databricks_sql_endpoint, databricks_sql_global_config and the data
# sources databricks_sql_warehouse and databricks_sql_warehouses in the
# official provider's style. Checks: everything applies and plans clean;
# create waits for RUNNING, and no_wait does not; the data sources find
# the warehouse by name and by name part; the global config's maps reach
# the API as pairs; a warehouse the service auto-stopped is not drift and
# a plan does not start it; auto_stop_mins changed by REST is drift that
# apply restores; a warehouse made by REST imports by id and plans clean;
# cluster_size "Huge" (and a bad warehouse_type and max_num_clusters) fail
# at plan time naming the attribute; tags and a channel taken out are
# removed in place; destroy deletes the warehouses and puts the
# workspace's defaults back.
source "$(dirname "$0")/../lib.sh"
start_emulator

TAGS='  tags {
    custom_tags {
      key   = "City"
      value = "Amsterdam"
    }
  }'
CHANNEL='  channel {
    name = "CHANNEL_NAME_PREVIEW"
  }'

# $1: extra configuration; $2: the first warehouse's tags block; $3: the
# second one's channel block.
write_config() {
	config_text <<EOF_TF
resource "databricks_sql_global_config" "this" {
  security_policy      = "DATA_ACCESS_CONTROL"
  instance_profile_arn = "arn:aws:iam::123456789012:instance-profile/sql"
  data_access_config = {
    "spark.sql.session.timeZone" : "UTC"
  }
  sql_config_params = {
    "ANSI_MODE" : "true"
  }
}
resource "databricks_sql_endpoint" "this" {
  name             = "Endpoint of e2e"
  cluster_size     = "Small"
  max_num_clusters = 1
  auto_stop_mins   = 20

${2-$TAGS}
}
resource "databricks_sql_endpoint" "quick" {
  name           = "quick one"
  cluster_size   = "2X-Small"
  enable_photon  = false
  no_wait        = true
${3-$CHANNEL}
  timeouts {
    create = "10m"
  }
}
data "databricks_sql_warehouse" "by_name" {
  name       = databricks_sql_endpoint.this.name
}
data "databricks_sql_warehouse" "by_id" {
  id = databricks_sql_endpoint.quick.id
}
data "databricks_sql_warehouses" "endpoints" {
  warehouse_name_contains = "ENDPOINT"
  depends_on              = [databricks_sql_endpoint.this, databricks_sql_endpoint.quick]
}
$1
output "id" { value = databricks_sql_endpoint.this.id }
output "state" { value = databricks_sql_endpoint.this.state }
output "quick_state" { value = databricks_sql_endpoint.quick.state }
output "dsid" { value = databricks_sql_endpoint.this.data_source_id }
output "jdbc" { value = databricks_sql_endpoint.this.jdbc_url }
output "odbc_path" { value = databricks_sql_endpoint.this.odbc_params[0].path }
output "ds_id" { value = data.databricks_sql_warehouse.by_name.id }
output "ds_dsid" { value = data.databricks_sql_warehouse.by_name.data_source_id }
output "by_id_name" { value = data.databricks_sql_warehouse.by_id.name }
output "ids" { value = join(",", data.databricks_sql_warehouses.endpoints.ids) }
EOF_TF
}

out() { tf output -raw "$1" && cat "$WORK/last.out"; }
wget_() { api GET "/api/2.0/sql/warehouses/$1"; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

write_config ""
apply_clean
W=$(out id)
[ "$(out state)" = RUNNING ] || fail "create did not wait for RUNNING: $(out state)"
[ "$(out quick_state)" = STARTING ] || fail "no_wait waited: $(out quick_state)"
[ "$(out ds_id)" = "$W" ] || fail "data source by name: $(out ds_id)"
[ -n "$(out dsid)" ] && [ "$(out ds_dsid)" = "$(out dsid)" ] || fail "data_source_id: $(out dsid) / $(out ds_dsid)"
# The data source's blocks, from the state: an output of them would be
# known (empty) at plan time, before the data source is read.
tags=$(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["resources"]:
    if r["mode"] == "data" and r["name"] == "by_name":
        print(r["instances"][0]["attributes"]["tags"])' "$WORK/cfg/terraform.tfstate")
[ "$tags" = "[{'custom_tags': [{'key': 'City', 'value': 'Amsterdam'}]}]" ] || fail "data source tags: $tags"
[ "$(out by_id_name)" = "quick one" ] || fail "data source by id: $(out by_id_name)"
[ "$(out ids)" = "$W" ] || fail "warehouse_name_contains: $(out ids)"
[ "$(out odbc_path)" = "/sql/1.0/warehouses/$W" ] || fail "odbc_params: $(out odbc_path)"
case $(out jdbc) in *"httpPath=/sql/1.0/warehouses/$W"*) ;; *) fail "jdbc_url: $(out jdbc)" ;; esac
[ "$(wget_ "$W" | field 'd["auto_stop_mins"], d["enable_photon"], d["spot_instance_policy"], d["channel"]["name"]')" = \
	"(20, True, 'COST_OPTIMIZED', 'CHANNEL_NAME_CURRENT')" ] || fail "warehouse: $(wget_ "$W")"
cfg=$(api GET /api/2.0/sql/config/warehouses)
[ "$(echo "$cfg" | field 'd["data_access_config"], d["sql_configuration_parameters"]["configuration_pairs"], d["enable_serverless_compute"]')" = \
	"([{'key': 'spark.sql.session.timeZone', 'value': 'UTC'}], [{'key': 'ANSI_MODE', 'value': 'true'}], False)" ] ||
	fail "global config: $cfg"
ok "warehouses, global config and both data sources apply and plan clean; create waits for RUNNING unless no_wait"

curl -sS -X POST --data '{"advance_ms": 1500000}' "$EMU_URL/_emulator/clock" >/dev/null
[ "$(wget_ "$W" | field 'd["state"]')" = STOPPED ] || fail "the warehouse did not auto-stop: $(wget_ "$W")"
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
[ "$(wget_ "$W" | field 'd["state"]')" = STOPPED ] || fail "a plan started the warehouse"
[ "$(emulator_count "POST /api/2.0/sql/warehouses/$W/start")" = 0 ] || fail "something called start"
ok "a warehouse the service auto-stopped is not drift, and plans do not start it"

api POST "/api/2.0/sql/warehouses/$W/edit" '{"auto_stop_mins": 45}' >/dev/null
[ "$(wget_ "$W" | field 'd["auto_stop_mins"]')" = 45 ] || fail "REST edit did not land"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'auto_stop_mins'
apply_clean
[ "$(wget_ "$W" | field 'd["auto_stop_mins"]')" = 20 ] || fail "apply did not restore auto_stop_mins"
[ "$(wget_ "$W" | field 'd["state"]')" = STOPPED ] || fail "the edit started the warehouse"
ok "auto_stop_mins changed by REST is drift that apply restores"

Q=$(api GET /api/2.0/sql/warehouses | field '[w["id"] for w in d["warehouses"] if w["name"] == "quick one"][0]')
[ "$(wget_ "$Q" | field 'd["channel"]["name"]')" = CHANNEL_NAME_PREVIEW ] || fail "channel: $(wget_ "$Q")"
write_config "" "" ""
expect_exit 2 plan -detailed-exitcode
expect_output 'Plan: 0 to add, 2 to change, 0 to destroy'
apply_clean
[ "$(wget_ "$W" | field 'd.get("tags", {}).get("custom_tags", [])')" = "[]" ] || fail "tags not removed: $(wget_ "$W")"
[ "$(wget_ "$Q" | field 'd["channel"]["name"]')" = CHANNEL_NAME_CURRENT ] || fail "channel not reset: $(wget_ "$Q")"
write_config ""
apply_clean
ok "tags and a channel taken out of the configuration are removed in place, and put back"

api PUT /api/2.0/sql/config/warehouses '{"security_policy":"DATA_ACCESS_CONTROL","data_access_config":[],"enable_serverless_compute":false}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'data_access_config'
apply_clean
ok "global config changed by REST is drift that apply restores"

made=$(api POST /api/2.0/sql/warehouses '{"name":"made-by-rest","cluster_size":"X-Small","max_num_clusters":1}' | field 'd["id"]')
write_config 'resource "databricks_sql_endpoint" "made" {
  name         = "made-by-rest"
  cluster_size = "X-Small"
}'
expect_exit 0 import databricks_sql_endpoint.made "$made"
expect_exit 0 state rm databricks_sql_global_config.this
expect_exit 0 import databricks_sql_global_config.this global
expect_exit 0 plan -detailed-exitcode
apply_clean
ok "a warehouse made by REST imports by id, the global config by \"global\", and both plan clean"

write_config 'resource "databricks_sql_endpoint" "bad" {
  name         = "bad"
  cluster_size = "Huge"
}
resource "databricks_sql_endpoint" "worse" {
  name             = "worse"
  cluster_size     = "Small"
  warehouse_type   = "SERVERLESS"
  max_num_clusters = 31
}'
expect_exit 1 plan
expect_output 'Invalid cluster_size'
expect_output 'with databricks_sql_endpoint.bad'
expect_output 'cluster_size = "Huge"'
expect_output 'Invalid warehouse_type'
expect_output 'warehouse_type   = "SERVERLESS"'
expect_output 'Invalid max_num_clusters'
[ "$(api GET /api/2.0/sql/warehouses | field 'len(d["warehouses"])')" = 3 ] || fail "a plan made a warehouse"
ok "cluster_size \"Huge\", warehouse_type \"SERVERLESS\" and max_num_clusters 31 fail at plan time naming the attribute"

write_config ""
expect_exit 0 destroy -auto-approve
[ "$(api GET /api/2.0/sql/warehouses | field 'len(d.get("warehouses", []))')" = 0 ] || fail "warehouses left after destroy"
cfg=$(api GET /api/2.0/sql/config/warehouses)
[ "$(echo "$cfg" | field 'd["security_policy"], d.get("data_access_config"), d.get("instance_profile_arn")')" = \
	"('DATA_ACCESS_CONTROL', [], None)" ] || fail "global config after destroy: $cfg"
ok "destroy deletes the warehouses and puts the workspace's defaults back"

done_testing
