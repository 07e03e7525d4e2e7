#!/usr/bin/env bash
# databricks_workspace_conf, databricks_ip_access_list and the five
# Settings API types against the emulator's settings module, in the
# official provider's style: every type applies and plans clean; a
# workspace_conf key flipped by REST and an IP access list disabled by
# REST are drift that apply restores, and keys the configuration does not
# name are left alone; a settings write that meets a stale etag succeeds
# on retry; settings and an IP access list made by REST import by their
# official IDs and plan clean; a list that would block the caller is
# refused with the workspace's message; an unknown workspace_conf key is
# refused; destroy puts the defaults back.
source "$(dirname "$0")/../lib.sh"
start_emulator

# json_get PATH EXPR: python expression over the JSON answer `j` of GET PATH.
json_get() {
	api GET "$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}
conf_value() {
	json_get "/api/2.0/workspace-conf?keys=$1" "j['$1']"
}
setting() {
	api GET "/api/2.0/settings/types/$1/names/default"
}

# A key the configuration never names, set behind Terraform's back: it
# must be neither read into the state nor changed.
api PATCH /api/2.0/workspace-conf '{"enableWebTerminal": "false"}' >/dev/null

# An unknown key is refused at apply with the workspace's message.
config_text <<'EOF_TF'
resource "databricks_workspace_conf" "this" {
  custom_config = {
    "enableFooBar" = "true"
  }
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output 'Invalid keys: \["enableFooBar"\]'
ok "an unknown workspace_conf key is refused with the workspace's message"

settings_config() {
	local ns=$1 extra=${2:-}
	config_text <<EOF_TF
resource "databricks_workspace_conf" "this" {
  custom_config = {
    "enableIpAccessLists"  = true
    "maxTokenLifetimeDays" = "90"
  }
}

resource "databricks_ip_access_list" "allowed" {
  label        = "office"
  list_type    = "ALLOW"
  ip_addresses = ["127.0.0.1/32", "10.0.0.0/16", "1.2.3.4"]
  depends_on   = [databricks_workspace_conf.this]
}

resource "databricks_ip_access_list" "blocked" {
  label        = "bad actors"
  list_type    = "BLOCK"
  ip_addresses = ["192.0.2.0/24"]
  depends_on   = [databricks_workspace_conf.this]
}

resource "databricks_default_namespace_setting" "this" {
  namespace {
    value = "$ns"
  }
}

resource "databricks_restrict_workspace_admins_setting" "this" {
  restrict_workspace_admins {
    status = "RESTRICT_TOKENS_AND_JOB_RUN_AS"
  }
}

resource "databricks_disable_legacy_dbfs_setting" "this" {
  disable_legacy_dbfs {
    value = true
  }
}

resource "databricks_disable_legacy_access_setting" "this" {
  disable_legacy_access {
    value = true
  }
}

resource "databricks_automatic_cluster_update_workspace_setting" "this" {
  automatic_cluster_update_workspace {
    enabled = true
    maintenance_window {
      week_day_based_schedule {
        day_of_week = "MONDAY"
        frequency   = "EVERY_WEEK"
        window_start_time {
          hours   = 1
          minutes = 30
        }
      }
    }
  }
}

output "allowed_id" { value = databricks_ip_access_list.allowed.id }
$extra
EOF_TF
}

settings_config main
apply_clean
[ "$(conf_value enableIpAccessLists)" = true ] || fail "enableIpAccessLists is $(conf_value enableIpAccessLists)"
[ "$(conf_value maxTokenLifetimeDays)" = 90 ] || fail "maxTokenLifetimeDays is not 90"
[ "$(json_get /api/2.0/ip-access-lists 'len(j["ip_access_lists"])')" = 2 ] || fail "two IP access lists expected"
[ "$(setting default_namespace_ws | python3 -c 'import json,sys; print(json.load(sys.stdin)["namespace"]["value"])')" = main ] ||
	fail "the default namespace is not main"
[ "$(setting restrict_workspace_admins | python3 -c 'import json,sys; print(json.load(sys.stdin)["restrict_workspace_admins"]["status"])')" = RESTRICT_TOKENS_AND_JOB_RUN_AS ] ||
	fail "restrict_workspace_admins was not written"
[ "$(setting disable_legacy_dbfs | python3 -c 'import json,sys; print(json.load(sys.stdin)["disable_legacy_dbfs"]["value"])')" = True ] ||
	fail "disable_legacy_dbfs was not written"
[ "$(setting disable_legacy_access | python3 -c 'import json,sys; print(json.load(sys.stdin)["disable_legacy_access"]["value"])')" = True ] ||
	fail "disable_legacy_access was not written"
setting automatic_cluster_update | python3 -c '
import json, sys
s = json.load(sys.stdin)["automatic_cluster_update_workspace"]
assert s["enabled"] is True, s
w = s["maintenance_window"]["week_day_based_schedule"]
assert w == {"day_of_week": "MONDAY", "frequency": "EVERY_WEEK",
             "window_start_time": {"hours": 1, "minutes": 30}}, w' ||
	fail "automatic_cluster_update was not written as configured"
tf state show databricks_workspace_conf.this
if grep -q enableWebTerminal "$WORK/last.out"; then fail "a key the configuration does not name is in the state"; fi
[ "$(conf_value enableWebTerminal)" = false ] || fail "a key the configuration does not name was changed"
ok "every type applies and plans clean; the values reach the workspace; other keys are left alone"

tf output -raw allowed_id
allowed_id=$(cat "$WORK/last.out")

# Drift: a key flipped by REST.
api PATCH /api/2.0/workspace-conf '{"enableIpAccessLists": "false"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'enableIpAccessLists'
apply_clean
[ "$(conf_value enableIpAccessLists)" = true ] || fail "apply did not restore enableIpAccessLists"
ok "a workspace_conf key flipped by REST is drift that apply restores"

# Drift: a list disabled by REST.
api PATCH "/api/2.0/ip-access-lists/$allowed_id" '{"enabled": false}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'enabled'
apply_clean
[ "$(json_get "/api/2.0/ip-access-lists/$allowed_id" 'j["ip_access_list"]["enabled"]')" = True ] ||
	fail "apply did not enable the list again"
ok "an IP access list disabled by REST is drift that apply restores"

# A stale etag: someone writes the setting between the refresh and the
# write; the provider reads the fresh etag and writes again.
settings_config analytics
curl -sS -X POST "$EMU_URL/_emulator/settings/bump-etag" \
	-d '{"type": "default_namespace_ws"}' >/dev/null
before=$(emulator_count "PATCH /api/2.0/settings/types/default_namespace_ws/names/default")
expect_exit 0 apply -auto-approve -refresh=false
after=$(emulator_count "PATCH /api/2.0/settings/types/default_namespace_ws/names/default")
[ $((after - before)) = 2 ] || fail "expected a refused PATCH and its retry, saw $((after - before)) PATCHes"
[ "$(setting default_namespace_ws | python3 -c 'import json,sys; print(json.load(sys.stdin)["namespace"]["value"])')" = analytics ] ||
	fail "the retried write did not land"
apply_clean
ok "a settings write that meets a stale etag is retried with the fresh one"

# A list that would block the caller (the emulator sees 127.0.0.1) is
# refused with the workspace's message.
settings_config analytics 'resource "databricks_ip_access_list" "lockout" {
  label        = "lock myself out"
  list_type    = "BLOCK"
  ip_addresses = ["127.0.0.0/8"]
}'
expect_exit 1 apply -auto-approve
# (terraform wraps the message; every part of it is there)
expect_output 'HTTP 400 INVALID_STATE: Your current'
expect_output 'IP 127.0.0.1 will not be allowed to access the workspace under current'
expect_output '^configuration'
[ "$(json_get /api/2.0/ip-access-lists 'len(j["ip_access_lists"])')" = 2 ] || fail "the refused list was made"
settings_config analytics
apply_clean
ok "a list that would block the caller is refused at apply with the workspace's message"

# Import: settings written by REST and a list made by REST, by the
# official IDs ("global"; the list's ID).
for r in default_namespace_setting restrict_workspace_admins_setting \
	disable_legacy_dbfs_setting disable_legacy_access_setting \
	automatic_cluster_update_workspace_setting; do
	expect_exit 0 state rm "databricks_$r.this"
done
etag=$(setting default_namespace_ws | python3 -c 'import json,sys; print(json.load(sys.stdin)["etag"])')
api PATCH /api/2.0/settings/types/default_namespace_ws/names/default \
	"{\"allow_missing\": true, \"field_mask\": \"namespace.value\", \"setting\": {\"etag\": \"$etag\", \"namespace\": {\"value\": \"analytics\"}}}" >/dev/null
api POST /api/2.0/ip-access-lists \
	'{"label": "vpn", "list_type": "ALLOW", "ip_addresses": ["172.16.0.0/12"]}' >"$WORK/rest.json"
rest_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ip_access_list"]["list_id"])' <"$WORK/rest.json")
settings_config analytics 'resource "databricks_ip_access_list" "vpn" {
  label        = "vpn"
  list_type    = "ALLOW"
  ip_addresses = ["172.16.0.0/12"]
}'
expect_exit 0 import databricks_ip_access_list.vpn "$rest_id"
for r in default_namespace_setting restrict_workspace_admins_setting \
	disable_legacy_dbfs_setting disable_legacy_access_setting \
	automatic_cluster_update_workspace_setting; do
	expect_exit 0 import "databricks_$r.this" global
