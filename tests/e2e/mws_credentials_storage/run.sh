#!/usr/bin/env bash
# databricks_mws_credentials and databricks_mws_storage_configurations
# against the emulator's account API, in the official provider's style (an
# account-level provider block with account_id): apply and plans clean,
# the API's nested fields read back flat, a configuration deleted by REST
# is made again, import by "<account_id>/<id>" plans clean, a workspace
# provider refuses them at plan time, destroy leaves the account empty.
source "$(dirname "$0")/../lib.sh"
start_emulator
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT

write_config() {
	config_text <<EOF_TF
provider "databricks" {
  alias      = "mws"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_credentials" "this" {
  provider         = databricks.mws
  credentials_name = "$1-creds"
  role_arn         = "arn:aws:iam::123456789012:role/$1-crossaccount"
}
resource "databricks_mws_storage_configurations" "this" {
  provider                   = databricks.mws
  account_id                 = "$ACCOUNT"
  storage_configuration_name = "$1-storage"
  bucket_name                = "$1-rootbucket"
}
output "credentials_id" { value = databricks_mws_credentials.this.credentials_id }
output "external_id" { value = databricks_mws_credentials.this.external_id }
output "id" { value = databricks_mws_credentials.this.id }
output "storage_id" { value = databricks_mws_storage_configurations.this.storage_configuration_id }
EOF_TF
}

out() {
	tf output -raw "$1"
	cat "$WORK/last.out"
}

write_config prod
apply_clean
creds=$(out credentials_id)
storage=$(out storage_id)
[ "$(out id)" = "$ACCOUNT/$creds" ] || fail "id $(out id), want $ACCOUNT/$creds"
[ "$(out external_id)" = "$ACCOUNT" ] || fail "external_id $(out external_id)"
api GET "$ACC/credentials/$creds" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["credentials_name"] == "prod-creds", c
assert c["aws_credentials"]["sts_role"]["role_arn"] == "arn:aws:iam::123456789012:role/prod-crossaccount", c' ||
	fail "the account's credential differs from the configuration"
api GET "$ACC/storage-configurations/$storage" | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["root_bucket_info"]["bucket_name"] == "prod-rootbucket", s' ||
	fail "the account's storage configuration differs from the configuration"
ok "credentials and storage configuration: apply, plans clean (refresh-only too), ids <account_id>/<id>"

# Any change replaces (the account API cannot change them).
write_config stage
expect_exit 2 plan -detailed-exitcode
expect_output 'must be replaced'
apply_clean
[ "$(out credentials_id)" != "$creds" ] || fail "the credential was not replaced"
creds=$(out credentials_id)
storage=$(out storage_id)
ok "a new name or role replaces both"

# Deleted by REST: drift, and apply makes it again.
api DELETE "$ACC/storage-configurations/$storage" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
apply_clean
ok "a storage configuration deleted by REST is made again"
storage=$(out storage_id)

# Import by the official IDs.
expect_exit 0 state rm databricks_mws_credentials.this databricks_mws_storage_configurations.this
expect_exit 0 import databricks_mws_credentials.this "$ACCOUNT/$creds"
expect_exit 0 import databricks_mws_storage_configurations.this "$ACCOUNT/$storage"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by <account_id>/<id> plans clean"
expect_exit 0 state rm databricks_mws_credentials.this
expect_exit 1 import databricks_mws_credentials.this "$creds"
expect_output 'Invalid import ID'
expect_output '<account_id>/<credentials_id>'
expect_exit 0 import databricks_mws_credentials.this "$ACCOUNT/$creds"
ok "an import ID without the account is refused with the expected form"

# A workspace-level provider refuses account resources at plan time.
cat >"$WORK/cfg/extra.tf" <<'EOF_TF'
resource "databricks_mws_credentials" "wrong" {
  credentials_name = "wrong"
  role_arn         = "arn:aws:iam::123456789012:role/wrong"
}
EOF_TF
expect_exit 1 plan
expect_output 'Account-level resource'
expect_output 'accounts.cloud.databricks.com'
rm -f "$WORK/cfg/extra.tf"
ok "an account resource with a workspace provider fails at plan time, naming the host it needs"

expect_exit 0 destroy -auto-approve
n=$(api GET "$ACC/credentials" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
m=$(api GET "$ACC/storage-configurations" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 0 ] && [ "$m" = 0 ] || fail "left after destroy: $n credentials, $m storage configurations"
ok "destroy leaves the account as it was"
done_testing
