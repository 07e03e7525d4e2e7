#!/usr/bin/env bash
# google-credentials end to end, on an emulator playing Google Cloud
# (--cloud gcp), against its stand-in for
# Google's token endpoint (emulator/cloud/google.c), reached through the
# token_uri of a service account key made for the test: the
# daily-etl-pipeline job applies and plans clean (second plan empty,
# refresh-only exits 0) with the key given as a file path in the provider
# block and as JSON in GOOGLE_CREDENTIALS; the job is created as the
# service account; the provider signs RS256 assertions the stand-in
# verifies with the account's public key, sends the ID token as bearer
# and the access token in X-Databricks-GCP-SA-Access-Token; a key the
# stand-in does not know is one diagnostic naming the method; google-id
# impersonates a service account with application default credentials
# (a key file, gcloud's authorized_user file, the GCE metadata server)
# through the IAM Credentials API stand-in; the TRACE log holds no key,
# assertion, refresh token or token.
source "$(dirname "$0")/../lib.sh"
# The workspace plays Google Cloud: GCP node types, gcp_attributes filled
# by the service, gs:// storage.
start_emulator --cloud gcp
unset DATABRICKS_TOKEN GOOGLE_CREDENTIALS DATABRICKS_GOOGLE_SERVICE_ACCOUNT \
	GOOGLE_APPLICATION_CREDENTIALS CLOUDSDK_CONFIG GCE_METADATA_HOST \
	DATABRICKS_AUTH_TYPE

SA=terraform@brickform-e2e.iam.gserviceaccount.com
# key_json PEM_FILE: a service account key file as Google writes it.
key_json() {
	python3 - "$1" "$SA" "$EMU_URL/token" <<'PY'
import json, sys
print(json.dumps({"type": "service_account", "project_id": "brickform-e2e",
    "private_key_id": "0123456789abcdef", "private_key": open(sys.argv[1]).read(),
    "client_email": sys.argv[2], "client_id": "104857600000000000000",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": sys.argv[3]}, indent=2))
PY
}
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/pub.pem"
key_json "$WORK/key.pem" >"$WORK/sa.json"
# Lines of the private key, and the start of every JWT the provider or the
# stand-in makes: none may reach a log.
secret_value "$(sed -n 2p "$WORK/key.pem")"
secret_value "$(sed -n 10p "$WORK/key.pem")"
secret_value 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9'
secret_value 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6'
secret_value 'ya29.'

curl -sS -X POST "$EMU_URL/_emulator/google" --data "$(
	python3 -c 'import json,sys; print(json.dumps({"client_email": sys.argv[1],
		"public_key_pem": open(sys.argv[2]).read()}))' "$SA" "$WORK/pub.pem"
)" >/dev/null