done
expect_exit 0 plan -refresh=false -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
apply_clean
tf state show databricks_default_namespace_setting.this
expect_output 'id += "global"'
ok "settings and an IP access list made by REST import by their official IDs and plan clean"

# workspace_conf cannot be imported, as with the official provider.
expect_exit 0 state rm databricks_workspace_conf.this
expect_exit 1 import databricks_workspace_conf.this _
expect_output 'cannot be imported'
expect_exit 0 apply -auto-approve
ok "databricks_workspace_conf refuses import"

expect_exit 0 destroy -auto-approve
[ "$(conf_value enableIpAccessLists)" = false ] || fail "destroy did not turn enableIpAccessLists off"
[ "$(conf_value maxTokenLifetimeDays)" = 90 ] || fail "destroy reset a key that is not a flag"
[ "$(json_get /api/2.0/ip-access-lists 'len(j["ip_access_lists"])')" = 0 ] || fail "lists left after destroy"
setting default_namespace_ws | grep -q RESOURCE_DOES_NOT_EXIST || fail "the default namespace is still set"
[ "$(setting restrict_workspace_admins | python3 -c 'import json,sys; print(json.load(sys.stdin)["restrict_workspace_admins"]["status"])')" = ALLOW_ALL ] ||
	fail "restrict_workspace_admins is not back to its default"
[ "$(setting automatic_cluster_update | python3 -c 'import json,sys; print(json.load(sys.stdin)["automatic_cluster_update_workspace"]["enabled"])')" = False ] ||
	fail "automatic cluster update is still on"
ok "destroy puts the defaults back (flags off, lists gone, settings deleted)"

done_testing
