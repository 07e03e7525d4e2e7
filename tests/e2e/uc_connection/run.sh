#!/usr/bin/env bash
# databricks_connection: a MySQL connection with a password the workspace
# never answers (kept from the state, never drift), an option changed by
# REST (drift that apply restores), a changed option in place, import by
# <metastore_id>|<name>, and the secret never in Terraform's output.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

write_config() {
	config_text <<EOF_TF
resource "databricks_connection" "mysql" {
  name            = "mysql_conn"
  connection_type = "MYSQL"
  comment         = "federated"
  options = {
    host     = "${HOST}"
    port     = "3306"
    user     = "reader"
    password = "s3cr3t-pw"
  }
  properties = {
    purpose = "testing"
  }
}
EOF_TF
}

HOST="db.example.com"
write_config
apply_clean
MS=$(jget "$UC/metastore_summary" 'j["metastore_id"]')
[ "$(jget "$UC/connections/mysql_conn" 'j["connection_type"] + " " + j["options"]["host"] + " " + str("password" in j["options"])')" = \
	"MYSQL db.example.com False" ] || fail "connection: $(api GET "$UC/connections/mysql_conn")"
tf state show databricks_connection.mysql
expect_output "id *= \"$MS|mysql_conn\""
grep -q 's3cr3t-pw' "$WORK/last.out" && fail "the password is shown"
ok "apply creates the connection; the workspace hides the password, which is no drift; plans are empty"

HOST="db2.example.com"
write_config
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/connections/mysql_conn" 'j["options"]["host"]')" = "db2.example.com" ] || fail "host not changed"
ok "a changed option is an update in place"

api PATCH "$UC/connections/mysql_conn" '{"options":{"host":"elsewhere","port":"3306","user":"reader","password":"x"}}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 0 apply -auto-approve
[ "$(jget "$UC/connections/mysql_conn" 'j["options"]["host"]')" = "db2.example.com" ] || fail "host not restored"
expect_exit 0 plan -detailed-exitcode
ok "an option changed by REST is drift that apply restores"

expect_exit 0 state rm databricks_connection.mysql
expect_exit 0 import databricks_connection.mysql "$MS|mysql_conn"
# The workspace does not answer the secrets: the plan after an import sets
# them again (as with the official provider) and changes nothing else.
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
expect_output "options"
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by <metastore_id>|<name>; the secrets are set again once, then plans are empty"

expect_exit 0 destroy -auto-approve
api GET "$UC/connections/mysql_conn" | grep -q CONNECTION_DOES_NOT_EXIST || fail "connection left"
ok "destroy deletes the connection"

done_testing
