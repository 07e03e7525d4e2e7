#!/usr/bin/env bash
# databricks_mws_networks against the emulator's account API, in the
# official provider's style: apply and plans clean with vpc_endpoints left
# to the service, sets of subnets and security groups in any order, a
# missing AWS argument named at validate, a network deleted by REST made
# again, import by "<account_id>/<network_id>", destroy.
source "$(dirname "$0")/../lib.sh"
start_emulator
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT

config_text <<EOF_TF
provider "databricks" {
  alias      = "mws"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_networks" "bad" {
  provider     = databricks.mws
  account_id   = "$ACCOUNT"
  network_name = "no-subnets"
  vpc_id       = "vpc-0abc"
}
EOF_TF
expect_exit 1 validate
expect_output 'subnet_ids is missing'
ok "an AWS network without subnets is refused at validate, naming the attribute"

config_text <<EOF_TF
provider "databricks" {
  alias      = "mws"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_networks" "this" {
  provider           = databricks.mws
  account_id         = "$ACCOUNT"
  network_name       = "prod-network"
  vpc_id             = "vpc-0abc"
  subnet_ids         = ["subnet-2", "subnet-1"]
  security_group_ids = ["sg-1"]
}
output "network_id" { value = databricks_mws_networks.this.network_id }
output "vpc_status" { value = databricks_mws_networks.this.vpc_status }
EOF_TF
apply_clean
tf output -raw network_id
network=$(cat "$WORK/last.out")
tf output -raw vpc_status
[ "$(cat "$WORK/last.out")" = UNATTACHED ] || fail "vpc_status $(cat "$WORK/last.out")"
api GET "$ACC/networks/$network" | python3 -c '
import json, sys
n = json.load(sys.stdin)
assert sorted(n["subnet_ids"]) == ["subnet-1", "subnet-2"], n
assert n["vpc_id"] == "vpc-0abc", n' || fail "the account's network differs from the configuration"
ok "a network applies and plans clean; the service's status reads back"

api DELETE "$ACC/networks/$network" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
apply_clean
tf output -raw network_id
network=$(cat "$WORK/last.out")
ok "a network deleted by REST is made again"

expect_exit 0 state rm databricks_mws_networks.this
expect_exit 0 import databricks_mws_networks.this "$ACCOUNT/$network"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by <account_id>/<network_id> plans clean"

expect_exit 0 destroy -auto-approve
n=$(api GET "$ACC/networks" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 0 ] || fail "networks left after destroy: $n"
ok "destroy leaves the account as it was"
done_testing
