#!/usr/bin/env bash
# Unity Catalog metastores against the emulator, with both levels of
# provider, in the official provider's styles:
#  1. workspace level: databricks_metastore and databricks_metastore_assignment
#     against the start-up workspace (its default metastore unassigned by
#     REST first, and assigned again at the end);
#  2. account level: a metastore, its default data access and its
#     assignment to a workspace the account API provisions (made by REST);
#     then a provider pointed at that workspace's workspace_url reads
#     databricks_current_metastore and makes a catalog there; the account's
#     data sources databricks_metastore and databricks_metastores.
# Each resource: apply, clean plans, drift made by REST seen and repaired,
# import by the official ID planning clean, destroy leaving the account as
# it was.
source "$(dirname "$0")/../lib.sh"
start_emulator
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT
UC=/api/2.1/unity-catalog
ROOT_WS=900800700600
DEFAULT_MS=$(api GET "$UC/current-metastore-assignment" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metastore_id"])')

json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k]
print(d)' "$1"; }

# --- 1. workspace level ------------------------------------------------------

api DELETE "$UC/workspaces/$ROOT_WS/metastore?metastore_id=$DEFAULT_MS" >/dev/null
api GET "$UC/catalogs" | grep -q 'No metastore assigned for the current workspace' ||
	fail "a workspace without a metastore still serves catalogs"
ok "a workspace whose metastore is unassigned answers METASTORE_DOES_NOT_EXIST"

# ws_config FORCE: the workspace-level configuration; force_destroy is
# not part of an import, so imports are checked without it.
ws_config() {
	config_text <<EOF_TF
resource "databricks_metastore" "this" {
  name          = "secondary"
  storage_root  = "s3://secondary-metastore/base"
  force_destroy = $1
}
resource "databricks_metastore_assignment" "this" {
  metastore_id = databricks_metastore.this.id
  workspace_id = $ROOT_WS
}
output "metastore_id" { value = databricks_metastore.this.id }
output "region" { value = databricks_metastore.this.region }
EOF_TF
}
ws_config true
apply_clean
tf output -raw metastore_id
MS=$(cat "$WORK/last.out")
tf output -raw region
[ "$(cat "$WORK/last.out")" = us-west-2 ] || fail "region $(cat "$WORK/last.out")"
[ "$(api GET "$UC/current-metastore-assignment" | json_field metastore_id)" = "$MS" ] ||
	fail "the workspace is not assigned to the new metastore"
api GET "$UC/metastores/$MS" | json_field storage_root | grep -qx "s3://secondary-metastore/base/$MS" ||
	fail "the service did not append the metastore id to storage_root"
ok "a workspace-level metastore and assignment apply and plan clean (storage_root as configured)"

api PATCH "$UC/metastores/$MS" '{"new_name":"renamed-by-hand"}' >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'renamed-by-hand'
apply_clean
[ "$(api GET "$UC/metastores/$MS" | json_field name)" = secondary ] || fail "rename not repaired"
ok "a metastore renamed by REST is seen and renamed back in place"

api DELETE "$UC/workspaces/$ROOT_WS/metastore?metastore_id=$MS" >/dev/null
expect_exit 2 plan -detailed-exitcode
apply_clean
ok "an assignment removed by REST is made again"

ws_config null
apply_clean
expect_exit 0 state rm databricks_metastore.this databricks_metastore_assignment.this
expect_exit 0 import databricks_metastore.this "$MS"
expect_exit 0 import databricks_metastore_assignment.this "$ROOT_WS|$MS"
expect_exit 0 plan -detailed-exitcode
# An import records no dependencies, so the first refresh-only plan would
# record them (exit 2); an apply that changes nothing does, then all is
# clean.
apply_clean
ok "import by <metastore_id> and <workspace_id>|<metastore_id> plans clean"

ws_config true
apply_clean
expect_exit 0 destroy -auto-approve
api GET "$UC/metastores/$MS" | grep -q METASTORE_DOES_NOT_EXIST || fail "metastore left after destroy"
api PUT "$UC/workspaces/$ROOT_WS/metastore" "{\"metastore_id\":\"$DEFAULT_MS\",\"default_catalog_name\":\"main\"}" >/dev/null
n=$(api GET "$UC/metastores" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["metastores"]))')
[ "$n" = 1 ] || fail "metastores left after destroy: $n"
ok "destroy leaves only the default metastore, which is assigned again"

