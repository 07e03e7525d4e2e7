#!/usr/bin/env bash
# Account-level versus workspace-level providers: a provider with an
# account_id on a host that is not a workspace's (here the emulator) talks
# to the account API; a workspace resource given to it fails at plan time
# with a message that says which host it needs, before anything is made.
# The AWS policy data sources work with either kind.
source "$(dirname "$0")/../lib.sh"
start_emulator
ACCOUNT=00000000-0000-4000-8000-000000000001

config_text <<EOF_TF
provider "databricks" {
  alias      = "account"
  account_id = "$ACCOUNT"
}
resource "databricks_secret_scope" "s" {
  provider = databricks.account
  name     = "wrong-level"
}
data "databricks_aws_crossaccount_policy" "this" {
  provider = databricks.account
}
EOF_TF
expect_exit 1 plan
expect_output 'Workspace-level resource'
expect_output 'databricks_secret_scope is managed inside a workspace'
expect_output 'workspace_url'
[ "$(emulator_count "POST /api/2.0/secrets/scopes/create")" = 0 ] || fail "a scope was made"
ok "a workspace resource against an account-level provider fails at plan time, naming the host it needs"

# The same resource with a workspace provider (no account_id) plans and
# applies; the policy data source works with either.
config_text <<EOF_TF
provider "databricks" {
  alias      = "account"
  account_id = "$ACCOUNT"
}
resource "databricks_secret_scope" "s" {
  name = "right-level"
}
data "databricks_aws_crossaccount_policy" "this" {
  provider = databricks.account
}
# A string: a number computed by Terraform itself (length) is stored with
# other precision than it is recomputed with, so a refresh-only plan would
# call it a change (Terraform's own, not the provider's).
output "policy_statements" {
  value = tostring(length(jsondecode(data.databricks_aws_crossaccount_policy.this.json).Statement))
}
EOF_TF
apply_clean
tf output -raw policy_statements
[ "$(cat "$WORK/last.out")" -gt 0 ] || fail "no policy statements"
ok "workspace resources with a workspace provider, and the AWS policy data sources with an account provider"
expect_exit 0 destroy -auto-approve
done_testing
