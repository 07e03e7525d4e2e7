#!/usr/bin/env bash
# databricks_grants end to end, on securables made by REST (a catalog, a
# schema, a storage credential, an external location) and on the
# metastore: apply, then empty plans; privileges written "use catalog" and
# principals spelt differently from the workspace plan clean; a grant made
# behind Terraform's back is drift that apply revokes; removing one grant
# block is one PATCH; an invalid privilege quotes the workspace; import
# (block and command) plans clean; a vanished securable leaves the state;
# destroy revokes everything.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

api POST $UC/catalogs '{"name":"sales"}' >/dev/null
api POST $UC/schemas '{"name":"raw","catalog_name":"sales"}' >/dev/null
api POST $UC/storage-credentials \
	'{"name":"lake-cred","aws_iam_role":{"role_arn":"arn:aws:iam::123456789012:role/lake"}}' >/dev/null
api POST $UC/external-locations \
	'{"name":"landing","url":"s3://lake/landing","credential_name":"lake-cred"}' >/dev/null
METASTORE=$(api GET $UC/current-metastore-assignment |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["metastore_id"])')
[ -n "$METASTORE" ] || fail "no metastore id"
# The workspace already knows the group in lower case: it keeps that
# spelling, and the configuration's "Data Engineers" must still plan clean.
api PATCH $PERM/catalog/sales \
	'{"changes":[{"principal":"data engineers","add":["BROWSE"]}]}' >/dev/null

write_config() {
	config_text <<EOF_TF
resource "databricks_grants" "catalog" {
  catalog = "sales"
  grant {
    principal  = "Data Engineers"
    privileges = ["use catalog", "USE_SCHEMA", "select"]
  }
  grant {
    principal  = "analysts"
    privileges = ["USE_CATALOG"]
  }
  $1
}
resource "databricks_grants" "schema" {
  schema = "sales.raw"
  grant {
    principal  = "analysts"
    privileges = ["USE_SCHEMA", "SELECT"]
  }
}
resource "databricks_grants" "location" {
  external_location = "landing"
  grant {
    principal  = "data engineers"
    privileges = ["READ_FILES", "write files"]
  }
}
resource "databricks_grants" "credential" {
  storage_credential = "lake-cred"
  grant {
    principal  = "platform"
    privileges = ["CREATE_EXTERNAL_LOCATION"]
  }
}
resource "databricks_grants" "metastore" {
  metastore = "$METASTORE"
  grant {
    principal  = "platform"
    privileges = ["CREATE_CATALOG", "create external location"]
  }
}
EOF_TF
}

write_config 'grant {
    principal  = "auditors"
    privileges = ["BROWSE"]
  }'
expect_exit 2 plan -detailed-exitcode
expect_output "5 to add, 0 to change, 0 to destroy"
expect_output 'id += "catalog/sales"'
ok "plan shows 5 to add, with the ids known"

apply_clean
grants_are $PERM/catalog/sales \
	'{"data engineers":["USE_CATALOG","USE_SCHEMA","SELECT"],"analysts":["USE_CATALOG"],"auditors":["BROWSE"]}'
grants_are $PERM/schema/sales.raw '{"analysts":["USE_SCHEMA","SELECT"]}'
grants_are $PERM/external_location/landing '{"data engineers":["READ_FILES","WRITE_FILES"]}'
grants_are $PERM/storage_credential/lake-cred '{"platform":["CREATE_EXTERNAL_LOCATION"]}'
grants_are "$PERM/metastore/$METASTORE" '{"platform":["CREATE_CATALOG","CREATE_EXTERNAL_LOCATION"]}'
ok "apply grants exactly the configuration on 5 securables (BROWSE revoked); both plans are empty"

# Reordered blocks and privileges are the same sets.
python3 - "$WORK/cfg/main.tf" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('["use catalog", "USE_SCHEMA", "select"]', '["select", "use catalog", "USE_SCHEMA"]')
a = '''  grant {
    principal  = "Data Engineers"'''
b = '''  grant {
    principal  = "analysts"
    privileges = ["USE_CATALOG"]
  }
'''
s = s.replace(b, "", 1).replace(a, b + a, 1)
open(p, "w").write(s)
PY
expect_exit 0 plan -detailed-exitcode
ok "grant blocks and privileges in another order plan clean"

