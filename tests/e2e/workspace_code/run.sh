#!/usr/bin/env bash
# Code in the workspace from Git, through examples/notebook-job plus a
# workspace file, a second repo on a branch, a 20 MB DBFS file and an init
# script: one apply, plans clean; a notebook overwritten by REST is drift
# that apply restores, and an edited local source plans an in-place
# update; a repo switched to another branch by REST is switched back;
# objects made by REST import by their official IDs and plan clean; bad
# language and format fail at plan time; a non-empty folder is destroyed
# only with delete_recursive; the Git token reaches neither the TRACE log
# nor the state output.
source "$(dirname "$0")/../lib.sh"
start_emulator
WS=/api/2.0/workspace
export GITHUB_TOKEN="ghp_e2e$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$GITHUB_TOKEN"

cp -r "$TFP_SOURCE_DIR/examples/notebook-job/." "$WORK/cfg/"
mkdir -p "$WORK/cfg/files"
printf 'def greet(name):\n    return "hello " + name\n' >"$WORK/cfg/files/helpers.py"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$WORK/cfg/files/big.bin"
printf '#!/bin/bash\necho init\n' >"$WORK/cfg/files/init.sh"
cat >"$WORK/cfg/extra.tf" <<'EOF_TF'
resource "databricks_workspace_file" "helpers" {
  source = "${path.module}/files/helpers.py"
  path   = "${databricks_directory.etl.path}/helpers.py"
}
resource "databricks_repo" "tools" {
  url    = "https://gitlab.com/example/tools.git"
  branch = "main"
  path   = "/Repos/etl/tools"
}
resource "databricks_dbfs_file" "big" {
  source = "${path.module}/files/big.bin"
  path   = "/FileStore/etl/big.bin"
}
resource "databricks_global_init_script" "init" {
  source = "${path.module}/files/init.sh"
  name   = "etl init"
}
resource "databricks_permissions" "ingest" {
  notebook_path = databricks_notebook.ingest.path
  access_control {
    group_name       = "users"
    permission_level = "CAN_RUN"
  }
}
resource "databricks_permissions" "etl_folder" {
  directory_path = databricks_directory.etl.path
  access_control {
    group_name       = "users"
    permission_level = "CAN_READ"
  }
}
output "ingest_path" { value = databricks_notebook.ingest.path }
output "ingest_acl_id" { value = databricks_permissions.ingest.id }
output "tools_id" { value = databricks_repo.tools.id }
output "libs_commit" { value = databricks_repo.libs.commit_hash }
EOF_TF

# status PATH FIELD: a field of get-status.
status() {
	api GET "$WS/get-status?path=$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1]))' "$2"
}
# export_src PATH: a notebook's SOURCE export, decoded.
export_src() {
	api GET "$WS/export?path=$1&format=SOURCE" |
		python3 -c 'import base64,json,sys; sys.stdout.write(base64.b64decode(json.load(sys.stdin)["content"]).decode())'
}
# import_src PATH LANGUAGE TEXT: overwrite a notebook by REST.
import_src() {
	api POST "$WS/import" "{\"path\":\"$1\",\"language\":\"$2\",\"format\":\"SOURCE\",\"overwrite\":true,\"content\":\"$(printf '%s' "$3" | base64 -w0)\"}"
}

