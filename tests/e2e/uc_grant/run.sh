#!/usr/bin/env bash
# databricks_grant end to end on the pre-existing catalog main: two
# resources for two principals coexist with each other and with a grant
# Terraform does not manage; reads use the principal filter; drift on one
# principal is repaired without touching the others; a principal left
# with nothing is re-created; import by an import block (a principal with
# '/' in the official ID form) and by terraform import plans clean; a
# vanished securable leaves the state; destroy revokes only what the
# resources managed.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

# A grant nobody manages in Terraform, which must survive everything.
api PATCH $PERM/catalog/main \
	'{"changes":[{"principal":"carol","add":["USE_CATALOG","BROWSE"]}]}' >/dev/null

config_text <<'EOF_TF'
resource "databricks_grant" "alice" {
  catalog    = "main"
  principal  = "alice@example.com"
  privileges = ["use catalog", "USE_SCHEMA"]
}
resource "databricks_grant" "analysts" {
  catalog    = "main"
  principal  = "Analysts"
  privileges = ["USE_CATALOG", "select"]
}
EOF_TF
cp "$WORK/cfg/main.tf" "$WORK/two.tf"

expect_exit 2 plan -detailed-exitcode
expect_output "2 to add, 0 to change, 0 to destroy"
expect_output 'id += "catalog/main/alice@example.com"'
apply_clean
expect_exit 0 apply -auto-approve
expect_output "No changes"
grants_are $PERM/catalog/main \
	'{"carol":["USE_CATALOG","BROWSE"],"alice@example.com":["USE_CATALOG","USE_SCHEMA"],"Analysts":["USE_CATALOG","SELECT"]}'
ok "two databricks_grant on one catalog coexist (and with carol's grant); plans clean, a second apply changes nothing"

api GET /_emulator/requests >"$WORK/requests.json"
python3 - "$WORK/requests.json" "$PERM/catalog/main" <<'PY' || fail "reads do not use the principal filter"
import json, sys
gets = [r for r in json.load(open(sys.argv[1]))["requests"]
        if r["method"] == "GET" and r["path"] == sys.argv[2]
        and "principal=" in (r.get("query") or "")]
q = " ".join(r["query"] for r in gets)
assert "principal=alice%40example.com" in q and "principal=Analysts" in q, q
PY
ok "reads use the API's principal filter"

# Drift on one principal: only that resource changes, with one PATCH.
api PATCH $PERM/catalog/main \
	'{"changes":[{"principal":"ANALYSTS","add":["MODIFY"],"remove":["SELECT"]},{"principal":"carol","add":["SELECT"]}]}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'databricks_grant.analysts'
patches=$(emulator_count "PATCH $PERM/catalog/main")
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
expect_exit 0 apply -auto-approve
[ "$(emulator_count "PATCH $PERM/catalog/main")" = $((patches + 1)) ] ||
	fail "repairing one principal took more than one PATCH"
grants_are $PERM/catalog/main \
	'{"carol":["USE_CATALOG","BROWSE","SELECT"],"alice@example.com":["USE_CATALOG","USE_SCHEMA"],"Analysts":["USE_CATALOG","SELECT"]}'
expect_exit 0 plan -detailed-exitcode
ok "drift on one principal is repaired by one PATCH; other principals untouched"

# Everything revoked behind Terraform's back: the grant is gone.
api PATCH $PERM/catalog/main \
	'{"changes":[{"principal":"alice@example.com","remove":["USE_CATALOG","USE_SCHEMA"]}]}' >/dev/null
api DELETE /_emulator/requests >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output "1 to add, 0 to change, 0 to destroy"
apply_clean
ok "a principal with no privileges left is re-created by the next apply"

