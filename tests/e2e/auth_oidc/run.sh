#!/usr/bin/env bash
# Workload identity federation end to end, against the emulator's
# stand-ins for GitHub Actions' ID token service (emulator/cloud/
# github.c), Microsoft Entra ID (cloud/azure.c) and the workspace's token
# exchange (identity/oauth.c, policies set through /_emulator/oidc/
# federation). A secret scope applies and plans clean with github-oidc
# (auth_type, chosen from GitHub's variables with a client_id, and with
# DATABRICKS_TOKEN_AUDIENCE as the audience GitHub is asked for; on the
# account console, a databricks_mws_credentials through the account's
# token endpoint),
# env-oidc (DATABRICKS_OIDC_TOKEN, and a variable named by
# oidc_token_env), file-oidc (databricks_id_token_filepath),
# github-oidc-azure (GitHub's token as Entra ID's client assertion; 2 s
# tokens renewed during a 12-resource apply, each with a fresh GitHub
# token), and
# azure-client-secret without azure_tenant_id (the tenant learnt from the
# workspace's /aad/auth redirect). A missing variable, a refused request
# token, a token no policy matches and a missing file each give one
# diagnostic naming the method; the TRACE log holds no token.
source "$(dirname "$0")/../lib.sh"
start_emulator
unset DATABRICKS_TOKEN DATABRICKS_CLIENT_ID DATABRICKS_CLIENT_SECRET \
	DATABRICKS_AUTH_TYPE ARM_CLIENT_ID ARM_CLIENT_SECRET ARM_TENANT_ID \
	ARM_USE_MSI ACTIONS_ID_TOKEN_REQUEST_URL ACTIONS_ID_TOKEN_REQUEST_TOKEN \
	DATABRICKS_OIDC_TOKEN DATABRICKS_OIDC_TOKEN_ENV \
	DATABRICKS_OIDC_TOKEN_FILEPATH DATABRICKS_TOKEN_AUDIENCE

GH_ISSUER=https://token.actions.githubusercontent.com
GH_SUBJECT=repo:brickform/e2e:ref:refs/heads/main
GH_REQUEST_TOKEN="gh-request-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SP_ID=7d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d
CI_ISSUER=https://ci.example.com
CI_SUBJECT=pipeline:nightly
TENANT=e2e-tenant-0c9d
AZ_APP=3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f
AZ_SECRET="az-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$GH_REQUEST_TOKEN"
secret_value "$AZ_SECRET"
# Every ID token of the GitHub stand-in starts with its JOSE header, every
# Entra token with its own.
secret_value 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImJyaWNrZm9ybS1lbXVsYXRvciJ9'
secret_value 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.'

control() { # control PATH JSON
	curl -sS -X POST "$EMU_URL$1" --data "$2" >/dev/null
}
control /_emulator/github "{\"request_token\": \"$GH_REQUEST_TOKEN\", \"subject\": \"$GH_SUBJECT\"}"
control /_emulator/oidc/federation "{\"issuer\": \"$GH_ISSUER\", \"subject\": \"$GH_SUBJECT\", \"client_id\": \"$SP_ID\"}"
control /_emulator/oidc/federation "{\"issuer\": \"$CI_ISSUER\", \"subject\": \"$CI_SUBJECT\", \"audience\": \"databricks-e2e\", \"client_id\": \"$SP_ID\"}"
control /_emulator/azure "{\"tenant_id\": \"$TENANT\", \"client_id\": \"$AZ_APP\", \"client_secret\": \"$AZ_SECRET\", \"federated_client_id\": \"$AZ_APP\", \"federated_subject\": \"$GH_SUBJECT\"}"
GH_URL="$EMU_URL/github-actions/idtoken?api-version=2.0"
export ARM_LOGIN_ENDPOINT="$EMU_URL/"