# Drift: a privilege granted by REST to a principal not in the config.
api PATCH $PERM/catalog/sales \
	'{"changes":[{"principal":"intruder","add":["SELECT","USE_CATALOG"]},{"principal":"analysts","add":["MODIFY"]}]}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'databricks_grants.catalog'
expect_output 'intruder'
patches=$(emulator_count "PATCH $PERM/catalog/sales")
expect_exit 0 apply -auto-approve
[ "$(emulator_count "PATCH $PERM/catalog/sales")" = $((patches + 1)) ] ||
	fail "repairing the drift took $(($(emulator_count "PATCH $PERM/catalog/sales") - patches)) PATCHes"
grants_are $PERM/catalog/sales \
	'{"data engineers":["USE_CATALOG","USE_SCHEMA","SELECT"],"analysts":["USE_CATALOG"],"auditors":["BROWSE"]}'
expect_exit 0 plan -detailed-exitcode
ok "drift from REST: refresh-only plan exits 2, one PATCH revokes it, next plan empty"

# Removing one grant block revokes that principal alone, in one PATCH.
write_config ''
patches=$(emulator_count "PATCH $PERM/catalog/sales")
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(emulator_count "PATCH $PERM/catalog/sales")" = $((patches + 1)) ] ||
	fail "removing a grant block took $(($(emulator_count "PATCH $PERM/catalog/sales") - patches)) PATCHes"
api GET /_emulator/requests >"$WORK/requests.json"
python3 - "$WORK/requests.json" "$PERM/catalog/sales" <<'PY' || fail "last PATCH body is wrong"
import json, sys
reqs = [r for r in json.load(open(sys.argv[1]))["requests"]
        if r["method"] == "PATCH" and r["path"] == sys.argv[2]]
body = reqs[-1]["body"]
assert [{k: v for k, v in c.items() if k in ("principal", "add", "remove")}
        for c in body["changes"]] == [{"principal": "auditors", "remove": ["BROWSE"]}], body
PY
grants_are $PERM/catalog/sales \
	'{"data engineers":["USE_CATALOG","USE_SCHEMA","SELECT"],"analysts":["USE_CATALOG"]}'
ok "removing one grant block is one PATCH revoking exactly that principal"

# Reads go page by page (max_results=0), never the unpaginated form.
python3 - "$WORK/requests.json" "$PERM/" <<'PY' || fail "a grants GET was not paginated"
import json, sys
gets = [r for r in json.load(open(sys.argv[1]))["requests"]
        if r["method"] == "GET" and r["path"].startswith(sys.argv[2])]
assert gets and all("max_results=0" in (r.get("query") or "") for r in gets), gets
PY
ok "every grants read asks for pages (max_results=0)"

# An invalid privilege: the workspace's message reaches the user.
write_config 'grant {
    principal  = "auditors"
    privileges = ["FLY_TO_THE_MOON"]
  }'
expect_exit 1 apply -auto-approve
expect_output 'Failed to update databricks_grants'
expect_output 'PATCH /api/2.1/unity-catalog/permissions/catalog/sales returned HTTP 400'
expect_output 'FLY_TO_THE_MOON'
write_config ''
apply_clean
ok "an invalid privilege fails with the workspace's message; the state is unharmed"

# Import of grants made by REST: an import block, then terraform import.
api POST $UC/catalogs '{"name":"imported"}' >/dev/null
api POST $UC/catalogs '{"name":"imported2"}' >/dev/null
for c in imported imported2; do
	api PATCH $PERM/catalog/$c \
		'{"changes":[{"principal":"bob","add":["USE_CATALOG","SELECT"]},{"principal":"Ops Team","add":["MODIFY"]}]}' >/dev/null