# Reading a principal that has nothing and creating its grant both see
# an empty filtered answer; the filter ignores case, so no unfiltered
# read of everybody's grants follows.
api GET /_emulator/requests >"$WORK/requests.json"
python3 - "$WORK/requests.json" "$PERM/catalog/main" <<'PY' || fail "an unfiltered read of the grants"
import json, sys
gets = [r for r in json.load(open(sys.argv[1]))["requests"]
        if r["method"] == "GET" and r["path"] == sys.argv[2]]
assert gets, "no reads"
bare = [r["query"] for r in gets if "principal=" not in (r.get("query") or "")]
assert not bare, bare
PY
ok "an empty filtered read is not followed by an unfiltered one"

# Changing the privileges is an in-place update; the principal replaces.
sed -i 's/privileges = \["USE_CATALOG", "select"\]/privileges = ["USE_CATALOG", "select", "modify"]/' "$WORK/cfg/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
sed -i 's/"alice@example.com"/"alice2@example.com"/' "$WORK/cfg/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_grant.alice must be replaced"
apply_clean
grants_are $PERM/catalog/main \
	'{"carol":["USE_CATALOG","BROWSE","SELECT"],"alice2@example.com":["USE_CATALOG","USE_SCHEMA"],"Analysts":["USE_CATALOG","SELECT","MODIFY"]}'
ok "privileges change in place; a new principal replaces the grant and revokes the old one"

# Import: the official ID form with a '/' in the principal, then the
# command with an ordinary one.
api PATCH $PERM/catalog/main \
	'{"changes":[{"principal":"team/etl","add":["USE_CATALOG"]},{"principal":"dave","add":["BROWSE"]}]}' >/dev/null
cp "$WORK/cfg/main.tf" "$WORK/base.tf"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_grant" "etl" {
  catalog    = "main"
  principal  = "team/etl"
  privileges = ["USE_CATALOG"]
}
import {
  to = databricks_grant.etl
  id = "catalog/main/team/etl"
}
resource "databricks_grant" "dave" {
  catalog    = "main"
  principal  = "dave"
  privileges = ["BROWSE"]
}
EOF_TF
expect_exit 0 import databricks_grant.dave catalog/main/dave
expect_exit 2 plan -detailed-exitcode
expect_output "1 to import, 0 to add, 0 to change, 0 to destroy"
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
terraform -chdir="$WORK/cfg" state show -no-color databricks_grant.etl >"$WORK/last.out" 2>&1
expect_output 'id += "catalog/main/team%2Fetl"'
ok "import of REST grants (import block with '/' in the principal, terraform import) plans clean"

expect_exit 1 import databricks_grant.alice catalog/main
expect_output 'Invalid import ID'
ok "an import ID without a principal is rejected with the expected form"

# A securable deleted behind Terraform's back.
api POST $UC/catalogs '{"name":"scratch"}' >/dev/null
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_grant" "scratch" {
  catalog    = "scratch"
  principal  = "dave"
  privileges = ["USE_CATALOG"]
}
EOF_TF
apply_clean
api DELETE "$UC/catalogs/scratch?force=true" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'databricks_grant.scratch has been deleted'
head -n -5 "$WORK/cfg/main.tf" >"$WORK/next.tf"
cp "$WORK/next.tf" "$WORK/cfg/main.tf"
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
ok "a securable deleted by REST: the grant leaves the state"

# Validation: exactly one securable, privileges not empty.
cp "$WORK/cfg/main.tf" "$WORK/keep.tf"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_grant" "bad" {
  catalog            = "main"
  storage_credential = "c"
  principal          = "x"
  privileges         = []
}
EOF_TF
expect_exit 1 validate
expect_output 'Conflicting securables'
expect_output 'storage_credential += "c"'
expect_output 'No privileges'
cp "$WORK/keep.tf" "$WORK/cfg/main.tf"
ok "two securables and no privileges are rejected by validate"

expect_exit 0 destroy -auto-approve
grants_are $PERM/catalog/main '{"carol":["USE_CATALOG","BROWSE","SELECT"]}'
ok "destroy revokes only the managed principals' privileges"

done_testing
