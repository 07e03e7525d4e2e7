#!/usr/bin/env bash
# Unity Catalog securables one by one: validation errors name the
# attribute (and unknown values are not errors); updates are in place
# (comment, properties, owner, read_only, url, the credential's role, a
# catalog's name); a removed owner keeps the workspace's; an overlapping
# external location fails at apply with the workspace's message; a
# location deleted by REST is created again; creates whose answers are
# lost are adopted; force_destroy drops a catalog with a schema Terraform
# does not manage.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

requests() {
	curl -sS "$EMU_URL/_emulator/requests"
}

# --- validation -------------------------------------------------------------
config_text <<'EOF_TF'
resource "databricks_catalog" "bad" {
  name           = "my catalog"
  storage_root   = "https://bucket/x"
  isolation_mode = "CLOSED"
}
resource "databricks_schema" "bad" {
  catalog_name = "sales"
  name         = "a.b"
}
resource "databricks_storage_credential" "bad" {
  name = "cred/1"
  aws_iam_role {
    role_arn = "arn:aws:iam::123:role/x"
  }
}
resource "databricks_external_location" "bad" {
  name            = "loc"
  url             = "bucket/data"
  credential_name = "cred"
  isolation_mode  = "OPEN"
}
EOF_TF
expect_exit 1 validate
for want in 'with databricks_catalog.bad,' 'on main.tf line 9, in resource "databricks_catalog" "bad":' \
	'name += "my catalog"' 'has a space at position 3' \
	'storage_root += "https://bucket/x"' 'not a cloud storage URL' \
	'isolation_mode must be OPEN or ISOLATED' \
	'name *= "a.b"' 'has a period' \
	'name = "cred/1"' 'has a slash' \
	'role_arn = "arn:aws:iam::123:role/x"' 'Invalid IAM role ARN' \
	'url += "bucket/data"' \
	'ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED'; do
	expect_output "$want"
done
ok "validate names the attribute of each invalid name, URL, ARN and enum"

config_text <<'EOF_TF'
resource "terraform_data" "u" {
  input = "not-a-url"
}
resource "databricks_external_location" "later" {
  name            = "later"
  url             = terraform_data.u.output
  credential_name = "cred"
}
EOF_TF
expect_exit 0 validate
expect_exit 1 apply -auto-approve
expect_output "Invalid storage URL"
expect_output 'is not a cloud storage URL'
ok "an unknown URL passes validate; the value is checked once it is known"

config_text <<'EOF_TF'
resource "databricks_schema" "orphan" {
  catalog_name = "nope"
  name         = "orphan"
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output "Failed to create databricks_schema"
expect_output "POST /api/2.1/unity-catalog/schemas returned HTTP 404 CATALOG_DOES_NOT_EXIST"
ok "a schema in a missing catalog fails at apply with the workspace's answer"

# --- create -----------------------------------------------------------------
write_config() {
	config_text <<EOF_TF
resource "databricks_storage_credential" "cred" {
  name    = "lake-role"
  comment = "${CRED_COMMENT}"
  aws_iam_role {
    role_arn = "${ROLE_ARN}"
  }
}
resource "databricks_external_location" "loc" {
  name            = "lake"
  url             = "${LOC_URL}"
  credential_name = databricks_storage_credential.cred.id
  comment         = "${LOC_COMMENT}"
  ${LOC_EXTRA}
}
resource "databricks_catalog" "cat" {
  name         = "${CAT_NAME}"
  storage_root = "s3://lake-bucket/data/cat"
  ${CAT_EXTRA}
  depends_on   = [databricks_external_location.loc]
}
resource "databricks_catalog" "scratch" {
  name                           = "scratch"
  force_destroy                  = true
  owner                          = "platform-admins"
  isolation_mode                 = "ISOLATED"
  enable_predictive_optimization = "ENABLE"
}
resource "databricks_schema" "s" {
  catalog_name                   = databricks_catalog.scratch.name
  name                           = "things"
  owner                          = "platform-admins"
  enable_predictive_optimization = "DISABLE"
  ${SCHEMA_EXTRA}
}
resource "databricks_storage_credential" "iso" {
  name            = "iso-role"
  owner           = "platform-admins"
  isolation_mode  = "ISOLATION_MODE_ISOLATED"
  read_only       = true
  skip_validation = true
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/iso"
  }
}
resource "databricks_external_location" "iso" {
  name            = "iso"
  url             = "s3://iso-bucket"
  credential_name = databricks_storage_credential.iso.name
  owner           = "platform-admins"
  fallback        = true
  isolation_mode  = "ISOLATION_MODE_ISOLATED"
  skip_validation = true
}
output "external_id" {
  value = databricks_storage_credential.cred.aws_iam_role[0].external_id
}
output "uc_iam_arn" {
  value = databricks_storage_credential.cred.aws_iam_role[0].unity_catalog_iam_arn
}
EOF_TF
}
CRED_COMMENT="first" ROLE_ARN="arn:aws:iam::123456789012:role/uc-one"
LOC_URL="s3://lake-bucket/data" LOC_COMMENT="lake" LOC_EXTRA=""
CAT_NAME="sales" CAT_EXTRA='comment = "sales data"' SCHEMA_EXTRA=""
write_config
api DELETE /_emulator/requests >/dev/null
apply_clean
requests | python3 -c '
import json, sys
r = [(q["method"], q["path"]) for q in json.load(sys.stdin)["requests"]]
for cat in ("sales", "scratch"):
    assert ("DELETE", "/api/2.1/unity-catalog/schemas/%s.default" % cat) in r, r