# --- 2. account level ----------------------------------------------------------

cred=$(api POST "$ACC/credentials" '{"credentials_name":"ws-cred","aws_credentials":{"sts_role":{"role_arn":"arn:aws:iam::123456789012:role/cross-account"}}}' | json_field credentials_id)
storage=$(api POST "$ACC/storage-configurations" '{"storage_configuration_name":"ws-root","root_bucket_info":{"bucket_name":"ws-root-bucket"}}' | json_field storage_configuration_id)
WS_ID=$(api POST "$ACC/workspaces" "{\"workspace_name\":\"analytics\",\"deployment_name\":\"analytics\",\"aws_region\":\"us-east-1\",\"credentials_id\":\"$cred\",\"storage_configuration_id\":\"$storage\"}" | json_field workspace_id)
for _ in $(seq 1 100); do
	status=$(api GET "$ACC/workspaces/$WS_ID" | json_field workspace_status)
	[ "$status" = RUNNING ] && break
	sleep 0.1
done
[ "$status" = RUNNING ] || fail "workspace $WS_ID is $status"
# The service does not say the URL; clients derive it from the deployment
# name, as the emulator serves it at <deployment>.localhost.
WS_URL="http://analytics.localhost:${EMU_URL##*:}"
ws_api() { curl -sS -X "$1" -H "Authorization: Bearer $E2E_TOKEN" "$WS_URL$2"; }
ws_api GET "$UC/metastore_summary" | grep -q 'No metastore assigned for the current workspace' ||
	fail "a new workspace has a metastore"
ok "a workspace made by the account API is served at $WS_URL, without a metastore"

# account_config FORCE EXTRA: the account-level configuration.
account_config() {
	config_text <<EOF_TF
provider "databricks" {
  alias      = "account"
  account_id = "$ACCOUNT"
}
provider "databricks" {
  alias = "ws"
  host  = "$WS_URL"
}
resource "databricks_metastore" "this" {
  provider      = databricks.account
  name          = "primary"
  storage_root  = "s3://primary-metastore/metastore"
  owner         = "uc admins"
  region        = "us-east-1"
  force_destroy = $1
}
resource "databricks_metastore_data_access" "this" {
  provider     = databricks.account
  metastore_id = databricks_metastore.this.id
  name         = "metastore-access"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/metastore-access"
  }
  is_default = true
}
resource "databricks_metastore_assignment" "this" {
  provider             = databricks.account
  metastore_id         = databricks_metastore.this.id
  workspace_id         = $WS_ID
  default_catalog_name = "hive_metastore"
}
$2
EOF_TF
}
EXTRA='
data "databricks_current_metastore" "this" {
  provider   = databricks.ws
  depends_on = [databricks_metastore_assignment.this, databricks_metastore_data_access.this]
}
resource "databricks_catalog" "sandbox" {
  provider   = databricks.ws
  name       = "sandbox"
  depends_on = [databricks_metastore_assignment.this]
}
data "databricks_current_metastore" "via_account" {
  provider = databricks.account
  provider_config {
    workspace_id = "'"$WS_ID"'"
  }
  depends_on = [databricks_metastore_assignment.this, databricks_metastore_data_access.this]
}
data "databricks_metastore" "by_id" {
  provider     = databricks.account
  metastore_id = databricks_metastore.this.id
}
data "databricks_metastore" "by_name" {
  provider   = databricks.account
  name       = "primary"
  depends_on = [databricks_metastore.this]
}
data "databricks_metastores" "all" {
  provider   = databricks.account
  depends_on = [databricks_metastore.this]
}
output "metastore_id" { value = databricks_metastore.this.id }
output "current" { value = data.databricks_current_metastore.this.id }
output "catalog_metastore" { value = databricks_catalog.sandbox.metastore_id }
output "ids" { value = jsonencode(data.databricks_metastores.all.ids) }
'
account_config true "$EXTRA"
expect_exit 0 apply -auto-approve
# is_default sets the metastore's root credential behind the metastore
# resource (as with the official provider): one refresh records it.
expect_exit 0 apply -refresh-only -auto-approve
apply_clean
tf output -raw metastore_id
MS=$(cat "$WORK/last.out")
# A data source read at apply time has no blocks at plan time, so its
# metastore_info is checked in the state rather than through outputs.
tf show -json
python3 - "$WORK/last.out" "$MS" <<'EOF_PY' || fail "the metastore data sources read wrong values"
import json, sys
ms = sys.argv[2]
res = {r["address"]: r["values"] for r in json.load(open(sys.argv[1]))["values"]["root_module"]["resources"]}
cur = res["data.databricks_current_metastore.this"]["metastore_info"][0]
assert cur["metastore_id"] == ms and cur["storage_root_credential_name"] == "metastore-access", cur
via = res["data.databricks_current_metastore.via_account"]
assert via["id"] == ms and via["metastore_info"][0]["name"] == "primary", via
for name in ("by_id", "by_name"):
    one = res["data.databricks_metastore." + name]
    assert one["id"] == ms and one["region"] == "us-east-1", one
    assert one["metastore_info"][0]["global_metastore_id"] == "aws:us-east-1:" + ms, one
