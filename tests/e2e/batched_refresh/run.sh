#!/usr/bin/env bash
# Batched refresh (client/rest_batch.c) is exact, through real terraform:
# 300 catalogs, 40 jobs and 30 notebooks of one folder refresh from their
# list endpoints (the folder's listing for the notebooks) in a handful of
# calls; a catalog and a notebook deleted by REST among them are planned
# for re-creation (the list misses them, a GET confirms them gone), a
# catalog, a job and a notebook changed by REST are drift; what an apply creates or changes is
# read back as the workspace has it; with the catalogs' list failing on
# every page, or 5% of list pages failing, the plan is still exact.
source "$(dirname "$0")/../lib.sh"
start_emulator

rm -f "$WORK"/cfg/*.tf
cat >"$WORK/cfg/main.tf" <<'EOF_TF'
terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
variable "rate" {
  type    = number
  default = null
}
variable "retry" {
  type    = number
  default = null
}
variable "catalogs" {
  type    = number
  default = 300
}
provider "databricks" {
  rate_limit            = var.rate
  retry_timeout_seconds = var.retry
}
resource "databricks_catalog" "c" {
  count         = var.catalogs
  name          = "team_${count.index}"
  comment       = "team ${count.index}"
  force_destroy = true
}
resource "databricks_job" "j" {
  count = 40
  name  = "etl-${count.index}"
  task {
    task_key = "ingest"
    notebook_task { notebook_path = "/Workspace/etl/ingest" }
    existing_cluster_id = "0101-000000-abcdefgh"
  }
}
resource "databricks_notebook" "n" {
  count          = 30
  path           = "/Shared/reports/report_${count.index}"
  language       = "PYTHON"
  content_base64 = base64encode("print(${count.index})")
}
EOF_TF
export TF_VAR_rate=1000
expect_exit 0 apply -auto-approve -parallelism=20
unset TF_VAR_rate

# calls PATH_PREFIX: the requests since the last reset whose "METHOD path"
# starts with PATH_PREFIX.
calls() {
	curl -sS "$EMU_URL/_emulator/requests" | python3 -c '
import json, sys
c = json.load(sys.stdin).get("counts", {})
print(sum(v for k, v in c.items() if k.startswith(sys.argv[1])))' "$1"
}
reset_log() { curl -sS -X DELETE "$EMU_URL/_emulator/requests" >/dev/null; }

reset_log
expect_exit 0 plan -detailed-exitcode
cat_calls=$(calls "GET /api/2.1/unity-catalog/catalogs")
job_calls=$(calls "GET /api/2.2/jobs/")
nb_calls=$(calls "GET /api/2.0/workspace/")
[ "$cat_calls" -le 10 ] || fail "300 catalogs took $cat_calls calls to refresh"
[ "$job_calls" -le 8 ] || fail "40 jobs took $job_calls calls to refresh"
[ "$nb_calls" -le 5 ] || fail "30 notebooks took $nb_calls calls to refresh"
ok "300 catalogs refresh in $cat_calls calls, 40 jobs in $job_calls, 30 notebooks in $nb_calls, and plan clean"

# Changes made behind Terraform's back.
api DELETE /api/2.1/unity-catalog/catalogs/team_150?force=true >/dev/null
api PATCH /api/2.1/unity-catalog/catalogs/team_7 '{"comment": "edited in the UI"}' >/dev/null
JOB=$(api GET '/api/2.2/jobs/list?name=etl-21' | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["job_id"])')
api POST /api/2.2/jobs/update "{\"job_id\": $JOB, \"new_settings\": {\"name\": \"etl-21-renamed\"}}" >/dev/null
api POST /api/2.0/workspace/delete '{"path": "/Shared/reports/report_12"}' >/dev/null
api POST /api/2.0/workspace/import "{\"path\": \"/Shared/reports/report_20\", \"format\": \"SOURCE\", \"language\": \"PYTHON\", \"overwrite\": true, \"content\": \"$(printf 'print(\"edited\")' | base64)\"}" >/dev/null
reset_log
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_catalog.c\[150\] will be created'
expect_output 'databricks_catalog.c\[7\] will be updated in-place'
expect_output 'databricks_job.j\[21\] will be updated in-place'
expect_output 'databricks_notebook.n\[12\] will be created'
expect_output 'databricks_notebook.n\[20\] will be updated in-place'
[ "$(grep -c 'will be created\|will be updated\|will be destroyed\|must be replaced' "$WORK/last.out")" = 5 ] ||
	fail "the plan changes more than the five objects changed by REST"
[ "$(calls "GET /api/2.1/unity-catalog/catalogs/team_150")" -ge 1 ] ||
	fail "the deleted catalog was not confirmed gone by a GET"
[ "$(calls "GET /api/2.0/workspace/get-status")" -ge 1 ] ||
	fail "the deleted notebook was not confirmed gone by a GET"
expect_exit 2 plan -refresh-only -detailed-exitcode
ok "a catalog and a notebook deleted by REST are re-created; an edited catalog and notebook and a renamed job are drift, nothing else"

# The apply restores them and adds a catalog; what it wrote is read back
# as the workspace has it, so the next plans are empty.
export TF_VAR_catalogs=301
expect_exit 0 apply -auto-approve
api GET /api/2.1/unity-catalog/catalogs/team_300 | grep -q '"comment":"team 300"' ||
	fail "the catalog created in this apply is not in the workspace"
expect_exit 0 state show 'databricks_catalog.c[300]'
grep -q 'comment.*"team 300"' "$WORK/last.out" || fail "the new catalog's state is not what was created"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "the apply restores the five and creates a catalog; the plans after it are empty"

# Every page of the catalogs' list fails: reads fall back to GETs and the
# plan is still exact, drift included.
api PATCH /api/2.1/unity-catalog/catalogs/team_42 '{"comment": "edited again"}' >/dev/null
curl -sS -X POST "$EMU_URL/_emulator/faults" \
	--data '{"spec": "GET /api/2.1/unity-catalog/catalogs:500=1", "seed": 7}' >/dev/null
export TF_VAR_retry=1
reset_log
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_catalog.c\[42\] will be updated in-place'
[ "$(grep -c 'will be created\|will be updated\|will be destroyed\|must be replaced' "$WORK/last.out")" = 1 ] ||
	fail "with the list failing, the plan is not exact"
[ "$(calls "GET /api/2.1/unity-catalog/catalogs/team_")" -ge 290 ] ||
	fail "the reads did not fall back to GETs"
curl -sS -X DELETE "$EMU_URL/_emulator/faults" >/dev/null
unset TF_VAR_retry
ok "with every list page failing, reads fall back to GETs and the plan is exact"

# 5% of list pages failing, as a busy workspace does: retried, batched,
# and the plan is the same single change.
curl -sS -X POST "$EMU_URL/_emulator/faults" --data \
	'{"spec": "GET /api/2.1/unity-catalog/catalogs:500=0.05,GET /api/2.2/jobs/list:503=0.05", "seed": 11}' >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_catalog.c\[42\] will be updated in-place'
[ "$(grep -c 'will be created\|will be updated\|will be destroyed\|must be replaced' "$WORK/last.out")" = 1 ] ||
	fail "with 5% of list pages failing, the plan is not exact"
curl -sS -X DELETE "$EMU_URL/_emulator/faults" >/dev/null
ok "with 5% of list pages failing, the plan is still exact"

expect_exit 0 destroy -auto-approve -parallelism=20
done_testing