# job_config 'PROVIDER BLOCK BODY': the daily-etl-pipeline example with
# that provider block.
job_config() {
	rm -f "$WORK"/cfg/*.tf
	python3 - "$REPO_DIR/examples/daily-etl-pipeline/main.tf" "$1" >"$WORK/cfg/main.tf" <<'PY'
import sys
text = open(sys.argv[1]).read()
assert 'provider "databricks" {}' in text and '"i3.xlarge"' in text
text = text.replace('"i3.xlarge"', '"n2-standard-4"')
print(text.replace('provider "databricks" {}',
                   'provider "databricks" {\n' + sys.argv[2] + '\n}'))
PY
}

# expect_text TEXT: the last output holds TEXT, however terraform wrapped it.
expect_text() {
	tr -s ' \n' '  ' <"$WORK/last.out" | grep -qF -- "$1" || {
		cat "$WORK/last.out" >&2
		fail "output does not hold: $1"
	}
}

job_creator() {
	local id
	tf output -raw job_id
	id=$(cat "$WORK/last.out")
	api GET "/api/2.2/jobs/get?job_id=$id" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("creator_user_name", ""))'
}

# (a) the key file's path in the provider block.
job_config "  host               = \"$EMU_URL\"
  google_credentials = \"$WORK/sa.json\""
apply_clean
[ "$(job_creator)" = "$SA" ] || fail "the job was created by '$(job_creator)', not $SA"
[ "$(emulator_count "POST /token")" -ge 2 ] ||
	fail "expected an ID token and an access token request, got $(emulator_count "POST /token")"
expect_exit 0 destroy -auto-approve
ok "google-credentials (a key file): the job applies and plans clean as the service account"

# (b) the key's JSON in GOOGLE_CREDENTIALS, no provider setting.
(
	GOOGLE_CREDENTIALS=$(cat "$WORK/sa.json")
	export GOOGLE_CREDENTIALS
	job_config "  host = \"$EMU_URL\""
	apply_clean
	[ "$(job_creator)" = "$SA" ] || fail "the job was created by '$(job_creator)'"
	expect_exit 0 destroy -auto-approve
)
ok "google-credentials from GOOGLE_CREDENTIALS (JSON): applies and plans clean"

# The Google Cloud example (a job on n2-standard-4, a cluster with
# gcp_attributes, a Databricks-managed service account credential and a
# gs:// external location) applies and plans clean with the key in
# GOOGLE_CREDENTIALS; the gcp_attributes the service fills are not drift.
(
	export GOOGLE_CREDENTIALS="$WORK/sa.json"
	rm -f "$WORK"/cfg/*.tf
	cp "$REPO_DIR/examples/gcp-workspace-objects/main.tf" "$WORK/cfg/"
	apply_clean
	tf output -raw credential_service_account
	grep -q '@.*\.iam\.gserviceaccount\.com$' "$WORK/last.out" ||
		fail "the credential has no Google service account: $(cat "$WORK/last.out")"
	# Another cloud's storage is refused with the service's error.
	api POST /api/2.1/unity-catalog/external-locations \
		'{"name": "adls-here", "url": "abfss://c@acct.dfs.core.windows.net/p", "credential_name": "lake-gcp-sa"}' |
		grep -q 'invalid URI scheme abfss' || fail "an abfss:// location was not refused on Google Cloud"
	expect_exit 0 destroy -auto-approve
)
ok "the Google Cloud example (gcp_attributes, gs:// location) applies and plans clean; abfss:// is refused"

# (c) a key Google does not know: one diagnostic naming the method.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/other.pem" 2>/dev/null
key_json "$WORK/other.pem" >"$WORK/other.json"
secret_value "$(sed -n 2p "$WORK/other.pem")"
job_config "  host               = \"$EMU_URL\"
  google_credentials = \"$WORK/other.json\""
expect_exit 1 apply -auto-approve
[ "$(grep -c '^Error: ' "$WORK/last.out")" = 1 ] || { cat "$WORK/last.out" >&2; fail "expected one diagnostic"; }
expect_output 'Authentication with google-credentials failed'
expect_text 'returned HTTP 400: invalid_grant: Invalid JWT Signature.'
ok "a key the token endpoint does not know: one diagnostic naming google-credentials"

# (d) not a key at all, and google-id, are clear errors.
job_config "  host               = \"$EMU_URL\"
  google_credentials = \"{\\\"type\\\": \\\"authorized_user\\\"}\""
expect_exit 1 apply -auto-approve
expect_text 'Authentication with google-credentials failed: google_credentials is not a service account key'
ok "a key of another type is refused with the reason"
[ "$(api GET /api/2.2/jobs/list | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("jobs", [])))')" = 0 ] ||
	fail "a job was created by a failed authentication"

# (e) google-id: the machine's application default credentials (ADC)
# impersonate google_service_account through the IAM Credentials API
# stand-in; the workspace sees the impersonated account.
DEPLOYER=deployer@brickform-e2e.iam.gserviceaccount.com
USER_EMAIL=someone@example.com
RT="1//rt-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$RT"
curl -sS -X POST "$EMU_URL/_emulator/google" --data "$(
	python3 -c 'import json,sys; print(json.dumps({
		"impersonation_targets": [sys.argv[1]], "refresh_token": sys.argv[2],
		"user_email": sys.argv[3], "metadata_service_account": sys.argv[4]}))' \
		"$DEPLOYER" "$RT" "$USER_EMAIL" "$SA"
)" >/dev/null
mkdir -p "$WORK/gcloud" "$WORK/gcloud-empty"
python3 - "$WORK/gcloud/application_default_credentials.json" "$RT" "$EMU_URL/token" <<'PY'
import json, sys
json.dump({"type": "authorized_user", "client_id": "764086051850-e2e.apps.googleusercontent.com",
    "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty", "refresh_token": sys.argv[2],
    "token_uri": sys.argv[3]}, open(sys.argv[1], "w"))
PY
secret_value "d-FL95Q19q7MQmFpd7hHD0Ty"
export GOOGLE_IAM_CREDENTIALS_ENDPOINT="$EMU_URL/"
google_id_cycle() { # google_id_cycle HOW
	job_config "  host                   = \"$EMU_URL\"
  google_service_account = \"$DEPLOYER\""
	api DELETE /_emulator/requests >/dev/null
	apply_clean
	[ "$(job_creator)" = "$DEPLOYER" ] ||
		fail "google-id ($1): the job was created by '$(job_creator)', not $DEPLOYER"
	[ "$(emulator_count "POST /v1/projects/-/serviceAccounts/$DEPLOYER:generateIdToken")" -ge 1 ] ||
		fail "google-id ($1): no generateIdToken call"
	expect_exit 0 destroy -auto-approve
	ok "google-id with $1: the job applies and plans clean as $DEPLOYER"
}
(
	export GOOGLE_APPLICATION_CREDENTIALS="$WORK/sa.json"
	google_id_cycle "a service account key in GOOGLE_APPLICATION_CREDENTIALS"
)
(
	export CLOUDSDK_CONFIG="$WORK/gcloud"
	google_id_cycle "gcloud's authorized_user credentials"
)
(
	export CLOUDSDK_CONFIG="$WORK/gcloud-empty" GCE_METADATA_HOST="${EMU_URL#http://}"
	google_id_cycle "the GCE metadata server"
	# An account the caller may not impersonate: Google's refusal, once.
	job_config "  host                   = \"$EMU_URL\"
  google_service_account = \"stranger@brickform-e2e.iam.gserviceaccount.com\""
	expect_exit 1 apply -auto-approve
	[ "$(grep -c '^Error: ' "$WORK/last.out")" = 1 ] || { cat "$WORK/last.out" >&2; fail "expected one diagnostic"; }
	expect_output 'Authentication with google-id failed'
	expect_text "PERMISSION_DENIED: Permission 'iam.serviceAccounts.getOpenIdToken' denied"
	# No ADC anywhere: the metadata server is not there.
	GCE_METADATA_HOST=127.0.0.1:9 expect_exit 1 apply -auto-approve
	expect_output 'Authentication with google-id failed'
	expect_text 'no Google credentials to impersonate'
	ok "google-id: an account not granted, and no credentials at all, are one clear error each"
)
unset GOOGLE_IAM_CREDENTIALS_ENDPOINT

# (f) the TRACE log: the access token header went, redacted.
if [ -f "$WORK/trace.log" ]; then
	grep -q 'X-Databricks-GCP-SA-Access-Token: <redacted>' "$WORK/trace.log" ||
		fail "the X-Databricks-GCP-SA-Access-Token header was never sent (or not redacted)"
	grep -q 'auth/google-credentials' "$WORK/trace.log" ||
		fail "the User-Agent never named auth/google-credentials"
	ok "the ID token goes as bearer and the access token in X-Databricks-GCP-SA-Access-Token, both out of the logs"
fi

done_testing
