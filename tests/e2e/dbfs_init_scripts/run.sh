#!/usr/bin/env bash
# databricks_dbfs_file and databricks_global_init_script in the official
# provider's style: a 20 MB file from a local source (streamed in 1 MiB
# blocks), a small one from content_base64 and an init script from a
# local file apply and plan clean; a refresh of unchanged files reads no
# file content; a file or script changed by REST is drift that apply
# writes back; an edited local source plans an in-place update; files and
# scripts made by REST import by path and ID and plan clean.
source "$(dirname "$0")/../lib.sh"
start_emulator

mkdir -p "$WORK/cfg/files"
head -c $((20 * 1024 * 1024 + 12345)) /dev/urandom >"$WORK/cfg/files/big.bin"
printf '#!/bin/bash\necho "setting up"\n' >"$WORK/cfg/files/init.sh"
SMALL_B64=$(printf 'hello, dbfs\n' | base64)

write_config() {
	config_text <<EOF_TF
resource "databricks_dbfs_file" "big" {
  source = "\${path.module}/files/big.bin"
  path   = "/FileStore/jars/big.bin"
}
resource "databricks_dbfs_file" "small" {
  content_base64 = "$SMALL_B64"
  path           = "/FileStore/conf/small.txt"
}
resource "databricks_global_init_script" "setup" {
  source  = "\${path.module}/files/init.sh"
  name    = "setup"
  enabled = true
}
output "big_dbfs_path" { value = databricks_dbfs_file.big.dbfs_path }
output "big_size" { value = databricks_dbfs_file.big.file_size }
EOF_TF
}
# (config_text empties cfg/*.tf only: the files stay.)
write_config
apply_clean
dbfs_cat /FileStore/jars/big.bin | cmp - "$WORK/cfg/files/big.bin" ||
	fail "the 20 MB file on DBFS differs from the source"
tf output -raw big_size
[ "$(cat "$WORK/last.out")" = $((20 * 1024 * 1024 + 12345)) ] || fail "file_size $(cat "$WORK/last.out")"
tf output -raw big_dbfs_path
[ "$(cat "$WORK/last.out")" = dbfs:/FileStore/jars/big.bin ] || fail "dbfs_path $(cat "$WORK/last.out")"
[ "$(emulator_count "POST /api/2.0/dbfs/add-block")" = 21 ] ||
	fail "the 20 MB file was not sent in 21 blocks: $(emulator_count "POST /api/2.0/dbfs/add-block")"
