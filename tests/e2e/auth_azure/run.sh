#!/usr/bin/env bash
# Azure authentication end to end, on an emulator playing Azure (--cloud
# azure), against its stand-ins for
# Microsoft Entra ID, the instance metadata service and the Azure Resource
# Manager (emulator/cloud/azure.c), reached through ARM_LOGIN_ENDPOINT,
# ARM_MSI_ENDPOINT and ARM_MANAGEMENT_ENDPOINT. The daily-etl-pipeline
# job applies and plans clean (second plan empty, refresh-only exits 0)
# with azure-client-secret (provider block attributes), azure-cli (a stub
# `az` on PATH that gets its token from the same Entra stand-in),
# azure-msi, and azure_workspace_resource_id without host; the job is
# created as the service principal; REST drift is seen and an import by
# job id plans clean under Azure auth; Entra tokens that expire during a
# 30-resource apply are refreshed; a bad client secret, a wrong tenant and
# a missing az each give one diagnostic naming the method; the TRACE log
# holds neither the secret nor a token, while it shows that the
# X-Databricks-Azure-SP-Management-Token and -Workspace-Resource-Id
# headers were sent.
source "$(dirname "$0")/../lib.sh"
# The workspace plays Azure: Azure node types, azure_attributes filled by
# the service, abfss:// storage, Key Vault-backed scopes.
start_emulator --cloud azure
unset DATABRICKS_TOKEN ARM_CLIENT_ID ARM_CLIENT_SECRET ARM_TENANT_ID \
	ARM_USE_MSI DATABRICKS_AZURE_RESOURCE_ID DATABRICKS_AUTH_TYPE

TENANT=e2e-tenant-7f3a
SP_ID=0b7c4e52-9d1e-4a3f-8e6b-2c5d7a9f1e30
SP_SECRET="az-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
MI_ID=6a1f0c2e-3b4d-4e5f-9a8b-7c6d5e4f3a2b
RESOURCE_ID=/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-e2e/providers/Microsoft.Databricks/workspaces/ws-e2e
secret_value "$SP_SECRET"
# Every Entra stand-in token starts with this JOSE header.
TOKEN_MARK='eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.'
secret_value "$TOKEN_MARK"

azure_setup() { # azure_setup TTL_SECONDS
	curl -sS -X POST "$EMU_URL/_emulator/azure" --data "$(
		python3 -c 'import json,sys; print(json.dumps({"tenant_id": sys.argv[1],
			"client_id": sys.argv[2], "client_secret": sys.argv[3],
			"managed_identity_client_id": sys.argv[4],
			"workspace_resource_id": sys.argv[5],
			"token_ttl_seconds": int(sys.argv[6])}))' \
			"$TENANT" "$SP_ID" "$SP_SECRET" "$MI_ID" "$RESOURCE_ID" "$1"
	)" >/dev/null
}
azure_setup 3600
export ARM_LOGIN_ENDPOINT="$EMU_URL/" ARM_MSI_ENDPOINT="$EMU_URL/metadata/identity/oauth2/token"
export ARM_MANAGEMENT_ENDPOINT="$EMU_URL/"