# A credential made earlier by hand: force takes it over.
api POST /api/2.0/git-credentials '{"git_provider":"gitHub","git_username":"someone"}' >/dev/null
apply_clean
api GET /api/2.0/git-credentials | python3 -c '
import json, sys
c = json.load(sys.stdin)["credentials"]
assert len(c) == 1 and c[0]["git_username"] == "etl-bot", c' || fail "force did not take the credential over"
[ "$(status /Shared/etl/ingest object_type)" = NOTEBOOK ] || fail "no ingest notebook"
[ "$(status /Shared/etl/ingest language)" = PYTHON ] || fail "ingest is not Python"
[ "$(status /Shared/etl/report language)" = SQL ] || fail "report is not SQL"
[ "$(status /Shared/etl/helpers.py object_type)" = FILE ] || fail "no workspace file"
[ "$(status /Repos/etl/etl-libs object_type)" = REPO ] || fail "no libs repo"
export_src /Shared/etl/ingest | grep -q 'saveAsTable("bronze.events")' || fail "the ingest notebook's source"
api GET "/api/2.2/jobs/list" | python3 -c '
import json, sys
jobs = json.load(sys.stdin)["jobs"]
assert len(jobs) == 1, jobs' || fail "no job"
tf output -raw tools_id
TOOLS=$(cat "$WORK/last.out")
api GET "/api/2.0/repos/$TOOLS" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["branch"] == "main" and r["provider"].lower() == "gitlab", r' || fail "tools repo"
tf output -raw ingest_acl_id
[ "$(cat "$WORK/last.out")" = "/notebooks/$(status /Shared/etl/ingest object_id)" ] ||
	fail "the notebook's permissions ID is $(cat "$WORK/last.out")"
api GET "$(printf '/api/2.0/permissions%s' "$(cat "$WORK/last.out")")" | grep -q '"CAN_RUN"' ||
	fail "the notebook's ACL has no CAN_RUN"
ok "notebooks, a folder, a workspace file, two repos, a Git credential, a 20 MB DBFS file, an init script, a job and permissions by path apply and plan clean"

exports=$(emulator_count "GET /api/2.0/workspace/export")
expect_exit 0 plan -refresh-only -detailed-exitcode
[ "$(emulator_count "GET /api/2.0/workspace/export")" = "$exports" ] ||
	fail "refreshing unchanged notebooks exported them"
ok "refreshing unchanged notebooks and files exports nothing"

tf show -no-color
grep -qF "$GITHUB_TOKEN" "$WORK/last.out" && fail "the Git token is in terraform show"
ok "the Git token is not shown"

# --- drift by REST ----------------------------------------------------------

import_src /Shared/etl/ingest PYTHON 'print("overwritten")' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_notebook.ingest will be updated in-place'
apply_clean
export_src /Shared/etl/ingest | grep -q 'saveAsTable' || fail "the notebook was not restored"
ok "a notebook overwritten by REST is drift, and apply restores it"

api PATCH "/api/2.0/repos/$TOOLS" '{"branch":"feature"}' >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_repo.tools will be updated in-place'
apply_clean
[ "$(api GET "/api/2.0/repos/$TOOLS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["branch"])')" = main ] ||
	fail "the repo was not switched back"
ok "a repo switched to another branch by REST is switched back"

# --- local edits --------------------------------------------------------------

printf '\n# COMMAND ----------\nprint("done")\n' >>"$WORK/cfg/notebooks/ingest.py"
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_notebook.ingest will be updated in-place'
apply_clean
export_src /Shared/etl/ingest | grep -q 'print("done")' || fail "the edit did not reach the notebook"
ok "an edited local source plans and applies an in-place update"

# --- import -------------------------------------------------------------------