SCRIPT_ID=$(api GET /api/2.0/global-init-scripts | python3 -c '
import json, sys
s = json.load(sys.stdin)["scripts"]
assert len(s) == 1 and s[0]["name"] == "setup" and s[0]["enabled"] is True, s
print(s[0]["script_id"])')
ok "a 20 MB file in 1 MiB blocks, a base64 file and an init script apply and plan clean"

reads=$(emulator_count "GET /api/2.0/dbfs/read")
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
[ "$(emulator_count "GET /api/2.0/dbfs/read")" = "$reads" ] ||
	fail "refreshing unchanged files read their content"
ok "refreshing unchanged files reads no content"

# --- drift by REST ------------------------------------------------------------

printf 'changed behind terraform\n' >"$WORK/other.txt"
dbfs_put /FileStore/conf/small.txt "$WORK/other.txt" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_dbfs_file.small will be updated in-place'
apply_clean
[ "$(dbfs_cat /FileStore/conf/small.txt)" = "hello, dbfs" ] || fail "small.txt was not written back"
ok "a DBFS file changed by REST is drift, and apply writes it back"

api PATCH "/api/2.0/global-init-scripts/$SCRIPT_ID" \
	"{\"name\":\"setup\",\"script\":\"$(printf 'echo pwned\n' | base64)\"}" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_global_init_script.setup will be updated in-place'
apply_clean
api GET "/api/2.0/global-init-scripts/$SCRIPT_ID" | python3 -c '
import base64, json, sys
s = json.load(sys.stdin)
assert base64.b64decode(s["script"]) == open(sys.argv[1], "rb").read(), s' "$WORK/cfg/files/init.sh" ||
	fail "the init script was not written back"
ok "an init script edited by REST is drift, and apply writes it back"

# --- local edits ---------------------------------------------------------------

printf 'echo "more setup"\n' >>"$WORK/cfg/files/init.sh"
head -c 1000 /dev/urandom >>"$WORK/cfg/files/big.bin"
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_dbfs_file.big will be updated in-place'
expect_output 'databricks_global_init_script.setup will be updated in-place'
apply_clean
dbfs_cat /FileStore/jars/big.bin | cmp - "$WORK/cfg/files/big.bin" || fail "big.bin was not updated"
ok "edited local sources plan in-place updates"

# --- import --------------------------------------------------------------------

printf 'made by REST\n' >"$WORK/rest.txt"
dbfs_put /FileStore/rest.txt "$WORK/rest.txt" >/dev/null
cp "$WORK/rest.txt" "$WORK/cfg/files/rest.txt"
GIS=$(api POST /api/2.0/global-init-scripts \
	"{\"name\":\"rest\",\"script\":\"$(base64 -w0 <"$WORK/rest.txt")\",\"enabled\":false}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["script_id"])')
cat >>"$WORK/cfg/main.tf" <<EOF_TF
resource "databricks_dbfs_file" "rest" {
  source = "\${path.module}/files/rest.txt"
  path   = "/FileStore/rest.txt"
}
resource "databricks_global_init_script" "rest" {
  source = "\${path.module}/files/rest.txt"
  name   = "rest"
}
EOF_TF
expect_exit 0 import databricks_dbfs_file.rest /FileStore/rest.txt
expect_exit 0 import databricks_global_init_script.rest "$GIS"
# No import can know which local file a configuration names: the plan
# sets source and nothing else (the content's MD5 is the same), and the
# apply writes nothing to the file.
expect_exit 2 plan -detailed-exitcode
expect_output 'Plan: 0 to add, 2 to change, 0 to destroy'
if grep -q 'md5 ' "$WORK/last.out"; then
	cat "$WORK/last.out" >&2
	fail "an imported file with the same content plans a new md5"
fi
puts=$(emulator_count "POST /api/2.0/dbfs/put")
apply_clean
[ "$(emulator_count "POST /api/2.0/dbfs/put")" = "$puts" ] || fail "the apply after import wrote the file"
ok "a DBFS file and an init script made by REST import with their content's MD5; one apply records source"

# --- data sources ----------------------------------------------------------------

cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
data "databricks_dbfs_file" "small" {
  path            = databricks_dbfs_file.small.path
  limit_file_size = true
}
data "databricks_dbfs_file_paths" "all" {
  path       = "/FileStore"
  recursive  = true
  depends_on = [databricks_dbfs_file.big, databricks_dbfs_file.small]
}
data "databricks_dbfs_file_paths" "top" {
  path      = "/FileStore"
  recursive = false
}
output "small_content" { value = base64decode(data.databricks_dbfs_file.small.content) }
output "all_paths" { value = sort([for p in data.databricks_dbfs_file_paths.all.path_list : "${p.path}=${p.file_size}"]) }
output "top_paths" { value = sort([for p in data.databricks_dbfs_file_paths.top.path_list : p.path]) }
EOF_TF
expect_exit 0 apply -auto-approve
tf output -json
python3 - "$WORK/last.out" "$(stat -c %s "$WORK/cfg/files/big.bin")" <<'PY' || fail "data sources: $(cat "$WORK/last.out")"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["small_content"]["value"] == "hello, dbfs\n", o["small_content"]
assert o["all_paths"]["value"] == sorted([
    "/FileStore/conf/small.txt=12", "/FileStore/jars/big.bin=" + sys.argv[2],
    "/FileStore/rest.txt=13"]), o["all_paths"]
assert o["top_paths"]["value"] == ["/FileStore/conf", "/FileStore/jars", "/FileStore/rest.txt"], o["top_paths"]
PY
cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
data "databricks_dbfs_file" "big" {
  path            = databricks_dbfs_file.big.path
  limit_file_size = true
}
EOF_TF
expect_exit 1 plan
expect_output 'too large'
ok "the DBFS data sources read a file and list a tree; limit_file_size refuses a 20 MB file"
sed -i '/^data "databricks_dbfs_file" "big"/,$d' "$WORK/cfg/main.tf"

expect_exit 0 destroy -auto-approve
api GET "/api/2.0/dbfs/get-status?path=/FileStore/jars/big.bin" | grep -q RESOURCE_DOES_NOT_EXIST ||
	fail "destroy left big.bin"
[ "$(api GET /api/2.0/global-init-scripts | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("scripts", [])))')" = 0 ] ||
	fail "destroy left init scripts"
ok "destroy deletes the files and scripts"

done_testing
