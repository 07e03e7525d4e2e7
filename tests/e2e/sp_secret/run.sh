#!/usr/bin/env bash
# databricks_service_principal_secret against the emulator's service
# principal secrets (the workspace's proxy of the account API), in the
# official provider's style: apply and plans clean; the secret is the
# service principal's OAuth client secret (the token endpoint gives a
# token that acts as the principal, and a provider configured with it
# authenticates by OAuth M2M); a secret deleted by REST is seen and made
# again; a changed time_rotating replaces it; destroy revokes it (the
# token endpoint refuses it); an account-level provider does the same
# through the account API; no secret value reaches the TRACE log
# (lib.sh scans it on exit), request and reply bodies included.
source "$(dirname "$0")/../lib.sh"
start_emulator
export DATABRICKS_DEBUG_HEADERS=true DATABRICKS_DEBUG_TRUNCATE_BYTES=100000
APP=5a1f0c3e-8d2b-4f6a-9c7e-1b2d3e4f5a6b
SP_ID=$(api POST /api/2.0/preview/scim/v2/ServicePrincipals \
	"{\"applicationId\":\"$APP\",\"displayName\":\"terraform-ci\"}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
SECRETS=/api/2.0/accounts/servicePrincipals/$SP_ID/credentials/secrets

# token SECRET: the HTTP status of the token endpoint for APP and SECRET,
# and with 200 the userName /Me shows for the access token it gives.
token() {
	local status
	status=$(curl -sS -o "$WORK/token.json" -w '%{http_code}' \
		-u "$APP:$1" -d grant_type=client_credentials -d scope=all-apis \
		"$EMU_URL/oidc/v1/token")
	if [ "$status" != 200 ]; then
		echo "$status"
		return
	fi
	curl -sS -H "Authorization: Bearer $(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <"$WORK/token.json")" \
		"$EMU_URL/api/2.0/preview/scim/v2/Me" |
		python3 -c 'import json,sys; print("200", json.load(sys.stdin)["userName"])'
	rm -f "$WORK/token.json"
}

# value VAR NAME: sensitive output NAME into VAR, declared secret for the
# trace scan (not in a subshell, so that the declaration stays).
value() {
	tf output -raw "$2"
	printf -v "$1" '%s' "$(cat "$WORK/last.out")"
	secret_value "${!1}"
}

secret_config() {
	config_text <<EOF_TF
data "databricks_service_principal" "ci" {
  application_id = "$APP"
}
resource "databricks_service_principal_secret" "ci" {
  service_principal_id = data.databricks_service_principal.ci.id
  lifetime             = "7776000s"
  time_rotating        = "$1"
}
output "secret" {
  value     = databricks_service_principal_secret.ci.secret
  sensitive = true
}
output "id" { value = databricks_service_principal_secret.ci.id }
output "info" {
  value = {
    status      = databricks_service_principal_secret.ci.status
    secret_hash = databricks_service_principal_secret.ci.secret_hash
    create_time = databricks_service_principal_secret.ci.create_time
    update_time = databricks_service_principal_secret.ci.update_time
    expire_time = databricks_service_principal_secret.ci.expire_time
  }
}
EOF_TF
}

secret_config "Rotated-2026-12"
apply_clean
value secret secret
tf output -raw id
id=$(cat "$WORK/last.out")
tf output -json info
python3 - "$WORK/last.out" <<'EOF_PY' || fail "the secret's attributes are wrong"
import datetime, json, sys
info = json.load(open(sys.argv[1]))
assert info["status"] == "ACTIVE", info
assert len(info["secret_hash"]) >= 8, info
t = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
assert (t(info["expire_time"]) - t(info["create_time"])).total_seconds() == 7776000, info
assert info["update_time"] == info["create_time"], info
EOF_PY
case "$secret" in dose*) ;; *) fail "secret does not look like an OAuth secret" ;; esac
api GET "$SECRETS" | python3 -c '
import json, sys
ids = [s["id"] for s in json.load(sys.stdin)["secrets"]]
assert ids == [sys.argv[1]], ids' "$id" || fail "the service does not list the secret"
ok "a secret applies and plans clean; status, hash and a 90-day expiry"

