#!/usr/bin/env bash
# databricks_mws_workspaces against the emulator's account API, in the
# official provider's style: credentials, storage and a workspace with a
# token {} block; a second provider block whose host and token come from
# the workspace (unknown at plan time) makes a secret scope in the new
# workspace in the same apply; the scope lives in the new workspace only.
# Then: in-place updates, a token revoked by REST made again, a workspace
# whose provisioning fails (an error quoting the service's message, kept in
# state, removed by destroy), import by "<account_id>/<workspace_id>", the
# data sources, and destroy leaving the account as it was.
source "$(dirname "$0")/../lib.sh"
start_emulator --workspace-provision-ms 400
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT
PORT=${EMU_URL##*:}
# The account console's name, as accounts.cloud.databricks.com is: the
# workspace URL is derived from it (<deployment>.localhost).
ACCOUNT_HOST=http://accounts.localhost:$PORT

# api_at URL METHOD PATH [JSON]: a REST call to another emulated host.
api_at() {
	local url=$1 method=$2 path=$3 body=${4:-}
	local args=(-sS -X "$method" -H "Authorization: Bearer $E2E_TOKEN")
	if [ -n "$body" ]; then
		args+=(-H 'Content-Type: application/json' --data "$body")
	fi
	curl "${args[@]}" "$url$path"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

base_tf() {
	cat <<EOF_TF
provider "databricks" {
  alias      = "mws"
  host       = "$ACCOUNT_HOST"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_credentials" "this" {
  provider         = databricks.mws
  account_id       = "$ACCOUNT"
  credentials_name = "ws-creds"
  role_arn         = "arn:aws:iam::123456789012:role/cross-account"
}
resource "databricks_mws_storage_configurations" "this" {
  provider                   = databricks.mws
  account_id                 = "$ACCOUNT"
  storage_configuration_name = "ws-storage"
  bucket_name                = "ws-root-bucket"
}
EOF_TF
}

workspace_tf() { # $1: custom tag value
	base_tf
	cat <<EOF_TF
resource "databricks_mws_workspaces" "this" {
  provider                 = databricks.mws
  account_id               = "$ACCOUNT"
  workspace_name           = "analytics"
  deployment_name          = "analytics-e2e"
  aws_region               = "us-east-1"
  credentials_id           = databricks_mws_credentials.this.credentials_id
  storage_configuration_id = databricks_mws_storage_configurations.this.storage_configuration_id
  custom_tags = { team = "$1" }
  token {
    comment = "Terraform"
  }
}
provider "databricks" {
  alias = "ws"
  host  = databricks_mws_workspaces.this.workspace_url
  token = databricks_mws_workspaces.this.token[0].token_value
}
resource "databricks_secret_scope" "in_new" {
  provider = databricks.ws
  name     = "made-in-new-workspace"
}
data "databricks_mws_workspaces" "all" {
  provider   = databricks.mws
  depends_on = [databricks_mws_workspaces.this]
}
data "databricks_mws_credentials" "all" {
  provider   = databricks.mws
  depends_on = [databricks_mws_credentials.this]
}
output "workspace_id" { value = tostring(databricks_mws_workspaces.this.workspace_id) }
output "workspace_url" { value = databricks_mws_workspaces.this.workspace_url }
output "status" { value = databricks_mws_workspaces.this.workspace_status }
output "listed_id" { value = tostring(data.databricks_mws_workspaces.all.ids["analytics"]) }
output "listed_creds" { value = data.databricks_mws_credentials.all.ids["ws-creds"] }
EOF_TF
}

out() { tf output -raw "$1"; cat "$WORK/last.out"; }

workspace_tf data | config_text
apply_clean
WS_URL=$(out workspace_url)
WS_ID=$(out workspace_id)
[ "$WS_URL" = "http://analytics-e2e.localhost:$PORT" ] || fail "workspace_url $WS_URL"
[ "$(out status)" = RUNNING ] || fail "status $(out status)"
[ "$(out listed_id)" = "$WS_ID" ] || fail "databricks_mws_workspaces ids: $(out listed_id)"
creds=$(api GET "$ACC/credentials" | json 'd[0]["credentials_id"]')
[ "$(out listed_creds)" = "$creds" ] || fail "databricks_mws_credentials ids: $(out listed_creds)"
api_at "$WS_URL" GET /api/2.0/secrets/scopes/list | json '[s["name"] for s in d.get("scopes",[])]' |
	grep -q made-in-new-workspace || fail "the scope is not in the new workspace"
api GET /api/2.0/secrets/scopes/list | grep -q made-in-new-workspace &&
	fail "the scope leaked into the emulator's start-up workspace"
ntok=$(api_at "$WS_URL" GET /api/2.0/token/list | json 'len(d["token_infos"])')
[ "$ntok" = 1 ] || fail "tokens in the new workspace: $ntok"
ok "credentials, storage, a RUNNING workspace and its token; a provider on its URL makes a scope there in the same apply"

workspace_tf platform | config_text
expect_exit 0 plan -no-color
expect_output 'update in-place'
grep -q 'must be replaced' "$WORK/last.out" && fail "a tag change replaces the workspace"
apply_clean
[ "$(out workspace_id)" = "$WS_ID" ] || fail "the workspace was replaced"
api GET "$ACC/workspaces/$WS_ID" | json 'd["custom_tags"]["team"]' | grep -qx platform ||
	fail "the tag did not reach the account"
ok "custom_tags change in place (PATCH with update_mask), the same workspace"

tok=$(api_at "$WS_URL" GET /api/2.0/token/list | json 'd["token_infos"][0]["token_id"]')
api_at "$WS_URL" POST /api/2.0/token/delete "{\"token_id\":\"$tok\"}" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'token_id'
apply_clean
tok2=$(api_at "$WS_URL" GET /api/2.0/token/list | json 'd["token_infos"][0]["token_id"]')
[ "$tok2" != "$tok" ] || fail "the revoked token is still listed"
ok "a token revoked by REST is seen and made again"

# Provisioning that fails: the emulator's control makes the next one FAILED.
workspace_tf platform | config_text
cat >>"$WORK/cfg/main.tf" <<EOF_TF
resource "databricks_mws_workspaces" "doomed" {
  provider                 = databricks.mws
  account_id               = "$ACCOUNT"
  workspace_name           = "doomed"
  aws_region               = "us-east-1"
  credentials_id           = databricks_mws_credentials.this.credentials_id
  storage_configuration_id = databricks_mws_storage_configurations.this.storage_configuration_id
}
EOF_TF
curl -sS -X POST "$EMU_URL/_emulator/accounts/fail-next-workspace" \
	-d '{"message":"The VPC quota of the AWS account is exhausted."}' >/dev/null
expect_exit 1 apply -auto-approve
expect_output 'VPC quota of the AWS account is exhausted'
expect_output 'FAILED'
expect_exit 0 state list
expect_output 'databricks_mws_workspaces.doomed'
doomed=$(api GET "$ACC/workspaces" | json '[w["workspace_id"] for w in d if w["workspace_name"]=="doomed"][0]')
expect_exit 0 state show databricks_mws_workspaces.doomed
expect_output 'tainted'
ok "a workspace that fails to provision is an error quoting the service and stays in state (tainted)"

workspace_tf platform | config_text
expect_exit 0 apply -auto-approve
api GET "$ACC/workspaces/$doomed" | grep -q RESOURCE_DOES_NOT_EXIST ||
	fail "the failed workspace was not removed"
ok "removing the failed workspace from the configuration destroys it"

# Import a workspace made by REST. Its configuration names the
# configurations by ID rather than by reference: an import records no
# dependencies, and Terraform's first refresh adding them would count as a
# refresh-only change.
storage=$(api GET "$ACC/storage-configurations" | json 'd[0]["storage_configuration_id"]')
net=$(api POST "$ACC/workspaces" "{\"workspace_name\":\"by-rest\",\"aws_region\":\"us-west-2\",\"credentials_id\":\"$creds\",\"storage_configuration_id\":\"$storage\",\"pricing_tier\":\"ENTERPRISE\"}" |
	json 'd["workspace_id"]')
sleep 0.5
cat >>"$WORK/cfg/main.tf" <<EOF_TF
resource "databricks_mws_workspaces" "imported" {
  provider                 = databricks.mws
  account_id               = "$ACCOUNT"
  workspace_name           = "by-rest"
  aws_region               = "us-west-2"
  credentials_id           = "$creds"
  storage_configuration_id = "$storage"
  pricing_tier             = "enterprise"
}
EOF_TF
expect_exit 0 import databricks_mws_workspaces.imported "$ACCOUNT/$net"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by <account_id>/<workspace_id> plans clean (pricing tier in any case)"

api PATCH "$ACC/workspaces/$net?update_mask=custom_tags" '{"custom_tags":{"owner":"someone"}}' >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'custom_tags'
ok "drift made by REST is seen"

expect_exit 0 destroy -auto-approve
n=$(api GET "$ACC/workspaces" | json 'len(d)')
[ "$n" = 0 ] || fail "workspaces left after destroy: $n"
for c in credentials storage-configurations; do
	n=$(api GET "$ACC/$c" | json 'len(d)')
	[ "$n" = 0 ] || fail "$c left after destroy: $n"
done
api_at "$WS_URL" GET /api/2.0/secrets/scopes/list | grep -q 'No workspace is served' ||
	fail "the deleted workspace is still served"
ok "destroy removes everything in dependency order and leaves the account as it was"
done_testing
