#!/usr/bin/env bash
# databricks_mws_vpc_endpoint, databricks_mws_private_access_settings and
# databricks_mws_customer_managed_keys against the emulator's account API,
# in the official provider's style: apply and plans clean with the
# service's fields read back, an endpoint without a region refused at
# validate, private access settings changed by REST and put back in place,
# an endpoint and a key deleted by REST made again, import by
# "<account_id>/<id>", destroy.
source "$(dirname "$0")/../lib.sh"
start_emulator
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT

config_text <<EOF_TF
provider "databricks" {
  alias      = "mws"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_vpc_endpoint" "bad" {
  provider            = databricks.mws
  account_id          = "$ACCOUNT"
  aws_vpc_endpoint_id = "vpce-0123456789abcdef0"
  vpc_endpoint_name   = "no-region"
}
EOF_TF
expect_exit 1 validate
expect_output 'region is missing'
ok "an AWS endpoint without a region is refused at validate, naming the attribute"

config_text <<EOF_TF
provider "databricks" {
  alias      = "mws"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_vpc_endpoint" "workspace" {
  provider            = databricks.mws
  account_id          = "$ACCOUNT"
  aws_vpc_endpoint_id = "vpce-0a1b2c3d4e5f60718"
  vpc_endpoint_name   = "VPC Relay for vpc-0abc"
  region              = "us-east-1"
}
resource "databricks_mws_private_access_settings" "pas" {
  provider                     = databricks.mws
  private_access_settings_name = "Private Access Settings for prod"
  region                       = "us-east-1"
  public_access_enabled        = true
  private_access_level         = "ENDPOINT"
  allowed_vpc_endpoint_ids     = [databricks_mws_vpc_endpoint.workspace.vpc_endpoint_id]
}
resource "databricks_mws_customer_managed_keys" "managed_services" {
  provider   = databricks.mws
  account_id = "$ACCOUNT"
  aws_key_info {
    key_arn   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    key_alias = "alias/databricks"
  }
  use_cases = ["MANAGED_SERVICES"]
}
output "vpce" { value = databricks_mws_vpc_endpoint.workspace.vpc_endpoint_id }
output "state" { value = databricks_mws_vpc_endpoint.workspace.state }
output "pas" { value = databricks_mws_private_access_settings.pas.private_access_settings_id }
output "key" { value = databricks_mws_customer_managed_keys.managed_services.customer_managed_key_id }
output "key_region" { value = databricks_mws_customer_managed_keys.managed_services.aws_key_info[0].key_region }
EOF_TF
apply_clean
out() { tf output -raw "$1" && cat "$WORK/last.out"; }
vpce=$(out vpce)
pas=$(out pas)
key=$(out key)
[ "$(out state)" = available ] || fail "endpoint state $(out state)"
[ "$(out key_region)" = us-east-1 ] || fail "key_region $(out key_region)"
api GET "$ACC/private-access-settings/$pas" | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert p["private_access_level"] == "ENDPOINT" and p["public_access_enabled"] is True, p
assert p["allowed_vpc_endpoint_ids"] == [sys.argv[1]], p' "$vpce" ||
	fail "the account's private access settings differ from the configuration"
ok "an endpoint, private access settings and a key apply and plan clean; the service's fields read back"

api PUT "$ACC/private-access-settings/$pas" \
	'{"private_access_settings_name": "renamed by hand", "region": "us-east-1"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'update in-place'
apply_clean
[ "$(out pas)" = "$pas" ] || fail "private access settings were replaced, not updated"
api GET "$ACC/private-access-settings/$pas" | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert p["private_access_settings_name"] == "Private Access Settings for prod", p
assert p["private_access_level"] == "ENDPOINT" and p["public_access_enabled"] is True, p' ||
	fail "the update did not restore the settings"
ok "private access settings changed by REST are seen and put back in place"

api DELETE "$ACC/customer-managed-keys/$key" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
apply_clean
[ "$(out key)" != "$key" ] || fail "the key was not made again"
key=$(out key)
ok "a key deleted by REST is seen and made again"

api DELETE "$ACC/private-access-settings/$pas" >/dev/null
api DELETE "$ACC/vpc-endpoints/$vpce" >/dev/null
expect_exit 2 plan -detailed-exitcode
apply_clean
vpce=$(out vpce)
pas=$(out pas)
ok "an endpoint and its settings deleted by REST are made again"

expect_exit 0 state rm databricks_mws_vpc_endpoint.workspace
expect_exit 1 import databricks_mws_vpc_endpoint.workspace "$vpce"
expect_output '<account_id>/<vpc_endpoint_id>'
ok "an import ID without the account is refused, naming the form"

expect_exit 0 import databricks_mws_vpc_endpoint.workspace "$ACCOUNT/$vpce"
for r in "databricks_mws_private_access_settings.pas $ACCOUNT/$pas" \
	"databricks_mws_customer_managed_keys.managed_services $ACCOUNT/$key"; do
	set -- $r
	expect_exit 0 state rm "$1"
	expect_exit 0 import "$1" "$2"
done
expect_exit 0 plan -detailed-exitcode
# Import records no dependencies (the settings name the endpoint), so the
# first refresh-only run would add them and exit 2 with nothing to show;
# the apply that records them must change nothing remote, then every plan
# is clean.
apply_clean
[ "$(out vpce)/$(out pas)/$(out key)" = "$vpce/$pas/$key" ] ||
	fail "the imported objects were replaced"
ok "import by <account_id>/<id> plans clean for all three"

expect_exit 0 destroy -auto-approve
for kind in vpc-endpoints private-access-settings customer-managed-keys; do
	n=$(api GET "$ACC/$kind" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	[ "$n" = 0 ] || fail "$kind left after destroy: $n"
done
ok "destroy leaves the account as it was"
done_testing