done
cp "$WORK/cfg/main.tf" "$WORK/base.tf"
imported_tf() {
	cat <<'EOF_TF'
resource "databricks_grants" "imported" {
  catalog = "imported"
  grant {
    principal  = "bob"
    privileges = ["SELECT", "USE_CATALOG"]
  }
  grant {
    principal  = "Ops Team"
    privileges = ["MODIFY"]
  }
}
EOF_TF
}
imported2_tf() {
	cat <<'EOF_TF'
resource "databricks_grants" "imported2" {
  catalog = "imported2"
  grant {
    principal  = "Ops Team"
    privileges = ["MODIFY"]
  }
  grant {
    principal  = "bob"
    privileges = ["USE_CATALOG", "SELECT"]
  }
}
EOF_TF
}
{
	cat "$WORK/base.tf"
	imported_tf
	printf 'import {\n  to = databricks_grants.imported\n  id = "catalog/imported"\n}\n'
} >"$WORK/cfg/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "1 to import, 0 to add, 0 to change, 0 to destroy"
expect_exit 0 apply -auto-approve
expect_output "1 imported, 0 added, 0 changed, 0 destroyed"
{
	cat "$WORK/base.tf"
	imported_tf
	imported2_tf
} >"$WORK/cfg/main.tf"
expect_exit 1 import databricks_grants.imported2 connection/imported2
expect_output 'Invalid import ID'
expect_output 'foreign_connection'
expect_exit 0 import databricks_grants.imported2 catalog/imported2
expect_exit 0 plan -detailed-exitcode
terraform -chdir="$WORK/cfg" state show -no-color databricks_grants.imported2 >"$WORK/last.out" 2>&1
expect_output 'id += "catalog/imported2"'
grants_are $PERM/catalog/imported '{"bob":["USE_CATALOG","SELECT"],"Ops Team":["MODIFY"]}'
ok "grants made by REST imported with an import block and with terraform import plan clean; a bad import ID lists the valid types"

# After an import the state spells things as the workspace does; a
# configuration spelling them otherwise is one update with no request.
sed -i '/"databricks_grants" "imported" {/,/^}/ {s/"SELECT", "USE_CATALOG"/"select", "use catalog"/; s/"bob"/"BOB"/}' "$WORK/cfg/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
patches=$(emulator_count "PATCH $PERM/catalog/imported")
apply_clean
[ "$(emulator_count "PATCH $PERM/catalog/imported")" = "$patches" ] ||
	fail "recording the configuration's spelling sent a PATCH"
grants_are $PERM/catalog/imported '{"bob":["USE_CATALOG","SELECT"],"Ops Team":["MODIFY"]}'
ok "another spelling than the workspace's is an update that sends no PATCH"

# A securable deleted behind Terraform's back takes its grants along.
api DELETE "$UC/catalogs/imported2?force=true" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'databricks_grants.imported2 has been deleted'
ok "a securable deleted by REST: the grants are gone from the state"
cp "$WORK/base.tf" "$WORK/cfg/main.tf"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_grants" "imported" {
  catalog = "imported"
}
EOF_TF
expect_exit 0 apply -auto-approve
grants_are $PERM/catalog/imported '{}'
expect_exit 0 plan -detailed-exitcode
ok "a grants resource without grant blocks revokes everything and plans clean"

# Validation at plan time: exactly one securable.
cp "$WORK/cfg/main.tf" "$WORK/keep.tf"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_grants" "two" {
  catalog = "sales"
  schema  = "sales.raw"
}
resource "databricks_grants" "none" {
  grant {
    principal  = "x"
    privileges = ["SELECT", "select"]
  }
}
EOF_TF
expect_exit 1 validate
expect_output 'Conflicting securables'
expect_output 'with databricks_grants.two'
expect_output 'schema += "sales.raw"'
expect_output 'Missing securable'
expect_output 'Duplicate privilege'
cp "$WORK/keep.tf" "$WORK/cfg/main.tf"
ok "two securables, none, and one privilege twice are rejected by validate"

expect_exit 0 destroy -auto-approve
grants_are $PERM/catalog/sales '{}'
grants_are $PERM/schema/sales.raw '{}'
grants_are $PERM/external_location/landing '{}'
grants_are $PERM/storage_credential/lake-cred '{}'
grants_are "$PERM/metastore/$METASTORE" '{}'
grants_are $PERM/catalog/imported '{}'
ok "destroy revokes every grant"

done_testing
