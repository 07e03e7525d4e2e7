#!/usr/bin/env bash
# examples/mixed-stack end to end: a bucket URL and an IAM role ARN that are
# unknown until apply (terraform_data) flow into a storage credential, an
# external location, a catalog stored under it, two schemas and grants, in
# ONE apply; the plans after it are empty; a comment changed by REST is
# drift that apply repairs; a schema and a location deleted by REST are
# created again; destroy leaves the workspace's catalogs, credentials and
# locations as they were before apply (the metastore's defaults).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

# listing NAME: the sorted names of a UC list (catalogs, storage-credentials,
# external-locations), one a line.
listing() {
	local field=${1//-/_}
	api GET "$UC/$1" | python3 -c '
import json, sys
field = sys.argv[1]
print("\n".join(sorted(o["name"] for o in json.load(sys.stdin).get(field) or [])))' "$field"
}

for l in catalogs storage-credentials external-locations; do
	listing "$l" >"$WORK/before.$l"
done
grep -qx main "$WORK/before.catalogs" || fail "no main catalog before apply"

config "$REPO_DIR/examples/mixed-stack/main.tf"

expect_exit 2 plan -detailed-exitcode
expect_output "9 to add, 0 to change, 0 to destroy"
expect_output "role_arn += \(known after apply\)"
expect_output "storage_root += \(known after apply\)"
ok "the plan has 9 objects, with the role ARN and storage root unknown"

expect_exit 0 apply -auto-approve
expect_output "Resources: 9 added, 0 changed, 0 destroyed"
expect_exit 0 plan -refresh=false -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
ok "one apply creates the stack; plan -refresh=false and plan are empty"

[ "$(jget "$UC/storage-credentials/analytics-lake-role" 'j["aws_iam_role"]["role_arn"]')" = \
	"arn:aws:iam::123456789012:role/analytics-uc-access" ] || fail "credential role_arn"
[ "$(jget "$UC/external-locations/analytics-lake" 'j["url"] + " " + j["credential_name"]')" = \
	"s3://analytics-lake/data analytics-lake-role" ] || fail "location url/credential"
[ "$(jget "$UC/catalogs/analytics" 'j["storage_root"]')" = \
	"s3://analytics-lake/data/catalogs/analytics" ] || fail "catalog storage_root"
api GET "$UC/schemas?catalog_name=analytics" | python3 -c '
import json, sys
names = sorted(s["name"] for s in json.load(sys.stdin)["schemas"])
assert names == ["curated", "information_schema", "raw"], names' ||
	fail "schemas of analytics"
[ "$(jget "$UC/schemas/analytics.curated" 'j["properties"]["quality"]')" = gold ] ||
	fail "schema properties"
ok "the workspace has the credential, location, catalog (storage under the location) and schemas; no default schema"

api GET "$UC/permissions/catalog/analytics" | python3 -c '
import json, sys
got = {a["principal"]: sorted(a["privileges"]) for a in json.load(sys.stdin)["privilege_assignments"]}
assert got["analysts"] == ["SELECT", "USE_CATALOG", "USE_SCHEMA"], got' ||
	fail "catalog grants"
api GET "$UC/permissions/external_location/analytics-lake" | python3 -c '
import json, sys
got = {a["principal"]: sorted(a["privileges"]) for a in json.load(sys.stdin)["privilege_assignments"]}
assert got["data-engineers"] == ["CREATE_EXTERNAL_TABLE", "READ_FILES", "WRITE_FILES"], got' ||
	fail "location grants"
ok "grants on the catalog and the external location are in place"

tf output -json schemas
grep -q '"analytics.raw"' "$WORK/last.out" || fail "schema ids: $(cat "$WORK/last.out")"
ok "schema ids are <catalog>.<schema>"

# Drift: a comment changed behind Terraform's back.
api PATCH "$UC/catalogs/analytics" '{"comment":"changed in the UI"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output "databricks_catalog.analytics"
expect_output "changed in the UI"
expect_exit 2 plan -detailed-exitcode
expect_output "1 to change"
expect_exit 0 apply -auto-approve
[ "$(jget "$UC/catalogs/analytics" 'j["comment"]')" = "Managed tables live in the lake bucket" ] ||
	fail "comment not restored"
expect_exit 0 plan -detailed-exitcode
ok "a comment changed by REST is drift (refresh-only exits 2); apply restores it"

# Objects deleted behind Terraform's back are created again.
api DELETE "$UC/schemas/analytics.raw" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_schema.raw will be created"
expect_output "1 to add, 0 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/schemas/analytics.raw" 'j["comment"]')" = "Landed data, as received" ] ||
	fail "schema not re-created"
ok "a schema deleted by REST is created again; the next plans are empty"

expect_exit 0 destroy -auto-approve
for l in catalogs storage-credentials external-locations; do
	listing "$l" >"$WORK/after.$l"
	diff -u "$WORK/before.$l" "$WORK/after.$l" >&2 || fail "$l differ after destroy"
done
ok "destroy leaves catalogs, credentials and locations as before apply"

done_testing