' || fail "the default schemas were not deleted"
api GET "$UC/schemas?catalog_name=sales" | grep -q '"default"' && fail "sales.default exists"
# Settings POST does not take come in a PATCH after it; the owner last.
requests | python3 -c '
import json, sys
r = json.load(sys.stdin)["requests"]
def patches(path):
    return [q.get("body") for q in r if q["method"] == "PATCH" and q["path"] == "/api/2.1/unity-catalog/" + path]
got = patches("catalogs/scratch")
assert got == [{"isolation_mode": "ISOLATED", "enable_predictive_optimization": "ENABLE"}, {"owner": "platform-admins"}], got
got = patches("schemas/scratch.things")
assert got == [{"enable_predictive_optimization": "DISABLE"}, {"owner": "platform-admins"}], got
got = patches("storage-credentials/iso-role")
assert got == [{"isolation_mode": "ISOLATION_MODE_ISOLATED"}, {"owner": "platform-admins"}], got
posts = [q.get("body") for q in r if q["method"] == "POST" and q["path"].endswith("/external-locations")]
assert {"name": "iso", "url": "s3://iso-bucket", "credential_name": "iso-role", "fallback": True, "skip_validation": True} in posts, posts
' || fail "unexpected create requests"
[ "$(jget "$UC/catalogs/scratch" 'j["owner"] + " " + j["isolation_mode"] + " " + j["enable_predictive_optimization"]')" = \
	"platform-admins ISOLATED ENABLE" ] || fail "scratch catalog settings"
[ "$(jget "$UC/external-locations/iso" 'j["owner"] + " " + j["isolation_mode"] + " " + str(j["fallback"])')" = \
	"platform-admins ISOLATION_MODE_ISOLATED True" ] || fail "iso location settings"
tf output -raw external_id
[ -n "$(cat "$WORK/last.out")" ] || fail "no external_id"
tf output -raw uc_iam_arn
grep -q '^arn:aws:iam::' "$WORK/last.out" || fail "unity_catalog_iam_arn: $(cat "$WORK/last.out")"
[ "$(jget "$UC/catalogs/sales" 'j["owner"]')" != "" ] || fail "no owner"
ok "create deletes the default schemas, then sets owner, isolation and predictive optimization; plans after apply are empty; the role's external_id and UC principal are exported"

# --- updates in place -------------------------------------------------------
CRED_COMMENT="second" ROLE_ARN="arn:aws:iam::123456789012:role/uc-two"
LOC_URL="s3://lake-bucket/data/" LOC_COMMENT="the lake" LOC_EXTRA="read_only = true"
CAT_EXTRA='comment = "sales data v2"
  owner   = "data-platform"
  properties = { tier = "gold" }'
SCHEMA_EXTRA='comment = "all the things"
  properties = { k = "v" }'
write_config
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 4 to change, 0 to destroy"
api DELETE /_emulator/requests >/dev/null
expect_exit 0 apply -auto-approve
expect_output "0 added, 4 changed, 0 destroyed"
# Only changed fields are sent, and the owner last, alone.
requests | python3 -c '
import json, sys
r = json.load(sys.stdin)["requests"]
def patches(path):
    return [q.get("body") for q in r if q["method"] == "PATCH" and q["path"] == "/api/2.1/unity-catalog/" + path]
got = patches("catalogs/sales")
assert got == [{"comment": "sales data v2", "properties": {"tier": "gold"}}, {"owner": "data-platform"}], got
got = patches("storage-credentials/lake-role")
assert got == [{"comment": "second", "aws_iam_role": {"role_arn": "arn:aws:iam::123456789012:role/uc-two"}}], got
got = patches("external-locations/lake")
assert got == [{"url": "s3://lake-bucket/data/", "comment": "the lake", "read_only": True}], got
' || fail "unexpected PATCH bodies"
expect_exit 0 plan -detailed-exitcode
[ "$(jget "$UC/storage-credentials/lake-role" 'j["aws_iam_role"]["role_arn"] + " " + j["comment"]')" = \
	"arn:aws:iam::123456789012:role/uc-two second" ] || fail "credential not updated"
[ "$(jget "$UC/external-locations/lake" 'str(j["read_only"]) + " " + j["comment"]')" = \
	"True the lake" ] || fail "location not updated"