# ci_token ISSUER SUBJECT AUDIENCE: a JWT-shaped token a CI system would
# hand its job (the emulator checks claims, not signatures).
ci_token() {
	python3 - "$@" <<'PY'
import base64, json, sys, time, os
def seg(o):
    return base64.urlsafe_b64encode(json.dumps(o).encode()).rstrip(b"=").decode()
now = int(time.time())
print(".".join([seg({"alg": "RS256", "typ": "JWT"}),
                seg({"iss": sys.argv[1], "sub": sys.argv[2], "aud": sys.argv[3],
                     "iat": now, "exp": now + 600}),
                base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()]))
PY
}
CI_TOKEN=$(ci_token "$CI_ISSUER" "$CI_SUBJECT" databricks-e2e)
secret_value "$CI_TOKEN"

# scope_config NAME 'PROVIDER BLOCK BODY': one secret scope.
scope_config() {
	rm -f "$WORK"/cfg/*.tf
	cat >"$WORK/cfg/main.tf" <<EOF_TF
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {
$2
}
resource "databricks_secret_scope" "this" {
  name = "$1"
}
EOF_TF
}

# cycle WHAT: apply clean, the scope exists, destroy.
cycle() {
	apply_clean
	api GET /api/2.0/secrets/scopes/list | grep -q "\"$1\"" ||
		fail "the scope $1 was not created"
	expect_exit 0 destroy -auto-approve
}

# one_error REGEX...: the last command failed with exactly one
# diagnostic, matching every REGEX.
one_error() {
	local n
	n=$(grep -c '^Error: ' "$WORK/last.out" || true)
	[ "$n" = 1 ] || { cat "$WORK/last.out" >&2; fail "expected one diagnostic, got $n"; }
	for re in "$@"; do expect_output "$re"; done
}

# (a) github-oidc: GitHub's ID token (audience: the workspace's token
# endpoint, the Go SDK's default) exchanged for a Databricks token.
(
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	before=$(emulator_count "POST /oidc/v1/token")
	scope_config oidc-github "  host      = \"$EMU_URL\"
  client_id = \"$SP_ID\"
  auth_type = \"github-oidc\""
	cycle oidc-github
	[ "$(emulator_count "GET /github-actions/idtoken")" -ge 1 ] || fail "GitHub's ID token was not requested"
	[ "$(emulator_count "POST /oidc/v1/token")" -gt "$before" ] || fail "no token exchange"
)
ok "github-oidc: a secret scope applies and plans clean"
(
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	export DATABRICKS_CLIENT_ID="$SP_ID"
	scope_config oidc-github-auto "  host = \"$EMU_URL\""
	cycle oidc-github-auto
	grep -q 'auth/github-oidc' "$WORK/trace.log" || fail "the User-Agent never named auth/github-oidc"
)
ok "github-oidc is chosen from GitHub's variables and DATABRICKS_CLIENT_ID without auth_type"
(
	# DATABRICKS_TOKEN_AUDIENCE: GitHub's token is asked for that
	# audience, which only the second service principal's policy takes.
	control /_emulator/oidc/federation "{\"issuer\": \"$GH_ISSUER\", \"subject\": \"$GH_SUBJECT\", \"audience\": \"https://e2e.example/aud\", \"client_id\": \"sp-audience\"}"
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	export DATABRICKS_TOKEN_AUDIENCE=https://e2e.example/aud DATABRICKS_CLIENT_ID=sp-audience
	scope_config oidc-github-aud "  host = \"$EMU_URL\""
	cycle oidc-github-aud
)
ok "github-oidc asks GitHub for DATABRICKS_TOKEN_AUDIENCE when set"
(
	# An account provider, as the official provider's guide writes it:
	# the account's token endpoint, the account id as the audience.
	ACCOUNT=00000000-0000-4000-8000-000000000001
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	unset DATABRICKS_HOST
	rm -f "$WORK"/cfg/*.tf
	cat >"$WORK/cfg/main.tf" <<EOF_TF
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {
  auth_type  = "github-oidc"
  host       = "$EMU_URL"
  client_id  = "$SP_ID"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_credentials" "this" {
  credentials_name = "oidc-creds"
  role_arn         = "arn:aws:iam::123456789012:role/oidc-crossaccount"
}
EOF_TF
	before=$(emulator_count "POST /oidc/accounts/$ACCOUNT/v1/token")
	apply_clean
	expect_exit 0 destroy -auto-approve
	[ "$(emulator_count "POST /oidc/accounts/$ACCOUNT/v1/token")" -gt "$before" ] ||
		fail "the account's token endpoint was not asked"
)
ok "github-oidc on the account console: the account's token endpoint, the account id as audience"

# (b) env-oidc: the token in DATABRICKS_OIDC_TOKEN, then in a variable
# oidc_token_env names.
(
	export DATABRICKS_OIDC_TOKEN="$CI_TOKEN"
	scope_config oidc-env "  host      = \"$EMU_URL\"
  client_id = \"$SP_ID\"
  auth_type = \"env-oidc\""
	cycle oidc-env
)
ok "env-oidc: the token of DATABRICKS_OIDC_TOKEN is exchanged"
(
	export MY_CI_TOKEN="$CI_TOKEN"
	scope_config oidc-env-named "  host           = \"$EMU_URL\"
  client_id      = \"$SP_ID\"
  oidc_token_env = \"MY_CI_TOKEN\""
	cycle oidc-env-named
)
ok "env-oidc: oidc_token_env names the variable, chosen without auth_type"

# (c) file-oidc: a token file, with the line end echo leaves.
printf '%s\n' "$CI_TOKEN" >"$WORK/oidc.token"
scope_config oidc-file "  host                         = \"$EMU_URL\"
  client_id                    = \"$SP_ID\"
  databricks_id_token_filepath = \"$WORK/oidc.token\"
  auth_type                    = \"file-oidc\""
cycle oidc-file
ok "file-oidc: the token file is exchanged"

# (d) github-oidc-azure: GitHub's token (audience
# api://AzureADTokenExchange) as Entra ID's client assertion.
(
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	before=$(emulator_count "POST /$TENANT/oauth2/token")
	scope_config oidc-gh-azure "  host            = \"$EMU_URL\"
  azure_client_id = \"$AZ_APP\"
  azure_tenant_id = \"$TENANT\"
  auth_type       = \"github-oidc-azure\""
	cycle oidc-gh-azure
	[ "$(emulator_count "POST /$TENANT/oauth2/token")" -gt "$before" ] || fail "Entra ID was not asked"
	scope_config oidc-gh-azure-auto "  host            = \"$EMU_URL\"
  azure_client_id = \"$AZ_APP\"
  azure_tenant_id = \"$TENANT\""
	cycle oidc-gh-azure-auto
)
ok "github-oidc-azure: applies and plans clean, with auth_type and chosen without it"
(
	# Entra tokens that live 2 s: renewed during a 12-resource apply,
	# each time with a fresh GitHub token.
	control /_emulator/azure '{"token_ttl_seconds": 2}'
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	scope_config oidc-refresh "  host            = \"$EMU_URL\"
  azure_client_id = \"$AZ_APP\"
  azure_tenant_id = \"$TENANT\""
	for i in $(seq 1 11); do
		printf 'resource "databricks_secret" "s%s" {\n  scope        = databricks_secret_scope.this.name\n  key          = "k%s"\n  string_value = "v%s"\n}\n' "$i" "$i" "$i"
	done >>"$WORK/cfg/main.tf"
	before=$(emulator_count "POST /$TENANT/oauth2/token")
	gh_before=$(emulator_count "GET /github-actions/idtoken")
	expect_exit 0 apply -auto-approve -parallelism=2
	expect_exit 0 plan -detailed-exitcode -parallelism=2
	expect_exit 0 destroy -auto-approve -parallelism=2
	n=$(($(emulator_count "POST /$TENANT/oauth2/token") - before))
	g=$(($(emulator_count "GET /github-actions/idtoken") - gh_before))
	[ "$n" -gt 1 ] || fail "expected several Entra token requests, got $n"
	[ "$g" -ge "$n" ] || fail "expected a GitHub token per Entra token, got $g for $n"
	control /_emulator/azure '{"token_ttl_seconds": 3600}'
)
ok "github-oidc-azure renews expiring tokens with fresh GitHub tokens"

# (e) azure-client-secret without azure_tenant_id: learnt from /aad/auth.
(
	export ARM_CLIENT_ID="$AZ_APP" ARM_CLIENT_SECRET="$AZ_SECRET"
	scope_config oidc-tenant "  host = \"$EMU_URL\""
	cycle oidc-tenant
	[ "$(emulator_count "GET /aad/auth")" -ge 1 ] || fail "the tenant was not asked of /aad/auth"
)
ok "azure-client-secret without azure_tenant_id learns the tenant from the workspace"

# (f) failures: one diagnostic each, naming the method.
scope_config oidc-fail "  host      = \"$EMU_URL\"
  client_id = \"$SP_ID\"
  auth_type = \"github-oidc\""
(
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL"
	expect_exit 1 apply -auto-approve
	one_error 'github-oidc needs' 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
)
ok "github-oidc without ACTIONS_ID_TOKEN_REQUEST_TOKEN: one diagnostic naming it"
(
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="wrong-$GH_REQUEST_TOKEN"
	secret_value "wrong-$GH_REQUEST_TOKEN"
	expect_exit 1 apply -auto-approve
	one_error 'Authentication with github-oidc failed' 'HTTP 401'
)
ok "a refused GitHub request token: one diagnostic naming github-oidc"
scope_config oidc-fail "  host      = \"$EMU_URL\"
  client_id = \"$SP_ID\"
  auth_type = \"env-oidc\""
expect_exit 1 apply -auto-approve
one_error 'env-oidc reads its token from the' 'DATABRICKS_OIDC_TOKEN'
ok "env-oidc without its variable: one diagnostic naming it"
(
	BAD=$(ci_token "$CI_ISSUER" pipeline:other databricks-e2e)
	secret_value "$BAD"
	export DATABRICKS_OIDC_TOKEN="$BAD"
	expect_exit 1 apply -auto-approve
	one_error 'Authentication with env-oidc failed' 'invalid_request' 'federation'
)
ok "a token no federation policy matches: one diagnostic naming env-oidc"
scope_config oidc-fail "  host                         = \"$EMU_URL\"
  client_id                    = \"$SP_ID\"
  databricks_id_token_filepath = \"$WORK/missing.token\""
expect_exit 1 apply -auto-approve
one_error 'Authentication with file-oidc failed' 'missing.token'
ok "file-oidc with a missing file: one diagnostic naming it"
(
	control /_emulator/azure '{"federated_subject": "repo:brickform/other:ref:refs/heads/main"}'
	export ACTIONS_ID_TOKEN_REQUEST_URL="$GH_URL" ACTIONS_ID_TOKEN_REQUEST_TOKEN="$GH_REQUEST_TOKEN"
	scope_config oidc-fail "  host            = \"$EMU_URL\"
  azure_client_id = \"$AZ_APP\"
  azure_tenant_id = \"$TENANT\"
  auth_type       = \"github-oidc-azure\""
	expect_exit 1 apply -auto-approve
	one_error 'Authentication with github-oidc-azure failed' 'AADSTS70021'
)
ok "github-oidc-azure without a matching federated credential: one diagnostic with AADSTS70021"
api GET /api/2.0/secrets/scopes/list | grep -q oidc-fail && fail "a failed authentication created a scope"

# (g) the TRACE log: no token (lib.sh scans for the declared values at
# exit), no Databricks access token either.
if [ -f "$WORK/trace.log" ]; then
	grep -Eq 'dose[0-9a-fA-F]{8,}' "$WORK/trace.log" && fail "an access token is in the TRACE log"
	grep -q 'subject_token' "$WORK/trace.log" && fail "a token exchange form is in the TRACE log"
	ok "the TRACE log holds no ID token, assertion or access token"
fi

done_testing