[ "$(token "$secret")" = "200 $APP" ] || fail "the secret does not authenticate as the service principal: $(token "$secret")"
mkdir -p "$WORK/m2m"
cat >"$WORK/m2m/main.tf" <<'EOF_TF'
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {}
data "databricks_current_user" "me" {}
output "me" { value = data.databricks_current_user.me.user_name }
EOF_TF
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_CLIENT_ID="$APP" DATABRICKS_CLIENT_SECRET="$secret"
	terraform -chdir="$WORK/m2m" apply -no-color -input=false -auto-approve >"$WORK/last.out" 2>&1 &&
		terraform -chdir="$WORK/m2m" output -no-color -raw me >"$WORK/m2m.out" 2>&1
) || { cat "$WORK/last.out" >&2; fail "a provider with the secret as client_secret failed"; }
[ "$(cat "$WORK/m2m.out")" = "$APP" ] || fail "OAuth M2M with the secret acts as $(cat "$WORK/m2m.out")"
ok "the secret authenticates the service principal: a token by REST, and a provider by OAuth M2M"

api DELETE "$SECRETS/$id" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_service_principal_secret.ci will be created'
apply_clean
value new_secret secret
[ "$new_secret" != "$secret" ] || fail "the deleted secret was not made again"
[ "$(token "$secret")" = 401 ] || fail "a deleted secret still authenticates"
[ "$(token "$new_secret")" = "200 $APP" ] || fail "the new secret does not authenticate"
ok "a secret deleted by REST is seen and made again"

secret_config "Rotated-2027-01"
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_service_principal_secret.ci must be replaced'
expect_output 'time_rotating.*forces replacement'
apply_clean
value rotated secret
[ "$(token "$new_secret")" = 401 ] || fail "the rotated-out secret still authenticates"
[ "$(token "$rotated")" = "200 $APP" ] || fail "the rotated secret does not authenticate"
ok "a changed time_rotating replaces the secret and revokes the old one"

expect_exit 0 destroy -auto-approve
[ "$(token "$rotated")" = 401 ] || fail "destroy left the secret valid"
api GET "$SECRETS" | python3 -c '
import json, sys
left = json.load(sys.stdin).get("secrets", [])
assert left == [], left' || fail "secrets left after destroy"
ok "destroy revokes the secret"

# The account-level provider manages the same secrets through the account
# API (the service principal's id is the same in the emulator's one
# directory).
ACCOUNT=00000000-0000-4000-8000-000000000001
config_text <<EOF_TF
provider "databricks" {
  alias      = "account"
  account_id = "$ACCOUNT"
}
resource "databricks_service_principal_secret" "acc" {
  provider             = databricks.account
  service_principal_id = "$SP_ID"
}
output "secret" {
  value     = databricks_service_principal_secret.acc.secret
  sensitive = true
}
EOF_TF
apply_clean
value acc secret
[ "$(token "$acc")" = "200 $APP" ] || fail "the account-level secret does not authenticate"
[ "$(emulator_count "POST /api/2.0/accounts/$ACCOUNT/servicePrincipals/$SP_ID/credentials/secrets")" = 1 ] ||
	fail "the account-level provider did not use the account API"
expect_exit 0 destroy -auto-approve
[ "$(token "$acc")" = 401 ] || fail "destroy left the account-level secret valid"
ok "an account-level provider makes and revokes a secret through the account API"

config_text <<'EOF_TF'
resource "databricks_service_principal_secret" "bad" {
  service_principal_id = "5a1f0c3e-8d2b-4f6a-9c7e-1b2d3e4f5a6b"
}
EOF_TF
expect_exit 1 plan
expect_output 'Invalid service principal ID'
config_text <<'EOF_TF'
resource "databricks_service_principal_secret" "gone" {
  service_principal_id = "1234"
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output 'RESOURCE_DOES_NOT_EXIST: Service principal with id 1234'
ok "a bad or unknown service principal id fails with a message"
done_testing
