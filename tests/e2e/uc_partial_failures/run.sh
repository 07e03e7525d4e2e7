#!/usr/bin/env bash
# Unity Catalog writes that fail half-way still leave Terraform's state
# naming the object that exists: a catalog renamed by a PATCH whose owner
# PATCH then fails keeps its new name in the state (so the next refresh
# finds it instead of dropping it and creating a second catalog), and a
# catalog created whose owner PATCH fails is in the state (tainted).
# Faults make every PATCH to the catalog's new path answer 500; the
# provider's retry budget is one second so the failure comes quickly.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

# write_config NAME EXTRA: a catalog named NAME with EXTRA lines.
write_config() {
	cat >"$WORK/cfg/main.tf" <<EOF_TF
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {
  retry_timeout_seconds = 1
}
resource "databricks_catalog" "cat" {
  name    = "$1"
  comment = "kept"
  $2
}
EOF_TF
}

# faults SPEC: the emulator's fault rules ("" turns them off).
faults() {
	api POST /_emulator/faults "{\"spec\":\"$1\"}" >/dev/null
}

write_config sales ""
apply_clean
ok "a catalog is created"

# Rename plus a new owner: the rename PATCH (to the old path) succeeds,
# the owner PATCH (to the new path) fails.
write_config revenue 'owner = "data-platform"'
faults "PATCH $UC/catalogs/revenue:500=1"
expect_exit 1 apply -auto-approve
expect_output "Failed to update databricks_catalog"
faults ""
[ "$(jget "$UC/catalogs/revenue" 'j["comment"]')" = kept ] || fail "the catalog was not renamed"
[ "$(jget "$UC/catalogs/revenue" 'j["owner"]')" != data-platform ] || fail "the owner PATCH was not refused"
terraform -chdir="$WORK/cfg" state show -no-color databricks_catalog.cat >"$WORK/last.out" 2>&1
expect_output 'id += "revenue"'
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_catalog.cat will be updated in-place"
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/catalogs/revenue" 'j["owner"]')" = data-platform ] || fail "owner not set"
ok "a rename whose owner PATCH fails keeps the new name in the state; the next apply sets the owner"

# A create whose owner PATCH fails: the catalog is in the state, tainted,
# and nothing is left behind outside it.
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_catalog" "fresh" {
  name  = "fresh"
  owner = "platform-admins"
}
EOF_TF
faults "PATCH $UC/catalogs/fresh:500=1"
expect_exit 1 apply -auto-approve
expect_output "Failed to create databricks_catalog"
faults ""
terraform -chdir="$WORK/cfg" state show -no-color databricks_catalog.fresh >"$WORK/last.out" 2>&1 ||
	fail "the created catalog is not in the state: $(cat "$WORK/last.out")"
expect_output 'id += "fresh"'
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_catalog.fresh is tainted, so must be replaced"
apply_clean
[ "$(jget "$UC/catalogs/fresh" 'j["owner"]')" = platform-admins ] || fail "fresh catalog owner"
ok "a create whose owner PATCH fails is recorded (tainted) and replaced by the next apply"

expect_exit 0 destroy -auto-approve
api GET "$UC/catalogs" | python3 -c '
import json, sys
names = sorted(c["name"] for c in json.load(sys.stdin)["catalogs"])
assert names == ["main", "system"], names' || fail "catalogs left after destroy"
ok "destroy removes both catalogs"

done_testing
