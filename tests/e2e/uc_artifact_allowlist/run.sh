#!/usr/bin/env bash
# databricks_artifact_allowlist: the init script allowlist set, changed in
# place, changed behind Terraform's back (drift that apply restores),
# imported by its artifact type, and emptied on destroy.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator

write_config() {
	config_text <<EOF_TF
resource "databricks_artifact_allowlist" "init" {
  artifact_type = "INIT_SCRIPT"
  artifact_matcher {
    artifact   = "/Volumes/inits/"
    match_type = "PREFIX_MATCH"
  }
  ${EXTRA}
}
EOF_TF
}

matchers() {
	jget "$UC/artifact-allowlists/INIT_SCRIPT" '",".join(sorted(m["artifact"] for m in j["artifact_matchers"]))'
}

config_text <<'EOF_TF'
resource "databricks_artifact_allowlist" "bad" {
  artifact_type = "PYTHON_WHEEL"
  artifact_matcher {
    artifact   = "x"
    match_type = "EXACT"
  }
}
EOF_TF
expect_exit 1 validate
expect_output 'artifact_type must be INIT_SCRIPT, LIBRARY_JAR or LIBRARY_MAVEN'
expect_output 'match_type must be PREFIX_MATCH'
ok "validate names the artifact type and match type it refuses"

EXTRA=""
write_config
apply_clean
[ "$(matchers)" = "/Volumes/inits/" ] || fail "allowlist: $(matchers)"
tf state show databricks_artifact_allowlist.init
expect_output 'id *= "INIT_SCRIPT"'
expect_output 'metastore_id *= "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5"'
ok "apply sets the allowlist; second plan and refresh-only are empty"

EXTRA='artifact_matcher {
    artifact   = "s3://bucket/inits/"
    match_type = "PREFIX_MATCH"
  }'
write_config
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
[ "$(matchers)" = "/Volumes/inits/,s3://bucket/inits/" ] || fail "allowlist: $(matchers)"
ok "a matcher added changes the list in place"

api PUT "$UC/artifact-allowlists/INIT_SCRIPT" '{"artifact_matchers":[{"artifact":"/tmp/","match_type":"PREFIX_MATCH"}]}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 0 apply -auto-approve
[ "$(matchers)" = "/Volumes/inits/,s3://bucket/inits/" ] || fail "not restored: $(matchers)"
expect_exit 0 plan -detailed-exitcode
ok "a list changed by REST is drift that apply restores"

expect_exit 0 state rm databricks_artifact_allowlist.init
expect_exit 0 import databricks_artifact_allowlist.init INIT_SCRIPT
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "import by the artifact type plans clean"

expect_exit 0 destroy -auto-approve
[ "$(matchers)" = "" ] || fail "not emptied: $(matchers)"
ok "destroy empties the list"

done_testing