[ "$(jget "$UC/catalogs/sales" 'j["owner"] + " " + j["properties"]["tier"] + " " + j["comment"]')" = \
	"data-platform gold sales data v2" ] || fail "catalog not updated"
[ "$(jget "$UC/schemas/scratch.things" 'j["comment"]')" = "all the things" ] || fail "schema not updated"
ok "comment, role ARN, read_only, URL, owner and properties change in place"

# Removing owner, properties, comment and read_only from the configuration.
LOC_EXTRA="" CAT_EXTRA="" SCHEMA_EXTRA=""
write_config
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 3 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/catalogs/sales" 'j["owner"] + " " + str(j.get("properties")) + " " + str(j.get("comment"))')" = \
	"data-platform None None" ] || fail "catalog fields not cleared: $(api GET "$UC/catalogs/sales")"
[ "$(jget "$UC/external-locations/lake" 'str(j["read_only"])')" = False ] || fail "read_only not cleared"
ok "removed properties, comment and read_only are cleared; a removed owner stays as the workspace has it"

# A catalog rename is in place and keeps the catalog's schemas.
api POST "$UC/schemas" '{"catalog_name":"sales","name":"by_hand"}' >/dev/null
CAT_NAME="revenue"
write_config
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_catalog.cat will be updated in-place"
expect_output '"sales" -> "revenue"'
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/catalogs/revenue" 'j["storage_root"]')" = "s3://lake-bucket/data/cat" ] || fail "renamed catalog"
[ "$(jget "$UC/schemas/revenue.by_hand" 'j["full_name"]')" = "revenue.by_hand" ] || fail "schema did not move"
api GET "$UC/catalogs/sales" | grep -q CATALOG_DOES_NOT_EXIST || fail "old catalog still there"
api DELETE "$UC/schemas/revenue.by_hand" >/dev/null
ok "renaming a catalog is an in-place PATCH; its schemas move with it"

# --- errors and drift -------------------------------------------------------
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_external_location" "overlap" {
  name            = "lake-inner"
  url             = "s3://lake-bucket/data/inner"
  credential_name = databricks_storage_credential.cred.id
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output "Failed to create databricks_external_location"
expect_output "POST /api/2.1/unity-catalog/external-locations returned HTTP 400"
expect_output "overlaps with an existing external location"
tf show
grep -q lake-inner "$WORK/last.out" && fail "the refused location is in the state"
write_config
expect_exit 0 plan -detailed-exitcode
ok "an overlapping URL fails at apply with the workspace's message and nothing in state"

api DELETE "$UC/external-locations/lake?force=true" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_external_location.loc will be created"
apply_clean
[ "$(jget "$UC/external-locations/lake" 'j["url"]')" = "s3://lake-bucket/data/" ] || fail "location not re-created"
ok "a location deleted by REST is created again; the next plans are empty"

# Lost answers: every Unity Catalog POST is carried out, then the
# connection is closed without an answer. Each create looks the object up
# by name and adopts it instead of failing or making it twice.
api POST /_emulator/faults '{"spec":"POST /api/2.1/unity-catalog/*:drop-create=1"}' >/dev/null
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_external_location" "lost" {
  name            = "lost"
  url             = "s3://other-bucket/lost"
  credential_name = databricks_storage_credential.cred.id
}
resource "databricks_catalog" "lost" {
  name = "lost"
}
resource "databricks_schema" "lost" {
  catalog_name = databricks_catalog.lost.name
  name         = "answers"
}
EOF_TF
expect_exit 0 apply -auto-approve
expect_output "3 added, 0 changed, 0 destroyed"
api GET /_emulator/faults | python3 -c '
import json, sys
n = json.load(sys.stdin)["injected"]["drop-create"]
assert n == 3, n' || fail "not every create lost its answer"
api DELETE /_emulator/faults >/dev/null
expect_exit 0 plan -detailed-exitcode
[ "$(jget "$UC/schemas/lost.answers" 'j["full_name"]')" = "lost.answers" ] || fail "schema lost"
[ "$(jget "$UC/external-locations/lost" 'j["url"]')" = "s3://other-bucket/lost" ] || fail "location lost"
ok "creates whose answers are lost are found and adopted; the next plan is empty"

# A schema Terraform does not manage: force_destroy drops it with the catalog.
api POST "$UC/schemas" '{"catalog_name":"scratch","name":"extra"}' >/dev/null
expect_exit 0 destroy -auto-approve
api GET "$UC/catalogs" | python3 -c '
import json, sys
names = sorted(c["name"] for c in json.load(sys.stdin)["catalogs"])
assert names == ["main", "system"], names' || fail "catalogs left after destroy"
for l in storage-credentials external-locations; do
	api GET "$UC/$l" | python3 -c '
import json, sys
assert not json.load(sys.stdin).get(sys.argv[1]), "left over"' "${l//-/_}" || fail "$l left after destroy"
done
ok "destroy removes everything; force_destroy drops a catalog with an unmanaged schema"

done_testing
