#!/usr/bin/env bash
# Empty versus null: an empty map, list or block in a configuration that
# the API leaves out of its answer reads back as the configuration said.
# A public module sets `properties = {}` on a catalog and `tags = {}` on a
# job; both must apply without "inconsistent result" and plan clean. The
# other way round too: a catalog whose properties the workspace clears by
# REST reads as {} and is not drift while the configuration says {}.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

config_text <<'EOF_TF'
resource "databricks_catalog" "c" {
  name       = "empty_props"
  properties = {}
}
resource "databricks_schema" "s" {
  catalog_name = databricks_catalog.c.name
  name         = "raw"
  properties   = {}
}
resource "databricks_job" "j" {
  name = "empty-tags"
  tags = {}
  task {
    task_key = "t"
    notebook_task {
      notebook_path = "/Shared/x"
      base_parameters = {}
    }
    existing_cluster_id = "0000-000000-abcdefgh"
  }
}
EOF_TF
apply_clean
ok "properties = {} on a catalog and a schema, tags = {} on a job: apply and plan clean"

# What the workspace holds has no such fields: the emptiness lives only in
# the configuration, which is the point.
props=$(jget "$UC/catalogs/empty_props" 'j.get("properties")')
[ "$props" = "None" ] || [ "$props" = "{}" ] || fail "catalog properties: $props"
ok "the workspace leaves the empty map out ($props)"

# A property added by REST is drift; apply takes it away again and the
# workspace answers without properties once more.
api PATCH "$UC/catalogs/empty_props" '{"properties":{"team":"x"}}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'team'
apply_clean
props=$(jget "$UC/catalogs/empty_props" 'len(j.get("properties") or {})')
[ "$props" = 0 ] || fail "properties left after apply: $props"
ok "a property added by REST is drift, and apply clears it"

# Import knows nothing of the configuration's {}: the next plan may only
# turn null into {}, which is no change to the workspace.
expect_exit 0 state rm databricks_catalog.c
expect_exit 0 import databricks_catalog.c empty_props
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
ok "after import, one apply settles properties = {} and the plan is empty"

expect_exit 0 destroy -auto-approve
done_testing
