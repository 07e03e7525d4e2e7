#!/usr/bin/env bash
# databricks_mws_log_delivery and databricks_mws_permission_assignment
# against the emulator's account API, in the official provider's style, on
# a workspace made by REST: apply and plans clean; a configuration disabled
# by REST enabled again in place and a status change planned in place;
# an assignment changed or removed by REST put back; import by
# "<account_id>|<config_id>" and "<workspace_id>|<principal_id>"; destroy
# disables the configurations (the service keeps them) and removes the
# assignments.
source "$(dirname "$0")/../lib.sh"
start_emulator --workspace-provision-ms 0
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# The workspace, made behind Terraform's back with configurations of its own.
cred=$(api POST "$ACC/credentials" '{"credentials_name": "ws-cred",
	"aws_credentials": {"sts_role": {"role_arn": "arn:aws:iam::123456789012:role/ws"}}}' |
	field credentials_id)
storage=$(api POST "$ACC/storage-configurations" '{"storage_configuration_name": "ws-root",
	"root_bucket_info": {"bucket_name": "ws-root"}}' | field storage_configuration_id)
ws=$(api POST "$ACC/workspaces" "{\"workspace_name\": \"analytics\", \"aws_region\": \"us-east-1\",
	\"credentials_id\": \"$cred\", \"storage_configuration_id\": \"$storage\"}" | field workspace_id)
for _ in $(seq 1 100); do
	status=$(api GET "$ACC/workspaces/$ws" | field workspace_status)
	[ "$status" = RUNNING ] && break
	sleep 0.1
done
[ "$status" = RUNNING ] || fail "workspace $ws is $status"

write_config() {
	config_text <<EOF_TF
provider "databricks" {
  alias      = "mws"
  account_id = "$ACCOUNT"
}
resource "databricks_mws_credentials" "log_writer" {
  provider         = databricks.mws
  credentials_name = "Usage Delivery"
  role_arn         = "arn:aws:iam::123456789012:role/log-delivery"
}
resource "databricks_mws_storage_configurations" "log_bucket" {
  provider                   = databricks.mws
  account_id                 = "$ACCOUNT"
  storage_configuration_name = "Usage Logs"
  bucket_name                = "acme-logdelivery"
}
resource "databricks_mws_log_delivery" "usage_logs" {
  provider                 = databricks.mws
  account_id               = "$ACCOUNT"
  credentials_id           = databricks_mws_credentials.log_writer.credentials_id
  storage_configuration_id = databricks_mws_storage_configurations.log_bucket.storage_configuration_id
  delivery_path_prefix     = "billable-usage"
  config_name              = "Usage to S3"
  log_type                 = "BILLABLE_USAGE"
  output_format            = "CSV"
  $1
}
resource "databricks_mws_log_delivery" "audit_logs" {
  provider                 = databricks.mws
  account_id               = "$ACCOUNT"
  credentials_id           = databricks_mws_credentials.log_writer.credentials_id
  storage_configuration_id = databricks_mws_storage_configurations.log_bucket.storage_configuration_id
  delivery_path_prefix     = "audit-logs"
  config_name              = "Audit Logs to S3"
  log_type                 = "AUDIT_LOGS"
  output_format            = "JSON"
  workspace_ids_filter     = [$ws]
}
resource "databricks_mws_permission_assignment" "analysts" {
  provider     = databricks.mws
  workspace_id = $ws
  principal_id = 1111
  permissions  = ["USER"]
}
resource "databricks_mws_permission_assignment" "admins" {
  provider     = databricks.mws
  workspace_id = $ws
  principal_id = 2222
  permissions  = ["ADMIN"]
}
output "usage" { value = databricks_mws_log_delivery.usage_logs.config_id }
output "audit" { value = databricks_mws_log_delivery.audit_logs.config_id }
output "start" { value = databricks_mws_log_delivery.usage_logs.delivery_start_time }
EOF_TF
}
out() { tf output -raw "$1" && cat "$WORK/last.out"; }
assigned() {
	api GET "$ACC/workspaces/$ws/permissionassignments" | python3 -c '
import json, sys
a = json.load(sys.stdin).get("permission_assignments", [])
print(" ".join("%d:%s" % (x["principal"]["principal_id"], ",".join(x["permissions"]))
               for x in sorted(a, key=lambda x: x["principal"]["principal_id"])))'
}
log_status() { api GET "$ACC/log-delivery/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["log_delivery_configuration"]["status"])'; }

write_config 'status = "ENABLED"'
apply_clean
usage=$(out usage)
audit=$(out audit)
[[ "$(out start)" =~ ^[0-9]{4}-[0-9]{2}$ ]] || fail "delivery_start_time $(out start)"
[ "$(log_status "$usage")/$(log_status "$audit")" = ENABLED/ENABLED ] || fail "configurations not enabled"
[ "$(assigned)" = "1111:USER 2222:ADMIN" ] || fail "assignments: $(assigned)"
ok "two log deliveries and two assignments apply and plan clean; the service's start month reads back"

# status is optional and computed: only a configuration that sets it
# (usage_logs does) plans to put it back.
api PATCH "$ACC/log-delivery/$usage" '{"status": "DISABLED"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'update in-place'
apply_clean
[ "$(out usage)" = "$usage" ] || fail "the configuration was replaced"
[ "$(log_status "$usage")" = ENABLED ] || fail "not enabled again"
ok "a configuration disabled by REST is seen and enabled again in place"

write_config 'status = "DISABLED"'
expect_exit 2 plan -detailed-exitcode
expect_output '1 to change, 0 to destroy'
apply_clean
[ "$(log_status "$usage")" = DISABLED ] || fail "status not applied"
write_config 'status = "ENABLED"'
apply_clean
ok "a status change is an update in place, not a replacement"

api PUT "$ACC/workspaces/$ws/permissionassignments/principals/1111" '{"permissions": ["ADMIN"]}' >/dev/null
api DELETE "$ACC/workspaces/$ws/permissionassignments/principals/2222" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'must be replaced'
apply_clean
[ "$(assigned)" = "1111:USER 2222:ADMIN" ] || fail "assignments not restored: $(assigned)"
ok "assignments changed or removed by REST are seen and put back"

expect_exit 0 state rm databricks_mws_log_delivery.usage_logs databricks_mws_permission_assignment.analysts
expect_exit 0 import databricks_mws_log_delivery.usage_logs "$ACCOUNT|$usage"
expect_exit 0 import databricks_mws_permission_assignment.analysts "$ws|1111"
expect_exit 0 plan -detailed-exitcode
# Import records no dependencies; the apply that records them changes
# nothing remote (see mws_private_link).
apply_clean
[ "$(out usage)" = "$usage" ] || fail "the imported configuration was replaced"
ok "import by <account_id>|<config_id> and <workspace_id>|<principal_id> plans clean"

expect_exit 0 destroy -auto-approve
[ "$(log_status "$usage")/$(log_status "$audit")" = DISABLED/DISABLED ] ||
	fail "destroy left a configuration enabled"
[ -z "$(assigned)" ] || fail "assignments left after destroy: $(assigned)"
n=$(api GET "$ACC/credentials" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 1 ] || fail "credentials left after destroy: $n (the workspace's is 1)"
n=$(api GET "$ACC/log-delivery" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["log_delivery_configurations"]))')
[ "$n" = 2 ] || fail "log delivery configurations: $n"
ok "destroy disables the configurations (the service keeps them) and removes the assignments"
done_testing