# job_config 'PROVIDER BLOCK BODY': the daily-etl-pipeline example with
# that provider block.
job_config() {
	rm -f "$WORK"/cfg/*.tf
	python3 - "$REPO_DIR/examples/daily-etl-pipeline/main.tf" "$1" >"$WORK/cfg/main.tf" <<'PY'
import sys
text = open(sys.argv[1]).read()
assert 'provider "databricks" {}' in text and '"i3.xlarge"' in text
# The REST guide's job runs on Azure's Standard_DS3_v2.
text = text.replace('"i3.xlarge"', '"Standard_DS3_v2"')
print(text.replace('provider "databricks" {}',
                   'provider "databricks" {\n' + sys.argv[2] + '\n}'))
PY
	cat >"$WORK/cfg/vars.tf" <<'EOF_TF'
variable "azure_client_secret" {
  type      = string
  sensitive = true
  default   = null
}
EOF_TF
}

job_creator() {
	local id
	tf output -raw job_id
	id=$(cat "$WORK/last.out")
	api GET "/api/2.2/jobs/get?job_id=$id" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("creator_user_name", ""))'
}

# job_cycle WHO: apply clean, check the creator, destroy.
job_cycle() {
	apply_clean
	[ "$(job_creator)" = "$1" ] || fail "the job was created by '$(job_creator)', expected $1"
	expect_exit 0 destroy -auto-approve
}

# (a) azure-client-secret, configured in the provider block as the
# official provider's docs show it.
export TF_VAR_azure_client_secret="$SP_SECRET"
job_config "  host                = \"$EMU_URL\"
  azure_client_id     = \"$SP_ID\"
  azure_client_secret = var.azure_client_secret
  azure_tenant_id     = \"$TENANT\"
  auth_type           = \"azure-client-secret\""
before=$(emulator_count "POST /$TENANT/oauth2/token")
apply_clean
[ "$(job_creator)" = "$SP_ID" ] || fail "the job was created by '$(job_creator)', not the service principal"
[ "$(emulator_count "POST /$TENANT/oauth2/token")" -gt "$before" ] ||
	fail "no Entra ID token was requested"
ok "azure-client-secret: the job applies and plans clean, created as the service principal"

# Drift made by REST is seen under Azure auth; import by the job id plans clean.
tf output -raw job_id
JOB_ID=$(cat "$WORK/last.out")
api POST /api/2.2/jobs/update "{\"job_id\": $JOB_ID, \"new_settings\": {\"name\": \"renamed-by-rest\"}}" >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'name += "renamed-by-rest" -> "daily-etl-pipeline"|"renamed-by-rest" -> "daily-etl-pipeline"'
expect_exit 0 apply -auto-approve
expect_exit 0 state rm databricks_job.daily_etl
expect_exit 0 import databricks_job.daily_etl "$JOB_ID"
expect_exit 0 plan -detailed-exitcode
ok "azure-client-secret: REST drift is seen and repaired; import by id plans clean"
expect_exit 0 destroy -auto-approve

# The Azure example (the job, a spot cluster, an abfss:// external location
# on an access connector's managed identity, a Key Vault scope) applies and
# plans clean under the same sign-in; the azure_attributes the service
# fills in are not drift.
(
	export ARM_CLIENT_ID="$SP_ID" ARM_CLIENT_SECRET="$SP_SECRET" ARM_TENANT_ID="$TENANT"
	rm -f "$WORK"/cfg/*.tf
	cp "$REPO_DIR/examples/azure-workspace-objects/main.tf" "$WORK/cfg/"
	apply_clean
	tf output -raw job_id
	JOB=$(cat "$WORK/last.out")
	api GET "/api/2.2/jobs/get?job_id=$JOB" | python3 -c '
import json, sys
c = json.load(sys.stdin)["settings"]["job_clusters"][0]["new_cluster"]
assert c["node_type_id"] == "Standard_DS3_v2", c' ||
		fail "the job cluster is not on Standard_DS3_v2"
	api GET /api/2.0/secrets/scopes/list | grep -q '"backend_type":"AZURE_KEYVAULT"' ||
		fail "the Key Vault scope is not Key Vault-backed"
	# Writing into a Key Vault scope is refused, as by the service.
	api POST /api/2.0/secrets/put '{"scope": "etl-keyvault", "key": "k", "string_value": "kv-value-never-logged"}' |
		grep -q 'Cannot write secrets to Azure KeyVault-backed scope' ||
		fail "a secret was written into a Key Vault scope"
	# Another cloud's storage is refused with the service's error.
	api POST /api/2.1/unity-catalog/external-locations \
		'{"name": "s3-here", "url": "s3://bucket/path", "credential_name": "lake-access-connector"}' |
		grep -q 'invalid URI scheme s3' || fail "an s3:// location was not refused on Azure"
	expect_exit 0 destroy -auto-approve
)
ok "the Azure example (Standard_DS3_v2 job, spot cluster, abfss:// location, Key Vault scope) applies and plans clean; s3:// and Key Vault writes are refused"

# The same through ARM_* environment variables and no auth_type: chosen
# because azure_client_secret is set.
(
	unset TF_VAR_azure_client_secret
	export ARM_CLIENT_ID="$SP_ID" ARM_CLIENT_SECRET="$SP_SECRET" ARM_TENANT_ID="$TENANT"
	job_config "  host = \"$EMU_URL\""
	job_cycle "$SP_ID"
)
ok "azure-client-secret from ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID, without auth_type"

# (b) azure-cli through a stub az on PATH: it records its arguments and
# gets its token from the Entra stand-in, printing it as az does.
mkdir -p "$WORK/azbin"
printf '%s\n' "$SP_SECRET" >"$WORK/az.secret"
cat >"$WORK/azbin/az" <<EOF_SH
#!/bin/sh
echo "\$*" >>"$WORK/az.args"
exec python3 - "\$@" <<'PY'
import json, sys, time, urllib.parse, urllib.request
args = sys.argv[1:]
if args[:2] != ["account", "get-access-token"]:
    sys.exit("ERROR: unexpected command")
resource = args[args.index("--resource") + 1]
form = urllib.parse.urlencode({"grant_type": "client_credentials",
    "client_id": "$SP_ID", "client_secret": open("$WORK/az.secret").read().strip(),
    "resource": resource}).encode()
tok = json.load(urllib.request.urlopen("$EMU_URL/$TENANT/oauth2/token", form))
exp = int(tok["expires_on"])
print(json.dumps({"accessToken": tok["access_token"], "tokenType": "Bearer",
    "expiresOn": time.strftime("%Y-%m-%d %H:%M:%S.000000", time.localtime(exp)),
    "expires_on": exp, "subscription": "11111111-2222-3333-4444-555555555555",
    "tenant": "$TENANT"}, indent=2))
PY
EOF_SH
chmod +x "$WORK/azbin/az"
(
	export PATH="$WORK/azbin:$PATH"
	job_config "  host            = \"$EMU_URL\"
  auth_type       = \"azure-cli\"
  azure_tenant_id = \"$TENANT\""
	job_cycle "$SP_ID"
)
grep -qx "account get-access-token --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d --output json --tenant $TENANT" "$WORK/az.args" ||
	fail "az was run as: $(cat "$WORK/az.args")"
ok "azure-cli: a stub az on PATH gives the token; it was asked for the Azure Databricks resource and the tenant"

# (c) azure-msi: the managed identity of the machine, through IMDS.
job_config "  host          = \"$EMU_URL\"
  azure_use_msi = true"
job_cycle "$MI_ID"
[ "$(emulator_count "GET /metadata/identity/oauth2/token")" -ge 1 ] || fail "IMDS was not asked"
ok "azure-msi: azure_use_msi = true applies and plans clean as the managed identity"

# (d) azure_workspace_resource_id without host: the Resource Manager
# gives the workspace URL (asked with a management token).
(
	unset DATABRICKS_HOST TF_VAR_azure_client_secret
	export ARM_CLIENT_ID="$SP_ID" ARM_CLIENT_SECRET="$SP_SECRET" ARM_TENANT_ID="$TENANT"
	job_config "  azure_workspace_resource_id = \"$RESOURCE_ID\""
	job_cycle "$SP_ID"
)
[ "$(emulator_count "GET ${RESOURCE_ID}")" -ge 1 ] ||
	fail "the Resource Manager was not asked: $(curl -sS "$EMU_URL/_emulator/requests" | head -c 400)"
ok "azure_workspace_resource_id without host resolves the workspace through the Resource Manager"

# (e) tokens live 2 s: a 30-resource apply outlives several of them.
azure_setup 2
{
	cat <<EOF_TF
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {
  azure_client_id = "$SP_ID"
  azure_tenant_id = "$TENANT"
}
resource "databricks_secret_scope" "many" { name = "many" }
EOF_TF
	for i in $(seq 1 29); do
		cat <<EOF_TF
resource "databricks_secret" "s$i" {
  scope        = databricks_secret_scope.many.name
  key          = "k$i"
  string_value = "v$i"
}
EOF_TF
	done
} >"$WORK/many.tf"
rm -f "$WORK"/cfg/*.tf
cp "$WORK/many.tf" "$WORK/cfg/main.tf"
before=$(emulator_count "POST /$TENANT/oauth2/token")
(
	export ARM_CLIENT_SECRET="$SP_SECRET"
	expect_exit 0 apply -auto-approve -parallelism=2
	expect_exit 0 plan -detailed-exitcode -parallelism=2
	expect_exit 0 destroy -auto-approve -parallelism=2
)
after=$(emulator_count "POST /$TENANT/oauth2/token")
[ "$after" -gt $((before + 1)) ] ||
	fail "expected several Entra token requests during the long apply, got $((after - before))"
ok "30 resources apply with 2 s Entra ID tokens: tokens are refreshed ($((after - before)) fetched)"
azure_setup 3600

# one_error REGEX...: the last command failed with exactly one
# diagnostic, matching every REGEX, and without the secret.
one_error() {
	local n
	n=$(grep -c '^Error: ' "$WORK/last.out" || true)
	[ "$n" = 1 ] || { cat "$WORK/last.out" >&2; fail "expected one diagnostic, got $n"; }
	for re in "$@"; do expect_output "$re"; done
	if grep -qF -- "$SP_SECRET" "$WORK/last.out"; then fail "the diagnostic shows the secret"; fi
}

# (f) failures: each one diagnostic naming the method and the reason.
job_config "  host = \"$EMU_URL\""
(
	export ARM_CLIENT_ID="$SP_ID" ARM_CLIENT_SECRET="wrong-$SP_SECRET" ARM_TENANT_ID="$TENANT"
	secret_value "wrong-$SP_SECRET"
	expect_exit 1 apply -auto-approve
	one_error 'Authentication with azure-client-secret failed' 'AADSTS7000215' 'Invalid client secret'
	grep -qF -- "wrong-$SP_SECRET" "$WORK/last.out" && fail "the diagnostic shows the wrong secret"
	true
)
ok "a bad client secret: one diagnostic naming azure-client-secret and AADSTS7000215"
(
	export ARM_CLIENT_ID="$SP_ID" ARM_CLIENT_SECRET="$SP_SECRET" ARM_TENANT_ID="other-tenant"
	expect_exit 1 apply -auto-approve
	one_error 'Authentication with azure-client-secret failed' "AADSTS90002: Tenant 'other-tenant' not found"
)
ok "a wrong tenant: one diagnostic naming azure-client-secret and AADSTS90002"
(
	command -v az >/dev/null && fail "az is installed on this machine: the 'az missing' case cannot run"
	job_config "  host      = \"$EMU_URL\"
  auth_type = \"azure-cli\""
	expect_exit 1 apply -auto-approve
	one_error 'Authentication with azure-cli failed' 'Azure CLI \(az\) could not be run'
)
ok "az missing: one diagnostic naming azure-cli"
(
	job_config "  host          = \"$EMU_URL\"
  auth_type     = \"azure-devops-oidc\""
	expect_exit 1 plan
	expect_output 'Error: Unsupported authentication method'
	expect_output 'auth_type "azure-devops-oidc" is a method of the official provider'
)
ok "an official method brickform lacks (azure-devops-oidc) is refused by name"
[ "$(api GET /api/2.2/jobs/list | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("jobs", [])))')" = 0 ] ||
	fail "a job was created by a failed authentication"

# (g) the TRACE log: no secret (scanned by lib.sh at exit) and no token.
if [ -f "$WORK/trace.log" ]; then
	grep -qF "$TOKEN_MARK" "$WORK/trace.log" && fail "an Entra token is in the TRACE log"
	grep -q 'auth/azure-client-secret' "$WORK/trace.log" ||
		fail "the User-Agent never named auth/azure-client-secret"
	ok "the TRACE log holds no Entra token; the User-Agent names the Azure method"
	grep -q 'X-Databricks-Azure-SP-Management-Token: <redacted>' "$WORK/trace.log" ||
		fail "the management token header was never sent (or not redacted)"
	grep -qF "X-Databricks-Azure-Workspace-Resource-Id: $RESOURCE_ID" "$WORK/trace.log" ||
		fail "the workspace resource id header was never sent"
	ok "the SP management token (redacted in logs) and the resource id go with Azure requests, as the Go SDK sends them"
fi

done_testing