EOF_PY
for check in "current=$MS" "catalog_metastore=$MS"; do
	tf output -raw "${check%%=*}"
	[ "$(cat "$WORK/last.out")" = "${check#*=}" ] || fail "output ${check%%=*} is $(cat "$WORK/last.out")"
done
tf output -raw ids
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["primary"]==sys.argv[2] and "emulator-metastore" in d, d' "$(cat "$WORK/last.out")" "$MS" ||
	fail "databricks_metastores ids"
ws_api GET "$UC/catalogs/sandbox" | json_field metastore_id | grep -qx "$MS" || fail "the catalog is not in the hosted workspace"
api GET "$UC/catalogs/sandbox" | grep -q CATALOG_DOES_NOT_EXIST || fail "the catalog leaked into the start-up workspace"
ok "account-level metastore, default data access and assignment apply and plan clean; the workspace sees its metastore and gets the catalog"

api PUT "$ACC/metastores/$MS" '{"metastore_info":{"owner":"someone-else"}}' >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'someone-else'
apply_clean
ok "an owner changed by REST is seen and set back"

api PUT "$ACC/workspaces/$WS_ID/metastores/$MS" '{"metastore_assignment":{"default_catalog_name":"main"}}' >/dev/null
expect_exit 2 plan -detailed-exitcode
apply_clean
[ "$(api GET "$ACC/workspaces/$WS_ID/metastore" | json_field metastore_assignment.default_catalog_name)" = hive_metastore ] ||
	fail "default_catalog_name not repaired"
ok "an assignment changed by REST is seen and updated back"

api DELETE "$ACC/metastores/$MS/storage-credentials/metastore-access?force=true" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_exit 0 apply -auto-approve
expect_exit 0 apply -refresh-only -auto-approve
apply_clean
[ "$(api GET "$ACC/metastores/$MS" | json_field metastore_info.storage_root_credential_name)" = metastore-access ] ||
	fail "the data access is not the default again"
ok "a data access deleted by REST is made again, as the default"

account_config null "$EXTRA"
apply_clean
expect_exit 0 state rm databricks_metastore.this databricks_metastore_assignment.this databricks_metastore_data_access.this
expect_exit 0 import databricks_metastore.this "$MS"
expect_exit 0 import databricks_metastore_assignment.this "$WS_ID|$MS"
expect_exit 0 import databricks_metastore_data_access.this "$MS|metastore-access"
expect_exit 0 plan -detailed-exitcode
apply_clean
ok "import by the official IDs plans clean at the account level"

account_config true "$EXTRA"
apply_clean

expect_exit 0 destroy -auto-approve
api GET "$ACC/metastores/$MS" | grep -q METASTORE_DOES_NOT_EXIST || fail "metastore left after destroy"
api GET "$ACC/workspaces/$WS_ID/metastore" | grep -q METASTORE_DOES_NOT_EXIST || fail "assignment left after destroy"
api DELETE "$ACC/workspaces/$WS_ID" >/dev/null
api DELETE "$ACC/credentials/$cred" >/dev/null
api DELETE "$ACC/storage-configurations/$storage" >/dev/null
n=$(api GET "$ACC/metastores" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["metastores"]))')
[ "$n" = 1 ] || fail "metastores left: $n"
[ "$(api GET "$UC/current-metastore-assignment" | json_field metastore_id)" = "$DEFAULT_MS" ] || fail "the start-up workspace lost its metastore"
curl -sS "$WS_URL/api/2.1/unity-catalog/catalogs" -H "Authorization: Bearer $E2E_TOKEN" | grep -q '"error_code"' ||
	fail "the deleted workspace is still served"
ok "destroy leaves the account as it was"
done_testing
