#!/usr/bin/env bash
# Import of Unity Catalog objects made by REST: `terraform import` of a
# catalog, a schema and an external location, import {} blocks for a storage credential and an
# external location (and -generate-config-out for another catalog); each
# plans clean afterwards. Malformed and missing IDs fail clearly.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

post() {
	api POST "$UC/$1" "$2" >"$WORK/post.json"
	grep -q '"error_code"' "$WORK/post.json" && fail "POST $1: $(cat "$WORK/post.json")"
	return 0
}
post storage-credentials '{"name":"ops-role","comment":"by hand","aws_iam_role":{"role_arn":"arn:aws:iam::123456789012:role/ops"}}'
post external-locations '{"name":"ops-lake","url":"s3://ops-bucket/lake","credential_name":"ops-role","comment":"by hand","read_only":true}'
post external-locations '{"name":"ops-other","url":"s3://ops-bucket/other","credential_name":"ops-role"}'
post catalogs '{"name":"ops","comment":"made by hand","properties":{"team":"ops"},"storage_root":"s3://ops-bucket/lake/ops"}'
post schemas '{"catalog_name":"ops","name":"events","comment":"raw events"}'
post catalogs '{"name":"legacy","comment":"generated"}'

config_text <<'EOF_TF'
resource "databricks_catalog" "ops" {
  name         = "ops"
  comment      = "made by hand"
  storage_root = "s3://ops-bucket/lake/ops"
  properties = {
    team = "ops"
  }
}
resource "databricks_schema" "events" {
  catalog_name = databricks_catalog.ops.name
  name         = "events"
  comment      = "raw events"
}
resource "databricks_external_location" "other" {
  name            = "ops-other"
  url             = "s3://ops-bucket/other"
  credential_name = "ops-role"
}
EOF_TF
cp "$WORK/cfg/main.tf" "$WORK/base.tf"

expect_exit 0 import databricks_catalog.ops ops
expect_output "Import successful"
expect_exit 0 import databricks_schema.events ops.events
expect_output "Import successful"
expect_exit 0 import databricks_external_location.other ops-other
expect_output "Import successful"
expect_exit 0 plan -detailed-exitcode
expect_output "No changes"
ok "terraform import of a catalog, a schema and an external location made by REST; the next plan is empty"

cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_schema" "bad" {
  catalog_name = "ops"
  name         = "nope"
}
EOF_TF
expect_exit 1 import databricks_schema.bad opsnope
expect_output "<catalog_name>.<name>"
expect_exit 1 import databricks_schema.bad ops.nope
expect_output "non-existent remote object"
ok "a schema ID without a period and a missing schema fail clearly"

cp "$WORK/base.tf" "$WORK/cfg/main.tf"
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_storage_credential" "ops" {
  name    = "ops-role"
  comment = "by hand"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/ops"
  }
}
resource "databricks_external_location" "ops" {
  name            = "ops-lake"
  url             = "s3://ops-bucket/lake"
  credential_name = databricks_storage_credential.ops.name
  comment         = "by hand"
  read_only       = true
}
import {
  to = databricks_storage_credential.ops
  id = "ops-role"
}
import {
  to = databricks_external_location.ops
  id = "ops-lake"
}
EOF_TF
expect_exit 2 plan -detailed-exitcode
expect_output "2 to import, 0 to add, 0 to change, 0 to destroy"
apply_clean
ok "import {} blocks for a storage credential and an external location; the next plans are empty"

cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
import {
  to = databricks_catalog.legacy
  id = "legacy"
}
EOF_TF
expect_exit 0 plan -generate-config-out=generated.tf
[ -s "$WORK/cfg/generated.tf" ] || fail "no generated.tf"
grep -q 'name *= "legacy"' "$WORK/cfg/generated.tf" || fail "generated: $(cat "$WORK/cfg/generated.tf")"
expect_exit 2 plan -detailed-exitcode
expect_output "1 to import, 0 to add, 0 to change, 0 to destroy"
apply_clean
ok "an import {} block with -generate-config-out; the generated HCL plans clean"

# The imported objects are Terraform's now. The catalogs made by REST still
# have their "default" schema, so destroying them needs force_destroy (an
# in-place change that calls nothing), and the catalog must go before the
# location its storage is under.
sed -i 's|^  storage_root = "s3://ops-bucket/lake/ops"|&\n  force_destroy = true\n  depends_on   = [databricks_external_location.ops]|' "$WORK/cfg/main.tf"
sed -i 's|force_destroy *= null|force_destroy = true|' "$WORK/cfg/generated.tf"
sed -i 's|credential_name = "ops-role"|credential_name = databricks_storage_credential.ops.name|' "$WORK/cfg/main.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 2 to change, 0 to destroy"
apply_clean
expect_exit 0 destroy -auto-approve
api GET "$UC/catalogs" | python3 -c '
import json, sys
names = sorted(c["name"] for c in json.load(sys.stdin)["catalogs"])
assert names == ["main", "system"], names' || fail "catalogs left after destroy"
api GET "$UC/external-locations" | python3 -c '
import json, sys
assert not json.load(sys.stdin).get("external_locations")' || fail "locations left"
ok "destroy removes the imported objects"

done_testing
