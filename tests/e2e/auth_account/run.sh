#!/usr/bin/env bash
# Account-level authentication end to end, in the official provider's
# configuration style: an account provider with client_id/client_secret
# (OAuth M2M from the account's own token endpoint, no discovery) and one
# with username/password (basic) each manage a databricks_mws_credentials;
# a workspace provider with username/password manages a
# databricks_secret_scope. Apply and plans clean, drift made by REST is
# seen and repaired, import by the official IDs plans clean, destroy
# leaves the account and workspace as they were. A wrong password, a
# username without a password and a wrong account id fail with clear
# diagnostics; neither the password nor the client secret (nor the Basic
# header made of them) appears in the TF_LOG=trace output.
source "$(dirname "$0")/../lib.sh"
rand() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT
SP_ID=sp-account-e2e
SP_SECRET="sp-secret-$(rand)"
USER_NAME=admin@example.com
PASSWORD="pw-$(rand):x"
secret_value "$SP_SECRET"
secret_value "$PASSWORD"
secret_value "$(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64 -w0)"
start_emulator --oauth-client "$SP_ID:$SP_SECRET" \
	--basic-user "$USER_NAME:$PASSWORD"
# Every credential comes from the provider blocks below: the harness's
# PAT would be a second method next to each of them.
unset DATABRICKS_HOST DATABRICKS_TOKEN
export TF_VAR_host="$EMU_URL" TF_VAR_account_id="$ACCOUNT"
export TF_VAR_client_id="$SP_ID" TF_VAR_client_secret="$SP_SECRET"
export TF_VAR_username="$USER_NAME" TF_VAR_password="$PASSWORD"

# main_tf RESOURCES: the providers as the official provider's guides write
# them, then RESOURCES (stdin), after the harness's header (whose default
# provider no resource here uses).
main_tf() {
	{
		cat <<'EOF_TF'
variable "host" {}
variable "account_id" {}
variable "client_id" {}
variable "client_secret" { sensitive = true }
variable "username" {}
variable "password" { sensitive = true }

provider "databricks" {
  alias         = "m2m"
  host          = var.host
  account_id    = var.account_id
  client_id     = var.client_id
  client_secret = var.client_secret
}
provider "databricks" {
  alias      = "basic"
  host       = var.host
  account_id = var.account_id
  username   = var.username
  password   = var.password
}
provider "databricks" {
  alias    = "workspace"
  host     = var.host
  username = var.username
  password = var.password
}
EOF_TF
		cat
	} | config_text
}

out() {
	tf output -raw "$1"
	cat "$WORK/last.out"
}

count_of() {
	emulator_count "$1"
}

main_tf <<'EOF_TF'
resource "databricks_mws_credentials" "m2m" {
  provider         = databricks.m2m
  credentials_name = "m2m-creds"
  role_arn         = "arn:aws:iam::123456789012:role/m2m-crossaccount"
}
resource "databricks_mws_credentials" "basic" {
  provider         = databricks.basic
  credentials_name = "basic-creds"
  role_arn         = "arn:aws:iam::123456789012:role/basic-crossaccount"
}
resource "databricks_secret_scope" "ws" {
  provider = databricks.workspace
  name     = "basic-scope"
}
output "m2m_id" { value = databricks_mws_credentials.m2m.credentials_id }
output "basic_id" { value = databricks_mws_credentials.basic.credentials_id }
EOF_TF
apply_clean
m2m=$(out m2m_id)
basic=$(out basic_id)
api GET "$ACC/credentials" | python3 -c '
import json, sys
names = sorted(c["credentials_name"] for c in json.load(sys.stdin))
assert names == ["basic-creds", "m2m-creds"], names' ||
	fail "the account does not hold the two credentials"
api GET /api/2.0/secrets/scopes/list | grep -q '"basic-scope"' ||
	fail "the workspace does not hold the scope"
ok "oauth-m2m and basic account providers and a basic workspace provider apply; plans clean (refresh-only too)"

[ "$(count_of "POST /oidc/accounts/$ACCOUNT/v1/token")" -ge 1 ] ||
	fail "no token was asked of the account's token endpoint"
[ "$(count_of "POST /oidc/v1/token")" = 0 ] ||
	fail "the account provider asked the workspace token endpoint"
[ "$(count_of "GET /oidc/.well-known/oauth-authorization-server")" = 0 ] ||
	fail "the account provider ran workspace OAuth discovery"
grep -q 'auth/oauth-m2m' "$WORK/trace.log" && grep -q 'auth/basic' "$WORK/trace.log" ||
	fail "the User-Agent does not name both methods"
ok "account OAuth uses /oidc/accounts/{account_id}/v1/token without discovery; User-Agent names auth/basic and auth/oauth-m2m"