api POST "$WS/mkdirs" '{"path":"/Shared/imported"}' >/dev/null
import_src /Shared/imported/nb PYTHON 'print(1)' >/dev/null
printf 'print(1)' >"$WORK/cfg/files/nb.py"
REPO=$(api POST /api/2.0/repos '{"url":"https://github.com/example/imported.git","provider":"gitHub","path":"/Repos/etl/imported"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cat >"$WORK/cfg/imported.tf" <<'EOF_TF'
resource "databricks_directory" "imported" {
  path = "/Shared/imported"
}
resource "databricks_repo" "imported" {
  url = "https://github.com/example/imported.git"
}
EOF_TF
expect_exit 0 import databricks_directory.imported /Shared/imported
expect_exit 0 import databricks_repo.imported "$REPO"
expect_exit 0 plan -detailed-exitcode
ok "a folder and a repo made by REST import by path and ID and plan clean"
cat >>"$WORK/cfg/imported.tf" <<'EOF_TF'
resource "databricks_notebook" "imported" {
  source = "${path.module}/files/nb.py"
  path   = "/Shared/imported/nb"
}
EOF_TF
expect_exit 0 import databricks_notebook.imported /Shared/imported/nb
# (No import can know the local source: one apply records it.)
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
ok "a notebook made by REST imports by path"

# --- data sources -------------------------------------------------------------

cat >"$WORK/cfg/data.tf" <<'EOF_TF'
data "databricks_notebook" "ingest" {
  path       = databricks_notebook.ingest.path
  format     = "SOURCE"
  depends_on = [databricks_notebook.ingest]
}
data "databricks_notebook_paths" "etl" {
  path       = databricks_directory.etl.path
  recursive  = true
  depends_on = [databricks_notebook.ingest, databricks_notebook.report]
}
data "databricks_directory" "etl" {
  path       = databricks_directory.etl.path
  depends_on = [databricks_directory.etl]
}
output "ds_ingest" { value = base64decode(data.databricks_notebook.ingest.content) }
output "ds_ingest_language" { value = data.databricks_notebook.ingest.language }
output "ds_paths" { value = sort([for n in data.databricks_notebook_paths.etl.notebook_path_list : "${n.path}:${n.language}"]) }
output "ds_dir_id" { value = tostring(data.databricks_directory.etl.object_id) }
EOF_TF
expect_exit 0 apply -auto-approve
tf output -json
python3 - "$WORK/last.out" "$(status /Shared/etl object_id)" <<'PY' || fail "data sources: $(cat "$WORK/last.out")"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["ds_ingest"]["value"].startswith("# Databricks notebook source"), o["ds_ingest"]
assert 'print("done")' in o["ds_ingest"]["value"], o["ds_ingest"]
assert o["ds_ingest_language"]["value"] == "PYTHON", o
assert o["ds_paths"]["value"] == ["/Shared/etl/ingest:PYTHON", "/Shared/etl/report:SQL"], o["ds_paths"]
assert o["ds_dir_id"]["value"] == sys.argv[2], (o["ds_dir_id"], sys.argv[2])
PY
rm "$WORK/cfg/data.tf"
ok "the notebook, notebook_paths and directory data sources read the tree"

# --- plan-time and apply-time errors -------------------------------------------

cat >"$WORK/cfg/bad.tf" <<'EOF_TF'
resource "databricks_notebook" "bad" {
  content_base64 = "cHJpbnQoMSk="
  language       = "COBOL"
  format         = "PDF"
  path           = "/Shared/bad"
}
EOF_TF
expect_exit 1 plan
expect_output 'Invalid language'
expect_output 'Invalid format'
expect_output 'language +=  *"COBOL"'
cat >"$WORK/cfg/bad.tf" <<'EOF_TF'
resource "databricks_notebook" "bad" {
  content_base64 = "cHJpbnQoMSk="
  language       = "PYTHON"
  path           = "/Users/nobody@example.com/bad"
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output 'nobody@example.com'
rm "$WORK/cfg/bad.tf"
ok "a bad language and format fail at plan time; a path the workspace cannot make fails at apply with its message"

# --- destroy --------------------------------------------------------------------

# The imported folder holds a notebook Terraform does not manage.
import_src /Shared/imported/other PYTHON 'print(2)' >/dev/null
tf state rm databricks_notebook.imported >/dev/null
expect_exit 1 destroy -auto-approve -target databricks_directory.imported
expect_output 'DIRECTORY_NOT_EMPTY|not empty'
sed -i 's|path = "/Shared/imported"|path = "/Shared/imported"\n  delete_recursive = true|' "$WORK/cfg/imported.tf"
expect_exit 0 apply -auto-approve
expect_exit 0 destroy -auto-approve
api GET "$WS/get-status?path=/Shared/imported" | grep -q RESOURCE_DOES_NOT_EXIST || fail "the imported folder is still there"
api GET "$WS/get-status?path=/Shared/etl" | grep -q RESOURCE_DOES_NOT_EXIST || fail "/Shared/etl is still there"
ok "a non-empty folder is destroyed only with delete_recursive"

done_testing