# Drift made by REST: one credential and the scope deleted behind
# Terraform's back.
api DELETE "$ACC/credentials/$basic" >/dev/null
api POST /api/2.0/secrets/scopes/delete '{"scope": "basic-scope"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'databricks_mws_credentials.basic'
expect_output 'databricks_secret_scope.ws'
apply_clean
basic=$(out basic_id)
ok "a credential and a scope deleted by REST are seen and made again"

# Import by the official IDs.
expect_exit 0 state rm databricks_mws_credentials.m2m \
	databricks_mws_credentials.basic databricks_secret_scope.ws
expect_exit 0 import databricks_mws_credentials.m2m "$ACCOUNT/$m2m"
expect_exit 0 import databricks_mws_credentials.basic "$ACCOUNT/$basic"
expect_exit 0 import databricks_secret_scope.ws basic-scope
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by <account_id>/<credentials_id> and the scope name plans clean"

# Failures, each with its own configuration (the state stays for destroy).
mkdir -p "$WORK/bad"
cp "$WORK/cfg/main.tf" "$WORK/bad/main.tf.keep"
cp "$WORK/cfg/terraform.tfstate" "$WORK/bad/terraform.tfstate.keep"
bad_case() {
	rm -f "$WORK/cfg/terraform.tfstate" "$WORK/cfg/terraform.tfstate.backup"
	main_tf <<'EOF_TF'
resource "databricks_secret_scope" "bad" {
  provider = databricks.workspace
  name     = "never-made"
}
resource "databricks_mws_credentials" "bad" {
  provider         = databricks.m2m
  credentials_name = "never-made"
  role_arn         = "arn:aws:iam::123456789012:role/never"
}
EOF_TF
}
bad_case
(
	export TF_VAR_password="wrong-$PASSWORD"
	expect_exit 1 apply -auto-approve -target=databricks_secret_scope.bad
	expect_output 'Authentication with basic failed'
	expect_output 'DATABRICKS_PASSWORD'
	! grep -qF -- "$PASSWORD" "$WORK/last.out" || fail "the output shows the password"
)
ok "a wrong password fails with a diagnostic naming basic and the settings, not the password"
(
	export TF_VAR_password=""
	expect_exit 1 plan
	expect_output 'basic needs both username and password, but password is'
	expect_output 'DATABRICKS_PASSWORD'
)
ok "a username without a password names the missing setting and its variable"
(
	export TF_VAR_account_id=11111111-0000-4000-8000-000000000001
	expect_exit 1 apply -auto-approve -target=databricks_mws_credentials.bad
	expect_output 'Authentication with oauth-m2m failed'
	expect_output 'invalid_client'
	! grep -qF -- "$SP_SECRET" "$WORK/last.out" || fail "the output shows the client secret"
)
ok "a wrong account id fails at the account's token endpoint, naming oauth-m2m"
n=$(api GET "$ACC/credentials" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 2 ] || fail "a failed run changed the account ($n credentials)"
api GET /api/2.0/secrets/scopes/list | grep -q never-made && fail "a failed run made a scope"
mv "$WORK/bad/main.tf.keep" "$WORK/cfg/main.tf"
mv "$WORK/bad/terraform.tfstate.keep" "$WORK/cfg/terraform.tfstate"
expect_exit 0 plan -detailed-exitcode

expect_exit 0 destroy -auto-approve
n=$(api GET "$ACC/credentials" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 0 ] || fail "left after destroy: $n credentials"
api GET /api/2.0/secrets/scopes/list | python3 -c '
import json, sys
assert not json.load(sys.stdin).get("scopes"), "scopes left"' ||
	fail "a scope is left after destroy"
ok "destroy leaves the account and the workspace as they were"

# The whole run logged at TRACE: provider lines and redacted credentials
# are there, the secrets are not (the harness checks SECRET_VALUES again
# at exit).
[ -s "$WORK/trace.log" ] || fail "no TRACE log written"
grep -q "OAuth token endpoint: $EMU_URL/oidc/accounts/$ACCOUNT/v1/token" "$WORK/trace.log" &&
	grep -q 'got a oauth-m2m token' "$WORK/trace.log" ||
	fail "the TRACE log does not show the token requests (nothing to check)"
grep -qi 'authorization' "$WORK/trace.log" ||
	fail "the TRACE log does not show request headers (nothing to check)"
for v in "${SECRET_VALUES[@]}"; do
	! grep -qF -- "$v" "$WORK/trace.log" || fail "a secret is in the TRACE log"
done
grep -Eq 'dose[0-9a-f]{8,}' "$WORK/trace.log" && fail "an OAuth access token is in the TRACE log"
ok "the TRACE log holds neither the password, the client secret, the Basic header nor a token"
done_testing
